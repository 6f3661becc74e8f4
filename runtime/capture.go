package runtime

import (
	"bytes"
	"io"
	"os"
	"sync"
)

// terminal serialises everything the runtime writes to the user's stdout
// and stderr, so lines of parallel steps never interleave mid-line.
type terminal struct {
	mu     sync.Mutex
	stdout io.Writer
	stderr io.Writer
}

func (t *terminal) progress(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	io.WriteString(t.stderr, line+"\n")
}

// stepOutput collects what one step prints and echoes each complete line to
// the terminal as "[step] line". It is safe for concurrent use: a step may
// print from several goroutines.
type stepOutput struct {
	term   *terminal
	prefix []byte

	mu      sync.Mutex
	all     bytes.Buffer // everything, for the store
	partial []byte       // the current line, not yet echoed
}

func newStepOutput(term *terminal, step string) *stepOutput {
	return &stepOutput{term: term, prefix: []byte("[" + step + "] ")}
}

func (o *stepOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.all.Write(p)
	o.partial = append(o.partial, p...)
	last := bytes.LastIndexByte(o.partial, '\n')
	if last < 0 {
		return len(p), nil
	}
	o.echo(o.partial[:last+1])
	o.partial = append(o.partial[:0], o.partial[last+1:]...)
	return len(p), nil
}

// echo writes complete lines to the terminal, each behind the step's name.
func (o *stepOutput) echo(lines []byte) {
	var b bytes.Buffer
	for len(lines) > 0 {
		line := lines
		if i := bytes.IndexByte(lines, '\n'); i >= 0 {
			line = lines[:i+1]
		}
		lines = lines[len(line):]
		b.Write(o.prefix)
		b.Write(line)
		if line[len(line)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	o.term.mu.Lock()
	o.term.stdout.Write(b.Bytes())
	o.term.mu.Unlock()
}

// text flushes an unfinished last line to the terminal and returns all the
// output so far.
func (o *stepOutput) text() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.partial) > 0 {
		o.echo(o.partial)
		o.partial = o.partial[:0]
	}
	return o.all.String()
}

// osStdoutCapture points os.Stdout at a pipe whose bytes go to a step's
// output, for code that prints with fmt.Println directly instead of through
// Stdout(ctx). Swapping a process-wide variable is only sound while exactly
// one step runs, so the scheduler uses it only then (see runner.launch).
type osStdoutCapture struct {
	saved *os.File
	w     *os.File
	done  chan struct{}
}

func captureOSStdout(dst io.Writer) (*osStdoutCapture, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c := &osStdoutCapture{saved: os.Stdout, w: w, done: make(chan struct{})}
	go func() {
		io.Copy(dst, r)
		r.Close()
		close(c.done)
	}()
	os.Stdout = w
	return c, nil
}

// restore puts os.Stdout back and waits until every captured byte reached
// the step's output.
func (c *osStdoutCapture) restore() {
	os.Stdout = c.saved
	c.w.Close()
	<-c.done
}
