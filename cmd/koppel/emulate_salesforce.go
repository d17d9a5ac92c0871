package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/koppel-sync/koppel/internal/emulator/loopback"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
)

func init() {
	emulators["salesforce"] = runEmulateSalesforce
}

// runEmulateSalesforce serves the Salesforce emulator until ctx is
// cancelled (SIGINT or SIGTERM), then saves the state when --state is set.
func runEmulateSalesforce(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("emulate salesforce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "loopback address to listen on; port 0 picks a free port, printed on the first line of output")
	seedPath := fs.String("seed", "", "JSON seed file with config and records (see docs/emulator-salesforce.md)")
	statePath := fs.String("state", "", "state file: loaded at start when it exists, saved at shutdown and by POST /_emulator/save")
	verbose := fs.Bool("verbose", false, "log every request at debug level on stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{"unexpected argument " + quote(fs.Arg(0))}
	}
	if err := loopback.CheckListenAddress(*listen); err != nil {
		return &usageError{"invalid --listen: " + err.Error()}
	}

	logger := emulatorLogger(stderr, *verbose, "salesforce")

	seed := &sfemu.Seed{}
	if *seedPath != "" {
		s, err := sfemu.LoadSeedFile(*seedPath)
		if err != nil {
			return err
		}
		seed = s
	}
	emu, err := sfemu.New(seed, sfemu.Options{Logger: logger, StatePath: *statePath})
	if err != nil {
		return fmt.Errorf("start emulator: %w", err)
	}
	if *statePath != "" {
		switch err := emu.LoadState(*statePath); {
		case err == nil:
			logger.Info("state loaded", "path", *statePath)
		case errors.Is(err, os.ErrNotExist):
		default:
			return err
		}
	}

	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug)}
	var save func() error
	if *statePath != "" {
		save = func() error {
			if err := emu.SaveState(*statePath); err != nil {
				return err
			}
			logger.Info("state saved", "path", *statePath)
			return nil
		}
	}
	return serveEmulator(ctx, *listen, srv, stdout, logger, nil, save)
}
