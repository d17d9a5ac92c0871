package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/koppel-sync/koppel/internal/daemon"
	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/web"
)

// server is the HTTP server of the live phase: health, metrics, the
// HubSpot webhook endpoint and, when this build has it, the web UI.
type server struct {
	ln  net.Listener
	url string
	srv *http.Server
}

// listen opens the live phase's listener, so the HubSpot emulator can be
// given the webhook URL before anything is served.
func (d *demo) listen() (*server, error) {
	ln, err := net.Listen("tcp", d.opts.Listen)
	if err != nil {
		return nil, &Error{ID: msgErrListenBusy, Data: map[string]any{"Value": d.opts.Listen}, Err: err}
	}
	s := &server{ln: ln, url: "http://" + ln.Addr().String()}
	d.cleanup = append(d.cleanup, func() {
		if s.srv == nil {
			ln.Close()
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.srv.Shutdown(ctx)
	})
	return s, nil
}

// newDaemon returns the scheduler of the live phase. Its cycles go to
// d.reports, which live drains into the demo's stats and progress.
func (d *demo) newDaemon() (*daemon.Daemon, error) {
	conn := d.dconn
	conn.Interval = d.opts.Interval
	d.reports = make(chan daemon.Report, 16)
	return daemon.New(daemon.Config{
		Connections: []daemon.Connection{conn},
		Logger:      d.log,
		Metrics:     d.metrics,
		OnCycle:     func(r daemon.Report) { d.reports <- r },
	})
}

// serveLive serves health, metrics, the webhook endpoint of dm and the
// web UI, and creates the demo's admin with a random password.
func (d *demo) serveLive(ctx context.Context, srv *server, dm *daemon.Daemon) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", d.metrics.Handler())
	mux.Handle(daemon.WebhookPath, dm.WebhookHandler())

	ui, err := web.New(web.Config{
		Store:  d.conn.Store,
		Logger: d.log.With("component", "web"),
		Clients: func(ctx context.Context, conn store.Connection) (web.Clients, error) {
			if conn.Name != ConnectionName {
				return web.Clients{}, fmt.Errorf("connection %q is not part of the demo", conn.Name)
			}
			return web.Clients{HubSpot: d.conn.HubSpot, Salesforce: d.conn.Salesforce}, nil
		},
		SyncNow: func(ctx context.Context, conn store.Connection) error {
			if !dm.Trigger(conn.Name) {
				return fmt.Errorf("connection %q is not part of the demo", conn.Name)
			}
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("create web UI: %w", err)
	}
	mux.Handle("/", ui)

	password, err := d.createAdmin(ctx)
	if err != nil {
		return err
	}

	srv.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.srv.Serve(srv.ln)

	d.p.println(d.opts.Progress, msgServing, map[string]any{"URL": srv.url})
	d.p.println(d.opts.Progress, msgAdmin, map[string]any{"URL": srv.url, "User": demoAdmin, "Password": password})
	return nil
}

// demoAdmin is the username of the web UI's admin in the demo.
const demoAdmin = "demo"

// createAdmin stores the demo's web UI admin with a new random password
// and returns the password, which is shown once and stored only hashed.
func (d *demo) createAdmin(ctx context.Context) (string, error) {
	raw := make([]byte, 12)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("create admin password: %w", err)
	}
	password := base64.RawURLEncoding.EncodeToString(raw)
	hash, err := web.HashPassword(password)
	if err != nil {
		return "", fmt.Errorf("hash admin password: %w", err)
	}
	if _, err := d.conn.Store.CreateUser(ctx, store.User{Username: demoAdmin, PasswordHash: hash}); err != nil {
		return "", fmt.Errorf("create admin %s: %w", demoAdmin, err)
	}
	return password, nil
}

// live runs the scheduler and the background actor until ctx ends.
func (d *demo) live(ctx context.Context, dm *daemon.Daemon) error {
	d.p.println(d.opts.Progress, msgLive, map[string]any{"Interval": d.opts.Interval.String()})

	actorCtx, stopActor := context.WithCancel(ctx)
	defer stopActor()
	a := newActor(d)
	go a.run(actorCtx, d.opts.EditEvery)

	// One goroutine records the cycles, and it has recorded the last one
	// before live returns, so the summary reads settled stats.
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		for r := range d.reports {
			d.record(ctx, r, false)
		}
	}()

	err := dm.Run(ctx)
	d.p.println(d.opts.Progress, msgStopping, nil)
	close(d.reports)
	<-recorded
	return err
}
