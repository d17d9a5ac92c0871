package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Sign-in limits: after this many failed attempts within the window, for
// one username or from one client address, sign-in is rejected until the
// window has passed. A person who mistypes gets five tries, and a
// password guesser gets five per quarter hour.
const (
	signInWindow       = 15 * time.Minute
	maxFailsPerUser    = 5
	maxFailsPerAddress = 20
	maxUsernameLength  = 64
	maxPasswordLength  = 1024
)

type signInPage struct {
	Username string
	Next     string
	Error    string
	NoUsers  bool
}

func (s *server) getSignIn(w http.ResponseWriter, r *http.Request) {
	if state(r).session != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	users, err := s.st.ListUsers(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "signin", pageData{Title: "signin.title", Body: signInPage{Next: r.URL.Query().Get("next"), NoUsers: len(users) == 0}})
}

func (s *server) postSignIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	s.pruneSignInState(r)

	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	next := r.PostFormValue("next")
	fail := func(status int, msgID string) {
		s.render(w, r, status, "signin", pageData{Title: "signin.title", Body: signInPage{Username: username, Next: next, Error: msgID}})
	}

	if username == "" || password == "" || len(username) > maxUsernameLength || len(password) > maxPasswordLength {
		fail(http.StatusBadRequest, "signin.missing")
		return
	}

	userKey, addrKey := "user:"+strings.ToLower(username), "addr:"+clientAddress(r)
	since := s.now().Add(-signInWindow)
	for _, lim := range []struct {
		key string
		max int64
	}{{userKey, maxFailsPerUser}, {addrKey, maxFailsPerAddress}} {
		n, err := s.st.CountFailedSignIns(ctx, lim.key, since)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if n >= lim.max {
			s.log.Warn("sign-in rate limit reached", "key_kind", strings.SplitN(lim.key, ":", 2)[0], "failures", n)
			w.Header().Set("Retry-After", "900")
			fail(http.StatusTooManyRequests, "signin.limited")
			return
		}
	}

	user, err := s.st.GetUserByUsername(ctx, username)
	ok := false
	switch {
	case err == nil:
		ok, err = checkPassword(user.PasswordHash, password)
		if err != nil {
			s.log.Error("check password", "user_id", user.ID, "err", err)
		}
	case errors.Is(err, store.ErrNotFound):
		// Hash anyway, so the response takes as long as for a real user
		// and does not reveal which usernames exist.
		_, _ = checkPassword(dummyHash(), password)
	default:
		s.serverError(w, r, err)
		return
	}

	for _, key := range []string{userKey, addrKey} {
		if err := s.st.RecordSignInAttempt(ctx, store.SignInAttempt{Key: key, Success: ok}); err != nil {
			s.log.Error("record sign-in attempt", "err", err)
		}
	}
	if !ok {
		s.log.Info("sign-in failed")
		fail(http.StatusUnauthorized, "signin.wrong")
		return
	}

	if err := s.startSession(w, r, user); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("signed in", "user_id", user.ID)
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

func (s *server) postSignOut(w http.ResponseWriter, r *http.Request) {
	s.endSession(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// pruneInterval is how often sign-in deletes expired sessions and old
// attempts, so the tables stay small without a background job.
const pruneInterval = time.Hour

// pruneSignInState deletes expired sessions and sign-in attempts older
// than the rate-limit window, at most once per pruneInterval.
func (s *server) pruneSignInState(r *http.Request) {
	now := s.now()
	s.pruneMu.Lock()
	due := now.Sub(s.pruned) >= pruneInterval
	if due {
		s.pruned = now
	}
	s.pruneMu.Unlock()
	if !due {
		return
	}

	if n, err := s.st.DeleteExpiredSessions(r.Context(), now); err != nil {
		s.log.Error("delete expired sessions", "err", err)
	} else if n > 0 {
		s.log.Debug("deleted expired sessions", "count", n)
	}
	if _, err := s.st.DeleteSignInAttemptsBefore(r.Context(), now.Add(-signInWindow)); err != nil {
		s.log.Error("delete old sign-in attempts", "err", err)
	}
}

// dummyHash is checked for unknown usernames. It is made on first use,
// because hashing costs 64 MiB and programs that import the package
// without serving the UI should not pay for it.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := HashPassword("koppel-unknown-user-placeholder")
	if err != nil {
		panic(err)
	}
	return h
})

// safeNext keeps a redirect after sign-in on this site: only a local
// path is followed.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/connections"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/connections"
	}
	return next
}

// clientAddress returns the remote IP. Behind a proxy every client shares
// the proxy's address, so then the per-user limit does the protecting.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
