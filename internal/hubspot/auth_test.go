package hubspot_test

import (
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

func oauthSetup(t *testing.T, refreshAhead time.Duration, onToken func(hubspot.Token)) *env {
	return setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.PrivateAppTokens = nil
		s.Config.OAuth = &hsemu.OAuthConfig{ClientID: "client-1", ClientSecret: "secret-1", RefreshTokens: []string{"rt-seeded"}}
		c.AccessToken = ""
		c.OAuth = &hubspot.OAuthConfig{ClientID: "client-1", ClientSecret: "secret-1", RefreshToken: "rt-seeded",
			RefreshAhead: refreshAhead, OnToken: onToken}
	})
}

func TestOAuthRefreshesAheadOfExpiry(t *testing.T) {
	var refreshes []hubspot.Token
	e := oauthSetup(t, 5*time.Minute, func(tok hubspot.Token) { refreshes = append(refreshes, tok) })

	if _, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
		t.Fatalf("first call: %v", err)
	}
	if len(refreshes) != 1 {
		t.Fatalf("refreshes = %d, want 1 before the first call", len(refreshes))
	}
	if got := refreshes[0].Expiry.Sub(e.clock.Now()); got != 30*time.Minute {
		t.Errorf("token lifetime = %s, want 30m", got)
	}

	e.clock.Add(20 * time.Minute)
	if _, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
		t.Fatalf("call at 20m: %v", err)
	}
	if len(refreshes) != 1 {
		t.Errorf("refreshed at 20m, %d refreshes; the token is valid for 10 more minutes", len(refreshes))
	}

	// At 26 minutes the token has 4 minutes left, inside the 5-minute
	// margin: the client refreshes before the call instead of waiting
	// for a 401.
	e.clock.Add(6 * time.Minute)
	if _, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
		t.Fatalf("call at 26m: %v", err)
	}
	if len(refreshes) != 2 {
		t.Errorf("refreshes = %d at 26m, want 2", len(refreshes))
	}
	if u := e.client.Usage(); u.ByStatus[401] != 0 {
		t.Errorf("saw %d 401 answers; refresh must happen before expiry", u.ByStatus[401])
	}
	if refreshes[1].AccessToken == refreshes[0].AccessToken || refreshes[1].RefreshToken != "rt-seeded" {
		t.Errorf("second refresh = %+v, want a new access token and the same refresh token", refreshes[1])
	}
}

func TestOAuthExpiredTokenRejected(t *testing.T) {
	var issued hubspot.Token
	e := oauthSetup(t, 5*time.Minute, func(tok hubspot.Token) { issued = tok })
	if _, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
		t.Fatalf("first call: %v", err)
	}

	// A client that holds the access token without refreshing it gets
	// HubSpot's expired-token 401 once the 30 minutes are over.
	stale, err := hubspot.New(hubspot.Config{BaseURL: e.srv.URL, AccessToken: issued.AccessToken, Now: e.clock.Now,
		RateLimit: hubspot.RateLimitConfig{AccountKey: t.Name() + "/stale", Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stale.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
		t.Fatalf("call with a fresh token: %v", err)
	}
	e.clock.Add(30*time.Minute + time.Second)
	_, err = stale.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{})
	he := asError(t, err)
	if he.Status != 401 || he.Category != hubspot.CategoryExpiredAuth || he.Class() != hubspot.ClassPause {
		t.Errorf("status %d category %s class %v, want 401 EXPIRED_AUTHENTICATION pause", he.Status, he.Category, he.Class())
	}
}

func TestOAuthBadRefreshToken(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.OAuth = &hsemu.OAuthConfig{ClientID: "client-1", ClientSecret: "secret-1", RefreshTokens: []string{"rt-seeded"}}
		c.AccessToken = ""
		c.OAuth = &hubspot.OAuthConfig{ClientID: "client-1", ClientSecret: "secret-1", RefreshToken: "rt-revoked"}
	})
	_, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{})
	he := asError(t, err)
	if he.Status != 400 || he.Class() != hubspot.ClassPause {
		t.Errorf("status %d class %v category %s, want 400 pause", he.Status, he.Class(), he.Category)
	}
}

func TestExchangeCode(t *testing.T) {
	e := oauthSetup(t, 5*time.Minute, nil)
	code, err := e.emu.IssueAuthorizationCode()
	if err != nil {
		t.Fatal(err)
	}
	cfg := hubspot.OAuthConfig{ClientID: "client-1", ClientSecret: "secret-1", RedirectURL: "http://127.0.0.1/callback"}
	tok, err := hubspot.ExchangeCode(e.ctx, e.srv.URL, cfg, code)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Errorf("token = %+v, want access and refresh tokens", tok)
	}
	if _, err := hubspot.ExchangeCode(e.ctx, e.srv.URL, cfg, code); err == nil {
		t.Error("a used authorization code was accepted twice")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  hubspot.Config
	}{
		{"no credentials", hubspot.Config{BaseURL: "http://127.0.0.1:1"}},
		{"both credentials", hubspot.Config{AccessToken: "x", OAuth: &hubspot.OAuthConfig{ClientID: "a", ClientSecret: "b", RefreshToken: "c"}}},
		{"bad base URL", hubspot.Config{BaseURL: "ftp://example", AccessToken: "x"}},
		{"OAuth without refresh token", hubspot.Config{OAuth: &hubspot.OAuthConfig{ClientID: "a", ClientSecret: "b"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := hubspot.New(tc.cfg); err == nil {
				t.Error("New accepted the config")
			}
		})
	}
}
