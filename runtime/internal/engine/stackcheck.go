package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"

	"github.com/zengen-dev/zengen/runtime/internal/meta"
)

// StackPart is one part of the chosen stack as the stack command shows it.
type StackPart struct {
	Role  string // "metadata" or "artifacts"
	Where string // a DSN without its password, a URL, or a local path
	From  string // where it was chosen: --db, $ZEN_DB, zen.yaml, or "" for the default
	OK    string // what the check proved, when it passed
	Err   error  // why the check failed
}

// CheckStack shows the chosen stack and proves each part reachable and
// writable, without recording anything: a write into the metadata store is
// rolled back, an object written to the artifact store is deleted.
func (b Backends) CheckStack(ctx context.Context) []StackPart {
	return []StackPart{b.checkMetadata(ctx), b.checkArtifacts(ctx)}
}

func (b Backends) checkMetadata(ctx context.Context) StackPart {
	if b.DB == "" {
		p := StackPart{Role: "metadata", Where: filepath.Join(b.Home, "meta.db")}
		p.OK, p.Err = checkLocalDir(b.Home, "meta.db")
		if p.Err == nil {
			if _, err := os.Stat(p.Where); err == nil {
				db, err := meta.OpenReadOnly(ctx, p.Where)
				if err != nil {
					p.Err = err
				} else {
					db.Close()
					p.OK = "SQLite, readable, " + p.OK
				}
			}
		}
		return p
	}
	p := StackPart{Role: "metadata", Where: RedactDSN(b.DB), From: b.DBFrom}
	open := metadataOpener()
	if open == nil {
		p.Err = errors.New(teamstackHint)
		return p
	}
	m, err := open(ctx, b.DB, true)
	if err != nil {
		p.Err = err
		return p
	}
	defer m.Close()
	if c, ok := m.(StackChecker); ok {
		if p.Err = c.Check(ctx); p.Err != nil {
			return p
		}
	}
	p.OK = "PostgreSQL: connected, schema up to date, writable"
	return p
}

func (b Backends) checkArtifacts(ctx context.Context) StackPart {
	if b.Store == "" {
		p := StackPart{Role: "artifacts", Where: filepath.Join(b.Home, "blobs")}
		p.OK, p.Err = checkLocalDir(b.Home, "blobs")
		return p
	}
	p := StackPart{Role: "artifacts", Where: RedactURL(b.Store), From: b.StoreFrom}
	open := blobOpener()
	if open == nil {
		p.Err = errors.New(teamstackHint)
		return p
	}
	s, closer, err := open(ctx, b.Store)
	if err != nil {
		p.Err = err
		return p
	}
	defer closer.Close()
	if c, ok := s.(StackChecker); ok {
		if p.Err = c.Check(ctx); p.Err != nil {
			return p
		}
	}
	p.OK = "wrote, read back and deleted an object"
	return p
}

// checkLocalDir says whether home/name can be written, or created by the
// first run.
func checkLocalDir(home, name string) (string, error) {
	path := filepath.Join(home, name)
	if _, err := os.Stat(path); err == nil {
		if !Writable(path) || !Writable(home) {
			return "", fmt.Errorf("%s is read-only: the commands that only read work, run does not", path)
		}
		return "writable", nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	// Not there yet: the nearest existing parent must let run create it.
	for dir := home; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(dir); err == nil {
			if !Writable(dir) {
				return "", fmt.Errorf("%s does not exist and %s is read-only, so run cannot create it", path, dir)
			}
			return "not created yet; the first run creates it", nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("%s: no parent directory exists", path)
		}
	}
}

// RedactURL returns a URL without credentials, for messages.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(a URL that does not parse)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return u.String()
}

var keywordPassword = regexp.MustCompile(`(^|\s)password\s*=\s*('[^']*'|\S*)`)

// RedactDSN returns a PostgreSQL DSN, in URL or keyword form, without its
// password.
func RedactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		if q.Has("password") {
			q.Set("password", "REDACTED")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return keywordPassword.ReplaceAllString(dsn, "${1}password=REDACTED")
}
