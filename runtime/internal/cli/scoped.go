package cli

// scopeParams applies the pipeline-wide value of a param to its per-step
// forms: a param named STEP.NAME beside a param NAME is NAME's value for
// step STEP alone. Its default is that step's own (generated code gives a
// step the value its notebook cell passed), so `--NAME=V` sets it for every
// step whose STEP.NAME was not given itself, and `--STEP.NAME=V` for that
// step whatever --NAME says. given holds the names set by a flag or the
// --params file.
func scopeParams(fields []paramField, given map[string]bool) {
	byName := make(map[string]paramField, len(fields))
	for _, f := range fields {
		byName[f.name] = f
	}
	for _, f := range fields {
		for i := len(f.name) - 1; i > 0; i-- {
			if f.name[i] != '.' {
				continue
			}
			wide, ok := byName[f.name[i+1:]]
			if ok && given[wide.name] && !given[f.name] && wide.value.Type() == f.value.Type() {
				f.value.Set(wide.value)
			}
			break
		}
	}
}
