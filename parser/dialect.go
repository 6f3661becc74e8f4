package parser

import "strings"

// kernelDialects maps the Go kernels' kernelspec names to how they run
// top-level code.
var kernelDialects = map[string]Dialect{
	"gonb":        DialectGoNB,
	"gophernotes": DialectREPL,
	"lgo":         DialectREPL,
	"gomacro":     DialectREPL,
}

// kernelInfo is what a notebook or a script header says about its kernel.
type kernelInfo struct {
	Name     string // kernelspec.name
	Language string // kernelspec.language
	LangInfo string // language_info.name
}

// dialectOf decides the dialect from the kernel metadata. decided is false
// when the metadata names Go without saying which kernel, so the caller has
// to look at the code. A non-empty problem says the kernel is not Go.
func dialectOf(k kernelInfo) (d Dialect, decided bool, problem string) {
	name := strings.ToLower(strings.TrimSpace(k.Name))
	if d, ok := kernelDialects[name]; ok {
		return d, true, ""
	}
	// Kernel names are often suffixed by installers ("gonb_1.0", "gophernotes-1.20").
	for _, kernel := range []string{"gonb", "gophernotes", "lgo", "gomacro"} {
		if strings.HasPrefix(name, kernel) {
			return kernelDialects[kernel], true, ""
		}
	}
	isGo := func(lang string) bool { return strings.EqualFold(strings.TrimSpace(lang), "go") }
	switch {
	case name != "" && !isGo(k.Language) && !isGo(name):
		return "", false, `kernel "` + k.Name + `" is not a Go kernel (gonb, gophernotes, lgo)`
	case name == "" && k.LangInfo != "" && !isGo(k.LangInfo) && !isGo(k.Language):
		return "", false, `language "` + k.LangInfo + `" is not Go: zengen reads notebooks of the Go kernels (gonb, gophernotes, lgo)`
	}
	return "", false, ""
}

// dialectFromCode guesses the dialect of a Go notebook whose metadata does
// not name the kernel: a GoNB main marker (%% or %main), or a magic that
// sets the program's arguments, is only meaningful to GoNB.
func dialectFromCode(cells []*Cell) Dialect {
	for _, c := range cells {
		for _, m := range c.Magics {
			switch m.Kind {
			case MagicMain, MagicArgs, MagicExec, MagicTest:
				return DialectGoNB
			}
		}
	}
	return DialectREPL
}
