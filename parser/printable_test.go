package parser

import "testing"

// TestErrorsPrintNotebookTextEscaped: a message quoting the notebook (an
// option value, a magic) must not send a terminal raw control characters.
func TestErrorsPrintNotebookTextEscaped(t *testing.T) {
	nb := []byte(`{"nbformat":4,"nbformat_minor":5,"metadata":{"kernelspec":{"name":"gophernotes"}},"cells":[{"cell_type":"code","metadata":{},"source":"//zen:step a timeout=\u0000\u001b[2J\r\nx := 1"}]}`)
	_, err := Read("nb.ipynb", nb)
	want := `nb.ipynb:cell 1:1:14: step option timeout=\x00\x1b[2J: want a positive Go duration
	hint: for example timeout=90s or timeout=1h30m`
	if err == nil || err.Error() != want {
		t.Errorf("Read = %q, want %q", err, want)
	}
}
