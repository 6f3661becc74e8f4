// Package display holds zengen's versions of the Go kernels' display APIs,
// which generated code imports in place of the kernels' own packages: the
// notebook's calls stay as written, and what they display is stored as the
// calling step's display artifacts (a media type and the bytes the call
// got), placed in the step's output where the call came.
//
//   - gonbui: GoNB's github.com/janpfeifer/gonb/gonbui;
//   - gophernotes: the display package and the Display function that
//     gophernotes puts in every notebook;
//   - lgo: the Display field of lgo's _ctx.
//
// A display reaches the step that the runtime runs with no other step
// beside it; generated code marks every step that displays so. A display
// that cannot be stored (outside a running step, a full disk) panics with
// the reason, so that it fails the step instead of being lost. This package
// itself only documents its subpackages.
package display
