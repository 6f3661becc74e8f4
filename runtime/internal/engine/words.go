package engine

import (
	"strings"
	"time"
)

// FormatDuration prints durations the way people read progress lines.
func FormatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(time.Millisecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// FirstLine is the first line of s: a step's error in progress lines and
// summaries, whose full text (a stack, a compiler's list) stays in the
// record.
func FirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
