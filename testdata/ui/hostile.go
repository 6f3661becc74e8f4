//go:build ignore

// ---
// jupyter:
//   kernelspec:
//     display_name: Go
//     language: go
//     name: gophernotes
// ---

// %% [markdown]
// # Hostile <script>zenTripwire('markdown script')</script>
//
// Every string of this notebook that reaches the dashboard tries to run
// script: each payload calls zenTripwire, which the browser test watches.
//
// <img src=x onerror="zenTripwire('markdown img')">
// <svg onload="zenTripwire('markdown svg')"></svg>
// <a href="javascript:zenTripwire('markdown raw link')">raw link</a>
// <iframe src="javascript:zenTripwire('markdown iframe')"></iframe>
//
// [a link](javascript:zenTripwire('markdown link')),
// [another](JaVaScRiPt:zenTripwire('markdown link case')),
// [entity](&#106;avascript:zenTripwire('markdown link entity')),
// ![a picture](javascript:zenTripwire('markdown image')) and
// <javascript:zenTripwire('markdown autolink')>.

// %% tags=["parameters"]
title := "<img src=x onerror=zenTripwire('param default')>"
boom := false

// %%
import "fmt"

// %% [markdown]
// ## Shout <img src=x onerror="zenTripwire('step doc')">
//
// Prints, keeps and measures the hostile strings.

// %% tags=["step:shout"]
//zen:output label
//zen:output words
//zen:output notes
//zen:output tags
//zen:metric score
type Note struct {
	Text string
	Link string
}
fmt.Println("<script>zenTripwire('log')</script>")
fmt.Println(title)
label := `<svg onload="zenTripwire('artifact string')"></svg>"><script>zenTripwire('artifact string 2')</script>`
words := []string{"<img src=x onerror=zenTripwire('artifact slice')>", "javascript:zenTripwire('artifact slice link')"}
notes := []Note{{Text: "<b onmouseover=zenTripwire('artifact struct')>bold</b>", Link: "javascript:zenTripwire('artifact struct link')"}}
tags := map[string]string{"<script>zenTripwire('artifact map key')</script>": "<img src=x onerror=zenTripwire('artifact map value')>"}
score := float64(len(title))
if boom {
	panic("<img src=x onerror=zenTripwire('error')>")
}

// %% [markdown]
// ## Show

// %% tags=["step:show"]
fmt.Println(len(label), "<iframe src=javascript:zenTripwire('log 2')></iframe>")
Display(display.SVG(`<svg xmlns="http://www.w3.org/2000/svg" width="80" height="30" onload="zenTripwire('display svg')"><script>zenTripwire('display svg script')</script><text x="4" y="20">svg</text></svg>`))
Display(display.HTML(`<img src=x onerror="zenTripwire('display html')"><script>zenTripwire('display html script')</script>`))
Display(display.Markdown("[md](javascript:zenTripwire('display markdown')) <img src=x onerror=zenTripwire('display markdown img')>"))
