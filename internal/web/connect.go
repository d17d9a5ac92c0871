package web

import (
	"net/http"
	"net/url"
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
}

func (s *server) getConnect(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Connect == nil {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	page := &connectPage{Side: q.Get("side"), Connection: q.Get("connection"), LoginURL: "https://login.salesforce.com"}
	if page.Side != string(store.Salesforce) {
		page.Side = string(store.HubSpot)
	}
	if page.Connection == "" {
		page.Connection = connection.DefaultName
	}
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
		if page.BaseURL != "" && !validHTTPURL(page.BaseURL) {
			page.Errors = append(page.Errors, l.T("connect.err_url", "Value", page.BaseURL))
		}
		req.HubSpot = &connection.HubSpotCredentials{BaseURL: page.BaseURL, AccessToken: token}
	case store.Salesforce:
		secret := strings.TrimSpace(r.PostFormValue("client_secret"))
		if !validHTTPURL(page.LoginURL) {
			page.Errors = append(page.Errors, l.T("connect.err_url", "Value", page.LoginURL))
		}
		if page.ClientID == "" || len(page.ClientID) > maxSecretLength {
			page.Errors = append(page.Errors, l.T("connect.err_client_id"))
		}
		if secret == "" || len(secret) > maxSecretLength {
			page.Errors = append(page.Errors, l.T("connect.err_client_secret"))
		}
		req.Salesforce = &connection.SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: page.LoginURL, ClientID: page.ClientID, ClientSecret: secret}
	default:
		page.Errors = append(page.Errors, l.T("connect.err_side", "Value", page.Side))
		page.Side = string(store.HubSpot)
	}
	if len(page.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "connect", pd)
		return
	}

	if err := s.cfg.Connect(r.Context(), req); err != nil {
		s.log.Warn("connect from the UI failed", "connection", req.Connection, "side", req.Side, "err", err)
		page.Errors = []string{l.T("connect.err_check", "Error", err.Error())}
		s.render(w, r, http.StatusBadGateway, "connect", pd)
		return
	}
	s.log.Info("credentials stored from the UI", "connection", req.Connection, "side", req.Side, "user_id", state(r).user.ID)
	http.Redirect(w, r, "/connections?connected="+url.QueryEscape(string(req.Side)), http.StatusSeeOther)
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

func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}
