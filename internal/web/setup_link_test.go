package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/sqlite"
)

// lockedBuffer collects log output from the handler's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// setupLinkFixture is a UI over an empty store, with no admin yet.
type setupLinkFixture struct {
	*fixture
	logs *lockedBuffer
}

func newSetupLinkFixture(t *testing.T) *setupLinkFixture {
	t.Helper()
	ctx := context.Background()
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "koppel.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })

	logs := &lockedBuffer{}
	h, err := New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), Now: clock.Now})
	if err != nil {
		t.Fatalf("create UI: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &setupLinkFixture{fixture: &fixture{t: t, ctx: ctx, clock: clock, Store: st, URL: srv.URL}, logs: logs}
}

// link creates the setup link and returns its path.
func (f *setupLinkFixture) link() string {
	f.t.Helper()
	path, err := CreateSetupLink(f.ctx, f.Store, f.clock.Now())
	if err != nil {
		f.t.Fatalf("create setup link: %v", err)
	}
	if !strings.HasPrefix(path, "/setup/") || len(path) < len("/setup/")+40 {
		f.t.Fatalf("setup link = %q, want /setup/ and a long random token", path)
	}
	return path
}

// form opens the setup page with c and returns its CSRF token.
func (f *setupLinkFixture) form(c *http.Client, path string) string {
	f.t.Helper()
	body := f.get(c, path, http.StatusOK)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		f.t.Fatal("setup page has no CSRF token")
	}
	return m[1]
}

func adminForm(csrf, username, password, repeat string) url.Values {
	return url.Values{"csrf_token": {csrf}, "username": {username}, "password": {password}, "password_repeat": {repeat}}
}

func (f *setupLinkFixture) users() []store.User {
	f.t.Helper()
	us, err := f.Store.ListUsers(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return us
}

func TestSetupLinkCreatesFirstAdmin(t *testing.T) {
	f := newSetupLinkFixture(t)
	path := f.link()
	token := strings.TrimPrefix(path, "/setup/")
	c := f.client()
	csrf := f.form(c, path)

	resp := f.post(c, path, adminForm(csrf, "anne", testPassword, testPassword))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/connections" {
		t.Fatalf("create admin: status %d to %q, want 303 to /connections", resp.StatusCode, resp.Header.Get("Location"))
	}
	f.get(c, "/connections", http.StatusOK)

	users := f.users()
	if len(users) != 1 || users[0].Username != "anne" {
		t.Fatalf("users = %+v, want only anne", users)
	}
	if !bytes.HasPrefix(users[0].PasswordHash, []byte("$argon2id$")) {
		t.Errorf("password hash %.10q is not argon2id", users[0].PasswordHash)
	}
	if ok, err := checkPassword(users[0].PasswordHash, testPassword); err != nil || !ok {
		t.Errorf("stored hash does not verify the password: %v", err)
	}

	t.Run("reuse rejected", func(t *testing.T) {
		other := f.client()
		f.get(other, path, http.StatusNotFound)
		pre := f.form(other, "/signin")
		resp := f.post(other, path, adminForm(pre, "mallory", testPassword, testPassword))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("second use: status %d, want 404", resp.StatusCode)
		}
		if n := len(f.users()); n != 1 {
			t.Errorf("users after reuse = %d, want 1", n)
		}
	})

	t.Run("no new link with an admin", func(t *testing.T) {
		again, err := CreateSetupLink(f.ctx, f.Store, f.clock.Now())
		if err != nil || again != "" {
			t.Errorf("CreateSetupLink with an admin = %q, %v; want \"\", nil", again, err)
		}
	})

	if strings.Contains(f.logs.String(), token) {
		t.Errorf("logs contain the setup token:\n%s", f.logs.String())
	}
	if strings.Contains(f.logs.String(), testPassword) {
		t.Error("logs contain the password")
	}
}

func TestSetupLinkRejected(t *testing.T) {
	tests := []struct {
		name  string
		path  func(f *setupLinkFixture, link string) string
		setup func(f *setupLinkFixture)
	}{
		{"wrong token", func(f *setupLinkFixture, link string) string {
			// Same length, last character changed: only a full match opens.
			last := link[len(link)-1]
			swap := byte('A')
			if last == 'A' {
				swap = 'B'
			}
			return link[:len(link)-1] + string(swap)
		}, nil},
		{"shorter token", func(f *setupLinkFixture, link string) string { return link[:len(link)-1] }, nil},
		{"expired", func(f *setupLinkFixture, link string) string { return link }, func(f *setupLinkFixture) {
			f.clock.Advance(SetupLinkLifetime)
		}},
		{"replaced by a newer link", func(f *setupLinkFixture, link string) string { return link }, func(f *setupLinkFixture) {
			f.link()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSetupLinkFixture(t)
			link := f.link()
			c := f.client()
			pre := f.form(c, "/signin")
			if tt.setup != nil {
				tt.setup(f)
			}
			path := tt.path(f, link)

			body := f.get(c, path, http.StatusNotFound)
			if strings.Contains(body, strings.TrimPrefix(path, "/setup/")) {
				t.Error("404 page echoes the token")
			}
			resp := f.post(c, path, adminForm(pre, "anne", testPassword, testPassword))
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST: status %d, want 404", resp.StatusCode)
			}
			if n := len(f.users()); n != 0 {
				t.Errorf("users = %d, want 0", n)
			}
		})
	}
}

func TestSetupLinkNeedsCSRF(t *testing.T) {
	f := newSetupLinkFixture(t)
	path := f.link()
	c := f.client()
	f.form(c, path)

	resp := f.post(c, path, adminForm("", "anne", testPassword, testPassword))
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without CSRF token: status %d, want 403", resp.StatusCode)
	}
	if n := len(f.users()); n != 0 {
		t.Errorf("users = %d, want 0", n)
	}
	// The link still works after the rejected request.
	f.get(c, path, http.StatusOK)
}

func TestSetupLinkValidatesInput(t *testing.T) {
	f := newSetupLinkFixture(t)
	path := f.link()
	c := f.client()
	csrf := f.form(c, path)

	tests := []struct {
		name               string
		username, password string
		repeat             string
		want               string
	}{
		{"short password", "anne", "kort", "kort", "at least 12 characters"},
		{"passwords differ", "anne", testPassword, testPassword + "!", "The two passwords differ"},
		{"bad username", "anne smit", testPassword, testPassword, "“anne smit” is not a valid username"},
		{"empty username", "", testPassword, testPassword, "is not a valid username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.PostForm(f.URL+path, adminForm(csrf, tt.username, tt.password, tt.repeat))
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			readBody(&body, resp)
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("status %d, want 400", resp.StatusCode)
			}
			if !strings.Contains(body.String(), tt.want) {
				t.Errorf("page lacks %q", tt.want)
			}
			if strings.Contains(body.String(), testPassword) {
				t.Error("page echoes the password")
			}
		})
	}
	if n := len(f.users()); n != 0 {
		t.Fatalf("users after invalid input = %d, want 0", n)
	}
	resp := f.post(c, path, adminForm(csrf, "anne", testPassword, testPassword))
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("valid input after errors: status %d, want 303", resp.StatusCode)
	}
}

func TestSetupPageInBothLanguages(t *testing.T) {
	f := newSetupLinkFixture(t)
	path := f.link()
	for lang, want := range map[string]string{"en": "Create the first admin", "nl": "Eerste beheerder aanmaken"} {
		req, _ := http.NewRequest(http.MethodGet, f.URL+path, nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := f.client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		readBody(&body, resp)
		if !strings.Contains(body.String(), want) {
			t.Errorf("%s page lacks %q", lang, want)
		}
		assertNoMissingMessages(t, "setup page ("+lang+")", body.String())
	}
}
