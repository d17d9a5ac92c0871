package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func testLinks(t *testing.T, open Opener) {
	t.Run("create and get", func(t *testing.T) {
		b := setup(t, open)
		run := b.run(t)

		l, err := b.s.CreateLink(b.ctx, store.Link{
			ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "101",
			SalesforceID: "00Q000000000001", SalesforceObject: store.Lead, Email: "  Ada@Example.COM ",
		}, run.ID)
		noErr(t, err, "create")
		equal(t, l.Email, "ada@example.com", "normalized email")
		equal(t, l.Status, store.LinkActive, "status")
		equal(t, l.CreatedAt, ms(startTime), "created at")

		byID, err := b.s.GetLink(b.ctx, l.ID)
		noErr(t, err, "get by id")
		equal(t, byID, l, "link by id")
		byHS, err := b.s.GetLinkByHubSpotID(b.ctx, b.conn.ID, store.LinkContact, "101")
		noErr(t, err, "get by HubSpot id")
		equal(t, byHS.ID, l.ID, "id by HubSpot id")
		bySF, err := b.s.GetLinkBySalesforceID(b.ctx, b.conn.ID, "00Q000000000001")
		noErr(t, err, "get by Salesforce id")
		equal(t, bySF.ID, l.ID, "id by Salesforce id")

		_, err = b.s.GetLinkByHubSpotID(b.ctx, b.conn.ID, store.LinkCompany, "101")
		isErr(t, err, store.ErrNotFound, "HubSpot id of another kind")
		_, err = b.s.GetLink(b.ctx, l.ID+100)
		isErr(t, err, store.ErrNotFound, "missing id")

		history, err := b.s.LinkHistory(b.ctx, l.ID)
		noErr(t, err, "history")
		equal(t, len(history), 1, "history length")
		equal(t, history[0].Event, store.LinkCreated, "first event")
		equal(t, history[0].NewSalesforceID, "00Q000000000001", "created Salesforce id")
		equal(t, history[0].NewSalesforceObject, store.Lead, "created Salesforce object")
		equal(t, history[0].NewHubSpotID, "101", "created HubSpot id")
		equal(t, history[0].RunID, run.ID, "created by run")
		equal(t, history[0].At, ms(startTime), "created at")
	})

	t.Run("unique per side", func(t *testing.T) {
		b := setup(t, open)
		b.link(t, "101", "00Q000000000001", "a@example.com")

		_, err := b.s.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "101", SalesforceID: "003000000000002", SalesforceObject: store.Contact}, 0)
		isErr(t, err, store.ErrConflict, "same HubSpot contact again")
		_, err = b.s.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "102", SalesforceID: "00Q000000000001", SalesforceObject: store.Lead}, 0)
		isErr(t, err, store.ErrConflict, "same Salesforce Lead again")

		// HubSpot ids are unique per object type only, so a company may
		// share a number with a contact.
		_, err = b.s.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkCompany, HubSpotID: "101", SalesforceID: "001000000000001", SalesforceObject: store.Account}, 0)
		noErr(t, err, "company with a contact's number")

		other, err := b.s.CreateConnection(b.ctx, store.Connection{Name: "other"})
		noErr(t, err, "create other connection")
		_, err = b.s.CreateLink(b.ctx, store.Link{ConnectionID: other.ID, Kind: store.LinkContact, HubSpotID: "101", SalesforceID: "00Q000000000001", SalesforceObject: store.Lead}, 0)
		noErr(t, err, "same ids in another connection")
	})

	t.Run("invalid input", func(t *testing.T) {
		b := setup(t, open)

		cases := []struct {
			name string
			link store.Link
			want error
		}{
			{"company to Lead", store.Link{Kind: store.LinkCompany, HubSpotID: "1", SalesforceID: "00Q1", SalesforceObject: store.Lead}, store.ErrInvalid},
			{"contact to Account", store.Link{Kind: store.LinkContact, HubSpotID: "1", SalesforceID: "0011", SalesforceObject: store.Account}, store.ErrInvalid},
			{"unknown kind", store.Link{Kind: "deal", HubSpotID: "1", SalesforceID: "0061", SalesforceObject: store.Lead}, store.ErrInvalid},
			{"unknown object", store.Link{Kind: store.LinkContact, HubSpotID: "1", SalesforceID: "0061", SalesforceObject: "Opportunity"}, store.ErrInvalid},
			{"no HubSpot id", store.Link{Kind: store.LinkContact, SalesforceID: "00Q1", SalesforceObject: store.Lead}, store.ErrInvalid},
			{"no Salesforce id", store.Link{Kind: store.LinkContact, HubSpotID: "1", SalesforceObject: store.Lead}, store.ErrInvalid},
		}
		for _, c := range cases {
			c.link.ConnectionID = b.conn.ID
			_, err := b.s.CreateLink(b.ctx, c.link, 0)
			isErr(t, err, c.want, c.name)
		}

		_, err := b.s.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID + 100, Kind: store.LinkContact, HubSpotID: "1", SalesforceID: "00Q1", SalesforceObject: store.Lead}, 0)
		isErr(t, err, store.ErrNotFound, "unknown connection")
	})

	t.Run("lead conversion", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")
		run := b.run(t)
		b.clock.Advance(time.Hour)

		converted, err := b.s.Relink(b.ctx, store.Relink{
			LinkID: l.ID, Event: store.LinkConverted, SalesforceID: "003000000000001", SalesforceObject: store.Contact,
			RunID: run.ID, Note: "ConvertedContactId",
		})
		noErr(t, err, "relink")
		equal(t, converted.SalesforceID, "003000000000001", "Salesforce id")
		equal(t, converted.SalesforceObject, store.Contact, "Salesforce object")
		equal(t, converted.HubSpotID, "101", "HubSpot id kept")
		equal(t, converted.Email, "a@example.com", "email kept")
		equal(t, converted.UpdatedAt, ms(startTime.Add(time.Hour)), "updated at")

		_, err = b.s.GetLinkBySalesforceID(b.ctx, b.conn.ID, "00Q000000000001")
		isErr(t, err, store.ErrNotFound, "old Lead id")
		byContact, err := b.s.GetLinkBySalesforceID(b.ctx, b.conn.ID, "003000000000001")
		noErr(t, err, "get by Contact id")
		equal(t, byContact.ID, l.ID, "link by Contact id")

		history, err := b.s.LinkHistory(b.ctx, l.ID)
		noErr(t, err, "history")
		equal(t, len(history), 2, "history length")
		e := history[1]
		equal(t, e.Event, store.LinkConverted, "event")
		equal(t, e.OldSalesforceID, "00Q000000000001", "old id")
		equal(t, e.OldSalesforceObject, store.Lead, "old object")
		equal(t, e.NewSalesforceID, "003000000000001", "new id")
		equal(t, e.NewSalesforceObject, store.Contact, "new object")
		equal(t, e.RunID, run.ID, "run")
		equal(t, e.Note, "ConvertedContactId", "note")
		equal(t, e.At, ms(startTime.Add(time.Hour)), "at")
	})

	t.Run("relink conflict", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")
		b.link(t, "102", "003000000000002", "b@example.com")

		_, err := b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkMerged, SalesforceID: "003000000000002", SalesforceObject: store.Contact})
		isErr(t, err, store.ErrConflict, "relink to a linked Contact")

		got, err := b.s.GetLink(b.ctx, l.ID)
		noErr(t, err, "get")
		equal(t, got.SalesforceID, "00Q000000000001", "Salesforce id unchanged")
		history, err := b.s.LinkHistory(b.ctx, l.ID)
		noErr(t, err, "history")
		equal(t, len(history), 1, "no event for a failed relink")
	})

	t.Run("relink invalid", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")

		_, err := b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkCreated})
		isErr(t, err, store.ErrInvalid, "created event")
		_, err = b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: "moved"})
		isErr(t, err, store.ErrInvalid, "unknown event")
		_, err = b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkRelinked, SalesforceID: "001000000000001", SalesforceObject: store.Account})
		isErr(t, err, store.ErrInvalid, "contact link to Account")
		_, err = b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkRelinked, SalesforceID: "003000000000001"})
		isErr(t, err, store.ErrInvalid, "Salesforce id without object")
		_, err = b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkDeleted, Status: "gone"})
		isErr(t, err, store.ErrInvalid, "unknown status")
		_, err = b.s.Relink(b.ctx, store.Relink{LinkID: l.ID + 100, Event: store.LinkDeleted, Status: store.LinkTombstoned})
		isErr(t, err, store.ErrNotFound, "missing link")
	})

	t.Run("tombstone and restore", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")

		dead, err := b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkDeleted, Status: store.LinkTombstoned})
		noErr(t, err, "tombstone")
		equal(t, dead.Status, store.LinkTombstoned, "status after delete")
		equal(t, dead.SalesforceID, "00Q000000000001", "Salesforce id kept")

		// The tombstoned link still owns its ids.
		_, err = b.s.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "101", SalesforceID: "00Q000000000009", SalesforceObject: store.Lead}, 0)
		isErr(t, err, store.ErrConflict, "new link for a tombstoned HubSpot id")

		alive, err := b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkRestored, Status: store.LinkActive, SalesforceID: "00Q000000000009", SalesforceObject: store.Lead})
		noErr(t, err, "restore to another Lead")
		equal(t, alive.Status, store.LinkActive, "status after restore")

		history, err := b.s.LinkHistory(b.ctx, l.ID)
		noErr(t, err, "history")
		var events []store.LinkEventKind
		for _, e := range history {
			events = append(events, e.Event)
		}
		equal(t, events, []store.LinkEventKind{store.LinkCreated, store.LinkDeleted, store.LinkRestored}, "events")
	})

	t.Run("hubspot merge", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")

		merged, err := b.s.Relink(b.ctx, store.Relink{LinkID: l.ID, Event: store.LinkMerged, HubSpotID: "205", Email: "New@Example.com"})
		noErr(t, err, "relink HubSpot side")
		equal(t, merged.HubSpotID, "205", "HubSpot id")
		equal(t, merged.Email, "new@example.com", "email")

		history, err := b.s.LinkHistory(b.ctx, l.ID)
		noErr(t, err, "history")
		equal(t, history[1].OldHubSpotID, "101", "old HubSpot id")
		equal(t, history[1].NewHubSpotID, "205", "new HubSpot id")
		equal(t, history[1].OldSalesforceID, history[1].NewSalesforceID, "Salesforce id unchanged")
	})

	t.Run("list pages and filters", func(t *testing.T) {
		b := setup(t, open)

		var want []int64
		err := b.s.InTx(b.ctx, func(tx store.Tx) error {
			for i := range 25 {
				l, err := tx.CreateLink(b.ctx, store.Link{
					ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: fmt.Sprint(1000 + i),
					SalesforceID: fmt.Sprintf("00Q%012d", i), SalesforceObject: store.Lead, Email: fmt.Sprintf("p%d@example.com", i),
				}, 0)
				if err != nil {
					return err
				}
				want = append(want, l.ID)
			}
			_, err := tx.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkCompany, HubSpotID: "9", SalesforceID: "001000000000009", SalesforceObject: store.Account}, 0)
			return err
		})
		noErr(t, err, "create links")

		var got []int64
		page := store.Page{Limit: 10}
		for pages := 0; ; pages++ {
			if pages > 3 {
				t.Fatalf("paging does not end: %v", got)
			}
			ls, err := b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Kind: store.LinkContact, Page: page})
			noErr(t, err, "list page")
			got = append(got, ids(ls, func(l store.Link) int64 { return l.ID })...)
			if len(ls) < page.Limit {
				break
			}
			page.After = ls[len(ls)-1].ID
		}
		equal(t, got, want, "ids over all pages")

		all, err := b.s.CountLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID})
		noErr(t, err, "count all")
		equal(t, all, int64(26), "count all")
		companies, err := b.s.CountLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Kind: store.LinkCompany})
		noErr(t, err, "count companies")
		equal(t, companies, int64(1), "count companies")

		byEmail, err := b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Email: " P7@EXAMPLE.com"})
		noErr(t, err, "search by email")
		equal(t, ids(byEmail, func(l store.Link) int64 { return l.ID }), []int64{want[7]}, "found by email")

		blank, err := b.s.CountLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Email: "  "})
		noErr(t, err, "count with a blank email")
		equal(t, blank, int64(26), "a blank email does not filter")

		byHS, err := b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, RecordID: "1003"})
		noErr(t, err, "search by HubSpot id")
		equal(t, ids(byHS, func(l store.Link) int64 { return l.ID }), []int64{want[3]}, "found by HubSpot id")

		bySF, err := b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, RecordID: "00Q000000000004"})
		noErr(t, err, "search by Salesforce id")
		equal(t, ids(bySF, func(l store.Link) int64 { return l.ID }), []int64{want[4]}, "found by Salesforce id")

		_, err = b.s.Relink(b.ctx, store.Relink{LinkID: want[5], Event: store.LinkDeleted, Status: store.LinkTombstoned})
		noErr(t, err, "tombstone one")
		dead, err := b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Status: store.LinkTombstoned})
		noErr(t, err, "list tombstoned")
		equal(t, ids(dead, func(l store.Link) int64 { return l.ID }), []int64{want[5]}, "tombstoned links")
		active, err := b.s.CountLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Kind: store.LinkContact, Status: store.LinkActive})
		noErr(t, err, "count active contacts")
		equal(t, active, int64(24), "active contacts")
	})

	t.Run("list invalid", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Page: store.Page{Limit: store.MaxPageSize + 1}})
		isErr(t, err, store.ErrInvalid, "limit above maximum")
		_, err = b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Page: store.Page{Limit: -1}})
		isErr(t, err, store.ErrInvalid, "negative limit")
		_, err = b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Page: store.Page{After: -5}})
		isErr(t, err, store.ErrInvalid, "negative cursor")
		_, err = b.s.ListLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Kind: "deal"})
		isErr(t, err, store.ErrInvalid, "unknown kind")
		_, err = b.s.CountLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID, Status: "gone"})
		isErr(t, err, store.ErrInvalid, "unknown status")
	})
}
