package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
	"golang.org/x/oauth2/jwt"
)

// Token is an access token with the Salesforce fields of the token
// response.
type Token struct {
	AccessToken  string
	RefreshToken string
	// InstanceURL is the org's API host, such as
	// https://acme.my.salesforce.com.
	InstanceURL string
	// ID is the identity URL, which ends in the org id and user id.
	ID       string
	IssuedAt time.Time
	Scope    string
}

// String hides the secrets, so a Token printed by mistake leaks nothing.
func (t Token) String() string {
	return fmt.Sprintf("Token{instance_url=%s, issued_at=%s}", t.InstanceURL, t.IssuedAt.Format(time.RFC3339))
}

func tokenFromOAuth2(t *oauth2.Token) *Token {
	out := &Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken}
	if s, ok := t.Extra("instance_url").(string); ok {
		out.InstanceURL = s
	}
	if s, ok := t.Extra("id").(string); ok {
		out.ID = s
	}
	if s, ok := t.Extra("scope").(string); ok {
		out.Scope = s
	}
	if s, ok := t.Extra("issued_at").(string); ok {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
			out.IssuedAt = time.UnixMilli(ms).UTC()
		}
	}
	return out
}

// authenticator holds the current token and fetches a new one on demand.
type authenticator struct {
	cfg   Config
	fetch func(ctx context.Context) (*Token, error)

	mu      sync.Mutex
	current *Token
}

func newAuthenticator(cfg Config) *authenticator {
	a := &authenticator{cfg: cfg}
	switch cfg.Auth {
	case AuthClientCredentials:
		cc := clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     cfg.TokenURL,
			AuthStyle:    oauth2.AuthStyleInParams,
		}
		a.fetch = func(ctx context.Context) (*Token, error) {
			t, err := cc.Token(a.oauthContext(ctx))
			if err != nil {
				return nil, tokenError(err)
			}
			return tokenFromOAuth2(t), nil
		}
	case AuthJWTBearer:
		a.fetch = func(ctx context.Context) (*Token, error) {
			jc := jwt.Config{
				Email:      cfg.ClientID,
				Subject:    cfg.Username,
				PrivateKey: cfg.PrivateKeyPEM,
				TokenURL:   cfg.TokenURL,
				Audience:   cfg.Audience,
				// Salesforce accepts assertions that expire at most three
				// minutes ahead.
				Expires: 3 * time.Minute,
			}
			t, err := jc.TokenSource(a.oauthContext(ctx)).Token()
			if err != nil {
				return nil, tokenError(err)
			}
			return tokenFromOAuth2(t), nil
		}
	case AuthRefreshToken:
		oc := oauthConfig(cfg, "")
		a.fetch = func(ctx context.Context) (*Token, error) {
			t, err := oc.TokenSource(a.oauthContext(ctx), &oauth2.Token{RefreshToken: cfg.RefreshToken}).Token()
			if err != nil {
				return nil, tokenError(err)
			}
			tok := tokenFromOAuth2(t)
			tok.RefreshToken = cfg.RefreshToken
			return tok, nil
		}
	case AuthAccessToken:
		a.current = &Token{AccessToken: cfg.AccessToken, InstanceURL: cfg.InstanceURL}
		a.fetch = func(ctx context.Context) (*Token, error) {
			return nil, &Error{Code: "INVALID_SESSION_ID", Message: "access token rejected and this client has no way to obtain another", HTTPStatus: 401}
		}
	}
	return a
}

func (a *authenticator) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, a.cfg.HTTPClient)
}

// token returns the current token, fetching one when there is none or
// when stale is the token the caller saw rejected.
func (a *authenticator) token(ctx context.Context, stale *Token) (*Token, error) {
	a.mu.Lock()
	defer a.mu.Unlock()

	if a.current != nil && a.current != stale {
		return a.current, nil
	}
	ctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	t, err := a.fetch(ctx)
	if err != nil {
		return nil, fmt.Errorf("authenticate with %s: %w", a.cfg.Auth, err)
	}
	if a.cfg.InstanceURL != "" {
		t.InstanceURL = a.cfg.InstanceURL
	}
	if t.InstanceURL == "" {
		return nil, errors.New("authenticate: token response has no instance_url; set Config.InstanceURL")
	}
	a.current = t
	return t, nil
}

// tokenError turns an oauth2 token endpoint failure into an *Error.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		code, desc := re.ErrorCode, re.ErrorDescription
		if code == "" {
			// The jwt package does not parse the error body.
			var body struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			if json.Unmarshal(re.Body, &body) == nil && body.Error != "" {
				code, desc = body.Error, body.Description
			} else {
				code = "HTTP_ERROR"
			}
		}
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		e := &Error{Code: code, Message: desc, HTTPStatus: status, Method: http.MethodPost}
		if re.Response != nil && re.Response.Request != nil {
			e.URL = re.Response.Request.URL.Redacted()
		}
		if status >= 500 {
			e.Code = "SERVER_UNAVAILABLE"
		}
		return e
	}
	return err
}

func oauthConfig(cfg Config, redirectURI string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   cfg.AuthURL,
			TokenURL:  cfg.TokenURL,
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirectURI,
		Scopes:      []string{"api", "refresh_token"},
	}
}

// AuthCode holds one authorization-code login in progress: the URL to
// send the user to, and the PKCE verifier to keep until the callback.
type AuthCode struct {
	URL      string
	Verifier string
	State    string
}

// StartAuthCode begins the authorization-code flow with PKCE (S256).
// Send the user to the returned URL; Salesforce redirects to redirectURI
// with code and state, which FinishAuthCode exchanges. Only LoginURL or
// AuthURL, TokenURL, ClientID and (when the app requires it)
// ClientSecret of cfg are used.
func StartAuthCode(cfg Config, redirectURI, state string) (AuthCode, error) {
	cfg, err := authCodeConfig(cfg)
	if err != nil {
		return AuthCode{}, err
	}
	if state == "" {
		return AuthCode{}, errors.New("start authorization code flow: missing state")
	}
	verifier := oauth2.GenerateVerifier()
	u := oauthConfig(cfg, redirectURI).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	return AuthCode{URL: u, Verifier: verifier, State: state}, nil
}

// FinishAuthCode exchanges the code of the callback for a token. Store
// the token's RefreshToken (encrypted) and use it with AuthRefreshToken.
func FinishAuthCode(ctx context.Context, cfg Config, redirectURI, code, verifier string) (*Token, error) {
	cfg, err := authCodeConfig(cfg)
	if err != nil {
		return nil, err
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, cfg.HTTPClient)
	t, err := oauthConfig(cfg, redirectURI).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange authorization code: %w", tokenError(err))
	}
	return tokenFromOAuth2(t), nil
}

func authCodeConfig(cfg Config) (Config, error) {
	if cfg.ClientID == "" {
		return cfg, errors.New("authorization code flow: missing ClientID")
	}
	return cfg.withDefaults()
}
