package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testAudit(t *testing.T, open Opener) {
	t.Run("by link and by run", func(t *testing.T) {
		b := setup(t, open)
		run1 := b.run(t)
		run2 := b.run(t)
		l1 := b.link(t, "101", "00Q000000000001", "a@example.com")
		l2 := b.link(t, "102", "00Q000000000002", "b@example.com")

		entry := func(run store.Run, l store.Link, field, old, new string) store.AuditEntry {
			return store.AuditEntry{
				RunID: run.ID, ConnectionID: b.conn.ID, LinkID: l.ID, HubSpotID: l.HubSpotID, SalesforceID: l.SalesforceID,
				Field: field, OldValue: old, NewValue: new, Direction: store.ToHubSpot,
				Rule: "prefer_salesforce_unless_blank", ReasonCode: "salesforce_changed", Reason: "Salesforce changed since the last sync",
			}
		}
		explicit := startTime.Add(-time.Hour)
		first := entry(run1, l1, "firstname", `"Ada"`, `"Ada K."`)
		first.At = explicit
		conflict := entry(run1, l2, "phone", `null`, `"+31 20 123 4567"`)
		conflict.Conflict = true
		conflict.Direction = store.ToSalesforce
		noErr(t, b.s.AppendAudit(b.ctx, []store.AuditEntry{first, conflict, entry(run1, l1, "lastname", `"L"`, `"Lovelace"`)}), "append run 1")
		b.clock.Advance(time.Minute)
		noErr(t, b.s.AppendAudit(b.ctx, []store.AuditEntry{entry(run2, l1, "firstname", `"Ada K."`, `"Ada"`)}), "append run 2")

		timeline, err := b.s.ListAuditByLink(b.ctx, l1.ID, store.Page{})
		noErr(t, err, "timeline")
		var fields []string
		for _, e := range timeline {
			fields = append(fields, fmt.Sprintf("%s %s->%s", e.Field, e.OldValue, e.NewValue))
		}
		equal(t, fields, []string{`firstname "Ada K."->"Ada"`, `lastname "L"->"Lovelace"`, `firstname "Ada"->"Ada K."`}, "timeline, newest first")
		equal(t, timeline[0].At, ms(startTime.Add(time.Minute)), "stamped at the clock's time")
		equal(t, timeline[2].At, ms(explicit), "given time kept")
		equal(t, timeline[2].Rule, "prefer_salesforce_unless_blank", "rule")
		equal(t, timeline[2].ReasonCode, "salesforce_changed", "reason code")
		equal(t, timeline[2].Reason, "Salesforce changed since the last sync", "reason")
		equal(t, timeline[2].HubSpotID, "101", "HubSpot id")
		equal(t, timeline[2].SalesforceID, "00Q000000000001", "Salesforce id")

		page1, err := b.s.ListAuditByLink(b.ctx, l1.ID, store.Page{Limit: 2})
		noErr(t, err, "timeline page 1")
		page2, err := b.s.ListAuditByLink(b.ctx, l1.ID, store.Page{After: page1[1].ID, Limit: 2})
		noErr(t, err, "timeline page 2")
		equal(t, ids(append(page1, page2...), func(e store.AuditEntry) int64 { return e.ID }), ids(timeline, func(e store.AuditEntry) int64 { return e.ID }), "pages join to the timeline")

		undo, err := b.s.ListAuditByRun(b.ctx, run1.ID, store.Page{})
		noErr(t, err, "by run")
		equal(t, len(undo), 3, "entries of run 1")
		equal(t, undo[0].Field, "firstname", "first written first")
		equal(t, undo[0].OldValue, `"Ada"`, "old value for undo")
		equal(t, undo[1].Conflict, true, "conflict flag")
		equal(t, undo[1].Direction, store.ToSalesforce, "direction")
		equal(t, undo[1].LinkID, l2.ID, "link")

		rest, err := b.s.ListAuditByRun(b.ctx, run1.ID, store.Page{After: undo[0].ID, Limit: 1})
		noErr(t, err, "by run, second page")
		equal(t, ids(rest, func(e store.AuditEntry) int64 { return e.ID }), []int64{undo[1].ID}, "second page of run 1")
	})

	t.Run("large batch keeps order", func(t *testing.T) {
		b := setup(t, open)
		run := b.run(t)

		// More entries than one INSERT statement takes.
		const n = 500
		var es []store.AuditEntry
		for i := range n {
			es = append(es, store.AuditEntry{RunID: run.ID, ConnectionID: b.conn.ID, Field: fmt.Sprint("f", i), Direction: store.ToHubSpot})
		}
		noErr(t, b.s.AppendAudit(b.ctx, es), "append")

		var fields []string
		page := store.Page{Limit: 200}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatalf("paging does not end after %d entries", len(fields))
			}
			got, err := b.s.ListAuditByRun(b.ctx, run.ID, page)
			noErr(t, err, "list page")
			for _, e := range got {
				fields = append(fields, e.Field)
			}
			if len(got) < page.Limit {
				break
			}
			page.After = got[len(got)-1].ID
		}
		equal(t, len(fields), n, "entries")
		for i, f := range fields {
			if f != fmt.Sprint("f", i) {
				t.Fatalf("entry %d is %s, want f%d: undo would revert out of order", i, f, i)
			}
		}
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)
		run := b.run(t)

		good := store.AuditEntry{RunID: run.ID, ConnectionID: b.conn.ID, Field: "email", Direction: store.ToHubSpot}
		bad := good
		bad.Direction = "sideways"
		isErr(t, b.s.AppendAudit(b.ctx, []store.AuditEntry{good, bad}), store.ErrInvalid, "unknown direction")
		bad = good
		bad.Field = ""
		isErr(t, b.s.AppendAudit(b.ctx, []store.AuditEntry{good, bad}), store.ErrInvalid, "empty field")
		bad = good
		bad.RunID = run.ID + 100
		isErr(t, b.s.AppendAudit(b.ctx, []store.AuditEntry{good, bad}), store.ErrNotFound, "unknown run")

		got, err := b.s.ListAuditByRun(b.ctx, run.ID, store.Page{})
		noErr(t, err, "list")
		equal(t, len(got), 0, "nothing written by failed appends")
	})
}

func testRuns(t *testing.T, open Opener) {
	t.Run("start finish list", func(t *testing.T) {
		b := setup(t, open)

		r, err := b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunSync})
		noErr(t, err, "start")
		equal(t, r.Status, store.RunRunning, "status")
		equal(t, r.StartedAt, ms(startTime), "started at")
		equal(t, r.FinishedAt, time.Time{}, "not finished")
		equal(t, r.Counts, map[string]int64{}, "no counts")

		b.clock.Advance(3 * time.Second)
		done, err := b.s.FinishRun(b.ctx, r.ID, store.RunResult{
			Status: store.RunPartial, Counts: map[string]int64{"updated": 40, "failed": 2},
			APICallsHubSpot: 3, APICallsSalesforce: 5, Error: "2 records failed",
		})
		noErr(t, err, "finish")
		equal(t, done.FinishedAt, ms(startTime.Add(3*time.Second)), "finished at")
		equal(t, done.Status, store.RunPartial, "status")
		equal(t, done.Counts, map[string]int64{"updated": 40, "failed": 2}, "counts")
		equal(t, done.APICallsHubSpot, int64(3), "HubSpot calls")
		equal(t, done.APICallsSalesforce, int64(5), "Salesforce calls")
		equal(t, done.Error, "2 records failed", "error")

		got, err := b.s.GetRun(b.ctx, r.ID)
		noErr(t, err, "get")
		equal(t, got, done, "stored run")

		_, err = b.s.FinishRun(b.ctx, r.ID, store.RunResult{Status: store.RunSucceeded})
		isErr(t, err, store.ErrConflict, "finish twice")

		undo, err := b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunUndo, UndoOf: r.ID})
		noErr(t, err, "start undo")
		equal(t, undo.UndoOf, r.ID, "undo of")
		plan, err := b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunPlan})
		noErr(t, err, "start plan")

		all, err := b.s.ListRuns(b.ctx, b.conn.ID, store.Page{})
		noErr(t, err, "list")
		equal(t, ids(all, func(r store.Run) int64 { return r.ID }), []int64{plan.ID, undo.ID, r.ID}, "runs, newest first")
		rest, err := b.s.ListRuns(b.ctx, b.conn.ID, store.Page{After: plan.ID, Limit: 1})
		noErr(t, err, "second page")
		equal(t, ids(rest, func(r store.Run) int64 { return r.ID }), []int64{undo.ID}, "second page")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)
		r := b.run(t)

		_, err := b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: "backup"})
		isErr(t, err, store.ErrInvalid, "unknown kind")
		_, err = b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunUndo})
		isErr(t, err, store.ErrInvalid, "undo without a run")
		_, err = b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunSync, UndoOf: r.ID})
		isErr(t, err, store.ErrInvalid, "sync naming a run to undo")
		_, err = b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunUndo, UndoOf: r.ID + 100})
		isErr(t, err, store.ErrNotFound, "undo of a missing run")
		_, err = b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID + 100, Kind: store.RunSync})
		isErr(t, err, store.ErrNotFound, "unknown connection")
		_, err = b.s.FinishRun(b.ctx, r.ID, store.RunResult{Status: store.RunRunning})
		isErr(t, err, store.ErrInvalid, "finish as running")
		_, err = b.s.FinishRun(b.ctx, r.ID, store.RunResult{Status: "done"})
		isErr(t, err, store.ErrInvalid, "unknown status")
		_, err = b.s.FinishRun(b.ctx, r.ID+100, store.RunResult{Status: store.RunFailed})
		isErr(t, err, store.ErrNotFound, "finish missing")
	})
}
