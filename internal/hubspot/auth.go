package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// OAuthConfig configures the OAuth 2.0 authorization-code flow. Access
// tokens live 30 minutes; the client refreshes RefreshAhead before expiry,
// not after a 401, because a 401 does not prove the token expired.
type OAuthConfig struct {
	ClientID     string
	ClientSecret string
	RedirectURL  string

	// RefreshToken is the long-lived token from the code exchange.
	RefreshToken string

	// AccessToken and Expiry may carry a still valid token from a previous
	// run; leave them empty to refresh on the first call.
	AccessToken string
	Expiry      time.Time

	// TokenURL is the token endpoint. Default BaseURL + /oauth/v1/token.
	TokenURL string

	// RefreshAhead is how long before expiry a token is refreshed.
	// Default 5 minutes.
	RefreshAhead time.Duration

	// OnToken is called after every refresh, so the caller can store the
	// new tokens encrypted. It must not log them.
	OnToken func(Token)
}

// Token is an OAuth token pair.
type Token struct {
	AccessToken  string
	RefreshToken string
	Expiry       time.Time
}

type tokenSource interface {
	token(ctx context.Context) (string, error)
}

type staticToken string

func (t staticToken) token(context.Context) (string, error) { return string(t), nil }

// oauthSource refreshes through golang.org/x/oauth2 and keeps the token
// until RefreshAhead before its expiry.
type oauthSource struct {
	cfg     *oauth2.Config
	ahead   time.Duration
	now     func() time.Time
	onToken func(Token)

	mu         sync.Mutex
	current    *oauth2.Token
	httpClient *http.Client
}

func newOAuthSource(cfg Config, base *url.URL) (*oauthSource, error) {
	o := cfg.OAuth
	if o.ClientID == "" || o.ClientSecret == "" {
		return nil, errors.New("OAuth needs a client id and a client secret")
	}
	if o.RefreshToken == "" {
		return nil, errors.New("OAuth needs a refresh token; run the authorization-code exchange first")
	}
	tokenURL := o.TokenURL
	if tokenURL == "" {
		tokenURL = base.String() + "/oauth/v1/token"
	}
	if o.RefreshAhead <= 0 {
		o.RefreshAhead = 5 * time.Minute
	}
	src := &oauthSource{
		cfg: &oauth2.Config{
			ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
			Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams},
		},
		ahead: o.RefreshAhead, now: cfg.Now, onToken: o.OnToken,
		current:    &oauth2.Token{AccessToken: o.AccessToken, RefreshToken: o.RefreshToken, Expiry: o.Expiry},
		httpClient: cfg.HTTPClient,
	}
	return src, nil
}

func (s *oauthSource) token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.current.AccessToken != "" && s.now().Add(s.ahead).Before(s.current.Expiry) {
		return s.current.AccessToken, nil
	}

	// Only the refresh token is handed over, so x/oauth2 refreshes now.
	stale := &oauth2.Token{RefreshToken: s.current.RefreshToken, Expiry: time.Unix(1, 0)}
	// The call's context bounds the refresh, so a hanging token endpoint
	// cannot block the call past its timeout.
	refreshCtx := context.WithValue(ctx, oauth2.HTTPClient, s.httpClient)
	fresh, err := s.cfg.TokenSource(refreshCtx, stale).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			he := decodeError(re.Response.StatusCode, "POST", "/oauth/v1/token", re.Response.Header, re.Body)
			if he.Status/100 == 4 {
				he.Category = CategoryInvalidAuth
			}
			return "", fmt.Errorf("refresh OAuth token: %w", he)
		}
		return "", fmt.Errorf("refresh OAuth token: %w", err)
	}
	if fresh.RefreshToken == "" {
		fresh.RefreshToken = s.current.RefreshToken
	}
	// HubSpot returns expires_in; x/oauth2 turns it into an Expiry on the
	// real clock, so rebase it on the configured clock for tests.
	if fresh.ExpiresIn > 0 {
		fresh.Expiry = s.now().Add(time.Duration(fresh.ExpiresIn) * time.Second)
	}
	s.current = fresh
	if s.onToken != nil {
		s.onToken(Token{AccessToken: fresh.AccessToken, RefreshToken: fresh.RefreshToken, Expiry: fresh.Expiry})
	}
	return fresh.AccessToken, nil
}

// ExchangeCode trades an authorization code for tokens at the token
// endpoint (BaseURL + /oauth/v1/token unless cfg.TokenURL is set).
func ExchangeCode(ctx context.Context, baseURL string, cfg OAuthConfig, code string) (Token, error) {
	tokenURL := cfg.TokenURL
	if tokenURL == "" {
		if baseURL == "" {
			baseURL = DefaultBaseURL
		}
		tokenURL = baseURL + "/oauth/v1/token"
	}
	oc := &oauth2.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
		Endpoint: oauth2.Endpoint{TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInParams},
	}
	t, err := oc.Exchange(ctx, code)
	if err != nil {
		return Token{}, fmt.Errorf("exchange authorization code: %w", err)
	}
	return Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Expiry: t.Expiry}, nil
}
