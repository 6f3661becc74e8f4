package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// StackFile is the project file that names stacks: the working directory's,
// else the nearest parent's up to the module root (the directory with
// go.mod).
const StackFile = "zen.yaml"

// StackFlags are a command line's choices of where runs are kept.
type StackFlags struct {
	Home  string // --home: the local store's directory
	Stack string // --stack: a stack named in zen.yaml
	Store string // --store: the artifact store's URL
	DB    string // --db: the metadata store's DSN
}

// stackFile is zen.yaml.
type stackFile struct {
	// Default is the stack used when neither --stack nor $ZEN_STACK names one.
	Default string                `yaml:"default"`
	Stacks  map[string]namedStack `yaml:"stacks"`
}

type namedStack struct {
	Store string `yaml:"store"`
	DB    string `yaml:"db"`
}

// ChooseStack picks the backends. Each part is chosen on its own: the
// artifact store from --store, then $ZEN_STORE, then the named stack's
// store; the metadata store from --db, then $ZEN_DB, then the named
// stack's db; a part none of them names is the local store's (meta.db and
// blobs/ in --home, $ZEN_HOME or .zen). The named stack is --stack, then
// $ZEN_STACK, then zen.yaml's default.
func ChooseStack(f StackFlags) Backends {
	b := Backends{Home: HomeDir(f.Home)}
	b.Store, b.StoreFrom = pick(f.Store, "--store", "ZEN_STORE")
	b.DB, b.DBFrom = pick(f.DB, "--db", "ZEN_DB")
	if b.DBFrom == "--db" && dsnHasPassword(b.DB) {
		// The command line is recorded with every run.
		b.Err = errors.New("--db holds a password, and a run records its command line: give it through $PGPASSWORD or ~/.pgpass, or the whole DSN through $ZEN_DB")
		return b
	}
	name, from := pick(f.Stack, "--stack", "ZEN_STACK")
	file, path, err := readStackFile()
	if err != nil {
		b.Err = err
		return b
	}
	if name == "" && file != nil && file.Default != "" {
		name, from = file.Default, path+" (default)"
	}
	if name == "" {
		return b
	}
	if file == nil {
		b.Err = fmt.Errorf("stack %q (%s): there is no %s in this directory or above it up to the module root", name, from, StackFile)
		return b
	}
	s, ok := file.Stacks[name]
	if !ok {
		names := make([]string, 0, len(file.Stacks))
		for n := range file.Stacks {
			names = append(names, n)
		}
		sort.Strings(names)
		b.Err = fmt.Errorf("stack %q (%s) is not in %s, which names: %s", name, from, path, strings.Join(names, ", "))
		return b
	}
	b.StackName, b.StackFrom = name, from
	if b.Store == "" && s.Store != "" {
		b.Store, b.StoreFrom = s.Store, path+" (stack "+name+")"
	}
	if b.DB == "" && s.DB != "" {
		b.DB, b.DBFrom = s.DB, path+" (stack "+name+")"
	}
	return b
}

// pick returns the flag's value, else the variable's, and where it came from.
func pick(flag, flagName, env string) (string, string) {
	if flag != "" {
		return flag, flagName
	}
	if v := os.Getenv(env); v != "" {
		return v, "$" + env
	}
	return "", ""
}

// readStackFile finds and reads zen.yaml; it returns nil when there is none.
func readStackFile() (*stackFile, string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, "", nil
	}
	for {
		path := filepath.Join(dir, StackFile)
		data, err := os.ReadFile(path)
		if err == nil {
			rel := path
			if wd, err := os.Getwd(); err == nil {
				if r, err := filepath.Rel(wd, path); err == nil {
					rel = r
				}
			}
			f, err := parseStackFile(rel, data)
			return f, rel, err
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return nil, "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, "", nil
		}
		dir = parent
	}
}

// stackNameRE is what a stack's name may be: it is typed on command lines.
var stackNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func parseStackFile(path string, data []byte) (*stackFile, error) {
	var f stackFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	names := make([]string, 0, len(f.Stacks))
	for n := range f.Stacks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := f.Stacks[n]
		switch {
		case !stackNameRE.MatchString(n):
			return nil, fmt.Errorf("%s: stack name %q: use letters, digits, '.', '_' and '-'", path, n)
		case s.Store == "" && s.DB == "":
			return nil, fmt.Errorf("%s: stack %s names neither a store nor a db", path, n)
		case urlHasUser(s.Store):
			return nil, fmt.Errorf("%s: stack %s: the store URL holds credentials; they come only from the environment and the cloud SDK's usual chains", path, n)
		case dsnHasPassword(s.DB):
			return nil, fmt.Errorf("%s: stack %s: the db DSN holds a password; give it through $PGPASSWORD or ~/.pgpass", path, n)
		}
	}
	if f.Default != "" {
		if _, ok := f.Stacks[f.Default]; !ok {
			return nil, fmt.Errorf("%s: default stack %q is not among its stacks", path, f.Default)
		}
	}
	return &f, nil
}

func urlHasUser(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.User != nil
}

// dsnHasPassword reports whether a PostgreSQL DSN, in URL or keyword form,
// holds a password.
func dsnHasPassword(dsn string) bool {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if _, ok := u.User.Password(); ok {
			return true
		}
		return u.Query().Has("password")
	}
	return regexp.MustCompile(`(^|\s)password\s*=`).MatchString(dsn)
}
