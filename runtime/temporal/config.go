package temporal

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/pflag"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/zengen-dev/zengen/runtime/internal/pipeline"
)

// scheme names the runs of this orchestrator in meta.Run.Orchestrator:
// temporal://HOST:PORT/NAMESPACE.
const scheme = "temporal"

// workflowVersion changes when the workflow's code changes in a way a
// replay would notice; it is part of the default task queue, so a worker
// never picks up a run another version started.
const workflowVersion = "w2"

// connection is where the Temporal server is and which queue the
// pipeline's steps take.
type connection struct {
	hostPort, namespace, taskQueue string
}

// connectionFlags defines --temporal, --namespace and --task-queue.
func connectionFlags(fs *pflag.FlagSet, c *connection) {
	fs.StringVar(&c.hostPort, "temporal", "", "the Temporal server's frontend `HOST:PORT` (default $ZEN_TEMPORAL, else 127.0.0.1:7233)")
	fs.StringVar(&c.namespace, "namespace", "", "the Temporal `NAMESPACE` (default $ZEN_NAMESPACE, else default)")
	fs.StringVar(&c.taskQueue, "task-queue", "", "the task `QUEUE` of this pipeline's steps (default: the pipeline's name and code version)")
}

// resolved fills in what the flags left to the environment.
func (c connection) resolved() connection {
	c.hostPort = firstSet(c.hostPort, os.Getenv("ZEN_TEMPORAL"), "127.0.0.1:7233")
	c.namespace = firstSet(c.namespace, os.Getenv("ZEN_NAMESPACE"), "default")
	return c
}

func firstSet(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// queue is the task queue: --task-queue, else one named after the
// pipeline and its code version, so that a worker of another version of
// the notebook (or of zengen's workflow) never takes its tasks.
func (c connection) queue(p *pipeline.Pipeline) string {
	if c.taskQueue != "" {
		return c.taskQueue
	}
	return DefaultTaskQueue(p)
}

// DefaultTaskQueue is zen-PIPELINE-VERSION, where VERSION hashes the code
// hash of every step and the workflow's version.
func DefaultTaskQueue(p *pipeline.Pipeline) string {
	h := sha256.New()
	io.WriteString(h, workflowVersion+"\n")
	for _, s := range p.Steps {
		fmt.Fprintf(h, "%s %s\n", s.Name, s.CodeHash)
	}
	return "zen-" + unsafeQueueChars.ReplaceAllString(p.Name, "_") + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

var unsafeQueueChars = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// orchestratorURL is what a run records of where it lives.
func (c connection) orchestratorURL() string {
	return scheme + "://" + c.hostPort + "/" + url.PathEscape(c.namespace)
}

// parseOrchestrator reads a run's orchestrator back.
func parseOrchestrator(s string) (connection, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != scheme || u.Host == "" {
		return connection{}, fmt.Errorf("not a Temporal run: %q", s)
	}
	ns, err := url.PathUnescape(strings.TrimPrefix(u.Path, "/"))
	if err != nil || ns == "" {
		return connection{}, fmt.Errorf("not a Temporal run: %q", s)
	}
	return connection{hostPort: u.Host, namespace: ns}, nil
}

// dial connects to the server.
func (c connection) dial() (client.Client, error) {
	cl, err := client.Dial(client.Options{HostPort: c.hostPort, Namespace: c.namespace, Logger: quietLogger()})
	if err != nil {
		return nil, fmt.Errorf("temporal server at %s (--temporal, $ZEN_TEMPORAL): %w", c.hostPort, err)
	}
	return cl, nil
}

// quietLogger keeps the SDK's warnings and errors, on stderr; its chatter
// would drown a run's progress.
func quietLogger() log.Logger {
	return log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}
