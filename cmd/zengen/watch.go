package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/zengen-dev/zengen/parser"
)

const watchExamples = `  # Regenerate internal/churn whenever churn.ipynb is saved
  zengen watch churn.ipynb -o internal/churn

  # Several notebooks, with the flags generate would get
  zengen watch notebooks/a.ipynb notebooks/b.ipynb -o pipelines --split headings
`

// watchDebounce is how long the notebooks must stay quiet before watch
// regenerates: one save is often several events (write, chmod, or an
// editor's write-to-temp-then-rename), and Jupyter autosaves in bursts.
const watchDebounce = 200 * time.Millisecond

// runWatchCommand is the watch verb: it takes the same flags as generate,
// regenerates once, then again after every burst of saves, until SIGINT or
// SIGTERM.
func runWatchCommand(args []string, env *environment) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return watchUntil(args, env, ctx.Done())
}

// watchUntil is the watch verb until stop is closed.
func watchUntil(args []string, env *environment, stop <-chan struct{}) int {
	fs, _, ok, status := parseGenerateFlags(env, "watch", "NOTEBOOK… [-o DIR] [generate flags]", watchExamples, args)
	if !ok {
		return status
	}
	regenerate := func(stdout, stderr io.Writer) int {
		return runGenerate(args, &environment{stdin: env.stdin, stdout: stdout, stderr: stderr})
	}
	w := &watcher{
		notebooks:  fs.Args(),
		debounce:   watchDebounce,
		regenerate: regenerate,
		stdout:     env.stdout,
		stderr:     env.stderr,
		now:        time.Now,
	}
	return w.run(stop)
}

// watcher regenerates a set of notebooks whenever one of them is saved.
type watcher struct {
	notebooks []string // as the user named them, for messages
	debounce  time.Duration
	// regenerate regenerates every notebook once, printing what it changed
	// to stdout and positioned problems to stderr, and returns generate's
	// exit status.
	regenerate     func(stdout, stderr io.Writer) int
	stdout, stderr io.Writer
	now            func() time.Time
}

// run watches until stop is closed and returns the exit status: 0 after a
// stop, 1 when the notebooks cannot be watched at all. Problems in the
// notebooks never end it: the next save gets another try.
func (w *watcher) run(stop <-chan struct{}) int {
	// Editors save by writing a temporary file and renaming it over the
	// notebook, which replaces the file a watch on the notebook itself would
	// follow; so watch the folders and pick out the notebooks' names.
	byPath := make(map[string]string, len(w.notebooks))
	var dirs []string
	for _, nb := range w.notebooks {
		abs, err := filepath.Abs(nb)
		if err != nil {
			fmt.Fprintf(w.stderr, "zengen watch: %v\n", err)
			return exitFindings
		}
		byPath[abs] = nb
		if paired := parser.PairedPath(abs); paired != "" {
			// A percent script's parity expectations come from the
			// notebook jupytext pairs it with.
			byPath[paired] = nb
		}
		dirs = append(dirs, filepath.Dir(abs))
	}
	slices.Sort(dirs)
	dirs = slices.Compact(dirs)

	fw, err := fsnotify.NewWatcher()
	if err != nil {
		fmt.Fprintf(w.stderr, "zengen watch: %v\n", err)
		return exitFindings
	}
	defer fw.Close()
	for _, dir := range dirs {
		if err := fw.Add(dir); err != nil {
			fmt.Fprintf(w.stderr, "zengen watch: cannot watch %s: %v\n", dir, err)
			return exitFindings
		}
	}

	w.generate("")
	fmt.Fprintf(w.stdout, "watching %s for changes (Ctrl-C to stop)\n", strings.Join(w.notebooks, ", "))

	changed := map[string]bool{} // notebooks saved in the current burst, by path as given
	var quiet <-chan time.Time   // fires when the burst has been quiet for w.debounce
	for {
		select {
		case <-stop:
			return exitOK
		case ev, ok := <-fw.Events:
			if !ok {
				return exitOK
			}
			nb, ours := byPath[filepath.Clean(ev.Name)]
			// A bare chmod changes no content; atime and editor metadata
			// updates would otherwise regenerate for nothing.
			if !ours || ev.Op == fsnotify.Chmod {
				continue
			}
			changed[nb] = true
			quiet = time.After(w.debounce)
		case err, ok := <-fw.Errors:
			if !ok {
				return exitOK
			}
			fmt.Fprintf(w.stderr, "%s zengen watch: %v\n", w.clock(), err)
		case <-quiet:
			quiet = nil
			w.burstEnded(changed)
			clear(changed)
		}
	}
}

// burstEnded regenerates after the notebooks in changed were saved, unless
// one of the notebooks is gone: an editor may still be renaming it back, and
// the next event brings another try.
func (w *watcher) burstEnded(changed map[string]bool) {
	names := make([]string, 0, len(changed))
	for nb := range changed {
		names = append(names, nb)
	}
	slices.Sort(names)
	for _, nb := range w.notebooks {
		if _, err := os.Stat(nb); err != nil {
			fmt.Fprintf(w.stderr, "%s %s is gone; waiting for it to come back\n", w.clock(), nb)
			return
		}
	}
	w.generate(strings.Join(names, ", ") + " changed")
}

// generate runs one regeneration and reports how it went. why, when not
// empty, says what triggered it.
func (w *watcher) generate(why string) {
	if why != "" {
		fmt.Fprintf(w.stdout, "%s %s\n", w.clock(), why)
	}
	if status := w.regenerate(w.stdout, w.stderr); status != exitOK {
		fmt.Fprintf(w.stderr, "%s zengen watch: generate failed (exit status %d); fix the problems above and save again\n", w.clock(), status)
	}
}

func (w *watcher) clock() string { return w.now().Format(time.TimeOnly) }
