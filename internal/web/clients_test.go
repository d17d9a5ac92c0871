package web

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/store"
)

func TestClientsFromDataDir(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}

	hs, err := hsemu.New(browserSeed(), hsemu.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hs.Close)
	srv := httptest.NewServer(hs.Handler())
	t.Cleanup(srv.Close)

	st, err := connection.OpenStore(ctx, dir, getenv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.OpenWithEnv(dir, getenv)
	if err != nil {
		t.Fatal(err)
	}
	rec, _, err := connection.SaveCredentials(ctx, st, box, "acme", store.HubSpot, connection.HubSpotCredentials{BaseURL: srv.URL, AccessToken: "pat-na1-web"}, "4000001")
	if err != nil {
		t.Fatal(err)
	}
	sf := connection.SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: "http://127.0.0.1:1", ClientID: "3MVG9-web", ClientSecret: "sf-secret-web"}
	if _, _, err := connection.SaveCredentials(ctx, st, box, "acme", store.Salesforce, sf, "00DGk0000000001"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	clients := ClientsFromDataDir(dir, connection.Options{Getenv: getenv, Now: clock.Now})
	c, err := clients(ctx, rec)
	if err != nil {
		t.Fatalf("build clients: %v", err)
	}
	lists, err := c.HubSpot.SearchLists(ctx, "")
	if err != nil || len(lists) != 2 {
		t.Fatalf("the HubSpot client does not reach the emulator: %d lists, %v", len(lists), err)
	}
	again, err := clients(ctx, rec)
	if err != nil || again.HubSpot != c.HubSpot {
		t.Errorf("second call within the TTL built new clients (%v)", err)
	}
	clock.Advance(clientsTTL + time.Second)
	later, err := clients(ctx, rec)
	if err != nil || later.HubSpot == c.HubSpot {
		t.Errorf("call after the TTL reused the old clients (%v)", err)
	}

	if _, err := clients(ctx, store.Connection{Name: "missing"}); err == nil {
		t.Error("a connection without credentials built clients")
	}
}
