// Package runtime is a test double of zengen's runtime for emission tests.
// It has the API that generated code calls, with the same signatures, and
// runs a pipeline's steps in order, in memory: each output is encoded with
// its codec and decoded again by the steps that read it, so a wrong codec or
// a wrong input name fails the run.
package runtime

import (
	"bytes"
	"context"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

type Pipeline struct {
	Name     string
	Notebook string
	Doc      string
	Params   any
	Env      map[string]string
	Setup    func()
	Steps    []*Step
}

type Step struct {
	Name     string
	Func     string
	Doc      string
	Pos      string
	CodeHash string
	Inputs   []Input
	Outputs  []Output
	Params   []string
	Metrics  []string
	After    []string
	Options  Options
	Run      func(ctx context.Context, sc *StepContext) error
}

type Input struct{ Name, Type, Codec, From string }

type Output struct{ Name, Type, Codec string }

type Options struct {
	NoCache      bool
	Retries      int
	Timeout      time.Duration
	CacheVersion string
}

type Codec[T any] interface {
	Name() string
	Encode(w io.Writer, v T) error
	Decode(r io.Reader) (T, error)
}

type Number interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

type funcCodec[T any] struct {
	name string
	enc  func(io.Writer, T) error
	dec  func(io.Reader) (T, error)
}

func (c funcCodec[T]) Name() string                  { return c.name }
func (c funcCodec[T]) Encode(w io.Writer, v T) error { return c.enc(w, v) }
func (c funcCodec[T]) Decode(r io.Reader) (T, error) { return c.dec(r) }

func Raw[T ~string | ~[]byte]() Codec[T] {
	return funcCodec[T]{"raw",
		func(w io.Writer, v T) error { _, err := w.Write([]byte(v)); return err },
		func(r io.Reader) (T, error) { b, err := io.ReadAll(r); return T(b), err }}
}

func Numeric[S ~[]E, E Number]() Codec[S] {
	return funcCodec[S]{"numeric",
		func(w io.Writer, v S) error { return binary.Write(w, binary.LittleEndian, []E(v)) },
		func(r io.Reader) (S, error) {
			b, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			var zero E
			s := make(S, len(b)/binary.Size(zero))
			return s, binary.Read(bytes.NewReader(b), binary.LittleEndian, []E(s))
		}}
}

func Binary[T any, PT interface {
	*T
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
}]() Codec[T] {
	return funcCodec[T]{"binary",
		func(w io.Writer, v T) error {
			b, err := PT(&v).MarshalBinary()
			if err == nil {
				_, err = w.Write(b)
			}
			return err
		},
		func(r io.Reader) (T, error) {
			var v T
			b, err := io.ReadAll(r)
			if err == nil {
				err = PT(&v).UnmarshalBinary(b)
			}
			return v, err
		}}
}

func JSON[T any]() Codec[T] {
	return funcCodec[T]{"json",
		func(w io.Writer, v T) error { return json.NewEncoder(w).Encode(v) },
		func(r io.Reader) (T, error) { var v T; err := json.NewDecoder(r).Decode(&v); return v, err }}
}

func ErrorCodec() Codec[error] {
	return funcCodec[error]{"error",
		func(w io.Writer, v error) error {
			if v != nil {
				_, err := io.WriteString(w, v.Error())
				return err
			}
			return nil
		},
		func(r io.Reader) (error, error) {
			b, err := io.ReadAll(r)
			if err != nil || len(b) == 0 {
				return nil, err
			}
			return errors.New(string(b)), nil
		}}
}

func Register[T any](c Codec[T]) {}

type StepContext struct {
	step      *Step
	artifacts map[string][]byte // "step.name" → encoded bytes
	metrics   map[string]float64
}

func Load[T any](sc *StepContext, name string, c Codec[T]) (T, error) {
	var zero T
	for _, in := range sc.step.Inputs {
		if in.Name == name {
			if in.Codec != c.Name() {
				return zero, fmt.Errorf("input %s: declared codec %s, loaded with %s", name, in.Codec, c.Name())
			}
			b, ok := sc.artifacts[in.From+"."+name]
			if !ok {
				return zero, fmt.Errorf("input %s: step %s saved no such output", name, in.From)
			}
			return c.Decode(bytes.NewReader(b))
		}
	}
	return zero, fmt.Errorf("step %s has no input %s", sc.step.Name, name)
}

func Save[T any](sc *StepContext, name string, c Codec[T], v T) error {
	for _, out := range sc.step.Outputs {
		if out.Name == name {
			if out.Codec != c.Name() {
				return fmt.Errorf("output %s: declared codec %s, saved with %s", name, out.Codec, c.Name())
			}
			var b bytes.Buffer
			if err := c.Encode(&b, v); err != nil {
				return err
			}
			sc.artifacts[sc.step.Name+"."+name] = b.Bytes()
			return nil
		}
	}
	return fmt.Errorf("step %s has no output %s", sc.step.Name, name)
}

func (sc *StepContext) Metric(name string, v float64) { sc.metrics[name] = v }

type stdoutKey struct{}

func Stdout(ctx context.Context) io.Writer {
	if w, ok := ctx.Value(stdoutKey{}).(io.Writer); ok {
		return w
	}
	return os.Stdout
}

func Main(p *Pipeline) {
	os.Exit(Exec(context.Background(), p, os.Args[1:], os.Stdout, os.Stderr))
}

// Exec understands only `run [--home DIR]` and runs the steps in order.
func Exec(ctx context.Context, p *Pipeline, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "run" {
		fmt.Fprintln(stderr, "usage: run [--home DIR]")
		return 2
	}
	for k, v := range p.Env {
		if _, ok := os.LookupEnv(k); !ok {
			os.Setenv(k, v)
		}
	}
	if p.Setup != nil {
		p.Setup()
	}
	artifacts := make(map[string][]byte)
	ctx = context.WithValue(ctx, stdoutKey{}, stdout)
	for _, s := range p.Steps {
		sc := &StepContext{step: s, artifacts: artifacts, metrics: make(map[string]float64)}
		if err := s.Run(ctx, sc); err != nil {
			fmt.Fprintf(stderr, "step %s: %v\n", s.Name, err)
			return 1
		}
		for _, m := range s.Metrics {
			v, ok := sc.metrics[m]
			if !ok {
				fmt.Fprintf(stderr, "step %s: metric %s not recorded\n", s.Name, m)
				return 1
			}
			fmt.Fprintf(stdout, "%s: %s=%g\n", s.Name, m, v)
		}
	}
	return 0
}
