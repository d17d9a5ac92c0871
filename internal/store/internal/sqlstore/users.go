package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

const userColumns = `id, username, password_hash, created_at`

func scanUser(r rowScanner) (store.User, error) {
	var u store.User
	err := r.Scan(&u.ID, &u.Username, &u.PasswordHash, scanTime(&u.CreatedAt))
	return u, err
}

func (o *ops) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if strings.TrimSpace(u.Username) == "" || u.Username != strings.TrimSpace(u.Username) {
		return store.User{}, fmt.Errorf("create user: %w: username %q: use a non-empty name without leading or trailing spaces", store.ErrInvalid, u.Username)
	}
	if len(u.PasswordHash) == 0 {
		return store.User{}, fmt.Errorf("create user %q: %w: password hash is empty", u.Username, store.ErrInvalid)
	}

	var created store.User
	err := o.write(ctx, func(o *ops) error {
		row := o.queryRow(ctx, `INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) RETURNING `+userColumns,
			u.Username, u.PasswordHash, o.d.tv(o.stamp()))
		var err error
		created, err = scanUser(row)
		if err != nil {
			return o.fail(err, "create user %q", u.Username)
		}
		return nil
	})
	return created, err
}

func (o *ops) GetUser(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(o.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if err != nil {
		return store.User{}, o.fail(err, "get user %d", id)
	}
	return u, nil
}

func (o *ops) GetUserByUsername(ctx context.Context, username string) (store.User, error) {
	u, err := scanUser(o.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`, username))
	if err != nil {
		return store.User{}, o.fail(err, "get user %q", username)
	}
	return u, nil
}

func (o *ops) ListUsers(ctx context.Context) ([]store.User, error) {
	us, err := queryAll(ctx, o, scanUser, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, o.fail(err, "list users")
	}
	return us, nil
}

func (o *ops) SetPasswordHash(ctx context.Context, userID int64, hash []byte) error {
	if len(hash) == 0 {
		return fmt.Errorf("set password of user %d: %w: password hash is empty", userID, store.ErrInvalid)
	}
	res, err := o.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	return o.affected(res, err, "set password of user %d", userID)
}

func (o *ops) DeleteUser(ctx context.Context, id int64) error {
	res, err := o.exec(ctx, `DELETE FROM users WHERE id = ?`, id)
	return o.affected(res, err, "delete user %d", id)
}

func (o *ops) CreateSession(ctx context.Context, s store.Session) error {
	if len(s.TokenHash) == 0 {
		return fmt.Errorf("create session for user %d: %w: token hash is empty", s.UserID, store.ErrInvalid)
	}
	if len(s.CSRFSecret) == 0 {
		return fmt.Errorf("create session for user %d: %w: CSRF secret is empty", s.UserID, store.ErrInvalid)
	}
	if s.ExpiresAt.IsZero() {
		return fmt.Errorf("create session for user %d: %w: expiry is not set", s.UserID, store.ErrInvalid)
	}

	return o.write(ctx, func(o *ops) error {
		_, err := o.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_secret, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			s.TokenHash, s.UserID, s.CSRFSecret, o.d.tv(o.stamp()), o.d.tv(s.ExpiresAt))
		if err != nil {
			// The token hash is a credential: name the user, not the hash.
			return o.fail(err, "create session for user %d", s.UserID)
		}
		return nil
	})
}

func (o *ops) GetSession(ctx context.Context, tokenHash []byte, now time.Time) (store.Session, error) {
	var s store.Session
	err := o.queryRow(ctx, `SELECT token_hash, user_id, csrf_secret, created_at, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		tokenHash, o.d.tv(now)).Scan(&s.TokenHash, &s.UserID, &s.CSRFSecret, scanTime(&s.CreatedAt), scanTime(&s.ExpiresAt))
	if err != nil {
		return store.Session{}, o.fail(err, "get session")
	}
	return s, nil
}

func (o *ops) DeleteSession(ctx context.Context, tokenHash []byte) error {
	res, err := o.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return o.affected(res, err, "delete session")
}

func (o *ops) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := o.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, o.fail(err, "delete sessions of user %d", userID)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, o.fail(err, "delete sessions of user %d", userID)
	}
	return n, nil
}

func (o *ops) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := o.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, o.d.tv(now))
	if err != nil {
		return 0, o.fail(err, "delete expired sessions")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, o.fail(err, "delete expired sessions")
	}
	return n, nil
}

func (o *ops) RecordSignInAttempt(ctx context.Context, a store.SignInAttempt) error {
	if a.Key == "" {
		return fmt.Errorf("record sign-in attempt: %w: key is empty", store.ErrInvalid)
	}
	at := a.At
	if at.IsZero() {
		at = o.stamp()
	}

	if _, err := o.exec(ctx, `INSERT INTO sign_in_attempts (attempt_key, at, success) VALUES (?, ?, ?)`, a.Key, o.d.tv(at), a.Success); err != nil {
		return o.fail(err, "record sign-in attempt")
	}
	return nil
}

func (o *ops) CountFailedSignIns(ctx context.Context, key string, since time.Time) (int64, error) {
	var n int64
	err := o.queryRow(ctx, `SELECT COUNT(*) FROM sign_in_attempts WHERE attempt_key = ? AND at >= ? AND success = ?`,
		key, o.d.tv(since), false).Scan(&n)
	if err != nil {
		return 0, o.fail(err, "count failed sign-ins")
	}
	return n, nil
}

func (o *ops) DeleteSignInAttemptsBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := o.exec(ctx, `DELETE FROM sign_in_attempts WHERE at < ?`, o.d.tv(before))
	if err != nil {
		return 0, o.fail(err, "delete sign-in attempts")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, o.fail(err, "delete sign-in attempts")
	}
	return n, nil
}
