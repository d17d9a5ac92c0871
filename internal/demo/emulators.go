package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/koppel-sync/koppel/internal/daemon"
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
)

// emulators are the two emulators of a demo, each served on its own
// loopback port.
type emulators struct {
	salesforce    *sfemu.Emulator
	hubspot       *hsemu.Emulator
	salesforceURL string
	hubspotURL    string

	// appSecret signs the HubSpot emulator's webhooks.
	appSecret string
}

// startEmulators starts both emulators with the dataset. When srv is set,
// the HubSpot emulator posts contact webhooks to it.
func (d *demo) startEmulators(srv *server) error {
	secret := make([]byte, 20)
	if _, err := rand.Read(secret); err != nil {
		return fmt.Errorf("create webhook secret: %w", err)
	}
	e := &emulators{appSecret: hex.EncodeToString(secret)}

	sf, err := sfemu.New(d.ds.SalesforceSeed(), sfemu.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("start Salesforce emulator: %w", err)
	}
	e.salesforce = sf
	if e.salesforceURL, err = d.serve(sf); err != nil {
		return fmt.Errorf("serve Salesforce emulator: %w", err)
	}

	seed := d.ds.HubSpotSeed()
	seed.Config.ClientSecret = e.appSecret
	if srv != nil {
		seed.Config.Webhook = hsemu.WebhookConfig{
			TargetURL: srv.url + daemon.WebhookPath,
			Subscriptions: []hsemu.WebhookSubscription{
				{EventType: "contact.creation"}, {EventType: "contact.propertyChange"},
			},
		}
	}
	hs, err := hsemu.New(seed, hsemu.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("start HubSpot emulator: %w", err)
	}
	d.cleanup = append(d.cleanup, hs.Close)
	e.hubspot = hs
	if e.hubspotURL, err = d.serve(hs.Handler()); err != nil {
		return fmt.Errorf("serve HubSpot emulator: %w", err)
	}

	d.emus = e
	d.p.println(d.opts.Progress, msgEmulators, map[string]any{"SalesforceURL": e.salesforceURL, "HubSpotURL": e.hubspotURL})
	return nil
}

// serve serves h on a free loopback port until the demo ends and returns
// its URL.
func (d *demo) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	d.cleanup = append(d.cleanup, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	return "http://" + ln.Addr().String(), nil
}
