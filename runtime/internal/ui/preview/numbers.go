package preview

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/zengen-dev/zengen/runtime/internal/layout"
)

// Numbers previews a slice of numbers stored in the numeric layout.
type Numbers struct {
	Element   string // Go's name of the element type: float64, int32…
	Nil       bool   // a nil slice
	Summary   Summary
	Histogram Histogram
	// Head holds the first values, as Go prints them.
	Head []string
}

// headSize is how many leading values the page lists.
const headSize = 20

// numericHeader is the numeric layout's header, checked.
type numericHeader struct {
	kind  byte
	width int
	isNil bool
	count uint64
}

func (h numericHeader) element() string {
	return map[byte]string{'i': "int", 'u': "uint", 'f': "float"}[h.kind] + strconv.Itoa(8*h.width)
}

func readNumericHeader(r io.Reader) (numericHeader, error) {
	var b [layout.NumericHeaderSize]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return numericHeader{}, errors.New("artifact is not in the numeric layout: too short")
		}
		return numericHeader{}, err
	}
	if string(b[:4]) != layout.NumericMagic || b[4] != layout.NumericVersion {
		return numericHeader{}, errors.New("artifact is not in the numeric layout")
	}
	h := numericHeader{kind: b[5], width: int(b[6]), isNil: b[7]&layout.NumericFlagNil != 0, count: binary.LittleEndian.Uint64(b[8:])}
	switch {
	case h.kind != 'i' && h.kind != 'u' && h.kind != 'f':
		return h, fmt.Errorf("numeric artifact has element kind %q", h.kind)
	case h.width != 1 && h.width != 2 && h.width != 4 && h.width != 8, h.kind == 'f' && h.width < 4:
		return h, fmt.Errorf("numeric artifact has %c elements of width %d", h.kind, h.width)
	case b[7]&^layout.NumericFlagNil != 0, h.isNil && h.count != 0:
		return h, fmt.Errorf("numeric artifact has invalid flags %#x", b[7])
	}
	return h, nil
}

// eachNumber reads a numeric artifact from r to its end and calls f with
// its elements as float64 and as stored, a chunk at a time. It checks that exactly the
// header's count of elements follows.
func eachNumber(r io.Reader, f func(h numericHeader, xs []float64, raw []byte)) (numericHeader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	h, err := readNumericHeader(br)
	if err != nil {
		return h, err
	}
	raw := make([]byte, 64<<10/h.width*h.width)
	xs := make([]float64, len(raw)/h.width)
	for left := h.count; left > 0; {
		n := min(uint64(len(xs)), left)
		chunk := raw[:int(n)*h.width]
		if _, err := io.ReadFull(br, chunk); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return h, fmt.Errorf("numeric artifact ends after %d of its %d elements", h.count-left, h.count)
			}
			return h, err
		}
		decodeNumbers(xs[:n], chunk, h)
		f(h, xs[:n], chunk)
		left -= n
	}
	// Reading to the end also lets a verifying reader check the digest.
	if _, err := br.ReadByte(); err != io.EOF {
		if err != nil {
			return h, err
		}
		return h, fmt.Errorf("numeric artifact holds more than its %d elements", h.count)
	}
	return h, nil
}

// decodeNumbers converts little-endian elements of h's kind and width.
func decodeNumbers(dst []float64, b []byte, h numericHeader) {
	if h.kind == 'f' && h.width == 8 {
		for i := range dst {
			dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		return
	}
	for i := range dst {
		e := b[i*h.width : (i+1)*h.width]
		var u uint64
		switch h.width {
		case 1:
			u = uint64(e[0])
		case 2:
			u = uint64(binary.LittleEndian.Uint16(e))
		case 4:
			u = uint64(binary.LittleEndian.Uint32(e))
		default:
			u = binary.LittleEndian.Uint64(e)
		}
		switch h.kind {
		case 'f':
			dst[i] = float64(math.Float32frombits(uint32(u)))
		case 'i':
			shift := 64 - 8*uint(h.width)
			dst[i] = float64(int64(u<<shift) >> shift)
		default:
			dst[i] = float64(u)
		}
	}
}

// previewNumbers summarises a numeric artifact in one pass when its
// finite values fit the sample, and in two (the second counts the
// histogram) when they do not. open returns a new reader at the start.
func previewNumbers(open func() (io.ReadCloser, error)) (*Numbers, error) {
	r, err := open()
	if err != nil {
		return nil, err
	}
	acc := newAccumulator()
	var head []string
	h, err := eachNumber(r, func(h numericHeader, xs []float64, raw []byte) {
		for i := 0; len(head) < headSize && i < len(xs); i++ {
			head = append(head, formatElement(raw[i*h.width:(i+1)*h.width], h))
		}
		for _, x := range xs {
			acc.add(x)
		}
	})
	r.Close()
	if err != nil {
		return nil, err
	}
	s, sorted := acc.summary()
	n := &Numbers{Element: h.element(), Nil: h.isNil, Summary: s, Head: head}
	if s.Finite == 0 {
		return n, nil
	}
	n.Histogram = newHistogram(s.Min, s.Max, h.kind != 'f')
	if !s.Estimated {
		for _, x := range sorted {
			n.Histogram.add(x)
		}
		return n, nil
	}
	r, err = open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if _, err := eachNumber(r, func(_ numericHeader, xs []float64, _ []byte) {
		for _, x := range xs {
			n.Histogram.add(x)
		}
	}); err != nil {
		return nil, err
	}
	return n, nil
}

// formatElement writes one stored element as Go prints a value of h's
// element type: exactly, also for 64-bit integers that float64 rounds.
func formatElement(e []byte, h numericHeader) string {
	var u uint64
	for i := range e {
		u |= uint64(e[i]) << (8 * i)
	}
	switch h.kind {
	case 'i':
		shift := 64 - 8*uint(h.width)
		return strconv.FormatInt(int64(u<<shift)>>shift, 10)
	case 'u':
		return strconv.FormatUint(u, 10)
	}
	if h.width == 4 {
		return strconv.FormatFloat(float64(math.Float32frombits(uint32(u))), 'g', -1, 32)
	}
	return strconv.FormatFloat(math.Float64frombits(u), 'g', -1, 64)
}
