package storetest

import (
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testSetupTokens(t *testing.T, open Opener) {
	t.Run("replace get delete", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.GetSetupToken(b.ctx, startTime)
		isErr(t, err, store.ErrNotFound, "no token yet")

		first := store.SetupToken{TokenHash: []byte("hash-one"), ExpiresAt: startTime.Add(24 * time.Hour)}
		noErr(t, b.s.ReplaceSetupToken(b.ctx, first), "store first")
		got, err := b.s.GetSetupToken(b.ctx, startTime)
		noErr(t, err, "get first")
		equal(t, got.TokenHash, []byte("hash-one"), "first hash")
		equal(t, got.CreatedAt, ms(startTime), "created at")
		equal(t, got.ExpiresAt, ms(startTime.Add(24*time.Hour)), "expires at")

		b.clock.Advance(time.Minute)
		second := store.SetupToken{TokenHash: []byte("hash-two"), ExpiresAt: startTime.Add(25 * time.Hour)}
		noErr(t, b.s.ReplaceSetupToken(b.ctx, second), "store second")
		got, err = b.s.GetSetupToken(b.ctx, startTime)
		noErr(t, err, "get second")
		equal(t, got.TokenHash, []byte("hash-two"), "second replaces first")
		isErr(t, b.s.DeleteSetupToken(b.ctx, []byte("hash-one")), store.ErrNotFound, "first is gone")

		noErr(t, b.s.DeleteSetupToken(b.ctx, []byte("hash-two")), "delete second")
		isErr(t, b.s.DeleteSetupToken(b.ctx, []byte("hash-two")), store.ErrNotFound, "delete twice")
		_, err = b.s.GetSetupToken(b.ctx, startTime)
		isErr(t, err, store.ErrNotFound, "none left")
	})

	t.Run("expired token", func(t *testing.T) {
		b := setup(t, open)

		noErr(t, b.s.ReplaceSetupToken(b.ctx, store.SetupToken{TokenHash: []byte("h"), ExpiresAt: startTime.Add(time.Hour)}), "store")
		_, err := b.s.GetSetupToken(b.ctx, startTime.Add(time.Hour))
		isErr(t, err, store.ErrNotFound, "expired at its expiry")
		_, err = b.s.GetSetupToken(b.ctx, startTime.Add(time.Hour-time.Millisecond))
		noErr(t, err, "valid just before")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		isErr(t, b.s.ReplaceSetupToken(b.ctx, store.SetupToken{ExpiresAt: startTime}), store.ErrInvalid, "empty hash")
		isErr(t, b.s.ReplaceSetupToken(b.ctx, store.SetupToken{TokenHash: []byte("h")}), store.ErrInvalid, "no expiry")
	})
}
