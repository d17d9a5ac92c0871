package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testSyncErrors(t *testing.T, open Opener) {
	validation := func(b *bundle, recordID string) store.SyncError {
		return store.SyncError{
			ConnectionID: b.conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: recordID,
			Category: store.ErrorCustomCode, Code: "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message: "Phone is required",
			Fields: []string{"Phone"},
		}
	}

	t.Run("repeat increments attempts", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")

		first := validation(b, "00Q000000000001")
		first.NextRetryAt = startTime.Add(time.Minute)
		e, err := b.s.RecordError(b.ctx, first)
		noErr(t, err, "record")
		equal(t, e.Attempts, 1, "attempts")
		equal(t, e.FirstSeen, ms(startTime), "first seen")
		equal(t, e.LastSeen, ms(startTime), "last seen")
		equal(t, e.NextRetryAt, ms(startTime.Add(time.Minute)), "next retry")
		equal(t, e.ResolvedAt, time.Time{}, "open")
		equal(t, e.Fields, []string{"Phone"}, "fields")
		equal(t, e.LinkID, int64(0), "no link yet")

		b.clock.Advance(time.Minute)
		second := validation(b, "00Q000000000001")
		second.Message = "Phone is still required"
		second.LinkID = l.ID
		repeat, err := b.s.RecordError(b.ctx, second)
		noErr(t, err, "record again")
		equal(t, repeat.ID, e.ID, "same row")
		equal(t, repeat.Attempts, 2, "attempts after repeat")
		equal(t, repeat.FirstSeen, ms(startTime), "first seen kept")
		equal(t, repeat.LastSeen, ms(startTime.Add(time.Minute)), "last seen moved")
		equal(t, repeat.Message, "Phone is still required", "message replaced")
		equal(t, repeat.NextRetryAt, time.Time{}, "no retry planned")
		equal(t, repeat.LinkID, l.ID, "link set")

		got, err := b.s.GetError(b.ctx, e.ID)
		noErr(t, err, "get")
		equal(t, got, repeat, "stored error")

		ofLink, err := b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, LinkID: l.ID})
		noErr(t, err, "list errors of the link")
		equal(t, ids(ofLink, func(e store.SyncError) int64 { return e.ID }), []int64{e.ID}, "errors of the link")

		other := validation(b, "00Q000000000001")
		other.Category = store.ErrorPermissions
		separate, err := b.s.RecordError(b.ctx, other)
		noErr(t, err, "record another category")
		if separate.ID == e.ID {
			t.Errorf("error of another category reused row %d", e.ID)
		}
	})

	t.Run("resolve and recur", func(t *testing.T) {
		b := setup(t, open)

		e, err := b.s.RecordError(b.ctx, validation(b, "00Q000000000001"))
		noErr(t, err, "record")
		_, err = b.s.RecordError(b.ctx, validation(b, "00Q000000000001"))
		noErr(t, err, "record again")
		permissions := validation(b, "00Q000000000001")
		permissions.Category = store.ErrorPermissions
		_, err = b.s.RecordError(b.ctx, permissions)
		noErr(t, err, "record permissions")
		_, err = b.s.RecordError(b.ctx, validation(b, "00Q000000000002"))
		noErr(t, err, "record other record")

		b.clock.Advance(time.Hour)
		n, err := b.s.ResolveRecordErrors(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001")
		noErr(t, err, "resolve record")
		equal(t, n, int64(2), "resolved errors")

		resolved, err := b.s.GetError(b.ctx, e.ID)
		noErr(t, err, "get resolved")
		equal(t, resolved.ResolvedAt, ms(startTime.Add(time.Hour)), "resolved at")

		n, err = b.s.ResolveRecordErrors(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001")
		noErr(t, err, "resolve again")
		equal(t, n, int64(0), "nothing left to resolve")

		b.clock.Advance(time.Hour)
		recurred, err := b.s.RecordError(b.ctx, validation(b, "00Q000000000001"))
		noErr(t, err, "recur")
		equal(t, recurred.ID, e.ID, "same row")
		equal(t, recurred.Attempts, 1, "attempts start over")
		equal(t, recurred.FirstSeen, ms(startTime.Add(2*time.Hour)), "first seen of the new episode")
		equal(t, recurred.ResolvedAt, time.Time{}, "open again")

		noErr(t, b.s.ResolveError(b.ctx, e.ID), "resolve by id")
		isErr(t, b.s.ResolveError(b.ctx, e.ID), store.ErrNotFound, "resolve by id twice")
		isErr(t, b.s.ResolveError(b.ctx, e.ID+100), store.ErrNotFound, "resolve missing")
	})

	t.Run("list count and due", func(t *testing.T) {
		b := setup(t, open)

		categories := []store.ErrorCategory{store.ErrorPropertyValue, store.ErrorDuplicates, store.ErrorPropertyValue}
		var byCategory = map[store.ErrorCategory][]int64{}
		for i := range 12 {
			c := categories[i%len(categories)]
			e, err := b.s.RecordError(b.ctx, store.SyncError{
				ConnectionID: b.conn.ID, Side: store.HubSpot, Object: "contacts", RecordID: fmt.Sprint(500 + i),
				Category: c, NextRetryAt: startTime.Add(time.Duration(12-i) * time.Minute),
			})
			noErr(t, err, "record")
			byCategory[c] = append([]int64{e.ID}, byCategory[c]...) // newest first
		}
		resolvedID := byCategory[store.ErrorDuplicates][0]
		noErr(t, b.s.ResolveError(b.ctx, resolvedID), "resolve newest duplicate")

		counts, err := b.s.CountErrorsByCategory(b.ctx, b.conn.ID)
		noErr(t, err, "count")
		equal(t, counts, map[store.ErrorCategory]int64{store.ErrorPropertyValue: 8, store.ErrorDuplicates: 3}, "open errors per category")

		var got []int64
		page := store.Page{Limit: 3}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatalf("paging does not end: %v", got)
			}
			es, err := b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, Category: store.ErrorPropertyValue, Page: page})
			noErr(t, err, "list page")
			got = append(got, ids(es, func(e store.SyncError) int64 { return e.ID })...)
			if len(es) < page.Limit {
				break
			}
			page.After = es[len(es)-1].ID
		}
		equal(t, got, byCategory[store.ErrorPropertyValue], "property value errors, newest first")

		open, err := b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, Category: store.ErrorDuplicates})
		noErr(t, err, "list open duplicates")
		equal(t, ids(open, func(e store.SyncError) int64 { return e.ID }), byCategory[store.ErrorDuplicates][1:], "open duplicates")
		withResolved, err := b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, Category: store.ErrorDuplicates, IncludeResolved: true})
		noErr(t, err, "list all duplicates")
		equal(t, ids(withResolved, func(e store.SyncError) int64 { return e.ID }), byCategory[store.ErrorDuplicates], "all duplicates")
		everything, err := b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID})
		noErr(t, err, "list all open")
		equal(t, len(everything), 11, "open errors")

		// Retry times count down from 12 minutes, so the newest errors are
		// due first; 510, the resolved duplicate, is never due.
		due, err := b.s.ListErrorsDue(b.ctx, b.conn.ID, startTime.Add(3*time.Minute), 10)
		noErr(t, err, "due")
		var dueRecords []string
		for _, e := range due {
			dueRecords = append(dueRecords, e.RecordID)
		}
		equal(t, dueRecords, []string{"511", "509"}, "due records, earliest retry first")
		due, err = b.s.ListErrorsDue(b.ctx, b.conn.ID, startTime.Add(time.Hour), 2)
		noErr(t, err, "due with limit")
		equal(t, len(due), 2, "limited due list")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		bad := validation(b, "00Q1")
		bad.Category = "weather"
		_, err := b.s.RecordError(b.ctx, bad)
		isErr(t, err, store.ErrInvalid, "unknown category")
		bad = validation(b, "00Q1")
		bad.Side = ""
		_, err = b.s.RecordError(b.ctx, bad)
		isErr(t, err, store.ErrInvalid, "empty side")
		_, err = b.s.RecordError(b.ctx, validation(b, ""))
		isErr(t, err, store.ErrInvalid, "empty record id")
		bad = validation(b, "00Q1")
		bad.LinkID = 999
		_, err = b.s.RecordError(b.ctx, bad)
		isErr(t, err, store.ErrNotFound, "unknown link")
		_, err = b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, Category: "weather"})
		isErr(t, err, store.ErrInvalid, "list unknown category")
		_, err = b.s.ListErrorsDue(b.ctx, b.conn.ID, startTime, store.MaxPageSize+1)
		isErr(t, err, store.ErrInvalid, "due limit above maximum")
		_, err = b.s.GetError(b.ctx, 999)
		isErr(t, err, store.ErrNotFound, "get missing")
	})

	t.Run("next retry moves alone", func(t *testing.T) {
		b := setup(t, open)

		first := validation(b, "00Q000000000001")
		first.NextRetryAt = startTime.Add(time.Hour)
		e, err := b.s.RecordError(b.ctx, first)
		noErr(t, err, "record")

		b.clock.Advance(time.Minute)
		noErr(t, b.s.SetErrorNextRetry(b.ctx, e.ID, startTime.Add(time.Minute)), "set next retry")
		got, err := b.s.GetError(b.ctx, e.ID)
		noErr(t, err, "get")
		equal(t, got.NextRetryAt, ms(startTime.Add(time.Minute)), "next retry moved")
		equal(t, got.Attempts, 1, "attempts unchanged")
		equal(t, got.LastSeen, ms(startTime), "last seen unchanged")

		due, err := b.s.ListErrorsDue(b.ctx, b.conn.ID, startTime.Add(time.Minute), 10)
		noErr(t, err, "due")
		equal(t, ids(due, func(e store.SyncError) int64 { return e.ID }), []int64{e.ID}, "due after the move")

		noErr(t, b.s.ResolveError(b.ctx, e.ID), "resolve")
		isErr(t, b.s.SetErrorNextRetry(b.ctx, e.ID, startTime), store.ErrNotFound, "resolved error")
		isErr(t, b.s.SetErrorNextRetry(b.ctx, 999, startTime), store.ErrNotFound, "unknown error")
		isErr(t, b.s.SetErrorNextRetry(b.ctx, e.ID, time.Time{}), store.ErrInvalid, "zero time")
	})

	t.Run("list by record id", func(t *testing.T) {
		b := setup(t, open)

		a, err := b.s.RecordError(b.ctx, validation(b, "00Q000000000001"))
		noErr(t, err, "record first")
		other := validation(b, "00Q000000000001")
		other.Category = store.ErrorPermissions
		a2, err := b.s.RecordError(b.ctx, other)
		noErr(t, err, "record second category")
		_, err = b.s.RecordError(b.ctx, validation(b, "00Q000000000002"))
		noErr(t, err, "record other record")

		got, err := b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, RecordID: "00Q000000000001"})
		noErr(t, err, "list by record id")
		equal(t, ids(got, func(e store.SyncError) int64 { return e.ID }), []int64{a2.ID, a.ID}, "errors of the record")

		got, err = b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, RecordID: "00Q000000000001", Category: store.ErrorPermissions})
		noErr(t, err, "list by record id and category")
		equal(t, ids(got, func(e store.SyncError) int64 { return e.ID }), []int64{a2.ID}, "one category of the record")

		got, err = b.s.ListErrors(b.ctx, store.ErrorQuery{ConnectionID: b.conn.ID, RecordID: "00Q00000000000"})
		noErr(t, err, "list by record id prefix")
		equal(t, len(got), 0, "a prefix matches nothing")
	})
}
