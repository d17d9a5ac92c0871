package demo

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/koppel-sync/koppel/internal/daemon"
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
		return nil, fmt.Errorf("listen on %s: %w", d.opts.Listen, err)
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

// newDaemon returns the scheduler of the live phase, reporting each cycle
// to the demo's progress.
func (d *demo) newDaemon(ctx context.Context) (*daemon.Daemon, error) {
	conn := d.dconn
	conn.Interval = d.opts.Interval
	reports := make(chan daemon.Report, 16)
	dm, err := daemon.New(daemon.Config{
		Connections: []daemon.Connection{conn},
		Logger:      d.log,
		Metrics:     d.metrics,
		OnCycle: func(r daemon.Report) {
			select {
			case reports <- r:
			case <-ctx.Done():
			}
		},
	})
	if err != nil {
		return nil, err
	}
	go func() {
		for {
			select {
			case r := <-reports:
				d.record(ctx, r, false)
			case <-ctx.Done():
				return
			}
		}
	}()
	return dm, nil
}

// serveLive serves health, metrics and the webhook endpoint of dm.
//
// TODO: mount the web UI (internal/web) and create a demo admin with a
// random password printed once, when that package is in the build.
func (d *demo) serveLive(srv *server, dm *daemon.Daemon) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", d.metrics.Handler())
	mux.Handle(daemon.WebhookPath, dm.WebhookHandler())
	srv.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.srv.Serve(srv.ln)

	d.p.println(d.opts.Progress, msgServing, map[string]any{"URL": srv.url})
	d.p.println(d.opts.Progress, msgNoWebUI, nil)
}

// live runs the scheduler and the background actor until ctx ends.
func (d *demo) live(ctx context.Context, dm *daemon.Daemon) error {
	d.p.println(d.opts.Progress, msgLive, map[string]any{"Interval": d.opts.Interval.String()})

	actorCtx, stopActor := context.WithCancel(ctx)
	defer stopActor()
	a := newActor(d)
	go a.run(actorCtx, d.opts.EditEvery)

	err := dm.Run(ctx)
	d.p.println(d.opts.Progress, msgStopping, nil)
	return err
}
