package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// emulatorLogger logs to stderr at INFO, or DEBUG with --verbose, with the
// emulator's name on every line.
func emulatorLogger(stderr io.Writer, verbose bool, name string) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("emulator", name)
}

// serveEmulator listens on listen, prints the address as the first line of
// stdout (tests in another process read it), and serves srv until ctx ends.
// It then shuts srv down and runs save, when not nil, so the emulator's
// state survives a restart.
func serveEmulator(ctx context.Context, listen string, srv *http.Server, stdout io.Writer, logger *slog.Logger, started func(net.Addr), save func() error) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	if started != nil {
		started(ln.Addr())
	}

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	select {
	case err := <-done:
		return fmt.Errorf("serve emulator: %w", err)
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("emulator shutdown timed out", "error", err)
	}

	if save != nil {
		if err := save(); err != nil {
			return err
		}
	}
	logger.Info("emulator stopped")
	return nil
}
