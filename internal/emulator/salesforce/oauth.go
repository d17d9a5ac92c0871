package salesforce

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"

// authCode is an issued authorization code awaiting exchange.
type authCode struct {
	clientID      string
	redirectURI   string
	challenge     string
	challengeMode string
	expires       time.Time
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (e *Emulator) newSessionLocked() string {
	token := e.orgID[:15] + "!" + randomToken(48)
	e.sessions[token] = e.now()
	return token
}

// authenticated reports whether r carries a live access token.
func (e *Emulator) authenticated(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		token, ok = strings.CutPrefix(h, "OAuth ")
	}
	if !ok || token == "" {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	issued, ok := e.sessions[token]
	if !ok {
		return false
	}
	if ttl := time.Duration(e.cfg.SessionTTL); ttl > 0 && e.now().Sub(issued) > ttl {
		delete(e.sessions, token)
		return false
	}
	return true
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

func (e *Emulator) serveOAuth(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/services/oauth2/token":
		e.serveToken(w, r)
	case "/services/oauth2/authorize":
		e.serveAuthorize(w, r)
	case "/services/oauth2/userinfo":
		e.serveIdentity(w, r)
	case "/services/oauth2/revoke":
		e.serveRevoke(w, r)
	default:
		writeErrors(w, errNotFound())
	}
}

func (e *Emulator) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		oauthError(w, http.StatusMethodNotAllowed, "invalid_request", "must use HTTP POST")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "invalid form body")
		return
	}
	clientID, clientSecret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		clientID, clientSecret = u, p
	}
	cfg := e.cfg.OAuth

	e.mu.Lock()
	defer e.mu.Unlock()

	var refresh string
	switch grant := r.PostForm.Get("grant_type"); grant {
	case "client_credentials":
		if cfg.ClientID == "" || clientID != cfg.ClientID {
			oauthError(w, http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
			return
		}
		if cfg.ClientSecret == "" || subtle.ConstantTimeCompare([]byte(clientSecret), []byte(cfg.ClientSecret)) != 1 {
			oauthError(w, http.StatusBadRequest, "invalid_client", "invalid client credentials")
			return
		}

	case jwtBearerGrant:
		if msg := e.checkAssertionLocked(r.PostForm.Get("assertion"), instanceURL(r)); msg != "" {
			oauthError(w, http.StatusBadRequest, "invalid_grant", msg)
			return
		}

	case "refresh_token":
		if cfg.ClientID == "" || clientID != cfg.ClientID {
			oauthError(w, http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
			return
		}
		if clientSecret != "" && subtle.ConstantTimeCompare([]byte(clientSecret), []byte(cfg.ClientSecret)) != 1 {
			oauthError(w, http.StatusBadRequest, "invalid_client", "invalid client credentials")
			return
		}
		if !e.refreshTokens[r.PostForm.Get("refresh_token")] {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "expired access/refresh token")
			return
		}

	case "authorization_code":
		code := r.PostForm.Get("code")
		ac, ok := e.authCodes[code]
		delete(e.authCodes, code)
		switch {
		case !ok || e.now().After(ac.expires):
			oauthError(w, http.StatusBadRequest, "invalid_grant", "invalid authorization code")
			return
		case clientID != ac.clientID:
			oauthError(w, http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
			return
		case cfg.ClientSecret != "" && clientSecret != "" && subtle.ConstantTimeCompare([]byte(clientSecret), []byte(cfg.ClientSecret)) != 1:
			oauthError(w, http.StatusBadRequest, "invalid_client", "invalid client credentials")
			return
		case r.PostForm.Get("redirect_uri") != ac.redirectURI:
			oauthError(w, http.StatusBadRequest, "redirect_uri_mismatch", "redirect_uri must match configuration")
			return
		case ac.challenge != "" && !pkceMatches(ac.challenge, ac.challengeMode, r.PostForm.Get("code_verifier")):
			oauthError(w, http.StatusBadRequest, "invalid_grant", "invalid code verifier")
			return
		}
		refresh = "5Aep" + randomToken(40)
		e.refreshTokens[refresh] = true

	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant type not supported")
		return
	}

	token := e.newSessionLocked()
	base := instanceURL(r)
	issued := strconv.FormatInt(e.now().UnixMilli(), 10)
	out := map[string]string{
		"access_token": token,
		"instance_url": base,
		"id":           base + "/id/" + e.orgID + "/" + e.userID,
		"token_type":   "Bearer",
		"issued_at":    issued,
		"signature":    base64.StdEncoding.EncodeToString(sha256Sum(e.orgID + issued + token)),
		"scope":        "api refresh_token",
	}
	if refresh != "" {
		out["refresh_token"] = refresh
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

func sha256Sum(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func pkceMatches(challenge, method, verifier string) bool {
	if verifier == "" {
		return false
	}
	if method == "plain" {
		return subtle.ConstantTimeCompare([]byte(challenge), []byte(verifier)) == 1
	}
	sum := sha256.Sum256([]byte(verifier))
	return subtle.ConstantTimeCompare([]byte(challenge), []byte(base64.RawURLEncoding.EncodeToString(sum[:]))) == 1
}

// checkAssertionLocked verifies a JWT bearer assertion the way Salesforce
// does and returns the error description, or "" when it is valid.
func (e *Emulator) checkAssertionLocked(assertion, instance string) string {
	if e.jwtKey == nil {
		return "user hasn't approved this consumer"
	}
	if assertion == "" {
		return "invalid assertion"
	}
	claims := jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(assertion, &claims, func(t *jwt.Token) (any, error) { return e.jwtKey, nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(e.now),
		jwt.WithLeeway(5*time.Second),
	)
	if err != nil {
		if strings.Contains(err.Error(), "expired") {
			return "expired authorization code"
		}
		return "invalid assertion"
	}
	if claims.ExpiresAt.Sub(e.now()) > 5*time.Minute {
		return "invalid assertion"
	}
	if claims.Issuer != e.cfg.OAuth.ClientID {
		return "invalid_client_id"
	}
	okAud := false
	for _, aud := range claims.Audience {
		aud = strings.TrimRight(aud, "/")
		if aud == instance || aud == "https://login.salesforce.com" || aud == "https://test.salesforce.com" {
			okAud = true
		}
	}
	if !okAud {
		return "audience is invalid"
	}
	user := e.findUserLocked(claims.Subject)
	if user == nil {
		return "user hasn't approved this consumer"
	}
	if want := e.cfg.OAuth.Username; want != "" && !strings.EqualFold(want, claims.Subject) {
		return "user hasn't approved this consumer"
	}
	return ""
}

func (e *Emulator) findUserLocked(username string) *record {
	for _, u := range e.byObject["User"] {
		if !u.deleted && strings.EqualFold(u.str("Username"), username) {
			return u
		}
	}
	return nil
}

// serveAuthorize approves every request at once, as if the user logged
// in and allowed access, and redirects with a code.
func (e *Emulator) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" {
		oauthError(w, http.StatusBadRequest, "unsupported_response_type", "response type not supported")
		return
	}
	if q.Get("client_id") != e.cfg.OAuth.ClientID || e.cfg.OAuth.ClientID == "" {
		oauthError(w, http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
		return
	}
	redirect := q.Get("redirect_uri")
	u, err := url.Parse(redirect)
	if err != nil || !e.redirectAllowed(u) {
		oauthError(w, http.StatusBadRequest, "redirect_uri_mismatch", "redirect_uri must match configuration")
		return
	}
	method := q.Get("code_challenge_method")
	if q.Get("code_challenge") != "" && method != "" && method != "S256" && method != "plain" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "unsupported code_challenge_method")
		return
	}

	code := "aPrx" + randomToken(32)
	e.mu.Lock()
	e.authCodes[code] = authCode{
		clientID: e.cfg.OAuth.ClientID, redirectURI: redirect,
		challenge: q.Get("code_challenge"), challengeMode: method,
		expires: e.now().Add(15 * time.Minute),
	}
	e.mu.Unlock()

	params := u.Query()
	params.Set("code", code)
	if s := q.Get("state"); s != "" {
		params.Set("state", s)
	}
	u.RawQuery = params.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func (e *Emulator) redirectAllowed(u *url.URL) bool {
	if len(e.cfg.OAuth.RedirectURIs) > 0 {
		return slices.Contains(e.cfg.OAuth.RedirectURIs, u.String())
	}
	host := u.Hostname()
	return u.Scheme == "http" && (host == "127.0.0.1" || host == "localhost" || host == "::1")
}

func (e *Emulator) serveRevoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "invalid form body")
		return
	}
	token := r.Form.Get("token")
	e.mu.Lock()
	delete(e.sessions, token)
	delete(e.refreshTokens, token)
	e.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// identityURL is the OAuth identity URL of the emulator's one user, which
// ends in the org id and the user id.
func (e *Emulator) identityURL(r *http.Request) string {
	return instanceURL(r) + "/id/" + e.orgID + "/" + e.userID
}

// serveIdentity returns the logged-in user at the identity URL. Like
// Salesforce it takes the access token as a Bearer header or as the
// oauth_token query parameter, which jsforce sends.
func (e *Emulator) serveIdentity(w http.ResponseWriter, r *http.Request) {
	if token := r.URL.Query().Get("oauth_token"); token != "" && r.Header.Get("Authorization") == "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if !e.authenticated(r) {
		writeErrors(w, newError(http.StatusForbidden, "Bad_OAuth_Token", "Bad_OAuth_Token"))
		return
	}
	if r.Method != http.MethodGet {
		writeErrors(w, errMethodNotAllowed(r.Method, "GET"))
		return
	}
	if strings.TrimSuffix(r.URL.Path, "/") != "/id/"+e.orgID+"/"+e.userID {
		writeErrors(w, newError(http.StatusNotFound, "Bad_Id", "no identity at %s; the identity URL of this org is %s", r.URL.Path, e.identityURL(r)))
		return
	}
	e.mu.Lock()
	u := e.records[e.userID]
	var username, email, name string
	if u != nil {
		username, email, name = u.str("Username"), u.str("Email"), u.str("Name")
	}
	e.mu.Unlock()
	rest := instanceURL(r) + "/services/data/v{version}/"
	writeJSON(w, http.StatusOK, map[string]any{
		"id": e.identityURL(r), "user_id": e.userID,
		"organization_id": e.orgID, "username": username, "email": email, "display_name": name,
		"preferred_username": username, "active": true, "user_type": "STANDARD",
		"urls": map[string]string{"rest": rest, "sobjects": rest + "sobjects/", "query": rest + "query/"},
	})
}
