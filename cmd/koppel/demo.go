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

	"github.com/koppel-sync/koppel/internal/demo"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/i18n"
)

func init() {
	registerCommand(command{
		Name:    "demo",
		Summary: "run both emulators with generated data and sync them live (demo [--once] [--people N] [--seed S] [--listen ADDR])",
		Run:     runDemo,
	})
}

// runDemo runs the demo until SIGINT or SIGTERM, or with --once until the
// sync has nothing left to write, and prints the summary.
func runDemo(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	people := fs.Int("people", generate.DefaultPeople, "number of people to generate, from 1 to "+strconv.Itoa(generate.MaxPeople))
	seed := fs.Uint64("seed", 0, "seed of the generated data; the same seed gives the same data")
	listen := fs.String("listen", demo.DefaultListen, "loopback address of the web UI, /healthz, /metrics and the webhook endpoint in the live phase")
	once := fs.Bool("once", false, "stop when the sync has nothing left to write and print the summary")
	verbose := fs.Bool("verbose", false, "log the engine and the scheduler at debug level on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; flags are --people, --seed, --listen, --once, --verbose", fs.Arg(0))}
	}

	if err := demo.CheckPeople(*people); err != nil {
		return &usageError{localizeDemo(err, g.Lang)}
	}

	// The summary alone goes to stdout with --json, so it stays parseable.
	progress := stdout
	if g.JSON {
		progress = stderr
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	summary, err := demo.Run(ctx, demo.Options{
		People: *people, Seed: *seed, Listen: *listen, Once: *once, Lang: g.Lang,
		Progress: progress, Logger: logger,
	})
	if summary != nil {
		if g.JSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if jerr := enc.Encode(summary); jerr != nil {
				return fmt.Errorf("write summary: %w", jerr)
			}
		} else {
			summary.Print(stdout, g.Lang)
		}
	}

	switch {
	case err == nil:
		return nil
	case demo.IsUsage(err):
		return &usageError{localizeDemo(err, g.Lang)}
	}
	return errors.New(localizeDemo(err, g.Lang))
}

// localizeDemo returns err's message in lang when it is a demo or i18n
// error, else err.Error().
func localizeDemo(err error, lang string) string {
	var de *demo.Error
	if errors.As(err, &de) {
		return de.Localize(lang)
	}
	return i18n.New(lang).Localize(err)
}
