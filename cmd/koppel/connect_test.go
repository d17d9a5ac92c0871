package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

// connectFixture runs both emulators over httptest with a small generated
// dataset, and gives each test its own data directory.
type connectFixture struct {
	dir   string
	sfURL string
	hsURL string
	creds generate.EmulatorCredentials
}

func setupConnect(t *testing.T) *connectFixture {
	t.Helper()
	ds, err := generate.Generate(generate.Options{People: 60, Seed: 7})
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

	// The tests choose where secrets come from; none may leak in from the
	// environment of the machine running them.
	for _, k := range []string{envSalesforceSecret, envHubSpotToken, "KOPPEL_SECRET_KEY", "KOPPEL_SECRET_OLD_KEYS", "KOPPEL_DATABASE_URL"} {
		t.Setenv(k, "")
	}
	// As when stdin is not a terminal.
	saved := promptSecret
	promptSecret = func(string, io.Writer) (string, bool, error) { return "", false, nil }
	t.Cleanup(func() { promptSecret = saved })

	return &connectFixture{
		dir: filepath.Join(t.TempDir(), "data"), sfURL: sfSrv.URL, hsURL: hsSrv.URL,
		creds: ds.Credentials(),
	}
}

// koppel runs the CLI and returns its exit code and output.
func (f *connectFixture) koppel(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	all := append([]string{"--data-dir", f.dir}, args...)
	code := run(context.Background(), all, &out, &errOut)
	return code, out.String(), errOut.String()
}

func (f *connectFixture) writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertNoSecrets fails when any file under the data directory holds one
// of secrets in plain text.
func assertNoSecrets(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds a secret in plain text", path)
			}
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
}

func TestConnectBothSides(t *testing.T) {
	f := setupConnect(t)
	t.Setenv(envSalesforceSecret, f.creds.SalesforceClientSecret)
	tokenFile := f.writeFile(t, "token", f.creds.HubSpotToken)

	code, out, errOut := f.koppel("--lang", "nl", "connect", "salesforce", "--client-id", f.creds.SalesforceClientID, "--login-url", f.sfURL)
	if code != 0 {
		t.Fatalf("connect salesforce: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"Verbonden met de Salesforce-org op " + f.sfURL, "Salesforce-API-aanroepen in de afgelopen 24 uur: nog ", "versleuteld opgeslagen"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, errOut = f.koppel("--lang", "en", "connect", "hubspot", "--token-file", tokenFile, "--base-url", f.hsURL)
	if code != 0 {
		t.Fatalf("connect hubspot: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"HubSpot accepted the access token at " + f.hsURL, "of 625000 left", "HubSpot properties in the group koppel: contacts.salesforceleadid", "Saved the HubSpot credentials"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = f.koppel("connect", "hubspot", "--token-file", tokenFile, "--base-url", f.hsURL)
	if code != 0 || !strings.Contains(out, "already exist") {
		t.Errorf("second connect hubspot: exit %d, output %q, want the properties reported as present", code, out)
	}

	code, out, _ = f.koppel("--json", "connect", "hubspot", "--token-file", tokenFile, "--base-url", f.hsURL)
	var result hubspotCheck
	if err := json.Unmarshal([]byte(out), &result); code != 0 || err != nil {
		t.Fatalf("connect hubspot --json: exit %d, output %q: %v", code, out, err)
	}
	if result.Connection != "default" || result.Limit != 625000 || len(result.PropertiesCreated) != 0 {
		t.Errorf("JSON result = %+v", result)
	}

	assertNoSecrets(t, f.dir, f.creds.SalesforceClientSecret, f.creds.HubSpotToken)

	// The stored credentials open into working clients.
	c, err := connection.Open(context.Background(), f.dir, "default")
	if err != nil {
		t.Fatalf("connection.Open: %v", err)
	}
	defer c.Close()
	if _, err := c.Salesforce.Limits(context.Background()); err != nil {
		t.Errorf("Salesforce client from the store: %v", err)
	}
	if _, err := c.HubSpot.Properties(context.Background(), hubspot.Contacts); err != nil {
		t.Errorf("HubSpot client from the store: %v", err)
	}
}

func TestConnectRejects(t *testing.T) {
	f := setupConnect(t)
	secretFile := f.writeFile(t, "secret", f.creds.SalesforceClientSecret)
	wrongSecret := f.writeFile(t, "wrong", "not-the-secret")
	wrongToken := f.writeFile(t, "wrong-token", "pat-eu1-00000000-0000-0000-0000-000000000000")
	emptyFile := f.writeFile(t, "empty", "  ")

	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"secret as flag", []string{"connect", "salesforce", "--client-id", "x", "--client-secret", "s3cret"}, 2, "--client-secret"},
		{"secret as flag with equals", []string{"connect", "salesforce", "--client-id=x", "--client-secret=s3cret"}, 2, "shell history"},
		{"token as flag", []string{"connect", "hubspot", "--token", "pat"}, 2, "KOPPEL_HS_TOKEN"},
		{"http login url", []string{"connect", "salesforce", "--client-id", "x", "--client-secret-file", secretFile, "--login-url", "http://login.salesforce.com"}, 2, "https://"},
		{"login url with path", []string{"connect", "salesforce", "--client-id", "x", "--client-secret-file", secretFile, "--login-url", "https://acme.my.salesforce.com/services"}, 2, "without a path"},
		{"login url not a url", []string{"connect", "salesforce", "--client-id", "x", "--client-secret-file", secretFile, "--login-url", "acme"}, 2, "absolute URL"},
		{"client credentials on login host", []string{"connect", "salesforce", "--client-id", "x", "--client-secret-file", secretFile}, 2, "My Domain"},
		{"client credentials on sandbox host", []string{"connect", "salesforce", "--client-id", "x", "--client-secret-file", secretFile, "--sandbox"}, 2, "test.salesforce.com"},
		{"missing client id", []string{"connect", "salesforce", "--client-secret-file", secretFile, "--login-url", f.sfURL}, 2, "--client-id"},
		{"no secret and no terminal", []string{"connect", "salesforce", "--client-id", "x", "--login-url", f.sfURL}, 2, "KOPPEL_SF_CLIENT_SECRET"},
		{"no token and no terminal in dutch", []string{"--lang", "nl", "connect", "hubspot", "--base-url", f.hsURL}, 2, "Het toegangstoken ontbreekt"},
		{"empty secret file", []string{"connect", "salesforce", "--client-id", "x", "--client-secret-file", emptyFile, "--login-url", f.sfURL}, 2, "is empty"},
		{"jwt without key", []string{"connect", "salesforce", "--client-id", "x", "--username", "u@example.com", "--login-url", f.sfURL}, 2, "--key-file"},
		{"key file not a key", []string{"connect", "salesforce", "--client-id", "x", "--username", "u@example.com", "--key-file", secretFile, "--login-url", f.sfURL}, 2, "PEM"},
		{"missing secret file", []string{"connect", "salesforce", "--client-id", "x", "--client-secret-file", "/nonexistent/secret", "--login-url", f.sfURL}, 2, "/nonexistent/secret"},
		{"wrong secret", []string{"connect", "salesforce", "--client-id", f.creds.SalesforceClientID, "--client-secret-file", wrongSecret, "--login-url", f.sfURL}, 1, "Salesforce rejected the credentials"},
		{"wrong client id", []string{"connect", "salesforce", "--client-id", "3MVG9wrong", "--client-secret-file", secretFile, "--login-url", f.sfURL}, 1, "Nothing was saved"},
		{"wrong token", []string{"connect", "hubspot", "--token-file", wrongToken, "--base-url", f.hsURL}, 1, "HubSpot rejected the access token"},
		{"wrong token in dutch", []string{"--lang", "nl", "connect", "hubspot", "--token-file", wrongToken, "--base-url", f.hsURL}, 1, "Er is niets opgeslagen"},
		{"unknown vendor", []string{"connect", "pipedrive"}, 2, "pipedrive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := f.koppel(tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q lacks %q", errOut, tc.want)
			}
		})
	}

	// Nothing was stored by any of the failures.
	if _, err := os.Stat(filepath.Join(f.dir, connection.DatabaseFile)); !os.IsNotExist(err) {
		t.Errorf("a failed connect created the store: %v", err)
	}
	assertNoSecrets(t, f.dir, f.creds.SalesforceClientSecret, "s3cret")
}

// TestConnectRefusesOtherOrg connects a connection to one org, then tries
// credentials of a second org: the links of the connection name records of
// the first, so the second is refused unless --replace says the org moved.
func TestConnectRefusesOtherOrg(t *testing.T) {
	f := setupConnect(t)
	t.Setenv(envSalesforceSecret, f.creds.SalesforceClientSecret)
	ds, err := generate.Generate(generate.Options{People: 60, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	other, err := sfemu.New(ds.SalesforceSeed(), sfemu.Options{Now: func() time.Time { return generate.DefaultNow.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()

	connect := func(loginURL string, extra ...string) (int, string) {
		args := append([]string{"connect", "salesforce", "--client-id", f.creds.SalesforceClientID, "--login-url", loginURL}, extra...)
		code, _, errOut := f.koppel(args...)
		return code, errOut
	}
	t.Setenv(envHubSpotToken, f.creds.HubSpotToken)
	if code, _, errOut := f.koppel("connect", "hubspot", "--base-url", f.hsURL); code != 0 {
		t.Fatalf("connect hubspot: %s", errOut)
	}
	if code, errOut := connect(f.sfURL); code != 0 {
		t.Fatalf("first connect: %s", errOut)
	}
	if code, errOut := connect(f.sfURL); code != 0 {
		t.Fatalf("connect to the same org again: %s", errOut)
	}
	code, errOut := connect(otherSrv.URL)
	if code != 1 || !strings.Contains(errOut, "belongs to the Salesforce org at "+f.sfURL) {
		t.Fatalf("connect to another org: exit %d, stderr %q", code, errOut)
	}

	c, err := connection.Open(context.Background(), f.dir, "default")
	if err != nil {
		t.Fatal(err)
	}
	instance, err := c.Salesforce.Authenticate(context.Background())
	c.Close()
	if err != nil || instance != f.sfURL {
		t.Fatalf("after the refused connect the stored org is %q (%v), want %s", instance, err, f.sfURL)
	}

	if code, errOut := connect(otherSrv.URL, "--replace"); code != 0 {
		t.Fatalf("connect --replace: %s", errOut)
	}
	if code, errOut := connect(otherSrv.URL); code != 0 {
		t.Fatalf("connect to the new org again: %s", errOut)
	}
}

// TestConnectPreparesMappedProperties connects HubSpot before Salesforce:
// the HubSpot step waits for the org's picklists, and connecting
// Salesforce then creates the properties of the default mappings.
func TestConnectPreparesMappedProperties(t *testing.T) {
	f := setupConnect(t)
	t.Setenv(envSalesforceSecret, f.creds.SalesforceClientSecret)
	t.Setenv(envHubSpotToken, f.creds.HubSpotToken)

	code, out, errOut := f.koppel("--lang", "nl", "connect", "hubspot", "--base-url", f.hsURL)
	if code != 0 {
		t.Fatalf("connect hubspot: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "zodra ook Salesforce is verbonden") {
		t.Errorf("connect hubspot without Salesforce does not say the setup waits:\n%s", out)
	}

	code, out, errOut = f.koppel("--json", "connect", "salesforce", "--client-id", f.creds.SalesforceClientID, "--login-url", f.sfURL)
	if code != 0 {
		t.Fatalf("connect salesforce: exit %d, stderr %q", code, errOut)
	}
	var result salesforceCheck
	if err := json.Unmarshal([]byte(out), &result); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	if result.Setup == nil {
		t.Fatalf("connect salesforce --json has no mapped_properties: %s", out)
	}
	for _, want := range []string{"contacts.leadsource", "contacts.rating", "contacts.salesforcenumberofemployees", "companies.salesforceindustry"} {
		if !slices.Contains(result.Setup.Created, want) {
			t.Errorf("created %v, want %s among them", result.Setup.Created, want)
		}
	}
	if len(result.Setup.Problems) > 0 {
		t.Errorf("problems in a portal koppel prepared: %+v", result.Setup.Problems)
	}

	code, out, errOut = f.koppel("connect", "hubspot", "--base-url", f.hsURL)
	if code != 0 {
		t.Fatalf("second connect hubspot: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "Every HubSpot property of the default mappings exists") {
		t.Errorf("second connect hubspot does not report the properties ready:\n%s", out)
	}
}
