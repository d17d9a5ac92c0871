package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/sqlite"
)

// Test credentials of the admin every setup creates.
const (
	testUser     = "beheerder"
	testPassword = "correct horse battery staple"
)

// testClock is a manual clock shared by the emulators, the store and the
// UI. Every reading moves it a millisecond, so no two changes share a
// timestamp and the order of edits is the order of the test's steps.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a running UI with both emulators behind it.
type fixture struct {
	t     testing.TB
	ctx   context.Context
	clock *testClock

	HubSpot    *hsemu.Emulator
	Salesforce *sfemu.Emulator
	clients    Clients

	Store store.Store
	Conn  store.Connection

	// URL is the UI's address on 127.0.0.1.
	URL string

	// HubSpotURL and SalesforceURL are the emulators' addresses.
	HubSpotURL    string
	SalesforceURL string
}

type setupOptions struct {
	HubSpotSeed    *hsemu.Seed
	SalesforceSeed *sfemu.Seed

	// Connect becomes Config.Connect.
	Connect func(context.Context, ConnectRequest) error

	// SyncNow becomes Config.SyncNow.
	SyncNow func(context.Context, store.Connection) error

	// WrapHubSpot, when set, wraps the HubSpot emulator's handler, for
	// pages the emulator does not serve.
	WrapHubSpot func(http.Handler) http.Handler

	// Logger becomes Config.Logger; default one that discards.
	Logger *slog.Logger
}

func setup(t testing.TB, opts setupOptions) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f := &fixture{t: t, ctx: ctx, clock: clock}

	hs, err := hsemu.New(opts.HubSpotSeed, hsemu.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("start HubSpot emulator: %v", err)
	}
	t.Cleanup(hs.Close)
	hsHandler := hs.Handler()
	if opts.WrapHubSpot != nil {
		hsHandler = opts.WrapHubSpot(hsHandler)
	}
	hsSrv := httptest.NewServer(hsHandler)
	t.Cleanup(hsSrv.Close)

	sf, err := sfemu.New(opts.SalesforceSeed, sfemu.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("start Salesforce emulator: %v", err)
	}
	sfSrv := httptest.NewServer(sf)
	t.Cleanup(sfSrv.Close)
	f.HubSpot, f.Salesforce = hs, sf
	f.HubSpotURL, f.SalesforceURL = hsSrv.URL, sfSrv.URL

	quiet := slog.New(slog.DiscardHandler)
	f.clients.HubSpot, err = hubspot.New(hubspot.Config{BaseURL: hsSrv.URL, AccessToken: "webtest", Now: clock.Now, RetryBaseDelay: time.Millisecond})
	if err != nil {
		t.Fatalf("create HubSpot client: %v", err)
	}
	f.clients.Salesforce, err = salesforce.New(salesforce.Config{
		Auth: salesforce.AuthAccessToken, AccessToken: sf.IssueAccessToken(), InstanceURL: sfSrv.URL, LoginURL: sfSrv.URL,
		Now: clock.Now, Logger: quiet,
	})
	if err != nil {
		t.Fatalf("create Salesforce client: %v", err)
	}
	if _, err := f.clients.HubSpot.EnsureKoppelProperties(ctx); err != nil {
		t.Fatalf("create koppel's HubSpot properties: %v", err)
	}

	f.Store, err = sqlite.Open(ctx, filepath.Join(t.TempDir(), "koppel.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { f.Store.Close() })

	raw, _ := json.Marshal(settings.Default())
	f.Conn, err = f.Store.CreateConnection(ctx, store.Connection{Name: "default", Settings: raw, HubSpotPortalID: "4000001", SalesforceOrgID: "00DGk0000000001"})
	if err != nil {
		t.Fatalf("create connection: %v", err)
	}
	defaults, err := connection.MappingsFromRows(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.ReplaceMappings(ctx, f.Conn.ID, connection.MappingRows(f.Conn.ID, defaults)); err != nil {
		t.Fatalf("store mappings: %v", err)
	}
	for _, side := range []store.Side{store.HubSpot, store.Salesforce} {
		// The UI only checks that credentials exist; the test clients
		// above are what it uses.
		if err := f.Store.PutCredential(ctx, store.Credential{ConnectionID: f.Conn.ID, Side: side, Ciphertext: []byte("sealed")}); err != nil {
			t.Fatal(err)
		}
	}

	hash, err := HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.CreateUser(ctx, store.User{Username: testUser, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}

	uiLogger := quiet
	if opts.Logger != nil {
		uiLogger = opts.Logger
	}
	h, err := New(Config{
		Store:   f.Store,
		Clients: func(context.Context, store.Connection) (Clients, error) { return f.clients, nil },
		Connect: opts.Connect,
		SyncNow: opts.SyncNow,
		Logger:  uiLogger,
		Now:     clock.Now,
	})
	if err != nil {
		t.Fatalf("create UI: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// sync runs one cycle with the engine the UI builds, a minute after the
// previous step, as between two polls.
func (f *fixture) sync() {
	f.t.Helper()
	f.clock.Advance(time.Minute)
	cv := f.connView()
	eng, err := DefaultEngine(f.ctx, f.Store, cv.Rec, cv.Settings, cv.Mappings, f.clients, slog.New(slog.DiscardHandler), f.clock.Now)
	if err != nil {
		f.t.Fatalf("build engine: %v", err)
	}
	if _, err := eng.SyncOnce(f.ctx); err != nil {
		f.t.Fatalf("sync cycle: %v", err)
	}
}

func (f *fixture) connView() *connView {
	f.t.Helper()
	rec, err := f.Store.GetConnection(f.ctx, f.Conn.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	s, err := connection.DecodeSettings(rec.Settings)
	if err != nil {
		f.t.Fatal(err)
	}
	rows, err := f.Store.ListMappings(f.ctx, rec.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	ms, err := connection.MappingsFromRows(rows)
	if err != nil {
		f.t.Fatal(err)
	}
	return &connView{Rec: rec, Settings: s, Mappings: ms}
}

// client is an HTTP client with its own cookie jar that does not follow
// redirects, so tests see them.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn signs c in as the test admin and returns the CSRF token of the
// session.
func (f *fixture) signIn(c *http.Client) string {
	f.t.Helper()
	body := f.get(c, "/signin", http.StatusOK)
	pre := csrfInput.FindStringSubmatch(body)
	if pre == nil {
		f.t.Fatal("sign-in page has no CSRF token")
	}
	resp := f.post(c, "/signin", url.Values{"username": {testUser}, "password": {testPassword}, "csrf_token": {pre[1]}})
	if resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("sign in: status %d, want 303", resp.StatusCode)
	}
	body = f.get(c, "/connections", http.StatusOK)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		f.t.Fatal("signed-in page has no CSRF token")
	}
	return m[1]
}

func (f *fixture) get(c *http.Client, path string, want int) string {
	f.t.Helper()
	resp, err := c.Get(f.URL + path)
	if err != nil {
		f.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		f.t.Fatalf("GET %s: status %d, want %d\n%s", path, resp.StatusCode, want, truncate(string(b)))
	}
	return string(b)
}

func (f *fixture) post(c *http.Client, path string, form url.Values) *http.Response {
	f.t.Helper()
	resp, err := c.PostForm(f.URL+path, form)
	if err != nil {
		f.t.Fatalf("POST %s: %v", path, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func truncate(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// missingMessage matches a message id that the catalog lacks, which the
// UI renders in brackets.
var missingMessage = regexp.MustCompile(`\[[a-z_]+\.[a-z_.A-Z]+\]`)

func assertNoMissingMessages(t testing.TB, page, body string) {
	t.Helper()
	if m := missingMessage.FindAllString(body, 5); m != nil {
		t.Errorf("%s shows message ids without text: %s", page, strings.Join(m, ", "))
	}
}
