package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// HubSpotAuthorizeURL is HubSpot's consent page for OAuth apps.
const HubSpotAuthorizeURL = "https://app.hubspot.com/oauth/authorize"

// HubSpotScopes are the scopes the HubSpot connect button requests: the
// contacts, companies and their properties, the owners, the lists and
// the communication preferences koppel reads and writes.
var HubSpotScopes = []string{
	"crm.objects.contacts.read", "crm.objects.contacts.write",
	"crm.objects.companies.read", "crm.objects.companies.write",
	"crm.schemas.contacts.read", "crm.schemas.contacts.write",
	"crm.schemas.companies.read", "crm.schemas.companies.write",
	"crm.objects.owners.read", "crm.lists.read",
	"communication_preferences.read_write",
}

// OAuth limits: a person has ten minutes to pass the vendor's login and
// consent page, and the server keeps at most this many flows in memory.
const (
	oauthLifetime   = 10 * time.Minute
	maxOAuthPending = 256
)

// oauthPending is one started OAuth flow, kept in memory until its
// callback. The client secret never leaves the server.
type oauthPending struct {
	sessionHash  []byte // the session that started the flow
	side         store.Side
	connection   string
	redirectURI  string
	loginURL     string // Salesforce
	baseURL      string // HubSpot API root; empty for HubSpot itself
	clientID     string
	clientSecret string
	verifier     string // PKCE, Salesforce
	expires      time.Time
}

// oauthStates maps an OAuth state value to its flow. Taking a state
// deletes it, so every state works once.
type oauthStates struct {
	mu      sync.Mutex
	pending map[string]*oauthPending
}

func (o *oauthStates) put(state string, p *oauthPending, now time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending == nil {
		o.pending = map[string]*oauthPending{}
	}
	for k, v := range o.pending {
		if !now.Before(v.expires) {
			delete(o.pending, k)
		}
	}
	if len(o.pending) >= maxOAuthPending {
		return errors.New("too many OAuth flows in progress; wait ten minutes and try again")
	}
	o.pending[state] = p
	return nil
}

func (o *oauthStates) take(state string, now time.Time) (*oauthPending, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	p, ok := o.pending[state]
	delete(o.pending, state)
	if !ok || !now.Before(p.expires) {
		return nil, false
	}
	return p, true
}

// publicOrigin returns the UI's origin for redirect URIs.
func (s *server) publicOrigin(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if s.cfg.TLS || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// postOAuthStart checks the OAuth form and sends the browser to the
// vendor's consent page.
func (s *server) postOAuthStart(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Connect == nil {
		s.notFound(w, r)
		return
	}
	l := s.loc(r)
	page := &connectPage{
		Side: r.PostFormValue("side"), Connection: strings.TrimSpace(r.PostFormValue("connection")),
		BaseURL: strings.TrimSpace(r.PostFormValue("base_url")), LoginURL: strings.TrimSpace(r.PostFormValue("login_url")),
		ClientID: strings.TrimSpace(r.PostFormValue("client_id")), Origin: s.publicOrigin(r),
	}
	pd := pageData{Title: "connect.title", Nav: "connections", Body: page}
	secret := strings.TrimSpace(r.PostFormValue("client_secret"))
	if !validUsernameLike(page.Connection) {
		page.Errors = append(page.Errors, l.T("connect.err_name", "Value", page.Connection))
	}
	// HubSpot calls them client ID and secret, Salesforce consumer key
	// and secret.
	idMsg, secretMsg := "connect.err_client_id", "connect.err_client_secret"
	if page.Side == string(store.HubSpot) {
		idMsg, secretMsg = "connect.err_hubspot_client_id", "connect.err_hubspot_client_secret"
	}
	if page.ClientID == "" || len(page.ClientID) > maxSecretLength {
		page.Errors = append(page.Errors, l.T(idMsg))
	}
	if len(secret) > maxSecretLength {
		page.Errors = append(page.Errors, l.T(secretMsg))
	}

	p := &oauthPending{
		sessionHash: state(r).session.TokenHash, side: store.Side(page.Side), connection: page.Connection,
		clientID: page.ClientID, clientSecret: secret, expires: s.now().Add(oauthLifetime),
	}
	switch p.side {
	case store.Salesforce:
		login, ok := serviceURL(page.LoginURL)
		if !ok {
			page.Errors = append(page.Errors, l.T("connect.err_url", "Value", page.LoginURL))
		}
		p.loginURL = login
	case store.HubSpot:
		if secret == "" {
			page.Errors = append(page.Errors, l.T(secretMsg))
		}
		if page.BaseURL != "" {
			base, ok := serviceURL(page.BaseURL)
			if !ok {
				page.Errors = append(page.Errors, l.T("connect.err_url", "Value", page.BaseURL))
			}
			p.baseURL = base
		}
	default:
		page.Errors = append(page.Errors, l.T("connect.err_side", "Value", page.Side))
		page.Side = string(store.HubSpot)
	}
	if len(page.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "connect", pd)
		return
	}

	p.redirectURI = s.publicOrigin(r) + "/connections/" + p.connection + "/oauth/" + string(p.side) + "/callback"
	stateValue, err := randomToken(32)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var target string
	switch p.side {
	case store.Salesforce:
		ac, err := salesforce.StartAuthCode(salesforce.Config{LoginURL: p.loginURL, ClientID: p.clientID, ClientSecret: p.clientSecret}, p.redirectURI, stateValue)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.verifier, target = ac.Verifier, ac.URL
	case store.HubSpot:
		target = hubspotAuthorizeURL(p, stateValue)
	}
	if err := s.oauth.put(stateValue, p, s.now()); err != nil {
		page.Errors = []string{l.T("connect.err_busy")}
		s.render(w, r, http.StatusServiceUnavailable, "connect", pd)
		return
	}
	s.log.Info("OAuth connect started", "connection", p.connection, "side", p.side, "user_id", state(r).user.ID)
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// hubspotAuthorizeURL returns HubSpot's consent page, or the same path
// on the API root the admin entered, which is where the HubSpot emulator
// serves its stand-in consent page.
func hubspotAuthorizeURL(p *oauthPending, stateValue string) string {
	base := HubSpotAuthorizeURL
	if p.baseURL != "" {
		base = p.baseURL + "/oauth/authorize"
	}
	q := url.Values{
		"client_id": {p.clientID}, "redirect_uri": {p.redirectURI},
		"scope": {strings.Join(HubSpotScopes, " ")}, "state": {stateValue},
	}
	return base + "?" + q.Encode()
}

// getOAuthCallback takes the vendor's redirect after consent: it checks
// the state against the session, exchanges the code for a refresh token,
// and hands the credentials to Config.Connect, which checks and stores
// them encrypted.
func (s *server) getOAuthCallback(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Connect == nil {
		s.notFound(w, r)
		return
	}
	l := s.loc(r)
	q := r.URL.Query()
	name, side := r.PathValue("conn"), store.Side(r.PathValue("side"))
	page := &connectPage{Side: string(side), Connection: name, Origin: s.publicOrigin(r)}
	if side != store.Salesforce && side != store.HubSpot {
		s.notFound(w, r)
		return
	}
	pd := pageData{Title: "connect.title", Nav: "connections", Body: page}
	fail := func(status int, msg string) {
		page.Errors = []string{msg}
		s.render(w, r, status, "connect", pd)
	}

	p, ok := s.oauth.take(q.Get("state"), s.now())
	if !ok || subtle.ConstantTimeCompare(p.sessionHash, state(r).session.TokenHash) != 1 || p.side != side || p.connection != name {
		s.log.Warn("rejected an OAuth callback with an unknown, used or foreign state", "connection", name, "side", side)
		fail(http.StatusBadRequest, l.T("connect.err_state"))
		return
	}
	page.LoginURL, page.BaseURL, page.ClientID = p.loginURL, p.baseURL, p.clientID
	vendor := sideName(side)
	if e := q.Get("error"); e != "" {
		reason := e
		if d := q.Get("error_description"); d != "" {
			reason += " (" + d + ")"
		}
		fail(http.StatusBadGateway, l.T("connect.err_denied", "System", vendor, "Reason", reason))
		return
	}
	code := q.Get("code")
	if code == "" || len(code) > maxSecretLength {
		fail(http.StatusBadRequest, l.T("connect.err_denied", "System", vendor, "Reason", "no code"))
		return
	}

	ctx, cancel := context.WithTimeout(r.Context(), connection.CheckTimeout)
	defer cancel()
	req := ConnectRequest{Connection: p.connection, Side: side}
	switch side {
	case store.Salesforce:
		tok, err := salesforce.FinishAuthCode(ctx, salesforce.Config{LoginURL: p.loginURL, ClientID: p.clientID, ClientSecret: p.clientSecret}, p.redirectURI, code, p.verifier)
		if err != nil {
			s.log.Warn("Salesforce code exchange failed", "connection", name, "err", err)
			fail(http.StatusBadGateway, l.T("connect.err_exchange", "System", vendor, "Error", err.Error()))
			return
		}
		if tok.RefreshToken == "" {
			fail(http.StatusBadGateway, l.T("connect.err_no_refresh"))
			return
		}
		req.Salesforce = &connection.SalesforceCredentials{
			Auth: salesforce.AuthRefreshToken, LoginURL: p.loginURL, ClientID: p.clientID,
			ClientSecret: p.clientSecret, RefreshToken: tok.RefreshToken,
		}
	case store.HubSpot:
		tok, err := hubspot.ExchangeCode(ctx, p.baseURL, hubspot.OAuthConfig{ClientID: p.clientID, ClientSecret: p.clientSecret, RedirectURL: p.redirectURI}, code)
		if err != nil {
			s.log.Warn("HubSpot code exchange failed", "connection", name, "err", err)
			fail(http.StatusBadGateway, l.T("connect.err_exchange", "System", vendor, "Error", err.Error()))
			return
		}
		if tok.RefreshToken == "" {
			fail(http.StatusBadGateway, l.T("connect.err_no_refresh"))
			return
		}
		req.HubSpot = &connection.HubSpotCredentials{BaseURL: p.baseURL, ClientID: p.clientID, ClientSecret: p.clientSecret, RefreshToken: tok.RefreshToken}
	}
	s.finishConnect(w, r, req, pd)
}

// finishConnect hands checked form values or OAuth tokens to
// Config.Connect and shows the outcome.
func (s *server) finishConnect(w http.ResponseWriter, r *http.Request, req ConnectRequest, pd pageData) {
	page := pd.Body.(*connectPage)
	err := s.cfg.Connect(r.Context(), req)
	var setupErr *SetupError
	if errors.As(err, &setupErr) {
		s.log.Warn("credentials stored from the UI, but the HubSpot property setup failed", "connection", req.Connection, "side", req.Side, "err", err)
		http.Redirect(w, r, "/connections?connected="+url.QueryEscape(string(req.Side))+"&setup_failed=1", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.log.Warn("connect from the UI failed", "connection", req.Connection, "side", req.Side, "err", err)
		page.Errors = []string{s.loc(r).T("connect.err_check", "Error", i18n.New(state(r).lang).Localize(err))}
		s.render(w, r, http.StatusBadGateway, "connect", pd)
		return
	}
	s.log.Info("credentials stored from the UI", "connection", req.Connection, "side", req.Side, "user_id", state(r).user.ID)
	http.Redirect(w, r, "/connections?connected="+url.QueryEscape(string(req.Side)), http.StatusSeeOther)
}

// serviceURL accepts an https URL of a host, or http for a loopback host
// where the emulators run, without user, path or query. It returns the
// URL as scheme://host.
func serviceURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", false
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", false
	}
	return u.Scheme + "://" + u.Host, true
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sideName(side store.Side) string {
	if side == store.Salesforce {
		return "Salesforce"
	}
	return "HubSpot"
}
