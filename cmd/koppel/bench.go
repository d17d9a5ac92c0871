package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/koppel-sync/koppel/internal/bench"
)

func init() {
	registerCommand(command{
		Name:    "bench",
		Summary: "measure sync speed, API calls and memory against both emulators (bench [--people N] [--changes M] [--latency D] [--pacing] [--store URL] [--json])",
		Run:     runBench,
	})
}

// errNotConverged makes main exit 1 after a report that shows the run
// did not converge.
var errNotConverged = errors.New("the run did not converge; the report lists the mismatches")

// runBench measures one run and prints its report. It exits 0 only when
// both sides agree at the end.
func runBench(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	people := fs.Int("people", bench.DefaultPeople, "number of people to generate, from 1 to "+strconv.Itoa(bench.MaxPeople))
	changes := fs.Int("changes", bench.DefaultChanges, "number of edits before the incremental cycle, half in HubSpot and half in Salesforce")
	seed := fs.Uint64("seed", 0, "seed of the generated data and of the edits; the same seed gives the same run")
	latency := fs.String("latency", "0s", "delay added to every emulator request, such as 50ms, up to "+bench.MaxLatency.String())
	storeFlag := fs.String("store", "sqlite", "store: sqlite (a file in a temporary directory) or a postgres:// URL of an empty database")
	pacing := fs.Bool("pacing", false, "keep HubSpot's default client limits of 100 calls per 10 seconds and 5 searches per second, as koppel serve does")
	defects := fs.Bool("defects", false, "keep the records the generator makes bad on purpose; by default they are removed")
	jsonOut := fs.Bool("json", g.JSON, "print the report as JSON")
	lang := fs.String("lang", g.Lang, "language of the table and progress lines: en or nl")
	verbose := fs.Bool("verbose", false, "log the engine at debug level on stderr")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; run koppel bench --help for the flags", fs.Arg(0))}
	}
	if *lang != "en" && *lang != "nl" {
		return &usageError{fmt.Sprintf("invalid --lang value %q: use en or nl", *lang)}
	}

	d, err := time.ParseDuration(*latency)
	if err != nil {
		return &usageError{fmt.Sprintf("invalid --latency value %q: use a duration such as 50ms or 0s", *latency)}
	}
	storeURL, err := bench.ParseStore(*storeFlag)
	if err != nil {
		return &usageError{err.Error()}
	}
	opts := bench.Options{
		People: *people, Changes: *changes, Seed: *seed, Latency: d, StoreURL: storeURL, Pacing: *pacing, Defects: *defects,
		Progress: func(m bench.Message) { fmt.Fprintln(stderr, m.Text(*lang)) },
	}
	if err := opts.Validate(); err != nil {
		return &usageError{err.Error()}
	}

	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	rep, err := bench.Run(ctx, opts, logger)
	if err != nil {
		return fmt.Errorf("run benchmark: %w", err)
	}
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	} else {
		rep.Print(stdout, *lang)
	}
	if !rep.Converged {
		return errNotConverged
	}
	return nil
}
