package salesforce_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/salesforce"
)

func TestClientCredentialsLogin(t *testing.T) {
	e := setup(t, nil)
	instance, err := e.client.Authenticate(e.ctx)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	if instance != e.srv.URL {
		t.Errorf("instance URL = %q, want %q", instance, e.srv.URL)
	}
}

func TestClientCredentialsWrongSecret(t *testing.T) {
	e := setup(t, nil, func(c *salesforce.Config) { c.ClientSecret = "wrong" })
	_, err := e.client.Authenticate(e.ctx)
	var se *salesforce.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want *salesforce.Error", err)
	}
	if se.Code != "invalid_client" {
		t.Errorf("code = %q, want invalid_client", se.Code)
	}
	if got := salesforce.ClassOf(err); got != salesforce.ClassFatal {
		t.Errorf("class = %v, want fatal", got)
	}
}

func TestJWTBearerLogin(t *testing.T) {
	keyPEM, certPEM := newKeyPair(t)
	seed := baseSeed()
	seed.Config.OAuth.JWTCertificatePEM = certPEM
	e := setup(t, seed, func(c *salesforce.Config) {
		c.Auth = salesforce.AuthJWTBearer
		c.Username = testUsername
		c.PrivateKeyPEM = keyPEM
	})
	if _, err := e.client.Authenticate(e.ctx); err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	if _, err := e.client.Limits(e.ctx); err != nil {
		t.Fatalf("limits after JWT login: %v", err)
	}
}

func TestJWTBearerWrongKey(t *testing.T) {
	_, certPEM := newKeyPair(t)
	otherKey, _ := newKeyPair(t)
	seed := baseSeed()
	seed.Config.OAuth.JWTCertificatePEM = certPEM
	e := setup(t, seed, func(c *salesforce.Config) {
		c.Auth = salesforce.AuthJWTBearer
		c.Username = testUsername
		c.PrivateKeyPEM = otherKey
	})
	_, err := e.client.Authenticate(e.ctx)
	var se *salesforce.Error
	if !errors.As(err, &se) || se.Code != "invalid_grant" {
		t.Fatalf("error = %v, want invalid_grant", err)
	}
}

func TestJWTBearerUnknownUser(t *testing.T) {
	keyPEM, certPEM := newKeyPair(t)
	seed := baseSeed()
	seed.Config.OAuth.JWTCertificatePEM = certPEM
	e := setup(t, seed, func(c *salesforce.Config) {
		c.Auth = salesforce.AuthJWTBearer
		c.Username = "nobody@koppel.example"
		c.PrivateKeyPEM = keyPEM
	})
	_, err := e.client.Authenticate(e.ctx)
	var se *salesforce.Error
	if !errors.As(err, &se) || se.Code != "invalid_grant" {
		t.Fatalf("error = %v, want invalid_grant", err)
	}
}

func TestRefreshTokenLogin(t *testing.T) {
	seed := baseSeed()
	seed.Config.OAuth.RefreshTokens = []string{"5Aep-test-refresh"}
	e := setup(t, seed, func(c *salesforce.Config) {
		c.Auth = salesforce.AuthRefreshToken
		c.RefreshToken = "5Aep-test-refresh"
	})
	if _, err := e.client.Limits(e.ctx); err != nil {
		t.Fatalf("limits with refresh token: %v", err)
	}
}

func TestRefreshTokenRevoked(t *testing.T) {
	e := setup(t, nil, func(c *salesforce.Config) {
		c.Auth = salesforce.AuthRefreshToken
		c.RefreshToken = "5Aep-unknown"
	})
	_, err := e.client.Limits(e.ctx)
	var se *salesforce.Error
	if !errors.As(err, &se) || se.Code != "invalid_grant" {
		t.Fatalf("error = %v, want invalid_grant", err)
	}
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	e := setup(t, nil)
	cfg := salesforce.Config{LoginURL: e.srv.URL, ClientID: testClientID, ClientSecret: testClientSecret, HTTPClient: e.srv.Client()}
	redirect := "http://127.0.0.1:9/callback"

	start, err := salesforce.StartAuthCode(cfg, redirect, "state-123")
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if !strings.Contains(start.URL, "code_challenge_method=S256") {
		t.Errorf("authorize URL %q lacks the S256 challenge", start.URL)
	}

	// Follow the authorize URL as a browser would, without following
	// the redirect to the callback.
	hc := *e.srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Get(start.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize status = %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Query().Get("state"); got != "state-123" {
		t.Errorf("state = %q, want state-123", got)
	}

	if _, err := salesforce.FinishAuthCode(e.ctx, cfg, redirect, loc.Query().Get("code"), "wrong-verifier-wrong-verifier-wrong-verifier"); err == nil {
		t.Fatal("exchange with a wrong verifier succeeded")
	}

	// A code is single use, so start again for the real exchange.
	start, _ = salesforce.StartAuthCode(cfg, redirect, "state-456")
	resp, err = hc.Get(start.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ = url.Parse(resp.Header.Get("Location"))
	tok, err := salesforce.FinishAuthCode(e.ctx, cfg, redirect, loc.Query().Get("code"), start.Verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if tok.RefreshToken == "" || tok.InstanceURL != e.srv.URL {
		t.Fatalf("token = %v (refresh token set: %v)", tok, tok.RefreshToken != "")
	}
	if strings.Contains(tok.String(), tok.AccessToken) {
		t.Error("Token.String leaks the access token")
	}

	c, err := salesforce.New(salesforce.Config{LoginURL: e.srv.URL, Auth: salesforce.AuthRefreshToken, ClientID: testClientID,
		ClientSecret: testClientSecret, RefreshToken: tok.RefreshToken, HTTPClient: e.srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Limits(e.ctx); err != nil {
		t.Fatalf("limits with the issued refresh token: %v", err)
	}
}

func TestExpiredSessionReauthenticatesOnce(t *testing.T) {
	e := setup(t, nil)
	if _, err := e.client.Limits(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.emu.ExpireSessions()
	if _, err := e.client.Limits(e.ctx); err != nil {
		t.Fatalf("call after expiry: %v", err)
	}
	if got := e.client.Usage().Calls; got != 3 {
		t.Errorf("calls = %d, want 3 (first call, rejected call, retry)", got)
	}
}

func TestStaticTokenRejectedIsReauth(t *testing.T) {
	e := setup(t, nil)
	e.client = mustNew(t, salesforce.Config{Auth: salesforce.AuthAccessToken, AccessToken: "00D!not-a-session", InstanceURL: e.srv.URL, HTTPClient: e.srv.Client(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	_, err := e.client.Limits(e.ctx)
	if got := salesforce.ClassOf(err); got != salesforce.ClassReauth {
		t.Fatalf("class = %v (error %v), want reauth", got, err)
	}
}

func mustNew(t *testing.T, cfg salesforce.Config) *salesforce.Client {
	t.Helper()
	c, err := salesforce.New(cfg)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c
}

func TestConfigValidation(t *testing.T) {
	cases := []struct {
		name string
		cfg  salesforce.Config
		want string
	}{
		{"missing auth", salesforce.Config{}, "missing Auth"},
		{"unknown auth", salesforce.Config{Auth: "password"}, "unknown Auth"},
		{"client credentials without secret", salesforce.Config{Auth: salesforce.AuthClientCredentials, ClientID: "x"}, "ClientSecret"},
		{"jwt without key", salesforce.Config{Auth: salesforce.AuthJWTBearer, ClientID: "x", Username: "u"}, "PrivateKeyPEM"},
		{"bad login URL", salesforce.Config{Auth: salesforce.AuthClientCredentials, ClientID: "x", ClientSecret: "y", LoginURL: "ftp://x"}, "LoginURL"},
		{"bad version", salesforce.Config{Auth: salesforce.AuthClientCredentials, ClientID: "x", ClientSecret: "y", APIVersion: "66"}, "APIVersion"},
		{"bad batch size", salesforce.Config{Auth: salesforce.AuthClientCredentials, ClientID: "x", ClientSecret: "y", BatchSize: 50}, "BatchSize"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := salesforce.New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
