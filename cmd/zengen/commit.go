package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
)

// A generate changes every output folder as rendered, or none of them:
// a failure halfway (a full disk, a read-only file, a name the file system
// refuses) must not leave a tree of which half is new. Writing has two
// phases. Staging writes every new content to a temporary file in the
// folder it goes to, creating folders as needed; most failures happen
// here, before any file of the tree changed. Committing then only renames:
// each old file gets a second name (a hard link, so that its own name is
// never missing) and the new one is renamed over it; an orphan is renamed
// away. Any failure undoes what was done, newest first, and removes what
// staging made; success removes the old files' second names. A file of a
// folder that staging made itself is written under its own name at once:
// nothing was there to keep, and removing the folder on failure leaves
// things as they were, so a fresh tree costs no rename per file.

// transaction is one generate's writes, undoable until it ends.
type transaction struct {
	created []string          // folders staging made, parents first
	made    map[string]bool   // the same folders, to look up
	staged  map[string]string // file on disk → its staged temporary file
	done    []undo            // applied changes, oldest first
}

// undo restores one applied change: the old file from its backup name,
// or, with no backup, removing a file that did not exist.
type undo struct {
	file, backup string
}

// commit writes every change of every plan, all or nothing.
func commit(plans [][]change) error {
	t := &transaction{staged: map[string]string{}, made: map[string]bool{}}
	if err := t.stage(plans); err != nil {
		return errors.Join(err, t.abort())
	}
	var created []change
	for _, changes := range plans {
		for _, c := range changes {
			if c.kind == missing {
				created = append(created, c)
				continue
			}
			if err := t.apply(c); err != nil {
				return errors.Join(err, t.abort())
			}
		}
	}
	if err := t.create(created); err != nil {
		return errors.Join(err, t.abort())
	}
	t.finish(plans)
	return nil
}

// create renames the staged files of new names into place. Each rename is
// one system call that no other change depends on, so a few run at once.
func (t *transaction) create(changes []change) error {
	errs := make([]error, len(changes))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(stageWriters, len(changes)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(changes); i = int(next.Add(1) - 1) {
				if tmp := t.staged[changes[i].file]; tmp != changes[i].file {
					errs[i] = os.Rename(tmp, changes[i].file)
				}
			}
		})
	}
	wg.Wait()
	for i, c := range changes {
		if errs[i] == nil {
			delete(t.staged, c.file)
			t.done = append(t.done, undo{file: c.file})
		}
	}
	return firstError(errs)
}

func (t *transaction) stage(plans [][]change) error {
	var writes []change
	for _, changes := range plans {
		for _, c := range changes {
			if c.kind == orphaned {
				continue
			}
			if err := t.mkdirAll(filepath.Dir(c.file)); err != nil {
				return err
			}
			writes = append(writes, c)
		}
	}
	// Creating files is system calls, most of a big tree's generate; a
	// few writers overlap them. The error is the first failure in order.
	tmps := make([]string, len(writes))
	errs := make([]error, len(writes))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(stageWriters, len(writes)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(writes); i = int(next.Add(1) - 1) {
				if c := writes[i]; c.kind == missing && t.made[filepath.Dir(c.file)] {
					tmps[i], errs[i] = c.file, writeNew(c.file, c.new)
				} else {
					tmps[i], errs[i] = writeTemp(c)
				}
			}
		})
	}
	wg.Wait()
	for i, c := range writes {
		if errs[i] == nil {
			t.staged[c.file] = tmps[i]
		}
	}
	return firstError(errs)
}

// stageWriters is how many files staging writes at once.
const stageWriters = 4

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// mkdirAll makes dir and its missing parents, remembering each one.
func (t *transaction) mkdirAll(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || filepath.Dir(d) == d {
			break
		}
		missing = append(missing, d)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return err
		}
		t.created = append(t.created, missing[i])
		t.made[missing[i]] = true
	}
	return nil
}

// writeTemp writes c's new content to a new temporary file beside its
// file, with the permissions of the file it replaces if there is one.
func writeTemp(c change) (string, error) {
	mode := fs.FileMode(0o644)
	if c.kind != missing {
		if fi, err := os.Stat(c.file); err == nil {
			mode = fi.Mode().Perm()
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(c.file), ".zengen-new-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(c.new)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// writeNew writes content to file, which must not exist yet.
func writeNew(file string, content []byte) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	if err == nil {
		// The same permissions as a staged file gets, whatever the umask.
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
	}
	return err
}

func (t *transaction) apply(c change) error {
	if c.kind == orphaned {
		backup, err := backupName(c.file)
		if err != nil {
			return err
		}
		if err := os.Rename(c.file, backup); err != nil {
			return err
		}
		t.done = append(t.done, undo{file: c.file, backup: backup})
		return nil
	}
	tmp := t.staged[c.file]
	backup, err := backupName(c.file)
	if err != nil {
		return err
	}
	linked := os.Link(c.file, backup) == nil
	if !linked {
		// File systems without hard links: the name is missing for the
		// moment between two renames.
		if err := os.Rename(c.file, backup); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, c.file); err != nil {
		if linked {
			os.Remove(backup)
		} else if rerr := os.Rename(backup, c.file); rerr != nil {
			return errors.Join(err, restoreError(c.file, backup, rerr))
		}
		return err
	}
	delete(t.staged, c.file)
	t.done = append(t.done, undo{file: c.file, backup: backup})
	return nil
}

// backupName is a free name beside file for its old version.
func backupName(file string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(file), ".zengen-old-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	return name, os.Remove(name)
}

// abort undoes the applied changes, newest first, and removes what staging
// made. Its error names any file it could not put back.
func (t *transaction) abort() error {
	var errs []error
	for i := len(t.done) - 1; i >= 0; i-- {
		u := t.done[i]
		if u.backup == "" {
			if err := os.Remove(u.file); err != nil {
				errs = append(errs, fmt.Errorf("could not remove %s again: %w", u.file, err))
			}
		} else if err := os.Rename(u.backup, u.file); err != nil {
			errs = append(errs, restoreError(u.file, u.backup, err))
		}
	}
	for _, tmp := range t.staged {
		os.Remove(tmp)
	}
	for i := len(t.created) - 1; i >= 0; i-- {
		os.Remove(t.created[i])
	}
	return errors.Join(errs...)
}

func restoreError(file, backup string, err error) error {
	return fmt.Errorf("could not restore %s (its old content is in %s): %w", file, backup, err)
}

// finish drops the old versions and the folders that orphans emptied.
func (t *transaction) finish(plans [][]change) {
	for _, u := range t.done {
		if u.backup != "" {
			os.Remove(u.backup)
		}
	}
	for _, changes := range plans {
		for _, c := range changes {
			if c.kind == orphaned {
				removeEmptyParents(filepath.Dir(c.file), c.root)
			}
		}
	}
}

// removeEmptyParents removes dir and its parents up to, not including,
// root while they are empty (a cmd/NAME folder of a renamed pipeline).
func removeEmptyParents(dir, root string) {
	for dir != root && strings.HasPrefix(dir, root+string(filepath.Separator)) {
		if os.Remove(dir) != nil {
			return
		}
		dir = filepath.Dir(dir)
	}
}
