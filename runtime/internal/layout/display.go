package layout

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Display is the codec of a display artifact: what a notebook's display
// call (GoNB's gonbui.DisplayHTML, lgo's _ctx.Display.PNG, gophernotes'
// Display) handed over, with its media type.
//
// Its stored form is DisplayMagic, DisplayVersion, the media type's length
// (2 bytes, little endian), the media type, then the bytes exactly as the
// call got them. The media type is part of the bytes, and so of the digest:
// an artifact is recorded with one codec and type per digest, and a step
// that saves a string and displays the same string as HTML must not find
// its display recorded as that string, or the reverse.
const (
	Display        = "display"
	DisplayMagic   = "ZDSP"
	DisplayVersion = 1
)

// maxMediaType bounds a media type; RFC 6838 allows 127 characters on each
// side of the slash.
const maxMediaType = 255

// AppendDisplayHeader appends the header of a display artifact of
// mediaType to dst.
func AppendDisplayHeader(dst []byte, mediaType string) ([]byte, error) {
	if mediaType == "" || len(mediaType) > maxMediaType {
		return dst, fmt.Errorf("display: media type %q is empty or longer than %d bytes", mediaType, maxMediaType)
	}
	dst = append(dst, DisplayMagic...)
	dst = append(dst, DisplayVersion)
	dst = binary.LittleEndian.AppendUint16(dst, uint16(len(mediaType)))
	return append(dst, mediaType...), nil
}

// ReadDisplayHeader reads the header of a display artifact from r, which is
// then at the first byte the call got, and returns its media type.
func ReadDisplayHeader(r *bufio.Reader) (string, error) {
	var head [7]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:4]) != DisplayMagic || head[4] != DisplayVersion {
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return "", err
		}
		return "", errors.New("artifact is not in the display layout")
	}
	n := binary.LittleEndian.Uint16(head[5:7])
	if n == 0 || n > maxMediaType {
		return "", fmt.Errorf("display artifact names a media type of %d bytes", n)
	}
	mt := make([]byte, n)
	if _, err := io.ReadFull(r, mt); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return "", errors.New("display artifact ends inside its media type")
		}
		return "", err
	}
	return string(mt), nil
}

// IsTextMedia reports whether a display's bytes are text that cat may print
// as they are: text/*, SVG, JSON and JavaScript.
func IsTextMedia(mediaType string) bool {
	switch mediaType {
	case "image/svg+xml", "application/json", "application/javascript":
		return true
	}
	return len(mediaType) > 5 && mediaType[:5] == "text/"
}

// DisplayHeaderSize is the length of the header of a display of
// mediaType: what its stored size holds beyond the call's bytes.
func DisplayHeaderSize(mediaType string) int64 { return int64(7 + len(mediaType)) }
