package parser

import (
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkReadIPYNB reads a synthetic GoNB notebook of 1,000 cells: code
// cells with a directive, a magic and a few lines of Go, markdown between
// them, and recorded outputs.
func BenchmarkReadIPYNB(b *testing.B) {
	var cells []map[string]any
	for i := range 1000 {
		if i%4 == 0 {
			cells = append(cells, map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": []string{fmt.Sprintf("## Step %d\n", i), "Some words about it.\n"}})
			continue
		}
		src := []string{
			fmt.Sprintf("//zen:step s%d cache=on\n", i),
			"import \"fmt\"\n",
			fmt.Sprintf("func helper%d(x int) int { return x * %d }\n", i, i),
			"%%\n",
			fmt.Sprintf("v%d := helper%d(3)\n", i, i),
			fmt.Sprintf("fmt.Println(\"value\", v%d)\n", i),
		}
		cells = append(cells, map[string]any{
			"cell_type": "code", "execution_count": i, "id": fmt.Sprintf("c%d", i),
			"metadata": map[string]any{"tags": []string{"hide-input"}},
			"outputs":  []any{map[string]any{"output_type": "stream", "name": "stdout", "text": []string{fmt.Sprintf("value %d\n", 3*i)}}},
			"source":   src,
		})
	}
	data, err := json.Marshal(map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{"kernelspec": map[string]string{"name": "gonb", "language": "go"}},
		"cells":    cells,
	})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadIPYNB("bench.ipynb", data); err != nil {
			b.Fatal(err)
		}
	}
}
