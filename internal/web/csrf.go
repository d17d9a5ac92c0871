package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
)

// CSRF tokens. A signed-in form carries an HMAC of the session's CSRF
// secret, so the token changes with every session and is never stored.
// Before sign-in, a random cookie is repeated in the form (double submit).
const (
	csrfField     = "csrf_token"
	preCSRFCookie = "koppel_csrf"
)

// csrfToken returns the token the forms of this request must carry.
func csrfToken(r *http.Request) string {
	st := state(r)
	if st.session != nil {
		mac := hmac.New(sha256.New, st.session.CSRFSecret)
		mac.Write([]byte("koppel csrf v1"))
		return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	return st.preCSRF
}

// checkCSRF rejects every state-changing request whose form lacks the
// token, and gives a visitor without a session a double-submit cookie.
func (s *server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		if st.session == nil {
			if c, err := r.Cookie(preCSRFCookie); err == nil && len(c.Value) >= 32 {
				st.preCSRF = c.Value
			} else if r.Method == http.MethodGet || r.Method == http.MethodHead {
				token, err := randomToken(32)
				if err != nil {
					s.serverError(w, r, err)
					return
				}
				st.preCSRF = token
				http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.TLS, SameSite: http.SameSiteStrictMode})
			}
		}

		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		// An unauthenticated request to a signed-in route gets the
		// sign-in redirect, which changes nothing, so it passes here.
		want := csrfToken(r)
		got := r.PostFormValue(csrfField)
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			if st.session == nil && r.URL.Path != "/signin" && r.URL.Path != "/lang" && !strings.HasPrefix(r.URL.Path, setupPathPrefix) {
				next.ServeHTTP(w, r)
				return
			}
			s.log.Warn("rejected request without a valid CSRF token", "method", r.Method, "path", redactPath(r))
			s.renderError(w, r, http.StatusForbidden, "error.csrf", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}
