package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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

	logger := emulatorLogger(stderr, *verbose, "hubspot")
	emu, err := hsemu.New(seed, hsemu.Options{Logger: logger, StatePath: *statePath})
	if err != nil {
		return fmt.Errorf("start hubspot emulator: %w", err)
	}
	defer emu.Close()

	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 10 * time.Second}
	started := func(addr net.Addr) {
		logger.Info("hubspot emulator started", "address", addr.String(), "portal_id", emu.PortalID())
	}
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
	return serveEmulator(ctx, *listen, srv, stdout, logger, started, save)
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
