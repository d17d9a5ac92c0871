package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// SetupLinkLifetime is how long the setup link for the first admin works.
const SetupLinkLifetime = 24 * time.Hour

// setupPathPrefix starts the setup link's path; the token follows it.
const setupPathPrefix = "/setup/"

// CreateSetupLink returns the path of a one-time link that creates the
// first admin, such as "/setup/Xy...", while no user exists. It stores
// only a SHA-256 hash of the link's random token, and replaces any
// earlier link, so only the newest printed link works. When a user
// exists it returns "" and stores nothing. The caller prints the path
// once, after the UI's origin; it is the only copy of the token.
func CreateSetupLink(ctx context.Context, st store.Store, now time.Time) (string, error) {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return "", fmt.Errorf("create setup link: %w", err)
	}
	if len(users) > 0 {
		return "", nil
	}
	token, err := randomToken(32)
	if err != nil {
		return "", fmt.Errorf("create setup link: %w", err)
	}
	err = st.ReplaceSetupToken(ctx, store.SetupToken{TokenHash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(SetupLinkLifetime)})
	if err != nil {
		return "", fmt.Errorf("create setup link: %w", err)
	}
	return setupPathPrefix + token, nil
}

type setupPage struct {
	Username string
	Errors   []string
	MinLen   int
}

// errSetupClosed means the setup link cannot create an admin: its token
// is wrong, used or expired, or an admin exists.
var errSetupClosed = errors.New("setup link is not valid")

// checkSetupToken returns the stored setup token when token matches it
// and no user exists yet. The hashes are compared in constant time, so
// the response time does not show how much of a guess was right.
func (s *server) checkSetupToken(ctx context.Context, token string) (store.SetupToken, error) {
	users, err := s.st.ListUsers(ctx)
	if err != nil {
		return store.SetupToken{}, err
	}
	if len(users) > 0 {
		return store.SetupToken{}, errSetupClosed
	}
	stored, err := s.st.GetSetupToken(ctx, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return store.SetupToken{}, errSetupClosed
	}
	if err != nil {
		return store.SetupToken{}, err
	}
	requested := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(requested[:], stored.TokenHash) != 1 {
		return store.SetupToken{}, errSetupClosed
	}
	return stored, nil
}

// setupNotFound renders the 404 page of an unknown path for a setup link
// that does not work, without repeating the token.
func (s *server) setupNotFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "error.not_found", map[string]any{"Path": setupPathPrefix + "…"})
}

func (s *server) getSetup(w http.ResponseWriter, r *http.Request) {
	_, err := s.checkSetupToken(r.Context(), r.PathValue("token"))
	if errors.Is(err, errSetupClosed) {
		s.setupNotFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "setup", pageData{Title: "setup.title", Body: &setupPage{MinLen: MinPasswordLength}})
}

// postSetup creates the first admin and uses up the token in one
// transaction, then signs the new admin in.
func (s *server) postSetup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	stored, err := s.checkSetupToken(ctx, r.PathValue("token"))
	if errors.Is(err, errSetupClosed) {
		s.log.Warn("rejected a setup request with a wrong, used or expired link")
		s.setupNotFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	l := s.loc(r)
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	page := &setupPage{Username: username, MinLen: MinPasswordLength}
	if !validUsername(username) {
		page.Errors = append(page.Errors, l.T("setup.err_username", "Value", username))
	}
	switch {
	case len([]rune(password)) < MinPasswordLength:
		page.Errors = append(page.Errors, l.T("setup.err_short", "Min", MinPasswordLength))
	case len(password) > maxPasswordLength:
		page.Errors = append(page.Errors, l.T("setup.err_long", "Max", maxPasswordLength))
	case password != r.PostFormValue("password_repeat"):
		page.Errors = append(page.Errors, l.T("setup.err_mismatch"))
	}
	if len(page.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "setup", pageData{Title: "setup.title", Body: page})
		return
	}

	hash, err := HashPassword(password)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var user store.User
	err = s.st.InTx(ctx, func(tx store.Tx) error {
		// Deleting the token first makes a second request with the same
		// link fail here, even when both passed the check above.
		if err := tx.DeleteSetupToken(ctx, stored.TokenHash); err != nil {
			return err
		}
		users, err := tx.ListUsers(ctx)
		if err != nil {
			return err
		}
		if len(users) > 0 {
			return errSetupClosed
		}
		user, err = tx.CreateUser(ctx, store.User{Username: username, PasswordHash: hash})
		return err
	})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, errSetupClosed) {
		s.setupNotFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("first admin created with the setup link", "user_id", user.ID)

	if err := s.startSession(w, r, user); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/connections", http.StatusSeeOther)
}

// validUsername accepts what koppel admin create accepts: 1 to 64
// letters, digits, dots, dashes, underscores or @.
func validUsername(s string) bool {
	if s == "" || len(s) > maxUsernameLength {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)) {
			return false
		}
	}
	return true
}

// redactPath returns the request path for logs, without the setup
// link's token.
func redactPath(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, setupPathPrefix) {
		return setupPathPrefix + "…"
	}
	return r.URL.Path
}
