package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/koppel-sync/koppel/internal/store"
)

func testTransactions(t *testing.T, open Opener) {
	t.Run("commit", func(t *testing.T) {
		b := setup(t, open)
		run := b.run(t)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")
		_, err := b.s.RecordError(b.ctx, store.SyncError{ConnectionID: b.conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: "00Q000000000001", Category: store.ErrorTransient})
		noErr(t, err, "record error")

		// What the engine commits after a batch was acknowledged.
		err = b.s.InTx(b.ctx, func(tx store.Tx) error {
			if err := tx.PutBaseValues(b.ctx, []store.BaseValue{{LinkID: l.ID, Field: "phone", Value: `"1"`, RunID: run.ID}}); err != nil {
				return err
			}
			if err := tx.AppendAudit(b.ctx, []store.AuditEntry{{RunID: run.ID, ConnectionID: b.conn.ID, LinkID: l.ID, Field: "phone", NewValue: `"1"`, Direction: store.ToSalesforce}}); err != nil {
				return err
			}
			if _, err := tx.ResolveRecordErrors(b.ctx, b.conn.ID, store.Salesforce, "00Q000000000001"); err != nil {
				return err
			}
			return tx.PutCursor(b.ctx, store.Cursor{ConnectionID: b.conn.ID, Source: "hubspot/contacts", ID: "101"})
		})
		noErr(t, err, "commit batch")

		vs, err := b.s.ListBaseValues(b.ctx, []int64{l.ID})
		noErr(t, err, "list base values")
		equal(t, len(vs), 1, "base values")
		audit, err := b.s.ListAuditByRun(b.ctx, run.ID, store.Page{})
		noErr(t, err, "list audit")
		equal(t, len(audit), 1, "audit entries")
		counts, err := b.s.CountErrorsByCategory(b.ctx, b.conn.ID)
		noErr(t, err, "count errors")
		equal(t, len(counts), 0, "open errors")
		_, err = b.s.GetCursor(b.ctx, b.conn.ID, "hubspot/contacts")
		noErr(t, err, "get cursor")
	})

	t.Run("error rolls back", func(t *testing.T) {
		b := setup(t, open)
		l := b.link(t, "101", "00Q000000000001", "a@example.com")
		failure := errors.New("HubSpot rejected the batch")

		err := b.s.InTx(b.ctx, func(tx store.Tx) error {
			if err := tx.PutBaseValues(b.ctx, []store.BaseValue{{LinkID: l.ID, Field: "phone", Value: `"1"`}}); err != nil {
				return err
			}
			if _, err := tx.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "102", SalesforceID: "00Q000000000002", SalesforceObject: store.Lead}, 0); err != nil {
				return err
			}
			return failure
		})
		isErr(t, err, failure, "InTx error")

		vs, err := b.s.ListBaseValues(b.ctx, []int64{l.ID})
		noErr(t, err, "list base values")
		equal(t, len(vs), 0, "base values after rollback")
		_, err = b.s.GetLinkByHubSpotID(b.ctx, b.conn.ID, store.LinkContact, "102")
		isErr(t, err, store.ErrNotFound, "link after rollback")
	})

	t.Run("panic rolls back", func(t *testing.T) {
		b := setup(t, open)

		func() {
			defer func() {
				if recover() == nil {
					t.Error("InTx swallowed the panic")
				}
			}()
			_ = b.s.InTx(b.ctx, func(tx store.Tx) error {
				if _, err := tx.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "102", SalesforceID: "00Q000000000002", SalesforceObject: store.Lead}, 0); err != nil {
					return err
				}
				panic("engine bug")
			})
		}()

		_, err := b.s.GetLinkByHubSpotID(b.ctx, b.conn.ID, store.LinkContact, "102")
		isErr(t, err, store.ErrNotFound, "link after panic")
		// The store is still usable: the panicking transaction released its
		// connection and lock.
		b.link(t, "103", "00Q000000000003", "c@example.com")
	})

	t.Run("handled conflict keeps the transaction", func(t *testing.T) {
		b := setup(t, open)
		b.link(t, "101", "00Q000000000001", "a@example.com")

		err := b.s.InTx(b.ctx, func(tx store.Tx) error {
			_, err := tx.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "101", SalesforceID: "00Q000000000009", SalesforceObject: store.Lead}, 0)
			if !errors.Is(err, store.ErrConflict) {
				t.Errorf("duplicate link in transaction: error = %v, want ErrConflict", err)
			}
			// The engine handles the conflict and goes on writing.
			_, err = tx.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "102", SalesforceID: "00Q000000000002", SalesforceObject: store.Lead}, 0)
			return err
		})
		noErr(t, err, "commit after a handled conflict")

		_, err = b.s.GetLinkByHubSpotID(b.ctx, b.conn.ID, store.LinkContact, "102")
		noErr(t, err, "link written after the conflict")
		_, err = b.s.GetLinkBySalesforceID(b.ctx, b.conn.ID, "00Q000000000009")
		isErr(t, err, store.ErrNotFound, "conflicting link")
	})

	t.Run("concurrent writers", func(t *testing.T) {
		b := setup(t, open)

		// A web request and a sync cycle may write at once; the second
		// writer waits for the first instead of failing.
		const writers, perWriter = 4, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*perWriter)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					n := w*perWriter + i
					errs <- b.s.InTx(b.ctx, func(tx store.Tx) error {
						_, err := tx.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact,
							HubSpotID: fmt.Sprint(n), SalesforceID: fmt.Sprintf("00Q%012d", n), SalesforceObject: store.Lead}, 0)
						return err
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			noErr(t, err, "concurrent transaction")
		}

		n, err := b.s.CountLinks(b.ctx, store.LinkQuery{ConnectionID: b.conn.ID})
		noErr(t, err, "count")
		equal(t, n, int64(writers*perWriter), "links")
	})

	t.Run("reads see own writes", func(t *testing.T) {
		b := setup(t, open)

		err := b.s.InTx(b.ctx, func(tx store.Tx) error {
			l, err := tx.CreateLink(b.ctx, store.Link{ConnectionID: b.conn.ID, Kind: store.LinkContact, HubSpotID: "102", SalesforceID: "00Q000000000002", SalesforceObject: store.Lead}, 0)
			if err != nil {
				return err
			}
			got, err := tx.GetLinkByHubSpotID(b.ctx, b.conn.ID, store.LinkContact, "102")
			if err != nil {
				return err
			}
			equal(t, got.ID, l.ID, "link read in the transaction")
			return nil
		})
		noErr(t, err, "transaction")
	})
}
