package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Session cookie and lifetime. A session ends after SessionLifetime
// whatever the activity, so a stolen cookie stops working within a day.
const (
	sessionCookie   = "koppel_session"
	SessionLifetime = 12 * time.Hour
)

type ctxKey struct{}

// reqState is the request state that the middlewares fill in.
type reqState struct {
	session *store.Session
	user    store.User
	lang    string

	// preCSRF is the double-submit value used before sign-in.
	preCSRF string
}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(ctxKey{}).(*reqState); ok {
		return st
	}
	return &reqState{lang: langEnglish}
}

// loadSession attaches the session of the request's cookie, if it is valid.
func (s *server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			sess, err := s.st.GetSession(r.Context(), hashToken(c.Value), s.now())
			switch {
			case err == nil:
				user, uerr := s.st.GetUser(r.Context(), sess.UserID)
				if uerr == nil {
					st.session, st.user = &sess, user
				}
			case errors.Is(err, store.ErrNotFound):
			default:
				s.log.Error("read session", "err", err)
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, st)))
	})
}

// requireSession redirects a request without a session to the sign-in
// page, or returns 401 for the JSON API.
func (s *server) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if state(r).session != nil {
			next.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("WWW-Authenticate", `Cookie realm="koppel"`)
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		target := "/signin"
		if r.Method == http.MethodGet && r.URL.Path != "/" {
			target += "?next=" + urlQueryEscape(r.URL.RequestURI())
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	})
}

// startSession stores a new session for user and sets its cookie.
func (s *server) startSession(w http.ResponseWriter, r *http.Request, user store.User) error {
	token, err := randomToken(32)
	if err != nil {
		return err
	}
	csrfSecret := make([]byte, 32)
	if _, err := rand.Read(csrfSecret); err != nil {
		return fmt.Errorf("generate CSRF secret: %w", err)
	}
	now := s.now()
	sess := store.Session{TokenHash: hashToken(token), UserID: user.ID, CSRFSecret: csrfSecret, CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := s.st.CreateSession(r.Context(), sess); err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.TLS,
		SameSite: http.SameSiteLaxMode, MaxAge: int(SessionLifetime.Seconds()),
	})
	return nil
}

func (s *server) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.st.DeleteSession(r.Context(), hashToken(c.Value)); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Error("delete session", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// hashToken returns the SHA-256 of a session token. The store keeps only
// the hash, so a copy of the database holds no usable cookie.
func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
