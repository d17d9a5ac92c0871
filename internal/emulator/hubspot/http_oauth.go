package hubspot

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// accessToken is an issued OAuth access token.
type accessToken struct {
	expires time.Time
	appID   int64
	scopes  []string
}

func randomToken(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

var oauthScopes = []string{
	"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.companies.read", "crm.objects.companies.write",
	"crm.schemas.contacts.read", "crm.lists.read", "crm.lists.write", "crm.objects.owners.read", "communication_preferences.read_write",
}

func (e *Emulator) routeOAuth(root *http.ServeMux) {
	root.HandleFunc("GET /oauth/authorize", e.handleAuthorize)
	root.HandleFunc("POST /oauth/v1/token", e.handleToken)
	root.HandleFunc("GET /oauth/v1/access-tokens/{token}", e.handleTokenInfo)
}

func oauthError(w http.ResponseWriter, status string, message string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"status": status, "message": message, "correlationId": newUUID()})
}

// handleToken serves the authorization-code and refresh-token grants with
// HubSpot's response and error shapes.
func (e *Emulator) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, "BAD_REQUEST", "Could not read the form body: "+err.Error())
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	o := e.cfg.OAuth
	if o == nil {
		oauthError(w, "BAD_CLIENT_ID", "missing or unknown client_id: this emulator has no OAuth app configured (set config.oauth in the seed)")
		return
	}

	if r.PostForm.Get("client_id") != o.ClientID {
		oauthError(w, "BAD_CLIENT_ID", "missing or unknown client_id")
		return
	}

	if r.PostForm.Get("client_secret") != o.ClientSecret {
		oauthError(w, "BAD_CLIENT_SECRET", "missing or invalid client_secret")
		return
	}

	var refresh string
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		valid := false
		for _, c := range o.AuthorizationCodes {
			valid = valid || (c == code && code != "")
		}
		if !valid || e.usedCodes[code] {
			oauthError(w, "BAD_AUTH_CODE", "missing or invalid auth code")
			return
		}
		e.usedCodes[code] = true
		refresh = randomToken("rt-")
		e.refreshOK[refresh] = true
	case "refresh_token":
		refresh = r.PostForm.Get("refresh_token")
		if !e.refreshOK[refresh] {
			oauthError(w, "BAD_REFRESH_TOKEN", "missing or unknown refresh token")
			return
		}
	default:
		oauthError(w, "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token")
		return
	}

	ttl := time.Duration(o.AccessTokenTTL)
	access := randomToken("at-")
	e.tokens[access] = accessToken{expires: e.now().Add(ttl), appID: e.cfg.AppID, scopes: oauthScopes}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type": "bearer", "access_token": access, "refresh_token": refresh, "expires_in": int(ttl / time.Second),
	})
}

// handleAuthorize stands in for HubSpot's consent page: a person who opens
// it grants access at once, and the browser goes back to redirect_uri with
// a one-time code and the caller's state. A request HubSpot would refuse
// gets a plain-text 400 instead of a redirect, as no app can be trusted
// with the code then.
func (e *Emulator) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()

	e.mu.Lock()
	o := e.cfg.OAuth
	e.mu.Unlock()
	if o == nil {
		http.Error(w, errNoOAuth.Error(), http.StatusBadRequest)
		return
	}
	if q.Get("client_id") != o.ClientID {
		http.Error(w, "unknown client_id "+strconv.Quote(q.Get("client_id"))+": use the clientId of config.oauth", http.StatusBadRequest)
		return
	}

	target, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || target.Host == "" || (target.Scheme != "https" && !isLoopbackHost(target.Hostname())) {
		http.Error(w, "invalid redirect_uri "+strconv.Quote(q.Get("redirect_uri"))+": use an absolute https URL, or http on a loopback host", http.StatusBadRequest)
		return
	}
	if strings.TrimSpace(q.Get("scope")) == "" {
		http.Error(w, "missing scope: name the scopes the app needs, separated by spaces", http.StatusBadRequest)
		return
	}

	code, err := e.IssueAuthorizationCode()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	back := target.Query()
	back.Set("code", code)
	if state := q.Get("state"); state != "" {
		back.Set("state", state)
	}
	target.RawQuery = back.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IssueAuthorizationCode returns a new one-time authorization code, as the
// user's consent on HubSpot's authorize page would.
func (e *Emulator) IssueAuthorizationCode() (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()

	if e.cfg.OAuth == nil {
		return "", errNoOAuth
	}

	code := randomToken("code-")
	e.cfg.OAuth.AuthorizationCodes = append(e.cfg.OAuth.AuthorizationCodes, code)
	return code, nil
}

type constError string

func (c constError) Error() string { return string(c) }

const errNoOAuth = constError("no OAuth app configured; set config.oauth in the seed")

func (e *Emulator) handleTokenInfo(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	e.mu.Lock()
	defer e.mu.Unlock()

	at, ok := e.tokens[token]
	if !ok || !e.now().Before(at.expires) {
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "error", "message": "Token not found or expired", "correlationId": newUUID()})
		return
	}

	writeJSON(w, http.StatusOK, map[string]any{
		"token": token, "hub_id": e.cfg.PortalID, "app_id": at.appID, "scopes": at.scopes, "token_type": "access",
		"expires_in": int(at.expires.Sub(e.now()) / time.Second), "user": "admin@example.com", "hub_domain": "koppel-emulator.hubspot.test",
	})
}

func (e *Emulator) routeAccount(mux *http.ServeMux) {
	mux.HandleFunc("GET /account-info/v3/api-usage/daily/private-apps", e.handleDailyUsage)
	mux.HandleFunc("GET /account-info/v3/details", e.handleAccountDetails)
}

func (e *Emulator) handleDailyUsage(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()

	now := e.now().UTC()
	results := []map[string]any{{
		"name": "api-calls-daily", "usageLimit": e.cfg.RateLimits.Daily, "currentUsage": e.limits.dailyCount,
		"collectedAt": formatTime(now), "fetchStatus": "SUCCESS", "resetsAt": formatTime(now.Truncate(24 * time.Hour).Add(24 * time.Hour)),
	}}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

// handleAccountDetails describes the emulated account as one hosted in
// HubSpot's EU data center, whose UI lives on app-eu1.hubspot.com.
func (e *Emulator) handleAccountDetails(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()

	writeJSON(w, http.StatusOK, map[string]any{
		"portalId": e.cfg.PortalID, "accountType": "STANDARD", "timeZone": "UTC", "companyCurrency": "EUR",
		"additionalCurrencies": []string{}, "utcOffset": "+00:00", "utcOffsetMilliseconds": 0, "uiDomain": "app-eu1.hubspot.com",
		"dataHostingLocation": "eu1",
	})
}
