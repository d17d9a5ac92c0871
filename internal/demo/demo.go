package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/daemon"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/metrics"
)

// Defaults of Options.
const (
	DefaultListen    = "127.0.0.1:8080"
	DefaultInterval  = 5 * time.Second
	DefaultEditEvery = 2 * time.Second
	DefaultMaxCycles = 20
)

// ConnectionName is the name of the demo's connection.
const ConnectionName = "demo"

// Options configure Run. Zero values take the defaults.
type Options struct {
	// People is the number of people to generate. Default
	// generate.DefaultPeople.
	People int

	// Seed selects the generated data.
	Seed uint64

	// Once stops at the first cycle that has nothing left to write and
	// returns the summary, without live sync or HTTP server.
	Once bool

	// Listen is the loopback address of the HTTP server of the live
	// phase: health, metrics, the HubSpot webhook and the web UI. Default
	// DefaultListen.
	Listen string

	// Lang is "en" or "nl" for messages to people. Default "en".
	Lang string

	// Interval is the time between live sync cycles. Default
	// DefaultInterval.
	Interval time.Duration

	// EditEvery is the time between two edits of the background actor.
	// Default DefaultEditEvery.
	EditEvery time.Duration

	// MaxCycles bounds the cycles to reach the first quiet cycle. Default
	// DefaultMaxCycles.
	MaxCycles int

	// DataDir holds the demo's store and key. Default a new temporary
	// directory, removed when Run returns.
	DataDir string

	// Progress receives the lines meant for people while the demo runs.
	// Default io.Discard.
	Progress io.Writer

	// Logger receives the logs of the engine and the scheduler. Default
	// discards them.
	Logger *slog.Logger
}

// CheckPeople returns an error for a number of people the generator does
// not take.
func CheckPeople(n int) error {
	if n < 1 || n > generate.MaxPeople {
		return &Error{ID: msgErrPeople, Data: map[string]any{"Value": n, "Max": generate.MaxPeople}}
	}
	return nil
}

// IsUsage reports whether err is a demo error about a flag value.
func IsUsage(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.ID == msgErrPeople || e.ID == msgErrListen)
}

func (o *Options) withDefaults() error {
	if o.People == 0 {
		o.People = generate.DefaultPeople
	}
	if err := CheckPeople(o.People); err != nil {
		return err
	}
	if o.Listen == "" {
		o.Listen = DefaultListen
	}
	if err := checkLoopback(o.Listen); err != nil {
		return &Error{ID: msgErrListen, Data: map[string]any{"Value": o.Listen}, Err: err}
	}
	if o.Lang == "" {
		o.Lang = "en"
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.EditEvery <= 0 {
		o.EditEvery = DefaultEditEvery
	}
	if o.MaxCycles <= 0 {
		o.MaxCycles = DefaultMaxCycles
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// checkLoopback returns an error unless addr is HOST:PORT with a loopback
// host.
func checkLoopback(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("host %q is not a loopback address", host)
	}
	return nil
}

// demo is one run of the demo.
type demo struct {
	opts Options
	p    *printer
	log  *slog.Logger

	ds      *generate.Dataset
	emus    *emulators
	conn    *connection.Connection
	dconn   daemon.Connection
	engine  *engine.Engine
	metrics *metrics.Metrics

	started   time.Time
	generated time.Duration
	stats     stats

	// reports carries the live phase's cycles from the scheduler to the
	// goroutine that records them.
	reports chan daemon.Report

	cleanup []func()
}

// Run runs the demo until it reached a quiet cycle (Options.Once) or ctx
// ends, and returns its summary. An error means the demo itself failed;
// parked records are part of a successful run.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if err := opts.withDefaults(); err != nil {
		return nil, err
	}
	d := &demo{opts: opts, p: newPrinter(opts.Lang), log: opts.Logger, metrics: metrics.New(), started: time.Now()}
	defer d.close()

	d.p.println(opts.Progress, msgGenerating, map[string]any{"People": opts.People, "Seed": opts.Seed})
	ds, err := generate.Generate(generate.Options{People: opts.People, Seed: opts.Seed})
	if err != nil {
		return nil, fmt.Errorf("generate data: %w", err)
	}
	d.ds = ds
	d.generated = time.Since(d.started)

	// The live phase's server must exist before the HubSpot emulator,
	// which posts its webhooks to it.
	var srv *server
	if !opts.Once {
		if srv, err = d.listen(); err != nil {
			return nil, err
		}
	}
	if err := d.startEmulators(srv); err != nil {
		return nil, err
	}
	if err := d.connect(ctx); err != nil {
		return nil, err
	}

	// The scheduler exists before the first cycle, so webhooks that
	// arrive while the data is imported are merged into one trigger.
	var dm *daemon.Daemon
	if srv != nil {
		if dm, err = d.newDaemon(); err != nil {
			return nil, err
		}
		if err := d.serveLive(ctx, srv, dm); err != nil {
			return nil, err
		}
	}

	d.p.println(opts.Progress, msgImport, nil)
	converged, err := d.converge(ctx)
	if err != nil {
		return nil, err
	}
	if !converged && ctx.Err() == nil {
		return d.summary(context.WithoutCancel(ctx), false), &Error{ID: msgErrNotConverged, Data: map[string]any{"Cycles": opts.MaxCycles}}
	}
	if opts.Once || ctx.Err() != nil {
		return d.summary(context.WithoutCancel(ctx), converged), nil
	}

	if err := d.live(ctx, dm); err != nil {
		return nil, err
	}
	return d.summary(context.WithoutCancel(ctx), converged), nil
}

func (d *demo) close() {
	for i := len(d.cleanup) - 1; i >= 0; i-- {
		d.cleanup[i]()
	}
}

// dataDir returns the demo's data directory, creating a temporary one
// when none was given.
func (d *demo) dataDir() (string, error) {
	if d.opts.DataDir != "" {
		return d.opts.DataDir, nil
	}
	dir, err := os.MkdirTemp("", "koppel-demo-")
	if err != nil {
		return "", fmt.Errorf("create data directory: %w", err)
	}
	d.cleanup = append(d.cleanup, func() { os.RemoveAll(dir) })
	return dir, nil
}

// converge runs cycles until one writes nothing, at most MaxCycles. It
// reports whether a quiet cycle was reached.
func (d *demo) converge(ctx context.Context) (bool, error) {
	for i := 1; i <= d.opts.MaxCycles; i++ {
		start := time.Now()
		res, err := d.engine.SyncOnce(ctx)
		trigger := triggerCatchUp
		if i == 1 {
			trigger = triggerImport
		}
		rep := daemon.Report{Connection: ConnectionName, Trigger: trigger, Start: start, Duration: time.Since(start), Result: res, Err: err, Category: daemon.Category(err)}
		d.record(ctx, rep, true)
		if ctx.Err() != nil {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("sync cycle %d: %w", i, err)
		}
		if writes(res) == 0 {
			d.stats.convergedAfter = time.Since(d.started)
			d.p.println(d.opts.Progress, msgConverged, map[string]any{"Cycles": i, "Duration": d.stats.convergedAfter.Round(10 * time.Millisecond).String()})
			return true, nil
		}
	}
	return false, nil
}

// Triggers of the cycles before the live phase: the first imports, the
// later ones sync what the first one left, until nothing is left.
const (
	triggerImport  daemon.Trigger = "import"
	triggerCatchUp daemon.Trigger = "catch_up"
)

// writes returns the records a cycle created, linked or updated. Parked
// records do not count: a record parked for a person to fix stays parked
// however often the cycle runs.
func writes(r engine.Result) int64 {
	c := r.Counts
	return c["created"] + c["linked"] + c["relinked"] + c["updated_hubspot"] + c["updated_salesforce"]
}
