package connection

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// connectEmulators starts both emulators with a small generated dataset
// and returns their URLs and credentials.
func connectEmulators(t *testing.T) (sfURL, hsURL string, creds generate.EmulatorCredentials) {
	t.Helper()
	ds, err := generate.Generate(generate.Options{People: 10, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return generate.DefaultNow.Add(time.Hour) }
	sf, err := sfemu.New(ds.SalesforceSeed(), sfemu.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	sfSrv := httptest.NewServer(sf)
	t.Cleanup(sfSrv.Close)
	hs, err := hsemu.New(ds.HubSpotSeed(), hsemu.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hs.Close)
	hsSrv := httptest.NewServer(hs.Handler())
	t.Cleanup(hsSrv.Close)
	return sfSrv.URL, hsSrv.URL, ds.Credentials()
}

func TestConnectChecksBeforeStoring(t *testing.T) {
	sfURL, hsURL, creds := connectEmulators(t)
	f := setup(t)
	opts := ConnectOptions{Getenv: f.opts.Getenv}
	sf := SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: sfURL, ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret}
	hs := HubSpotCredentials{BaseURL: hsURL, AccessToken: creds.HubSpotToken}

	wrongSF := sf
	wrongSF.ClientSecret = "wrong-secret"
	wrongHS := hs
	wrongHS.AccessToken = "pat-na1-wrong"
	tests := []struct {
		name    string
		connect func() (Report, error)
		wantID  i18n.ID
	}{
		{"salesforce wrong secret", func() (Report, error) { return ConnectSalesforceWith(f.ctx, f.dir, "acme", wrongSF, opts) }, i18n.ConnectErrSalesforceAuth},
		{"hubspot wrong token", func() (Report, error) { return ConnectHubSpotWith(f.ctx, f.dir, "acme", wrongHS, opts) }, i18n.ConnectErrHubSpotAuth},
		{"salesforce unreachable", func() (Report, error) {
			down := sf
			down.LoginURL = "http://127.0.0.1:1"
			return ConnectSalesforceWith(f.ctx, f.dir, "acme", down, opts)
		}, i18n.ConnectErrUnreachable},
		{"hubspot unreachable", func() (Report, error) {
			down := hs
			down.BaseURL = "http://127.0.0.1:1"
			return ConnectHubSpotWith(f.ctx, f.dir, "acme", down, opts)
		}, i18n.ConnectErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			report, err := tt.connect()
			var ie *i18n.Error
			if !errors.As(err, &ie) || ie.ID != tt.wantID {
				t.Fatalf("error = %v, want message %s", err, tt.wantID)
			}
			if report.Saved || report.Salesforce != nil || report.HubSpot != nil {
				t.Errorf("report = %+v, want nothing checked or saved", report)
			}
			if _, err := os.Stat(filepath.Join(f.dir, DatabaseFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed check created the database: %v", err)
			}
		})
	}

	report, err := ConnectHubSpotWith(f.ctx, f.dir, "acme", hs, opts)
	if err != nil {
		t.Fatalf("connect HubSpot: %v", err)
	}
	if !report.Saved || !report.KeyCreated || report.HubSpot == nil || report.Setup != nil {
		t.Errorf("HubSpot report = %+v, want saved, key created, no setup before Salesforce", report)
	}

	report, err = ConnectSalesforceWith(f.ctx, f.dir, "acme", sf, opts)
	if err != nil {
		t.Fatalf("connect Salesforce: %v", err)
	}
	if !report.Saved || report.KeyCreated || report.Salesforce == nil || report.Setup == nil {
		t.Errorf("Salesforce report = %+v, want saved with the HubSpot setup", report)
	}
	if report.Salesforce.InstanceURL != sfURL {
		t.Errorf("instance = %q, want %q", report.Salesforce.InstanceURL, sfURL)
	}

	c, err := OpenWith(f.ctx, f.dir, "acme", f.opts)
	if err != nil {
		t.Fatalf("open the stored connection: %v", err)
	}
	defer c.Close()
	if _, err := c.Salesforce.Limits(f.ctx); err != nil {
		t.Errorf("stored Salesforce credentials do not work: %v", err)
	}
	rec, err := c.Store.GetConnectionByName(f.ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []store.Side{store.Salesforce, store.HubSpot} {
		cred, err := c.Store.GetCredential(f.ctx, rec.ID, side)
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{creds.SalesforceClientSecret, creds.HubSpotToken} {
			if strings.Contains(string(cred.Ciphertext), secret) {
				t.Errorf("%s ciphertext contains a secret in plain text", side)
			}
		}
	}
}

func TestConnectRejectsOtherOrg(t *testing.T) {
	sfURL, _, creds := connectEmulators(t)
	f := setup(t)
	opts := ConnectOptions{Getenv: f.opts.Getenv}
	sf := SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: sfURL, ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret}
	f.save(t, "acme", SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: "https://other.my.salesforce.com",
		ClientID: "x", ClientSecret: "y", InstanceURL: "https://other.my.salesforce.com"}, hsCreds)

	report, err := ConnectSalesforceWith(f.ctx, f.dir, "acme", sf, opts)
	var ie *i18n.Error
	if !errors.As(err, &ie) || ie.ID != i18n.ConnectErrOtherOrg {
		t.Fatalf("error = %v, want the other-org message", err)
	}
	if report.Saved {
		t.Error("credentials of another org were saved")
	}

	// With Replace the credentials are stored; the HubSpot setup after
	// the save may fail, because the stored HubSpot side is a dead port.
	opts.Replace = true
	report, err = ConnectSalesforceWith(f.ctx, f.dir, "acme", sf, opts)
	if !report.Saved {
		t.Fatalf("connect with Replace did not save: %v", err)
	}
}
