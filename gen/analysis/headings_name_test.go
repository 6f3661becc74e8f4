package analysis

import "testing"

func TestHeadingStepNames(t *testing.T) {
	for _, tc := range []struct{ markdown, want string }{
		{"# Load the Data", "load_the_data"},
		{`## <span style="color:green">Fixed</span>: goroutines are canceled`, "fixed_goroutines_are_canceled"},
		{"# **Bold** and _emphasis_ words", "bold_and_emphasis_words"},
		{"# Read [the data](https://example.com/data.csv) file", "read_the_data_file"},
		{"# Backends with `graph.Exec`", "backends_with_graph_exec"},
		{"# Tokens<br/>and <b>bold</b> words", "tokens_and_bold_words"},
		{"# ![logo](logo.png) Summary", "logo_summary"},
		{"# Developing Go libraries with a notebook: `go.mod` and `go.work`", "developing_go_libraries_with_a"},
		{"# <span>Fixed</span>: Can not use a method of an instance if the instance and the type are defined separately", "fixed_can_not_use_a_method_of_an"},
		{"# Supercalifragilisticexpialidocious_and_more_letters_than_fit", "supercalifragilisticexpialidocio"},
		{"# 2nd: Supercalifragilisticexpialidocious", "s_2nd_supercalifragilisticexpial"},
		{"# <span></span>", ""},
	} {
		if got := markdownHeading(tc.markdown); got != tc.want {
			t.Errorf("markdownHeading(%q) = %q, want %q", tc.markdown, got, tc.want)
		}
	}
}
