package storetest

import (
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testUsers(t *testing.T, open Opener) {
	t.Run("users", func(t *testing.T) {
		b := setup(t, open)

		u, err := b.s.CreateUser(b.ctx, store.User{Username: "sanne", PasswordHash: []byte("$argon2id$v=19$fake")})
		noErr(t, err, "create")
		equal(t, u.CreatedAt, ms(startTime), "created at")
		_, err = b.s.CreateUser(b.ctx, store.User{Username: "sanne", PasswordHash: []byte("x")})
		isErr(t, err, store.ErrConflict, "same username")
		_, err = b.s.CreateUser(b.ctx, store.User{Username: "anouk", PasswordHash: []byte("y")})
		noErr(t, err, "create second")

		got, err := b.s.GetUserByUsername(b.ctx, "sanne")
		noErr(t, err, "get by username")
		equal(t, got, u, "user")
		_, err = b.s.GetUserByUsername(b.ctx, "nobody")
		isErr(t, err, store.ErrNotFound, "unknown username")

		noErr(t, b.s.SetPasswordHash(b.ctx, u.ID, []byte("new-hash")), "set password")
		got, err = b.s.GetUser(b.ctx, u.ID)
		noErr(t, err, "get by id")
		equal(t, got.PasswordHash, []byte("new-hash"), "new hash")
		isErr(t, b.s.SetPasswordHash(b.ctx, u.ID+100, []byte("h")), store.ErrNotFound, "set password of missing user")

		all, err := b.s.ListUsers(b.ctx)
		noErr(t, err, "list")
		equal(t, len(all), 2, "users")
		equal(t, all[0].Username, "anouk", "first by name")

		noErr(t, b.s.DeleteUser(b.ctx, u.ID), "delete")
		_, err = b.s.GetUser(b.ctx, u.ID)
		isErr(t, err, store.ErrNotFound, "after delete")
		isErr(t, b.s.DeleteUser(b.ctx, u.ID), store.ErrNotFound, "delete twice")
	})

	t.Run("user invalid input", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.CreateUser(b.ctx, store.User{Username: "", PasswordHash: []byte("x")})
		isErr(t, err, store.ErrInvalid, "empty username")
		_, err = b.s.CreateUser(b.ctx, store.User{Username: "sanne"})
		isErr(t, err, store.ErrInvalid, "empty hash")
		u, err := b.s.CreateUser(b.ctx, store.User{Username: "sanne", PasswordHash: []byte("x")})
		noErr(t, err, "create")
		isErr(t, b.s.SetPasswordHash(b.ctx, u.ID, nil), store.ErrInvalid, "set empty hash")
	})

	t.Run("sessions", func(t *testing.T) {
		b := setup(t, open)
		u, err := b.s.CreateUser(b.ctx, store.User{Username: "sanne", PasswordHash: []byte("x")})
		noErr(t, err, "create user")

		expires := startTime.Add(12 * time.Hour)
		token := []byte{0xde, 0xad, 0xbe, 0xef}
		noErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: token, UserID: u.ID, CSRFSecret: []byte("csrf"), ExpiresAt: expires}), "create")
		isErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: token, UserID: u.ID, CSRFSecret: []byte("c2"), ExpiresAt: expires}), store.ErrConflict, "same token hash")
		isErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: []byte{1}, UserID: u.ID + 100, CSRFSecret: []byte("c"), ExpiresAt: expires}), store.ErrNotFound, "unknown user")
		isErr(t, b.s.CreateSession(b.ctx, store.Session{UserID: u.ID, ExpiresAt: expires}), store.ErrInvalid, "empty token hash")
		isErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: []byte{2}, UserID: u.ID, CSRFSecret: []byte("c")}), store.ErrInvalid, "no expiry")
		isErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: []byte{2}, UserID: u.ID, ExpiresAt: expires}), store.ErrInvalid, "no CSRF secret")

		s, err := b.s.GetSession(b.ctx, token, startTime.Add(time.Hour))
		noErr(t, err, "get before expiry")
		equal(t, s, store.Session{TokenHash: token, UserID: u.ID, CSRFSecret: []byte("csrf"), CreatedAt: ms(startTime), ExpiresAt: ms(expires)}, "session")
		_, err = b.s.GetSession(b.ctx, token, expires)
		isErr(t, err, store.ErrNotFound, "get at expiry")
		_, err = b.s.GetSession(b.ctx, []byte{0xff}, startTime)
		isErr(t, err, store.ErrNotFound, "unknown token")

		noErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: []byte{3}, UserID: u.ID, CSRFSecret: []byte("c"), ExpiresAt: startTime.Add(time.Hour)}), "create short session")
		n, err := b.s.DeleteExpiredSessions(b.ctx, startTime.Add(2*time.Hour))
		noErr(t, err, "delete expired")
		equal(t, n, int64(1), "expired sessions deleted")

		noErr(t, b.s.DeleteSession(b.ctx, token), "sign out")
		_, err = b.s.GetSession(b.ctx, token, startTime)
		isErr(t, err, store.ErrNotFound, "after sign out")
		isErr(t, b.s.DeleteSession(b.ctx, token), store.ErrNotFound, "sign out twice")

		noErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: []byte{5}, UserID: u.ID, CSRFSecret: []byte("c"), ExpiresAt: expires}), "create on one browser")
		noErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: []byte{6}, UserID: u.ID, CSRFSecret: []byte("c"), ExpiresAt: expires}), "create on another browser")
		n, err = b.s.DeleteUserSessions(b.ctx, u.ID)
		noErr(t, err, "sign out everywhere")
		equal(t, n, int64(2), "sessions deleted")
		_, err = b.s.GetSession(b.ctx, []byte{6}, startTime)
		isErr(t, err, store.ErrNotFound, "session after signing out everywhere")

		noErr(t, b.s.CreateSession(b.ctx, store.Session{TokenHash: []byte{4}, UserID: u.ID, CSRFSecret: []byte("c"), ExpiresAt: expires}), "create another")
		noErr(t, b.s.DeleteUser(b.ctx, u.ID), "delete user")
		_, err = b.s.GetSession(b.ctx, []byte{4}, startTime)
		isErr(t, err, store.ErrNotFound, "session of deleted user")
	})

	t.Run("sign-in attempts", func(t *testing.T) {
		b := setup(t, open)

		for i := range 4 {
			at := startTime.Add(time.Duration(i) * time.Minute)
			noErr(t, b.s.RecordSignInAttempt(b.ctx, store.SignInAttempt{Key: "sanne", At: at, Success: i == 3}), "record")
		}
		noErr(t, b.s.RecordSignInAttempt(b.ctx, store.SignInAttempt{Key: "anouk"}), "record at the clock's time")

		n, err := b.s.CountFailedSignIns(b.ctx, "sanne", startTime)
		noErr(t, err, "count")
		equal(t, n, int64(3), "failed attempts")
		n, err = b.s.CountFailedSignIns(b.ctx, "sanne", startTime.Add(90*time.Second))
		noErr(t, err, "count recent")
		equal(t, n, int64(1), "recent failed attempts")
		n, err = b.s.CountFailedSignIns(b.ctx, "anouk", startTime)
		noErr(t, err, "count anouk")
		equal(t, n, int64(1), "anouk's failed attempts")

		deleted, err := b.s.DeleteSignInAttemptsBefore(b.ctx, startTime.Add(2*time.Minute))
		noErr(t, err, "delete old")
		equal(t, deleted, int64(3), "deleted attempts")

		isErr(t, b.s.RecordSignInAttempt(b.ctx, store.SignInAttempt{}), store.ErrInvalid, "empty key")
	})
}
