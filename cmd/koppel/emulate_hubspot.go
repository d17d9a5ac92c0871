package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/koppel-sync/koppel/internal/emulator/loopback"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
)

func init() {
	emulators["hubspot"] = runEmulateHubSpot
}

// runEmulateHubSpot serves the HubSpot emulator until ctx is cancelled
// (SIGINT or SIGTERM), then saves --state if set.
func runEmulateHubSpot(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("emulate hubspot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "loopback address to listen on; port 0 picks a free port")
	seedPath := fs.String("seed", "", "seed file (JSON) with config, properties, records, owners, lists and opt-outs")
	statePath := fs.String("state", "", "state file: loaded at start when it exists (instead of --seed), saved at shutdown and by POST /_emulator/save")
	webhook := fs.String("webhook-url", "", "loopback URL to post signed webhook batches to; overrides config.webhook.targetUrl")
	verbose := fs.Bool("verbose", false, "log every emulator event at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; flags are --listen, --seed, --state, --webhook-url, --verbose", fs.Arg(0))}
	}

	if err := loopback.CheckListenAddress(*listen); err != nil {
		return &usageError{"invalid --listen: " + err.Error()}
	}

	seed, err := loadHubSpotSeed(*seedPath, *statePath)
	if err != nil {
		return err
	}
	if *webhook != "" {
		if err := hsemu.CheckWebhookTarget(*webhook); err != nil {
			return &usageError{"invalid --webhook-url: " + err.Error()}
		}
		seed.Config.Webhook.TargetURL = *webhook
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("emulator", "hubspot")
	emu, err := hsemu.New(seed, hsemu.Options{Logger: logger, StatePath: *statePath})
	if err != nil {
		return fmt.Errorf("start hubspot emulator: %w", err)
	}
	defer emu.Close()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	logger.Info("hubspot emulator started", "address", ln.Addr().String(), "portal_id", emu.PortalID())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve hubspot emulator: %w", err)
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("hubspot emulator shutdown timed out", "error", err)
	}
	if *statePath != "" {
		if err := emu.SaveState(*statePath); err != nil {
			return err
		}
		logger.Info("hubspot emulator state saved", "path", *statePath)
	}
	logger.Info("hubspot emulator stopped")
	return nil
}

// loadHubSpotSeed reads the state file when it exists, else the seed file,
// else starts empty.
func loadHubSpotSeed(seedPath, statePath string) (*hsemu.Seed, error) {
	if statePath != "" {
		if _, err := os.Stat(statePath); err == nil {
			return hsemu.LoadSeed(statePath)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("read state: %w", err)
		}
	}
	if seedPath != "" {
		return hsemu.LoadSeed(seedPath)
	}
	return &hsemu.Seed{}, nil
}
