package web

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/connection"
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/store"
)

// Credentials of the OAuth apps the emulators are seeded with.
const (
	hubspotClientID     = "hs-client-6d1f"
	hubspotClientSecret = "hs-secret-0b7e4c2a"
)

// noEnv keeps the machine's KOPPEL_* variables out of the data directory
// the tests connect into.
func noEnv(string) string { return "" }

// connectFixture is a UI whose connect form and buttons check and store
// credentials in its own data directory, against both emulators.
type connectFixture struct {
	*fixture
	dataDir string
	creds   generate.EmulatorCredentials
	logs    *lockedBuffer
}

func newConnectFixture(t *testing.T, wrapHubSpot func(http.Handler) http.Handler) *connectFixture {
	t.Helper()
	ds, err := generate.Generate(generate.Options{People: 10, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	hsSeed := ds.HubSpotSeed()
	// The fixture's own client signs in with "webtest".
	hsSeed.Config.PrivateAppTokens = append(hsSeed.Config.PrivateAppTokens, "webtest")
	hsSeed.Config.OAuth = &hsemu.OAuthConfig{ClientID: hubspotClientID, ClientSecret: hubspotClientSecret}

	dataDir := filepath.Join(t.TempDir(), "data")
	logs := &lockedBuffer{}
	f := setup(t, setupOptions{
		HubSpotSeed: hsSeed, SalesforceSeed: ds.SalesforceSeed(), WrapHubSpot: wrapHubSpot,
		Connect: ConnectToDataDir(dataDir, connection.ConnectOptions{Getenv: noEnv}),
		Logger:  slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	return &connectFixture{fixture: f, dataDir: dataDir, creds: ds.Credentials(), logs: logs}
}

// assertNotLogged fails when the UI's log contains one of secrets.
func (f *connectFixture) assertNotLogged(t *testing.T, secrets ...string) {
	t.Helper()
	logs := f.logs.String()
	if logs == "" {
		t.Fatal("the UI logged nothing, so the check below proves nothing")
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("the log contains a secret: %.12s…", s)
		}
	}
}

// postPage posts form and returns the status and body of the response,
// after the redirects c follows.
func postPage(t *testing.T, c *http.Client, target string, form url.Values, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// storedCredential returns the sealed credentials of one side of
// connection name in the data directory, or store.ErrNotFound.
func (f *connectFixture) storedCredential(t *testing.T, name string, side store.Side) (store.Credential, error) {
	t.Helper()
	st, err := connection.OpenStore(f.ctx, f.dataDir, noEnv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.GetConnectionByName(f.ctx, name)
	if err != nil {
		return store.Credential{}, err
	}
	return st.GetCredential(f.ctx, rec.ID, side)
}

// assertNotInFiles fails when a file of the data directory holds secret
// in plain text.
func (f *connectFixture) assertNotInFiles(t *testing.T, secrets ...string) {
	t.Helper()
	err := filepath.WalkDir(f.dataDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if s != "" && bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds a secret in plain text", path)
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
}

func TestConnectFormChecksWithVendor(t *testing.T) {
	f := newConnectFixture(t, nil)
	c := f.client()
	csrf := f.signIn(c)
	var visited []string
	follow(c, &visited)

	form := func(token string) url.Values {
		return url.Values{"csrf_token": {csrf}, "side": {"hubspot"}, "connection": {"acme"}, "access_token": {token}, "base_url": {f.HubSpotURL}}
	}
	for _, tc := range []struct {
		lang, want string
	}{
		{"en", "HubSpot rejected the access token"},
		{"nl", "HubSpot weigert het toegangstoken"},
	} {
		t.Run("wrong token "+tc.lang, func(t *testing.T) {
			status, body := postPage(t, c, f.URL+"/connections/connect", form("pat-na1-wrong-0000"), http.Header{"Accept-Language": {tc.lang}})
			if status != http.StatusBadGateway {
				t.Fatalf("status %d, want 502", status)
			}
			if !strings.Contains(body, tc.want) {
				t.Errorf("page lacks the vendor's reason %q:\n%s", tc.want, truncate(body))
			}
			if strings.Contains(body, "pat-na1-wrong-0000") {
				t.Error("page shows the typed token")
			}
			if _, err := f.storedCredential(t, "acme", store.HubSpot); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("stored after a rejected token: %v", err)
			}
		})
	}

	status, body := postPage(t, c, f.URL+"/connections/connect", form(f.creds.HubSpotToken), nil)
	if status != http.StatusOK || !strings.Contains(body, "Connected. The credentials are stored encrypted.") {
		t.Fatalf("right token: status %d, want the connections page with the flash:\n%s", status, truncate(body))
	}
	cred, err := f.storedCredential(t, "acme", store.HubSpot)
	if err != nil {
		t.Fatalf("credentials not stored: %v", err)
	}
	if bytes.Contains(cred.Ciphertext, []byte(f.creds.HubSpotToken)) {
		t.Error("the stored ciphertext contains the token")
	}
	f.assertNotInFiles(t, f.creds.HubSpotToken)
	f.assertNotLogged(t, f.creds.HubSpotToken, "pat-na1-wrong-0000")

	t.Run("client credentials on the generic host", func(t *testing.T) {
		status, body := postPage(t, c, f.URL+"/connections/connect", url.Values{
			"csrf_token": {csrf}, "side": {"salesforce"}, "connection": {"acme"},
			"login_url": {"https://login.salesforce.com"}, "client_id": {"3MVG9"}, "client_secret": {"s3cr3t-value"},
		}, nil)
		if status != http.StatusBadRequest || !strings.Contains(body, "Enter your My Domain URL") {
			t.Errorf("status %d, want 400 naming My Domain", status)
		}
		if strings.Contains(body, "s3cr3t-value") {
			t.Error("page shows the typed secret")
		}
	})

	t.Run("salesforce client credentials", func(t *testing.T) {
		status, body := postPage(t, c, f.URL+"/connections/connect", url.Values{
			"csrf_token": {csrf}, "side": {"salesforce"}, "connection": {"acme"},
			"login_url": {f.SalesforceURL}, "client_id": {f.creds.SalesforceClientID}, "client_secret": {f.creds.SalesforceClientSecret},
		}, nil)
		if status != http.StatusOK || !strings.Contains(body, "Connected.") {
			t.Fatalf("status %d, want the connections page with the flash:\n%s", status, truncate(body))
		}
		c, err := connection.OpenWith(f.ctx, f.dataDir, "acme", connection.Options{Getenv: noEnv})
		if err != nil {
			t.Fatalf("open the connection the page stored: %v", err)
		}
		defer c.Close()
		if _, err := c.Salesforce.Limits(f.ctx); err != nil {
			t.Errorf("stored Salesforce credentials do not work: %v", err)
		}
		f.assertNotInFiles(t, f.creds.SalesforceClientSecret)
	})
}

// follow makes c follow redirects, as a browser does, and record every
// URL it visits.
func follow(c *http.Client, visited *[]string) {
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		*visited = append(*visited, req.URL.String())
		if len(via) > 10 {
			return errors.New("too many redirects")
		}
		return nil
	}
}

func TestOAuthSalesforceEndToEnd(t *testing.T) {
	f := newConnectFixture(t, nil)
	c := f.client()
	csrf := f.signIn(c)
	var visited []string
	follow(c, &visited)

	start := url.Values{
		"csrf_token": {csrf}, "side": {"salesforce"}, "connection": {"acme"},
		"login_url": {f.SalesforceURL}, "client_id": {f.creds.SalesforceClientID}, "client_secret": {f.creds.SalesforceClientSecret},
	}
	status, body := postPage(t, c, f.URL+"/connections/connect/oauth", start, nil)
	if status != http.StatusOK || !strings.Contains(body, "Connected. The credentials are stored encrypted.") {
		t.Fatalf("status %d after the redirects %v, want the connections page with the flash:\n%s", status, visited, truncate(body))
	}

	if len(visited) < 3 {
		t.Fatalf("visited %v, want the authorize page, the callback and the connections page", visited)
	}
	authorize, err := url.Parse(visited[0])
	if err != nil {
		t.Fatal(err)
	}
	q := authorize.Query()
	if !strings.HasPrefix(visited[0], f.SalesforceURL+"/services/oauth2/authorize?") {
		t.Errorf("first redirect %s, want the emulator's authorize endpoint", visited[0])
	}
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) < 43 {
		t.Errorf("authorize URL lacks a PKCE S256 challenge: %s", visited[0])
	}
	if want := f.URL + "/connections/acme/oauth/salesforce/callback"; q.Get("redirect_uri") != want {
		t.Errorf("redirect_uri = %q, want %q", q.Get("redirect_uri"), want)
	}
	if q.Get("state") == "" || strings.Contains(visited[0], f.creds.SalesforceClientSecret) {
		t.Errorf("authorize URL has no state or carries the secret: %s", visited[0])
	}
	callback := visited[1]
	if !strings.HasPrefix(callback, f.URL+"/connections/acme/oauth/salesforce/callback?") {
		t.Fatalf("second redirect %s, want the UI's callback", callback)
	}

	st, err := connection.OpenStore(f.ctx, f.dataDir, noEnv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	box, err := secret.OpenWithEnv(f.dataDir, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	stored, ok, err := connection.StoredSalesforce(f.ctx, st, box, "acme")
	if err != nil || !ok {
		t.Fatalf("stored Salesforce credentials: %v, found %t", err, ok)
	}
	if stored.Auth != salesforce.AuthRefreshToken || stored.RefreshToken == "" || stored.InstanceURL == "" {
		t.Errorf("stored credentials %v, want a refresh token and the instance", stored)
	}
	f.assertNotInFiles(t, stored.RefreshToken, f.creds.SalesforceClientSecret)
	callbackURL, err := url.Parse(visited[1])
	if err != nil {
		t.Fatal(err)
	}
	f.assertNotLogged(t, stored.RefreshToken, f.creds.SalesforceClientSecret, q.Get("state"), callbackURL.Query().Get("code"))

	t.Run("state used twice", func(t *testing.T) {
		resp, err := f.client().Get(callback)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// A client without the session is sent to sign in.
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("callback without a session: status %d, want 303 to sign in", resp.StatusCode)
		}
		status := getStatus(t, c, callback)
		if status != http.StatusBadRequest {
			t.Errorf("second callback with the same state: status %d, want 400", status)
		}
	})

	t.Run("state of another session", func(t *testing.T) {
		other := f.client()
		otherCSRF := f.signIn(other)
		start.Set("csrf_token", otherCSRF)
		resp, err := other.PostForm(f.URL+"/connections/connect/oauth", start)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		authorize := resp.Header.Get("Location")
		resp, err = other.Get(authorize)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		stolen := resp.Header.Get("Location")
		if !strings.Contains(stolen, "state=") {
			t.Fatalf("emulator redirect %q has no state", stolen)
		}
		// The first session replays the other session's callback.
		if status := getStatus(t, c, stolen); status != http.StatusBadRequest {
			t.Errorf("callback from another session: status %d, want 400", status)
		}
		// The state is spent by the rejected use too.
		if status := getStatus(t, other, stolen); status != http.StatusBadRequest {
			t.Errorf("callback after the rejected use: status %d, want 400", status)
		}
	})
}

func getStatus(t *testing.T, c *http.Client, target string) int {
	t.Helper()
	resp, err := c.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// hubspotConsent serves /oauth/authorize in front of the HubSpot
// emulator, which lacks HubSpot's consent page: it approves at once for
// the seeded app, as a person who clicks Connect app would.
func hubspotConsent(t *testing.T, hs **hsemu.Emulator, scopes *[]string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		mux := http.NewServeMux()
		mux.Handle("/", next)
		mux.HandleFunc("GET /oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			if q.Get("client_id") != hubspotClientID {
				http.Error(w, "unknown client_id", http.StatusBadRequest)
				return
			}
			*scopes = strings.Fields(q.Get("scope"))
			code, err := (*hs).IssueAuthorizationCode()
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			back, err := url.Parse(q.Get("redirect_uri"))
			if err != nil || back.Hostname() != "127.0.0.1" {
				http.Error(w, "redirect_uri must be on 127.0.0.1", http.StatusBadRequest)
				return
			}
			bq := back.Query()
			bq.Set("code", code)
			bq.Set("state", q.Get("state"))
			back.RawQuery = bq.Encode()
			http.Redirect(w, r, back.String(), http.StatusFound)
		})
		return mux
	}
}

func TestOAuthHubSpotEndToEnd(t *testing.T) {
	var hs *hsemu.Emulator
	var scopes []string
	f := newConnectFixture(t, hubspotConsent(t, &hs, &scopes))
	hs = f.HubSpot
	c := f.client()
	csrf := f.signIn(c)
	var visited []string
	follow(c, &visited)

	status, body := postPage(t, c, f.URL+"/connections/connect/oauth", url.Values{
		"csrf_token": {csrf}, "side": {"hubspot"}, "connection": {"acme"},
		"client_id": {hubspotClientID}, "client_secret": {hubspotClientSecret}, "base_url": {f.HubSpotURL},
	}, nil)
	if status != http.StatusOK || !strings.Contains(body, "Connected. The credentials are stored encrypted.") {
		t.Fatalf("status %d after the redirects %v, want the connections page with the flash:\n%s", status, visited, truncate(body))
	}
	if len(visited) < 2 || !strings.HasPrefix(visited[1], f.URL+"/connections/acme/oauth/hubspot/callback?") {
		t.Fatalf("visited %v, want the consent page, then the UI's callback", visited)
	}
	for _, want := range []string{"crm.objects.contacts.write", "crm.objects.companies.write", "crm.lists.read", "crm.objects.owners.read", "communication_preferences.read_write"} {
		if !slices.Contains(scopes, want) {
			t.Errorf("requested scopes %v lack %s", scopes, want)
		}
	}
	if strings.Contains(visited[0], hubspotClientSecret) {
		t.Error("the consent URL carries the client secret")
	}

	cred, err := f.storedCredential(t, "acme", store.HubSpot)
	if err != nil {
		t.Fatalf("HubSpot credentials not stored: %v", err)
	}
	if bytes.Contains(cred.Ciphertext, []byte(hubspotClientSecret)) {
		t.Error("the ciphertext contains the client secret")
	}
	f.assertNotInFiles(t, hubspotClientSecret)
	f.assertNotLogged(t, hubspotClientSecret)

	if status := getStatus(t, c, visited[1]); status != http.StatusBadRequest {
		t.Errorf("second callback with the same state: status %d, want 400", status)
	}
}

func TestOAuthStartRejectsBadInput(t *testing.T) {
	f := newConnectFixture(t, nil)
	c := f.client()
	csrf := f.signIn(c)

	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"http login URL off loopback", url.Values{"side": {"salesforce"}, "connection": {"acme"}, "login_url": {"http://login.example.com"}, "client_id": {"3MVG9"}}, http.StatusBadRequest, "“http://login.example.com” is not a web address"},
		{"login URL with a path", url.Values{"side": {"salesforce"}, "connection": {"acme"}, "login_url": {f.SalesforceURL + "/services"}, "client_id": {"3MVG9"}}, http.StatusBadRequest, "is not a web address"},
		{"missing client id", url.Values{"side": {"salesforce"}, "connection": {"acme"}, "login_url": {f.SalesforceURL}}, http.StatusBadRequest, "Enter the consumer key."},
		{"hubspot without secret", url.Values{"side": {"hubspot"}, "connection": {"acme"}, "client_id": {hubspotClientID}}, http.StatusBadRequest, "Enter the client secret of the HubSpot app."},
		{"bad connection name", url.Values{"side": {"hubspot"}, "connection": {"../x"}, "client_id": {hubspotClientID}, "client_secret": {"x"}}, http.StatusBadRequest, "is not a valid connection name"},
		{"unknown side", url.Values{"side": {"pipedrive"}, "connection": {"acme"}, "client_id": {"x"}}, http.StatusBadRequest, "“pipedrive” is not a system"},
		{"no CSRF token", url.Values{"side": {"salesforce"}, "connection": {"acme"}, "login_url": {f.SalesforceURL}, "client_id": {"3MVG9"}}, http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.status != http.StatusForbidden {
				tt.form.Set("csrf_token", csrf)
			}
			status, body := postPage(t, c, f.URL+"/connections/connect/oauth", tt.form, nil)
			if status != tt.status {
				t.Fatalf("status %d, want %d\n%s", status, tt.status, truncate(body))
			}
			if !strings.Contains(body, tt.want) {
				t.Errorf("page lacks %q", tt.want)
			}
		})
	}

	t.Run("callback with an unknown state", func(t *testing.T) {
		if status := getStatus(t, c, f.URL+"/connections/acme/oauth/salesforce/callback?code=x&state=guess"); status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
	})
	t.Run("denied at the vendor", func(t *testing.T) {
		// Start a flow to get a state, then come back with an error as
		// Salesforce does when the user denies access.
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := c.PostForm(f.URL+"/connections/connect/oauth", url.Values{
			"csrf_token": {csrf}, "side": {"salesforce"}, "connection": {"acme"}, "login_url": {f.SalesforceURL}, "client_id": {f.creds.SalesforceClientID},
		})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		back := f.URL + "/connections/acme/oauth/salesforce/callback?" + url.Values{
			"state": {loc.Query().Get("state")}, "error": {"access_denied"}, "error_description": {"end-user denied authorization"},
		}.Encode()
		resp, err = c.Get(back)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadGateway || !strings.Contains(string(b), "Salesforce did not grant access: access_denied (end-user denied authorization)") {
			t.Errorf("status %d, want 502 with the vendor's reason:\n%s", resp.StatusCode, truncate(string(b)))
		}
		if _, err := f.storedCredential(t, "acme", store.Salesforce); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("stored after a denial: %v", err)
		}
	})
}

func TestConnectPagesInBothLanguages(t *testing.T) {
	f := newConnectFixture(t, nil)
	c := f.client()
	f.signIn(c)
	for _, side := range []string{"hubspot", "salesforce"} {
		for lang, want := range map[string]string{"en": "Continue to", "nl": "Verder naar"} {
			req, _ := http.NewRequest(http.MethodGet, f.URL+"/connections/connect?side="+side, nil)
			req.Header.Set("Accept-Language", lang)
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if !strings.Contains(body, want) {
				t.Errorf("%s page (%s) lacks %q", side, lang, want)
			}
			if callback := f.URL + "/connections/default/oauth/" + side + "/callback"; !strings.Contains(body, callback) {
				t.Errorf("%s page (%s) does not show the callback URL %s", side, lang, callback)
			}
			assertNoMissingMessages(t, side+" connect page ("+lang+")", body)
		}
	}
}
