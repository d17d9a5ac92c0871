package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testBaseValues(t *testing.T, open Opener) {
	t.Run("put list replace delete", func(t *testing.T) {
		b := setup(t, open)
		run := b.run(t)
		l1 := b.link(t, "101", "00Q000000000001", "a@example.com")
		l2 := b.link(t, "102", "00Q000000000002", "b@example.com")

		noErr(t, b.s.PutBaseValues(b.ctx, []store.BaseValue{
			{LinkID: l2.ID, Field: "firstname", Value: `"Bea"`, RunID: run.ID},
			{LinkID: l1.ID, Field: "lastname", Value: `"Lovelace"`, RunID: run.ID},
			{LinkID: l1.ID, Field: "firstname", Value: `"Ada"`, RunID: run.ID},
			{LinkID: l1.ID, Field: "phone", Value: `null`},
		}), "put")

		got, err := b.s.ListBaseValues(b.ctx, []int64{l1.ID, l2.ID})
		noErr(t, err, "list")
		want := []store.BaseValue{
			{LinkID: l1.ID, Field: "firstname", Value: `"Ada"`, RunID: run.ID, SyncedAt: ms(startTime)},
			{LinkID: l1.ID, Field: "lastname", Value: `"Lovelace"`, RunID: run.ID, SyncedAt: ms(startTime)},
			{LinkID: l1.ID, Field: "phone", Value: `null`, SyncedAt: ms(startTime)},
			{LinkID: l2.ID, Field: "firstname", Value: `"Bea"`, RunID: run.ID, SyncedAt: ms(startTime)},
		}
		equal(t, got, want, "values ordered by link and field")

		b.clock.Advance(time.Minute)
		explicit := startTime.Add(30 * time.Second)
		noErr(t, b.s.PutBaseValues(b.ctx, []store.BaseValue{
			{LinkID: l1.ID, Field: "firstname", Value: `"Ada K."`, RunID: run.ID},
			{LinkID: l1.ID, Field: "lastname", Value: `"King"`, RunID: run.ID, SyncedAt: explicit},
		}), "replace")
		got, err = b.s.ListBaseValues(b.ctx, []int64{l1.ID})
		noErr(t, err, "list after replace")
		equal(t, got[0].Value, `"Ada K."`, "replaced value")
		equal(t, got[0].SyncedAt, ms(startTime.Add(time.Minute)), "replaced at the clock's time")
		equal(t, got[1].SyncedAt, ms(explicit), "replaced at the given time")

		noErr(t, b.s.DeleteBaseValues(b.ctx, l1.ID, "phone", "lastname"), "delete two fields")
		got, err = b.s.ListBaseValues(b.ctx, []int64{l1.ID})
		noErr(t, err, "list after field delete")
		equal(t, len(got), 1, "values left")
		equal(t, got[0].Field, "firstname", "field left")

		noErr(t, b.s.DeleteBaseValues(b.ctx, l1.ID), "delete all of l1")
		got, err = b.s.ListBaseValues(b.ctx, []int64{l1.ID, l2.ID})
		noErr(t, err, "list after delete")
		equal(t, len(got), 1, "only l2 left")
		equal(t, got[0].LinkID, l2.ID, "l2 left")

		got, err = b.s.ListBaseValues(b.ctx, nil)
		noErr(t, err, "list no links")
		equal(t, len(got), 0, "values for no links")
	})

	t.Run("last value per field wins", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")

		noErr(t, b.s.PutBaseValues(b.ctx, []store.BaseValue{
			{LinkID: l.ID, Field: "phone", Value: `"1"`},
			{LinkID: l.ID, Field: "email", Value: `"a@example.com"`},
			{LinkID: l.ID, Field: "phone", Value: `"2"`},
		}), "put")

		got, err := b.s.ListBaseValues(b.ctx, []int64{l.ID})
		noErr(t, err, "list")
		equal(t, len(got), 2, "values")
		equal(t, got[1].Field, "phone", "field")
		equal(t, got[1].Value, `"2"`, "last phone value")
	})

	t.Run("many links in one call", func(t *testing.T) {
		b := setup(t, open)

		// More ids than one IN list takes.
		const n = 600
		var linkIDs []int64
		err := b.s.InTx(b.ctx, func(tx store.Tx) error {
			var vs []store.BaseValue
			for i := range n {
				l, err := tx.CreateLink(b.ctx, store.Link{
					ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: fmt.Sprint(i),
					SalesforceID: fmt.Sprintf("00Q%012d", i), SalesforceObject: store.Lead,
				}, 0)
				if err != nil {
					return err
				}
				linkIDs = append(linkIDs, l.ID)
				vs = append(vs, store.BaseValue{LinkID: l.ID, Field: "email", Value: fmt.Sprint(i)})
			}
			return tx.PutBaseValues(b.ctx, vs)
		})
		noErr(t, err, "create links and values")

		got, err := b.s.ListBaseValues(b.ctx, linkIDs)
		noErr(t, err, "list")
		equal(t, len(got), n, "values")
		equal(t, got[n-1].Value, fmt.Sprint(n-1), "last value")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")

		err := b.s.PutBaseValues(b.ctx, []store.BaseValue{{LinkID: l.ID, Field: "email", Value: "x"}, {LinkID: l.ID, Value: "y"}})
		isErr(t, err, store.ErrInvalid, "empty field")
		err = b.s.PutBaseValues(b.ctx, []store.BaseValue{{LinkID: l.ID, Field: "email", Value: "x"}, {LinkID: l.ID + 100, Field: "email", Value: "y"}})
		isErr(t, err, store.ErrNotFound, "unknown link")

		got, err := b.s.ListBaseValues(b.ctx, []int64{l.ID})
		noErr(t, err, "list")
		equal(t, len(got), 0, "nothing written by failed puts")
	})
}

func testCursors(t *testing.T, open Opener) {
	t.Run("put get list delete", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.GetCursor(b.ctx, b.conn.ID, "salesforce/Lead")
		isErr(t, err, store.ErrNotFound, "before put")

		at := time.Date(2026, 3, 1, 8, 0, 0, 999_999_999, time.UTC)
		noErr(t, b.s.PutCursor(b.ctx, store.Cursor{ConnectionID: b.conn.ID, Source: "salesforce/Lead", Timestamp: at, ID: "00Q000000000001"}), "put Lead")
		noErr(t, b.s.PutCursor(b.ctx, store.Cursor{ConnectionID: b.conn.ID, Source: "hubspot/contacts", Timestamp: at, ID: "77", Extra: []byte(`{"window_end":"2026-03-01T09:00:00Z"}`)}), "put contacts")

		got, err := b.s.GetCursor(b.ctx, b.conn.ID, "salesforce/Lead")
		noErr(t, err, "get")
		equal(t, got.Timestamp, ms(at), "timestamp")
		equal(t, got.ID, "00Q000000000001", "id")
		equal(t, len(got.Extra), 0, "no extra")
		equal(t, got.UpdatedAt, ms(startTime), "updated at")

		b.clock.Advance(time.Second)
		noErr(t, b.s.PutCursor(b.ctx, store.Cursor{ConnectionID: b.conn.ID, Source: "salesforce/Lead", Timestamp: at.Add(time.Hour), ID: "00Q000000000002"}), "advance")
		got, err = b.s.GetCursor(b.ctx, b.conn.ID, "salesforce/Lead")
		noErr(t, err, "get advanced")
		equal(t, got.ID, "00Q000000000002", "advanced id")
		equal(t, got.Timestamp, ms(at.Add(time.Hour)), "advanced timestamp")

		all, err := b.s.ListCursors(b.ctx, b.conn.ID)
		noErr(t, err, "list")
		equal(t, len(all), 2, "cursors")
		equal(t, all[0].Source, "hubspot/contacts", "first source")
		jsonEqual(t, all[0].Extra, []byte(`{"window_end":"2026-03-01T09:00:00Z"}`), "extra")

		noErr(t, b.s.DeleteCursor(b.ctx, b.conn.ID, "salesforce/Lead"), "delete")
		_, err = b.s.GetCursor(b.ctx, b.conn.ID, "salesforce/Lead")
		isErr(t, err, store.ErrNotFound, "after delete")
		isErr(t, b.s.DeleteCursor(b.ctx, b.conn.ID, "salesforce/Lead"), store.ErrNotFound, "delete twice")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		isErr(t, b.s.PutCursor(b.ctx, store.Cursor{ConnectionID: b.conn.ID, ID: "1"}), store.ErrInvalid, "empty source")
		isErr(t, b.s.PutCursor(b.ctx, store.Cursor{ConnectionID: b.conn.ID, Source: "s", Extra: []byte(`{`)}), store.ErrInvalid, "broken extra")
		isErr(t, b.s.PutCursor(b.ctx, store.Cursor{ConnectionID: b.conn.ID + 100, Source: "s"}), store.ErrNotFound, "unknown connection")
	})
}

func testIntents(t *testing.T, open Opener) {
	newIntent := func(b *bundle) store.Intent {
		return store.Intent{ConnectionID: b.conn.ID, TargetSide: store.Salesforce, Object: "Lead", Key: "ada@example.com", SourceID: "101"}
	}

	t.Run("lifecycle", func(t *testing.T) {
		b := setup(t, open)

		i, err := b.s.CreateIntent(b.ctx, newIntent(b))
		noErr(t, err, "create")
		equal(t, i.State, store.IntentPending, "state")
		equal(t, i.CreatedAt, ms(startTime), "created at")

		_, err = b.s.CreateIntent(b.ctx, newIntent(b))
		isErr(t, err, store.ErrConflict, "second pending intent for the same key")

		b.clock.Advance(time.Second)
		i, err = b.s.SetIntentCreatedID(b.ctx, i.ID, "00Q000000000001")
		noErr(t, err, "set created id")
		equal(t, i.State, store.IntentPending, "still pending")
		equal(t, i.CreatedID, "00Q000000000001", "created id")
		equal(t, i.UpdatedAt, ms(startTime.Add(time.Second)), "updated at")

		pending, err := b.s.ListPendingIntents(b.ctx, b.conn.ID)
		noErr(t, err, "list pending")
		equal(t, ids(pending, func(i store.Intent) int64 { return i.ID }), []int64{i.ID}, "pending intents")
		equal(t, pending[0].CreatedID, "00Q000000000001", "pending created id")

		done, err := b.s.FinishIntent(b.ctx, i.ID, store.IntentDone, "")
		noErr(t, err, "finish")
		equal(t, done.State, store.IntentDone, "state after finish")
		equal(t, done.CreatedID, "00Q000000000001", "created id kept")

		_, err = b.s.FinishIntent(b.ctx, i.ID, store.IntentAbandoned, "")
		isErr(t, err, store.ErrConflict, "finish twice")
		_, err = b.s.SetIntentCreatedID(b.ctx, i.ID, "00Q000000000002")
		isErr(t, err, store.ErrConflict, "set created id after finish")

		pending, err = b.s.ListPendingIntents(b.ctx, b.conn.ID)
		noErr(t, err, "list pending after finish")
		equal(t, len(pending), 0, "pending after finish")

		again, err := b.s.CreateIntent(b.ctx, newIntent(b))
		noErr(t, err, "new intent for the key after the first finished")
		abandoned, err := b.s.FinishIntent(b.ctx, again.ID, store.IntentAbandoned, "")
		noErr(t, err, "abandon")
		equal(t, abandoned.State, store.IntentAbandoned, "abandoned")
		equal(t, abandoned.CreatedID, "", "no created id")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		bad := newIntent(b)
		bad.TargetSide = "zoho"
		_, err := b.s.CreateIntent(b.ctx, bad)
		isErr(t, err, store.ErrInvalid, "unknown side")
		bad = newIntent(b)
		bad.Key = ""
		_, err = b.s.CreateIntent(b.ctx, bad)
		isErr(t, err, store.ErrInvalid, "empty key")

		i, err := b.s.CreateIntent(b.ctx, newIntent(b))
		noErr(t, err, "create")
		_, err = b.s.FinishIntent(b.ctx, i.ID, store.IntentPending, "")
		isErr(t, err, store.ErrInvalid, "finish as pending")
		_, err = b.s.SetIntentCreatedID(b.ctx, i.ID, "")
		isErr(t, err, store.ErrInvalid, "empty created id")
		_, err = b.s.FinishIntent(b.ctx, i.ID+100, store.IntentDone, "x")
		isErr(t, err, store.ErrNotFound, "missing intent")
	})
}
