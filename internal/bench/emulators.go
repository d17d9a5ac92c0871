package bench

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/generate"
)

// emulators are both emulators of a run, each on its own loopback port.
type emulators struct {
	salesforce    *sfemu.Emulator
	hubspot       *hsemu.Emulator
	salesforceURL string
	hubspotURL    string
	closers       []func()
}

// startEmulators fills both emulators with ds and serves them on
// 127.0.0.1, each request delayed by latency.
func startEmulators(ds *generate.Dataset, now func() time.Time, latency time.Duration) (*emulators, error) {
	quiet := slog.New(slog.DiscardHandler)
	e := &emulators{}
	sf, err := sfemu.New(ds.SalesforceSeed(), sfemu.Options{Now: now, Logger: quiet})
	if err != nil {
		return nil, fmt.Errorf("start Salesforce emulator: %w", err)
	}
	e.salesforce = sf
	if e.salesforceURL, err = e.serve(delay(sf, latency)); err != nil {
		e.Close()
		return nil, fmt.Errorf("serve Salesforce emulator: %w", err)
	}

	hs, err := hsemu.New(ds.HubSpotSeed(), hsemu.Options{Now: now, Logger: quiet})
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("start HubSpot emulator: %w", err)
	}
	e.closers = append(e.closers, hs.Close)
	e.hubspot = hs
	if e.hubspotURL, err = e.serve(delay(hs.Handler(), latency)); err != nil {
		e.Close()
		return nil, fmt.Errorf("serve HubSpot emulator: %w", err)
	}
	return e, nil
}

// calls returns the API calls each emulator has served since it started.
func (e *emulators) calls() (hubspot, salesforce int64) {
	return e.hubspot.Calls().Total, e.salesforce.TotalAPICalls()
}

func (e *emulators) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	e.closers = append(e.closers, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String(), nil
}

// Close stops the servers, then the emulators, in reverse order.
func (e *emulators) Close() {
	for i := len(e.closers) - 1; i >= 0; i-- {
		e.closers[i]()
	}
	e.closers = nil
}

// delay waits d before h serves each request, as a network round trip
// to a vendor would.
func delay(h http.Handler, d time.Duration) http.Handler {
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
		h.ServeHTTP(w, r)
	})
}
