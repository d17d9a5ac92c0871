package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testConnections(t *testing.T, open Opener) {
	t.Run("create and get", func(t *testing.T) {
		b := setup(t, open)

		equal(t, b.conn.Name, "acme", "name")
		equal(t, b.conn.SettingsVersion, int64(1), "settings version")
		equal(t, b.conn.CreatedAt, ms(startTime), "created at")
		equal(t, b.conn.UpdatedAt, ms(startTime), "updated at")
		jsonEqual(t, b.conn.Settings, []byte(`{"contacts":"create"}`), "settings")

		byID, err := b.s.GetConnection(b.ctx, b.conn.ID)
		noErr(t, err, "get by id")
		equal(t, byID.Name, "acme", "name by id")
		jsonEqual(t, byID.Settings, []byte(`{"contacts":"create"}`), "settings by id")

		byName, err := b.s.GetConnectionByName(b.ctx, "acme")
		noErr(t, err, "get by name")
		equal(t, byName.ID, b.conn.ID, "id by name")
	})

	t.Run("empty settings become an object", func(t *testing.T) {
		b := setup(t, open)

		c, err := b.s.CreateConnection(b.ctx, store.Connection{Name: "empty"})
		noErr(t, err, "create")
		jsonEqual(t, c.Settings, []byte(`{}`), "settings")
	})

	t.Run("duplicate name", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.CreateConnection(b.ctx, store.Connection{Name: "acme"})
		isErr(t, err, store.ErrConflict, "second connection named acme")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.CreateConnection(b.ctx, store.Connection{Name: " "})
		isErr(t, err, store.ErrInvalid, "blank name")
		_, err = b.s.CreateConnection(b.ctx, store.Connection{Name: "x", Settings: json.RawMessage(`{"a":`)})
		isErr(t, err, store.ErrInvalid, "broken settings JSON")
		_, err = b.s.UpdateSettings(b.ctx, b.conn.ID, 1, []byte(`not json`))
		isErr(t, err, store.ErrInvalid, "update with broken settings JSON")
	})

	t.Run("missing", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.GetConnection(b.ctx, b.conn.ID+100)
		isErr(t, err, store.ErrNotFound, "get by id")
		_, err = b.s.GetConnectionByName(b.ctx, "nope")
		isErr(t, err, store.ErrNotFound, "get by name")
		_, err = b.s.UpdateSettings(b.ctx, b.conn.ID+100, 1, []byte(`{}`))
		isErr(t, err, store.ErrNotFound, "update settings")
		err = b.s.DeleteConnection(b.ctx, b.conn.ID+100)
		isErr(t, err, store.ErrNotFound, "delete")
	})

	t.Run("settings version", func(t *testing.T) {
		b := setup(t, open)
		b.clock.Advance(time.Minute)

		updated, err := b.s.UpdateSettings(b.ctx, b.conn.ID, 1, []byte(`{"contacts":"nothing"}`))
		noErr(t, err, "update from version 1")
		equal(t, updated.SettingsVersion, int64(2), "version after update")
		equal(t, updated.UpdatedAt, ms(startTime.Add(time.Minute)), "updated at")
		jsonEqual(t, updated.Settings, []byte(`{"contacts":"nothing"}`), "settings after update")

		_, err = b.s.UpdateSettings(b.ctx, b.conn.ID, 1, []byte(`{"contacts":"stale"}`))
		isErr(t, err, store.ErrConflict, "update from stale version 1")

		got, err := b.s.GetConnection(b.ctx, b.conn.ID)
		noErr(t, err, "get")
		equal(t, got.SettingsVersion, int64(2), "version after stale update")
		jsonEqual(t, got.Settings, []byte(`{"contacts":"nothing"}`), "settings after stale update")
	})

	t.Run("update and list", func(t *testing.T) {
		b := setup(t, open)

		other, err := b.s.CreateConnection(b.ctx, store.Connection{Name: "beta"})
		noErr(t, err, "create beta")

		renamed, err := b.s.UpdateConnection(b.ctx, store.Connection{ID: b.conn.ID, Name: "zeta", HubSpotPortalID: "123", SalesforceOrgID: "00D000000000001"})
		noErr(t, err, "rename acme")
		equal(t, renamed.HubSpotPortalID, "123", "portal id")
		equal(t, renamed.SalesforceOrgID, "00D000000000001", "org id")
		equal(t, renamed.SettingsVersion, int64(1), "settings version after rename")

		_, err = b.s.UpdateConnection(b.ctx, store.Connection{ID: other.ID, Name: "zeta"})
		isErr(t, err, store.ErrConflict, "rename beta to zeta")
		_, err = b.s.UpdateConnection(b.ctx, store.Connection{ID: other.ID + 100, Name: "gamma"})
		isErr(t, err, store.ErrNotFound, "rename missing")

		all, err := b.s.ListConnections(b.ctx)
		noErr(t, err, "list")
		var names []string
		for _, c := range all {
			names = append(names, c.Name)
		}
		equal(t, names, []string{"beta", "zeta"}, "names in order")
	})

	t.Run("delete cascades", func(t *testing.T) {
		b := setup(t, open)
		run := b.run(t)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")
		noErr(t, b.s.PutBaseValues(b.ctx, []store.BaseValue{{LinkID: l.ID, Field: "email", Value: "a@example.com", RunID: run.ID}}), "put base value")
		e, err := b.s.RecordError(b.ctx, store.SyncError{ConnectionID: b.conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: "00Q000000000001", LinkID: l.ID, Category: store.ErrorOther})
		noErr(t, err, "record error")
		noErr(t, b.s.PutCredential(b.ctx, store.Credential{ConnectionID: b.conn.ID, Side: store.HubSpot, Ciphertext: []byte{1, 2, 3}}), "put credential")

		noErr(t, b.s.DeleteConnection(b.ctx, b.conn.ID), "delete")

		_, err = b.s.GetConnection(b.ctx, b.conn.ID)
		isErr(t, err, store.ErrNotFound, "connection after delete")
		_, err = b.s.GetLink(b.ctx, l.ID)
		isErr(t, err, store.ErrNotFound, "link after delete")
		_, err = b.s.GetRun(b.ctx, run.ID)
		isErr(t, err, store.ErrNotFound, "run after delete")
		_, err = b.s.GetError(b.ctx, e.ID)
		isErr(t, err, store.ErrNotFound, "error after delete")
		_, err = b.s.GetCredential(b.ctx, b.conn.ID, store.HubSpot)
		isErr(t, err, store.ErrNotFound, "credential after delete")
		vs, err := b.s.ListBaseValues(b.ctx, []int64{l.ID})
		noErr(t, err, "list base values")
		equal(t, len(vs), 0, "base values after delete")
	})
}

func testCredentials(t *testing.T, open Opener) {
	t.Run("put get replace delete", func(t *testing.T) {
		b := setup(t, open)

		noErr(t, b.s.PutCredential(b.ctx, store.Credential{ConnectionID: b.conn.ID, Side: store.Salesforce, Ciphertext: []byte{0, 1, 2, 255}}), "put")
		got, err := b.s.GetCredential(b.ctx, b.conn.ID, store.Salesforce)
		noErr(t, err, "get")
		equal(t, got.Ciphertext, []byte{0, 1, 2, 255}, "ciphertext")
		equal(t, got.UpdatedAt, ms(startTime), "updated at")

		b.clock.Advance(time.Hour)
		noErr(t, b.s.PutCredential(b.ctx, store.Credential{ConnectionID: b.conn.ID, Side: store.Salesforce, Ciphertext: []byte{9}}), "replace")
		got, err = b.s.GetCredential(b.ctx, b.conn.ID, store.Salesforce)
		noErr(t, err, "get replaced")
		equal(t, got.Ciphertext, []byte{9}, "replaced ciphertext")
		equal(t, got.UpdatedAt, ms(startTime.Add(time.Hour)), "replaced at")

		_, err = b.s.GetCredential(b.ctx, b.conn.ID, store.HubSpot)
		isErr(t, err, store.ErrNotFound, "other side")

		noErr(t, b.s.DeleteCredential(b.ctx, b.conn.ID, store.Salesforce), "delete")
		_, err = b.s.GetCredential(b.ctx, b.conn.ID, store.Salesforce)
		isErr(t, err, store.ErrNotFound, "get after delete")
		isErr(t, b.s.DeleteCredential(b.ctx, b.conn.ID, store.Salesforce), store.ErrNotFound, "delete twice")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		err := b.s.PutCredential(b.ctx, store.Credential{ConnectionID: b.conn.ID, Side: "pipedrive", Ciphertext: []byte{1}})
		isErr(t, err, store.ErrInvalid, "unknown side")
		err = b.s.PutCredential(b.ctx, store.Credential{ConnectionID: b.conn.ID, Side: store.HubSpot})
		isErr(t, err, store.ErrInvalid, "empty ciphertext")
		err = b.s.PutCredential(b.ctx, store.Credential{ConnectionID: b.conn.ID + 100, Side: store.HubSpot, Ciphertext: []byte{1}})
		isErr(t, err, store.ErrNotFound, "unknown connection")
	})
}
