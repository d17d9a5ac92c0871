package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testTombstones(t *testing.T, open Opener) {
	t.Run("put get delete", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")

		_, err := b.s.GetTombstone(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001")
		isErr(t, err, store.ErrNotFound, "before put")

		noErr(t, b.s.PutTombstone(b.ctx, store.Tombstone{ConnectionID: b.conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: "00Q000000000001", LinkID: l.ID}), "put")
		got, err := b.s.GetTombstone(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001")
		noErr(t, err, "get")
		equal(t, got, store.Tombstone{ConnectionID: b.conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: "00Q000000000001", LinkID: l.ID, DeletedAt: ms(startTime)}, "tombstone")

		_, err = b.s.GetTombstone(b.ctx, b.conn.ID, store.HubSpot, "00Q000000000001")
		isErr(t, err, store.ErrNotFound, "other side")

		later := startTime.Add(time.Hour)
		noErr(t, b.s.PutTombstone(b.ctx, store.Tombstone{ConnectionID: b.conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: "00Q000000000001", DeletedAt: later}), "put again")
		got, err = b.s.GetTombstone(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001")
		noErr(t, err, "get replaced")
		equal(t, got.DeletedAt, ms(later), "replaced deleted at")
		equal(t, got.LinkID, int64(0), "replaced link")

		noErr(t, b.s.PutTombstone(b.ctx, store.Tombstone{ConnectionID: b.conn.ID, Side: store.Salesforce, Object: "Contact", RecordID: "003000000000001"}), "put Contact")
		noErr(t, b.s.PutTombstone(b.ctx, store.Tombstone{ConnectionID: b.conn.ID, Side: store.HubSpot, Object: "contacts", RecordID: "101"}), "put HubSpot contact")
		page1, err := b.s.ListTombstones(b.ctx, b.conn.ID, store.Salesforce, "", 1)
		noErr(t, err, "list page 1")
		page2, err := b.s.ListTombstones(b.ctx, b.conn.ID, store.Salesforce, page1[0].RecordID, 1)
		noErr(t, err, "list page 2")
		page3, err := b.s.ListTombstones(b.ctx, b.conn.ID, store.Salesforce, page2[0].RecordID, 1)
		noErr(t, err, "list page 3")
		equal(t, []string{page1[0].RecordID, page2[0].RecordID}, []string{"003000000000001", "00Q000000000001"}, "Salesforce tombstones by record id")
		equal(t, page2[0].DeletedAt, ms(later), "listed deleted at")
		equal(t, len(page3), 0, "page after the last")

		noErr(t, b.s.DeleteTombstone(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001"), "delete")
		_, err = b.s.GetTombstone(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001")
		isErr(t, err, store.ErrNotFound, "after delete")
		isErr(t, b.s.DeleteTombstone(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001"), store.ErrNotFound, "delete twice")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		isErr(t, b.s.PutTombstone(b.ctx, store.Tombstone{ConnectionID: b.conn.ID, Side: "x", RecordID: "1"}), store.ErrInvalid, "unknown side")
		isErr(t, b.s.PutTombstone(b.ctx, store.Tombstone{ConnectionID: b.conn.ID, Side: store.HubSpot}), store.ErrInvalid, "empty record id")
		_, err := b.s.ListTombstones(b.ctx, b.conn.ID, "x", "", 0)
		isErr(t, err, store.ErrInvalid, "list unknown side")
	})
}

func testImports(t *testing.T, open Opener) {
	t.Run("resume position", func(t *testing.T) {
		b := setup(t, open)
		run, err := b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunImport})
		noErr(t, err, "start import")

		noErr(t, b.s.PutImportProgress(b.ctx, store.ImportProgress{RunID: run.ID, Object: store.Lead, LastSalesforceID: "00Q000000000200", Counts: map[string]int64{"created": 150, "linked": 50}}), "put Lead")
		noErr(t, b.s.PutImportProgress(b.ctx, store.ImportProgress{RunID: run.ID, Object: store.Contact, LastSalesforceID: "003000000000100", Done: true}), "put Contact")
		b.clock.Advance(time.Minute)
		noErr(t, b.s.PutImportProgress(b.ctx, store.ImportProgress{RunID: run.ID, Object: store.Lead, LastSalesforceID: "00Q000000000400", Counts: map[string]int64{"created": 300, "linked": 100}}), "advance Lead")

		got, err := b.s.ListImportProgress(b.ctx, run.ID)
		noErr(t, err, "list")
		equal(t, got, []store.ImportProgress{
			{RunID: run.ID, Object: store.Contact, LastSalesforceID: "003000000000100", Counts: map[string]int64{}, Done: true, UpdatedAt: ms(startTime)},
			{RunID: run.ID, Object: store.Lead, LastSalesforceID: "00Q000000000400", Counts: map[string]int64{"created": 300, "linked": 100}, UpdatedAt: ms(startTime.Add(time.Minute))},
		}, "progress by object")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)
		run := b.run(t)

		isErr(t, b.s.PutImportProgress(b.ctx, store.ImportProgress{RunID: run.ID, Object: "Case"}), store.ErrInvalid, "unknown object")
		isErr(t, b.s.PutImportProgress(b.ctx, store.ImportProgress{RunID: run.ID + 100, Object: store.Lead}), store.ErrNotFound, "unknown run")
	})
}

func testAPIUsage(t *testing.T, open Opener) {
	t.Run("samples over time", func(t *testing.T) {
		b := setup(t, open)

		for i := range 5 {
			at := startTime.Add(time.Duration(i) * time.Hour)
			noErr(t, b.s.AddAPIUsage(b.ctx, store.APIUsage{ConnectionID: b.conn.ID, Side: store.Salesforce, At: at, Used: int64(100 * i), Limit: 15000}), "add Salesforce sample")
			noErr(t, b.s.AddAPIUsage(b.ctx, store.APIUsage{ConnectionID: b.conn.ID, Side: store.HubSpot, At: at, Used: int64(i)}), "add HubSpot sample")
		}
		noErr(t, b.s.AddAPIUsage(b.ctx, store.APIUsage{ConnectionID: b.conn.ID, Side: store.HubSpot, Used: 9}), "add sample at the clock's time")

		got, err := b.s.ListAPIUsage(b.ctx, b.conn.ID, store.Salesforce, startTime.Add(time.Hour), startTime.Add(3*time.Hour))
		noErr(t, err, "list window")
		equal(t, got, []store.APIUsage{
			{ConnectionID: b.conn.ID, Side: store.Salesforce, At: ms(startTime.Add(time.Hour)), Used: 100, Limit: 15000},
			{ConnectionID: b.conn.ID, Side: store.Salesforce, At: ms(startTime.Add(2 * time.Hour)), Used: 200, Limit: 15000},
		}, "samples from inclusive to exclusive")

		n, err := b.s.DeleteAPIUsageBefore(b.ctx, startTime.Add(2*time.Hour))
		noErr(t, err, "delete old")
		equal(t, n, int64(5), "deleted samples (2 hours of 2 sides, and the clock's sample)")
		left, err := b.s.ListAPIUsage(b.ctx, b.conn.ID, store.HubSpot, startTime.Add(-time.Hour), startTime.Add(time.Hour*24))
		noErr(t, err, "list HubSpot")
		equal(t, len(left), 3, "HubSpot samples left")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		isErr(t, b.s.AddAPIUsage(b.ctx, store.APIUsage{ConnectionID: b.conn.ID, Side: "x"}), store.ErrInvalid, "unknown side")
		isErr(t, b.s.AddAPIUsage(b.ctx, store.APIUsage{ConnectionID: b.conn.ID, Side: store.HubSpot, Used: -1}), store.ErrInvalid, "negative use")
		isErr(t, b.s.AddAPIUsage(b.ctx, store.APIUsage{ConnectionID: b.conn.ID + 100, Side: store.HubSpot}), store.ErrNotFound, "unknown connection")
	})
}

func testListMembers(t *testing.T, open Opener) {
	t.Run("add remove page clear", func(t *testing.T) {
		b := setup(t, open)

		noErr(t, b.s.AddListMembers(b.ctx, b.conn.ID, "42", []string{"c3", "c1", "c2"}), "add")
		b.clock.Advance(time.Hour)
		noErr(t, b.s.AddListMembers(b.ctx, b.conn.ID, "42", []string{"c1", "c4", "c4"}), "add again")
		noErr(t, b.s.AddListMembers(b.ctx, b.conn.ID, "43", []string{"c9"}), "add to another list")

		in, err := b.s.IsListMember(b.ctx, b.conn.ID, "42", "c2")
		noErr(t, err, "is member")
		equal(t, in, true, "c2 in list 42")
		in, err = b.s.IsListMember(b.ctx, b.conn.ID, "42", "c9")
		noErr(t, err, "is member")
		equal(t, in, false, "c9 in list 42")

		page1, err := b.s.ListListMembers(b.ctx, b.conn.ID, "42", "", 3)
		noErr(t, err, "page 1")
		page2, err := b.s.ListListMembers(b.ctx, b.conn.ID, "42", page1[len(page1)-1].ContactID, 3)
		noErr(t, err, "page 2")
		var members []string
		for _, m := range append(page1, page2...) {
			members = append(members, fmt.Sprintf("%s@%s", m.ContactID, m.FirstSeen.Format("15:04")))
		}
		first, later := ms(startTime).Format("15:04"), ms(startTime.Add(time.Hour)).Format("15:04")
		equal(t, members, []string{"c1@" + first, "c2@" + first, "c3@" + first, "c4@" + later}, "members with first seen")

		noErr(t, b.s.RemoveListMembers(b.ctx, b.conn.ID, "42", []string{"c2", "c7"}), "remove")
		in, err = b.s.IsListMember(b.ctx, b.conn.ID, "42", "c2")
		noErr(t, err, "is member after remove")
		equal(t, in, false, "c2 after remove")

		noErr(t, b.s.ClearList(b.ctx, b.conn.ID, "42"), "clear")
		left, err := b.s.ListListMembers(b.ctx, b.conn.ID, "42", "", 0)
		noErr(t, err, "list after clear")
		equal(t, len(left), 0, "members after clear")
		other, err := b.s.ListListMembers(b.ctx, b.conn.ID, "43", "", 0)
		noErr(t, err, "other list")
		equal(t, len(other), 1, "other list untouched")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		isErr(t, b.s.AddListMembers(b.ctx, b.conn.ID, "", []string{"c1"}), store.ErrInvalid, "empty list id")
		isErr(t, b.s.AddListMembers(b.ctx, b.conn.ID+100, "42", []string{"c1"}), store.ErrNotFound, "unknown connection")
		_, err := b.s.ListListMembers(b.ctx, b.conn.ID, "42", "", -1)
		isErr(t, err, store.ErrInvalid, "negative limit")
	})
}
