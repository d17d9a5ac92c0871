package daemon

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// openEmulated stores a connection to emulators over httptest, as koppel
// connect would, and opens it.
func openEmulated(t *testing.T) *connection.Connection {
	t.Helper()
	ctx := context.Background()
	ds, err := generate.Generate(generate.Options{People: 30, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	sf, err := sfemu.New(ds.SalesforceSeed(), sfemu.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sfSrv := httptest.NewServer(sf)
	t.Cleanup(sfSrv.Close)
	hs, err := hsemu.New(ds.HubSpotSeed(), hsemu.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hs.Close)
	hsSrv := httptest.NewServer(hs.Handler())
	t.Cleanup(hsSrv.Close)

	dir := filepath.Join(t.TempDir(), "data")
	noEnv := func(string) string { return "" }
	st, err := connection.OpenStore(ctx, dir, noEnv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	box, err := secret.OpenWithEnv(dir, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	creds := ds.Credentials()
	sfCreds := connection.SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: sfSrv.URL,
		ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret}
	if _, _, err := connection.SaveCredentials(ctx, st, box, "acme", store.Salesforce, sfCreds, ""); err != nil {
		t.Fatal(err)
	}
	hsCreds := connection.HubSpotCredentials{BaseURL: hsSrv.URL, AccessToken: creds.HubSpotToken}
	if _, _, err := connection.SaveCredentials(ctx, st, box, "acme", store.HubSpot, hsCreds, "4000001"); err != nil {
		t.Fatal(err)
	}

	c, err := connection.OpenWith(ctx, dir, "acme", connection.Options{Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestConnectionReloadsChangedSettings(t *testing.T) {
	ctx := context.Background()
	c := openEmulated(t)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))

	conn, _, err := FromConnection(ctx, c, logger, "")
	if err != nil {
		t.Fatalf("FromConnection: %v", err)
	}
	if conn.Interval != 30*time.Second {
		t.Errorf("interval %s, want the default 30s", conn.Interval)
	}
	if conn.PortalID != "4000001" {
		t.Errorf("portal id %q, want 4000001", conn.PortalID)
	}
	if _, err := conn.Syncer.SyncOnce(ctx); err != nil {
		t.Fatalf("first cycle: %v", err)
	}

	rec, err := c.Store.GetConnection(ctx, c.Record.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Settings
	s.Interval = settings.Duration(45 * time.Second)
	if _, err := connection.Apply(ctx, c.Store, rec, s, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Syncer.SyncOnce(ctx); err != nil {
		t.Fatalf("cycle after the change: %v", err)
	}

	iv := conn.Syncer.(interface{ Interval() time.Duration }).Interval()
	if iv != 45*time.Second {
		t.Errorf("interval after the change %s, want 45s", iv)
	}
	if !strings.Contains(logs.String(), "settings changed, engine rebuilt") {
		t.Errorf("no log line for the rebuild:\n%s", logs)
	}
	if strings.Count(logs.String(), "engine rebuilt") != 1 {
		t.Error("the engine was rebuilt more than once for one change")
	}
}

func TestConnectionReportsOpenErrors(t *testing.T) {
	ctx := context.Background()
	c := openEmulated(t)
	conn, _, err := FromConnection(ctx, c, slog.New(slog.DiscardHandler), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Syncer.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	want, err := c.Store.CountErrorsByCategory(ctx, c.Record.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := conn.OpenErrors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for cat, n := range want {
		if got[string(cat)] != n {
			t.Errorf("%s: %d open errors reported, store has %d", cat, got[string(cat)], n)
		}
	}
	if hs, sf := conn.Budget(); hs < 0 && sf < 0 {
		t.Errorf("budget unknown on both sides after a cycle (hubspot %d, salesforce %d)", hs, sf)
	}
}
