package migration

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	files := func(names ...string) fstest.MapFS {
		fsys := fstest.MapFS{}
		for _, n := range names {
			fsys["m/"+n] = &fstest.MapFile{Data: []byte("-- " + n)}
		}
		return fsys
	}
	ms, err := Load(files("0002_b.sql", "0001_a.sql", "0003_c.sql"), "m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Name+"="+m.SQL)
	}
	if want := "0001_a.sql=-- 0001_a.sql 0002_b.sql=-- 0002_b.sql 0003_c.sql=-- 0003_c.sql"; strings.Join(got, " ") != want {
		t.Errorf("loaded %v, want %s", got, want)
	}
	for _, bad := range []struct {
		names []string
		want  string
	}{
		{[]string{"0001_a.sql", "0003_c.sql"}, "migration 0003_c.sql: expected number 2"},
		{[]string{"0001_a.sql", "0001_b.sql"}, "expected number 2"},
		{[]string{"init.sql"}, "migration init.sql: name must start with a number and '_'"},
	} {
		if _, err := Load(files(bad.names...), "m"); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%v: %v, want an error containing %q", bad.names, err, bad.want)
		}
	}
}
