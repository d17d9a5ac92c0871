package connection

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/store"
)

type fixture struct {
	ctx  context.Context
	dir  string
	env  map[string]string
	opts Options
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), dir: filepath.Join(t.TempDir(), "data"), env: map[string]string{}}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f.opts = Options{Getenv: func(k string) string { return f.env[k] }, Now: func() time.Time { return now }}
	return f
}

// save stores credentials for both sides of connection name.
func (f *fixture) save(t *testing.T, name string, sf SalesforceCredentials, hs HubSpotCredentials) {
	t.Helper()
	st, err := OpenStore(f.ctx, f.dir, f.opts.Getenv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	box, err := secret.OpenWithEnv(f.dir, f.opts.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := SaveCredentials(f.ctx, st, box, name, store.Salesforce, sf, "00DGk0000000001"); err != nil {
		t.Fatalf("save salesforce: %v", err)
	}
	if _, _, err := SaveCredentials(f.ctx, st, box, name, store.HubSpot, hs, "4000001"); err != nil {
		t.Fatalf("save hubspot: %v", err)
	}
}

var (
	sfCreds = SalesforceCredentials{
		Auth: salesforce.AuthClientCredentials, LoginURL: "http://127.0.0.1:1",
		ClientID: "3MVG9-client-id", ClientSecret: "sf-secret-5b1e0c9d7a",
	}
	hsCreds = HubSpotCredentials{BaseURL: "http://127.0.0.1:2", AccessToken: "pat-na1-0f3c2b1a-9e8d"}
)

func TestOpenAfterSave(t *testing.T) {
	f := setup(t)
	f.save(t, "acme", sfCreds, hsCreds)

	c, err := OpenWith(f.ctx, f.dir, "acme", f.opts)
	if err != nil {
		t.Fatalf("OpenWith: %v", err)
	}
	defer c.Close()

	if c.Salesforce == nil || c.HubSpot == nil {
		t.Fatal("clients not built")
	}
	if c.Record.SalesforceOrgID != "00DGk0000000001" || c.Record.HubSpotPortalID != "4000001" {
		t.Errorf("account ids = %q, %q", c.Record.SalesforceOrgID, c.Record.HubSpotPortalID)
	}
	if c.Settings.Placeholder != "[not provided]" {
		t.Errorf("settings not defaults: %+v", c.Settings)
	}
	if want := len(mapping.DefaultContactMappings()) + len(mapping.DefaultCompanyMappings()); len(c.Mappings) != want {
		t.Errorf("%d mappings, want the %d defaults", len(c.Mappings), want)
	}
}

func TestDataDirHoldsNoSecret(t *testing.T) {
	f := setup(t)
	f.save(t, "default", sfCreds, hsCreds)

	secrets := []string{sfCreds.ClientSecret, hsCreds.AccessToken}
	err := filepath.WalkDir(f.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s contains a secret in plain text", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenFails(t *testing.T) {
	cases := []struct {
		name   string
		prep   func(t *testing.T, f *fixture)
		wantID i18n.ID
	}{
		{"no connection", func(t *testing.T, f *fixture) {}, i18n.ConnectionErrNotFound},
		{"hubspot missing", func(t *testing.T, f *fixture) {
			st, _ := OpenStore(f.ctx, f.dir, f.opts.Getenv, store.Options{})
			defer st.Close()
			box, _ := secret.OpenWithEnv(f.dir, f.opts.Getenv)
			if _, _, err := SaveCredentials(f.ctx, st, box, "acme", store.Salesforce, sfCreds, ""); err != nil {
				t.Fatal(err)
			}
		}, i18n.ConnectionErrMissingSide},
		{"other key", func(t *testing.T, f *fixture) {
			f.save(t, "acme", sfCreds, hsCreds)
			k, _ := secret.NewKey()
			f.env[secret.EnvKey] = k.Encode()
		}, i18n.ConnectionErrDecrypt},
		{"key file readable by others", func(t *testing.T, f *fixture) {
			f.save(t, "acme", sfCreds, hsCreds)
			if err := os.Chmod(filepath.Join(f.dir, secret.KeyFileName), 0o644); err != nil {
				t.Fatal(err)
			}
		}, i18n.ConnectErrKeyFileMode},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			tc.prep(t, f)

			_, err := OpenWith(f.ctx, f.dir, "acme", f.opts)
			var ie *i18n.Error
			if !errors.As(err, &ie) || ie.ID != tc.wantID {
				t.Fatalf("OpenWith error = %v, want message %s", err, tc.wantID)
			}
		})
	}
}

func TestMappingRowsRoundTrip(t *testing.T) {
	contacts := mapping.NewContactSet()
	if err := contacts.SetRule("contact.jobtitle", mapping.TwoWay); err != nil {
		t.Fatal(err)
	}
	custom := mapping.Mapping{
		ID: "custom.vat_number", HubSpot: mapping.HubSpotProperty{Name: "vat_number"},
		Salesforce: []mapping.SalesforceField{{Object: "Lead", Name: "VAT__c"}, {Object: "Contact", Name: "VAT__c"}},
		Rule:       mapping.PreferHubSpotUnlessBlank, Kind: mapping.KindOrdinary,
	}
	ms := append(contacts.All(), custom)
	ms = append(ms, mapping.NewCompanySet().All()...)

	got, err := MappingsFromRows(MappingRows(7, ms))
	if err != nil {
		t.Fatalf("MappingsFromRows: %v", err)
	}
	byID := map[string]mapping.Mapping{}
	for _, m := range got {
		byID[m.ID] = m
	}
	if len(got) != len(ms) {
		t.Errorf("%d mappings back, want %d", len(got), len(ms))
	}
	if r := byID["contact.jobtitle"].Rule; r != mapping.TwoWay {
		t.Errorf("jobtitle rule = %s, want two_way", r)
	}
	c, ok := byID["custom.vat_number"]
	if !ok || c.Rule != mapping.PreferHubSpotUnlessBlank || len(c.Salesforce) != 2 {
		t.Errorf("custom mapping = %+v", c)
	}
}

func TestApplyRejectsStaleVersion(t *testing.T) {
	f := setup(t)
	f.save(t, "acme", sfCreds, hsCreds)
	st, err := OpenStore(f.ctx, f.dir, f.opts.Getenv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.GetConnectionByName(f.ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}

	s, _ := DecodeSettings(rec.Settings)
	s.Placeholder = "[onbekend]"
	if _, err := Apply(f.ctx, st, rec, s, nil); err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	_, err = Apply(f.ctx, st, rec, s, nil)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second Apply with the old version: %v, want ErrConflict", err)
	}
	if !strings.Contains(err.Error(), "acme") {
		t.Errorf("error %q does not name the connection", err)
	}
}
