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
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/daemon"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/metrics"
	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/web"
)

func init() {
	registerCommand(command{
		Name:    "serve",
		Summary: "run the sync daemon: a scheduler per connection, HubSpot webhooks, the web UI, /healthz and /metrics (serve [--listen ADDR])",
		Run:     runServe,
	})
}

// envHubSpotAppSecret holds the HubSpot app's client secret that signs
// webhooks, when --webhook-secret-file is not given.
const envHubSpotAppSecret = "KOPPEL_HS_APP_SECRET"

// serveOptions are the flags of koppel serve.
type serveOptions struct {
	listen        string
	logFormat     string
	logLevel      slog.Level
	shutdownGrace time.Duration
	webhookURL    string
	secretFile    string
}

func parseServeFlags(args []string, stderr io.Writer) (serveOptions, error) {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address of the web UI, /healthz, /metrics and "+daemon.WebhookPath+"; port 0 picks a free port, printed on the first line of output")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format on stderr: text or json")
	level := fs.String("log-level", "info", "lowest level logged: debug, info, warn or error")
	fs.DurationVar(&o.shutdownGrace, "shutdown-grace", daemon.DefaultShutdownGrace, "how long a sync cycle in progress may run after SIGTERM or SIGINT before it is cancelled")
	fs.StringVar(&o.webhookURL, "webhook-url", "", "public URL HubSpot posts webhooks to, when a proxy changes the host koppel sees; default the request's own URL")
	fs.StringVar(&o.secretFile, "webhook-secret-file", "", "file holding the HubSpot app's client secret that signs webhooks; else $"+envHubSpotAppSecret+"; without either, webhooks are rejected")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, &usageError{fmt.Sprintf("unexpected argument %q; see koppel serve -h", fs.Arg(0))}
	}

	if _, _, err := net.SplitHostPort(o.listen); err != nil {
		return o, &usageError{fmt.Sprintf("invalid --listen %q: %v; use HOST:PORT such as 127.0.0.1:8080", o.listen, err)}
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		return o, &usageError{fmt.Sprintf("invalid --log-format %q; use text or json", o.logFormat)}
	}
	if err := o.logLevel.UnmarshalText([]byte(*level)); err != nil {
		return o, &usageError{fmt.Sprintf("invalid --log-level %q; use debug, info, warn or error", *level)}
	}
	if o.shutdownGrace <= 0 {
		return o, &usageError{fmt.Sprintf("invalid --shutdown-grace %s; use a positive duration such as 10s", o.shutdownGrace)}
	}
	if o.webhookURL != "" && !strings.HasPrefix(o.webhookURL, "https://") && !strings.HasPrefix(o.webhookURL, "http://") {
		return o, &usageError{fmt.Sprintf("invalid --webhook-url %q; use the full URL set in the HubSpot app, such as https://koppel.example.nl%s", o.webhookURL, daemon.WebhookPath)}
	}
	return o, nil
}

// runServe runs the daemon until SIGTERM or SIGINT, then lets the cycles
// in progress finish (up to --shutdown-grace) and exits 0.
func runServe(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	o, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := newServeLogger(stderr, o.logFormat, o.logLevel)

	secret, err := readWebhookSecret(o.secretFile)
	if err != nil {
		return err
	}
	if secret == "" {
		logger.Warn("no HubSpot app secret set, so webhooks are rejected and changes in HubSpot sync at the interval; set " + envHubSpotAppSecret + " or --webhook-secret-file")
	}

	opened, err := openConnections(ctx, g, logger, secret)
	if err != nil {
		return errors.New(i18n.New(g.Lang).Localize(err))
	}
	defer opened.close()

	m := metrics.New()
	d, err := daemon.New(daemon.Config{
		Connections: opened.scheduled, Logger: logger, Metrics: m,
		ShutdownGrace: o.shutdownGrace, WebhookURL: o.webhookURL,
	})
	if err != nil {
		return err
	}

	ui, uiStore, closeUI, err := newWebUI(ctx, g.DataDir, opened, d, logger)
	if err != nil {
		return err
	}
	defer closeUI()

	printer := i18n.New(g.Lang)
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return errors.New(printer.Localize(&i18n.Error{ID: i18n.ServeErrListenBusy, Data: i18n.Data{"Address": o.listen, "Detail": err.Error()}, Err: err}))
	}
	// The link is created only after listening succeeded, so a serve that
	// fails to start prints no link and leaves the last printed one working.
	setupPath, err := web.CreateSetupLink(ctx, uiStore, time.Now())
	if err != nil {
		ln.Close()
		return err
	}
	if host, _, _ := net.SplitHostPort(o.listen); !isLoopbackHost(host) {
		logger.Warn("listening beyond loopback; put a TLS proxy in front for webhooks from HubSpot", "address", ln.Addr().String())
	}
	srv := &http.Server{
		Handler:           serveMux(d, m, ui),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	if setupPath != "" {
		// The link is the only copy of the token, so it goes to stdout
		// once and never to the log.
		// TODO: print the public origin instead of the bound address
		// when --listen is 0.0.0.0 or [::], where this link cannot open.
		printer.Println(stdout, i18n.ServeSetupLink, i18n.Data{"URL": fmt.Sprintf("http://%s%s", ln.Addr(), setupPath), "Hours": int(web.SetupLinkLifetime.Hours())})
	}
	logger.Info("koppel serve started", "address", ln.Addr().String(), "connections", len(opened.scheduled), "data_dir", g.DataDir)

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	// The scheduler stops after the signal is logged, so the log reads in
	// order.
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRun()
	runDone := make(chan error, 1)
	go func() { runDone <- d.Run(runCtx) }()

	select {
	case err = <-serveErr:
		// The scheduler stops too when the server cannot serve.
		stopRun()
		<-runDone
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
		logger.Info("shutdown signal received, stopping")
		stopRun()
	}

	runErr := <-runDone
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Warn("HTTP server shutdown timed out", "error", err)
	}
	if runErr != nil {
		return runErr
	}
	logger.Info("koppel serve stopped")
	return nil
}

func newServeLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serveMux routes the daemon's endpoints, and every other path to the
// web UI.
func serveMux(d *daemon.Daemon, m *metrics.Metrics, ui http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/", ui)
	mux.Handle("GET "+daemon.HealthPath, d.HealthHandler())
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle(daemon.WebhookPath, d.WebhookHandler())
	return mux
}

// readWebhookSecret returns the HubSpot app secret from path, else from
// the environment, else "".
//
// TODO: read the secret from the connection's HubSpot credentials once
// they hold the app's client secret, so each connection has its own.
func readWebhookSecret(path string) (string, error) {
	if path == "" {
		return strings.TrimSpace(os.Getenv(envHubSpotAppSecret)), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", &usageError{fmt.Sprintf("invalid --webhook-secret-file: %v; give a readable file that contains the HubSpot app's client secret", err)}
	}
	s := strings.TrimSpace(string(data))
	if s == "" {
		return "", &usageError{fmt.Sprintf("invalid --webhook-secret-file %s: the file is empty; put the HubSpot app's client secret in it", path)}
	}
	return s, nil
}

// openedConnections are the connections koppel serve schedules.
type openedConnections struct {
	byName    map[string]*connection.Connection
	scheduled []daemon.Connection
}

func (o *openedConnections) close() {
	for _, c := range o.byName {
		c.Close()
	}
}

// openConnections opens every connection of the data directory. A
// connection that does not open is logged and left out; no connection at
// all is an error.
func openConnections(ctx context.Context, g *globalOptions, logger *slog.Logger, secret string) (*openedConnections, error) {
	dataDir := g.DataDir
	st, err := connection.OpenStore(ctx, dataDir, os.Getenv, store.Options{})
	if err != nil {
		return nil, err
	}
	recs, err := st.ListConnections(ctx)
	st.Close()
	if err != nil {
		return nil, fmt.Errorf("list connections: %w", err)
	}

	opened := &openedConnections{byName: map[string]*connection.Connection{}}
	var errs []error
	for _, rec := range recs {
		c, err := connection.OpenWith(ctx, dataDir, rec.Name, connection.Options{Logger: logger})
		if err != nil {
			logger.Error("connection not scheduled: open failed", "connection", rec.Name, "error", err)
			errs = append(errs, err)
			continue
		}
		dc, _, err := daemon.FromConnection(ctx, c, logger, secret)
		if err != nil {
			c.Close()
			logger.Error("connection not scheduled: build engine failed", "connection", rec.Name, "error", err)
			errs = append(errs, err)
			continue
		}
		opened.byName[rec.Name] = c
		opened.scheduled = append(opened.scheduled, dc)
	}
	if len(opened.scheduled) == 0 {
		if len(errs) > 0 {
			// The first error carries the message for people; the log
			// has every one.
			return nil, errs[0]
		}
		return nil, &i18n.Error{ID: i18n.ConnectionErrNotFound, Data: i18n.Data{"Connection": g.Connection, "DataDir": dataDir}}
	}
	return opened, nil
}

// newWebUI returns the web UI over its own handle on the store. "Sync
// now" in the UI starts a cycle of the scheduler instead of running one
// beside it, so a connection never runs two cycles at once. It also
// returns the UI's store, which stays open until the returned func runs.
func newWebUI(ctx context.Context, dataDir string, opened *openedConnections, d *daemon.Daemon, logger *slog.Logger) (http.Handler, store.Store, func(), error) {
	st, err := connection.OpenStore(ctx, dataDir, os.Getenv, store.Options{})
	if err != nil {
		return nil, nil, nil, err
	}
	ui, err := web.New(web.Config{
		Store:  st,
		Logger: logger.With("component", "web"),
		Clients: func(ctx context.Context, conn store.Connection) (web.Clients, error) {
			c, ok := opened.byName[conn.Name]
			if !ok {
				return web.Clients{}, fmt.Errorf("connection %q is not scheduled by this koppel serve; restart it after koppel connect", conn.Name)
			}
			return web.Clients{HubSpot: c.HubSpot, Salesforce: c.Salesforce}, nil
		},
		SyncNow: func(ctx context.Context, conn store.Connection) error {
			if !d.Trigger(conn.Name) {
				return fmt.Errorf("connection %q is not scheduled by this koppel serve; restart it after koppel connect", conn.Name)
			}
			return nil
		},
	})
	if err != nil {
		st.Close()
		return nil, nil, nil, fmt.Errorf("create web UI: %w", err)
	}
	return ui, st, func() { st.Close() }, nil
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
