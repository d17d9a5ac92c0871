package store

import "time"

// User is an admin of the web UI.
type User struct {
	ID       int64
	Username string

	// PasswordHash is the output of a password KDF that runs before the
	// store, so the store never receives the password.
	PasswordHash []byte

	CreatedAt time.Time
}

// Session is a signed-in browser session.
type Session struct {
	// TokenHash is a hash of the session token; the token itself stays in
	// the browser cookie.
	TokenHash []byte
	UserID    int64

	// CSRFSecret is opaque bytes that the web layer derives CSRF tokens
	// from.
	CSRFSecret []byte

	CreatedAt time.Time
	ExpiresAt time.Time
}

// SignInAttempt is one sign-in attempt, kept for rate limiting.
type SignInAttempt struct {
	// Key is the rate-limit key of the web layer, such as a username or
	// a client address.
	Key     string
	At      time.Time
	Success bool
}

// SetupToken is the one-time token of the link that creates the first
// admin.
type SetupToken struct {
	// TokenHash is a hash of the token; the token itself is only in the
	// link printed once.
	TokenHash []byte

	CreatedAt time.Time
	ExpiresAt time.Time
}
