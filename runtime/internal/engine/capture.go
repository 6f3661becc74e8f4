package engine

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"os"
	"slices"
	"sync"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// stepOutput collects what one step prints to its two streams and hands
// each run of complete lines to printed, which the scheduler turns into a
// Printed event. It is safe for concurrent use: a step may print from
// several goroutines.
type stepOutput struct {
	printed func(lines []byte, stderr bool)

	mu      sync.Mutex
	all     bytes.Buffer // both streams in the order written, for `logs`
	stdout  bytes.Buffer // stdout alone, for the parity test
	streams meta.Streams // which stream each byte of all was written to
	partial [2][]byte    // per stream, the current line, not yet echoed
	retries []meta.Retry // the attempts that failed and were tried again
}

// The streams of a step.
const (
	toStdout = 0
	toStderr = 1
)

func newStepOutput(printed func(lines []byte, stderr bool)) *stepOutput {
	return &stepOutput{printed: printed}
}

// stream is one of a step's two writers.
type stream struct {
	o *stepOutput
	n int
}

func (s stream) Write(p []byte) (int, error) { return s.o.write(s.n, p) }

func (o *stepOutput) writer(n int) io.Writer { return stream{o, n} }

func (o *stepOutput) write(n int, p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.all.Write(p)
	o.streams = o.streams.Add(len(p), n == toStderr)
	if n == toStdout {
		o.stdout.Write(p)
	}
	o.partial[n] = append(o.partial[n], p...)
	last := bytes.LastIndexByte(o.partial[n], '\n')
	if last < 0 {
		return len(p), nil
	}
	o.echo(n, o.partial[n][:last+1])
	o.partial[n] = append(o.partial[n][:0], o.partial[n][last+1:]...)
	return len(p), nil
}

// echo hands complete lines on; a flushed last line may lack its newline.
func (o *stepOutput) echo(n int, lines []byte) {
	o.printed(bytes.Clone(lines), n == toStderr)
}

// offsets returns how many bytes the step has written so far to both
// streams, and to stdout alone: where a display comes in its output.
func (o *stepOutput) offsets() (all, stdout int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.all.Len(), o.stdout.Len()
}

// text flushes unfinished last lines to the observers and returns the
// output so far: both streams, stdout alone, and which stream each byte
// of all was written to.
func (o *stepOutput) text() (all, stdout string, streams meta.Streams) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for n := range o.partial {
		if len(o.partial[n]) > 0 {
			o.echo(n, o.partial[n])
			o.partial[n] = o.partial[n][:0]
		}
	}
	return o.all.String(), o.stdout.String(), slices.Clone(o.streams)
}

// osStdoutCapture points os.Stdout at a pipe whose bytes go to a step's
// stdout, for code that prints to os.Stdout itself: packages the notebook
// imports, and the prints zengen could not route (Step.Alone). Swapping a
// process-wide variable is only sound while exactly one step runs, so the
// scheduler uses it only then (see Runner.schedule).
//
// While it is in place the step's own writers must not race the pipe, or
// lines would come out in another order than printed: the step's stdout
// writer is the pipe itself, and its stderr writer first waits until the
// pipe has delivered everything written before (sync).
type osStdoutCapture struct {
	saved *os.File
	w     *os.File
	done  chan struct{}

	syncMu sync.Mutex    // one sync at a time
	mark   []byte        // written into the pipe by sync
	synced chan struct{} // the reader passed the mark
}

func captureOSStdout(dst io.Writer) (*osStdoutCapture, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	token := make([]byte, 16)
	rand.Read(token)
	c := &osStdoutCapture{saved: os.Stdout, w: w, done: make(chan struct{}),
		mark: []byte("\x00zengen-sync-" + hex.EncodeToString(token) + "\x00"), synced: make(chan struct{}, 1)}
	go func() {
		c.copy(dst, r)
		r.Close()
		close(c.done)
	}()
	os.Stdout = w
	return c, nil
}

// copy moves the pipe's bytes to dst, taking out the marks of sync. Bytes
// that may begin a mark wait for the next read.
func (c *osStdoutCapture) copy(dst io.Writer, r io.Reader) {
	buf := make([]byte, 64<<10)
	var pending []byte
	for {
		n, err := r.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, c.mark)
			if i < 0 {
				break
			}
			dst.Write(pending[:i])
			pending = pending[i+len(c.mark):]
			c.synced <- struct{}{}
		}
		keep := 0
		for k := min(len(c.mark)-1, len(pending)); k > 0; k-- {
			if bytes.HasSuffix(pending, c.mark[:k]) {
				keep = k
				break
			}
		}
		if err != nil {
			keep = 0
		}
		if len(pending) > keep {
			dst.Write(pending[:len(pending)-keep])
			pending = append(pending[:0], pending[len(pending)-keep:]...)
		}
		if err != nil {
			return
		}
	}
}

// sync returns once everything written to the pipe before it reached dst.
func (c *osStdoutCapture) sync() {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	if _, err := c.w.Write(c.mark); err != nil {
		return
	}
	<-c.synced
}

// stderr is the step's stderr writer while the capture is in place.
func (c *osStdoutCapture) stderr(dst io.Writer) io.Writer {
	return syncedWriter{c, dst}
}

type syncedWriter struct {
	c   *osStdoutCapture
	dst io.Writer
}

func (s syncedWriter) Write(p []byte) (int, error) {
	s.c.sync()
	return s.dst.Write(p)
}

// restore puts os.Stdout back and waits until every captured byte reached
// the step's output.
func (c *osStdoutCapture) restore() {
	os.Stdout = c.saved
	c.w.Close()
	<-c.done
}
