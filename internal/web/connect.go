package web

import (
	"net/http"
	"strings"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// ConnectRequest is one side's credentials for a connection, as an admin
// entered them on the connect page. The connection may not exist yet.
type ConnectRequest struct {
	Connection string
	Side       store.Side

	// Exactly one of HubSpot and Salesforce is set, for Side.
	HubSpot    *connection.HubSpotCredentials
	Salesforce *connection.SalesforceCredentials
}

// salesforceSandboxURL is Salesforce's generic sandbox login host.
const salesforceSandboxURL = "https://test.salesforce.com"

// Limits on the connect form's values.
const (
	maxConnectionName = 64
	maxSecretLength   = 4096
)

type connectPage struct {
	Side       string
	Connection string
	BaseURL    string
	LoginURL   string
	ClientID   string
	Errors     []string

	// Origin is the UI's origin, for the OAuth callback URLs.
	Origin string
}

// CallbackURL returns the OAuth redirect URI of side for the page's
// connection, which the vendor's app must list.
func (p *connectPage) CallbackURL(side string) string {
	name := p.Connection
	if name == "" {
		name = connection.DefaultName
	}
	return p.Origin + "/connections/" + name + "/oauth/" + side + "/callback"
}

func (s *server) getConnect(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Connect == nil {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	page := &connectPage{Side: q.Get("side"), Connection: q.Get("connection"), LoginURL: salesforce.DefaultLoginURL}
	if page.Side != string(store.Salesforce) {
		page.Side = string(store.HubSpot)
	}
	if page.Connection == "" {
		page.Connection = connection.DefaultName
	}
	page.Origin = s.publicOrigin(r)
	s.render(w, r, http.StatusOK, "connect", pageData{Title: "connect.title", Nav: "connections", Body: page})
}

// postConnect checks the form and hands the credentials to
// Config.Connect, which checks them against the vendor and stores them
// encrypted as koppel connect does. The secrets are never shown again.
func (s *server) postConnect(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Connect == nil {
		s.notFound(w, r)
		return
	}
	l := s.loc(r)
	page := &connectPage{
		Side: r.PostFormValue("side"), Connection: strings.TrimSpace(r.PostFormValue("connection")),
		BaseURL: strings.TrimSpace(r.PostFormValue("base_url")), LoginURL: strings.TrimSpace(r.PostFormValue("login_url")),
		ClientID: strings.TrimSpace(r.PostFormValue("client_id")),
	}
	page.Origin = s.publicOrigin(r)
	pd := pageData{Title: "connect.title", Nav: "connections", Body: page}
	req := ConnectRequest{Connection: page.Connection, Side: store.Side(page.Side)}

	if !validUsernameLike(page.Connection) {
		page.Errors = append(page.Errors, l.T("connect.err_name", "Value", page.Connection))
	}
	switch req.Side {
	case store.HubSpot:
		token := strings.TrimSpace(r.PostFormValue("access_token"))
		if token == "" || len(token) > maxSecretLength {
			page.Errors = append(page.Errors, l.T("connect.err_token"))
		}
		base := ""
		if page.BaseURL != "" {
			var ok bool
			if base, ok = serviceURL(page.BaseURL); !ok {
				page.Errors = append(page.Errors, l.T("connect.err_url", "Value", page.BaseURL))
			}
		}
		req.HubSpot = &connection.HubSpotCredentials{BaseURL: base, AccessToken: token}
	case store.Salesforce:
		secret := strings.TrimSpace(r.PostFormValue("client_secret"))
		login, ok := serviceURL(page.LoginURL)
		switch {
		case !ok:
			page.Errors = append(page.Errors, l.T("connect.err_url", "Value", page.LoginURL))
		case login == salesforce.DefaultLoginURL || login == salesforceSandboxURL:
			// Salesforce rejects client credentials on the generic login
			// hosts; saying so before the request also names the fix.
			page.Errors = append(page.Errors, l.T("connect.err_my_domain", "Value", login))
		}
		if page.ClientID == "" || len(page.ClientID) > maxSecretLength {
			page.Errors = append(page.Errors, l.T("connect.err_client_id"))
		}
		if secret == "" || len(secret) > maxSecretLength {
			page.Errors = append(page.Errors, l.T("connect.err_client_secret"))
		}
		req.Salesforce = &connection.SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: login, ClientID: page.ClientID, ClientSecret: secret}
	default:
		page.Errors = append(page.Errors, l.T("connect.err_side", "Value", page.Side))
		page.Side = string(store.HubSpot)
	}
	if len(page.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "connect", pd)
		return
	}

	s.finishConnect(w, r, req, pd)
}

// validUsernameLike accepts a connection name: 1 to 64 letters, digits,
// dots, dashes and underscores.
func validUsernameLike(s string) bool {
	if s == "" || len(s) > maxConnectionName {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			return false
		}
	}
	return true
}

// MyDomainURL returns the login URL for the client credentials form,
// which Salesforce's generic login hosts do not serve.
func (p *connectPage) MyDomainURL() string {
	if p.LoginURL == salesforce.DefaultLoginURL || p.LoginURL == salesforceSandboxURL {
		return ""
	}
	return p.LoginURL
}
