package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Benchmark sizes, the scale at which the web UI's lists must stay fast.
const (
	benchLinks  = 100_000
	benchErrors = 10_000
	seedBatch   = 1_000
)

// BenchOpener opens an empty, migrated store for a benchmark.
type BenchOpener func(b *testing.B, opts store.Options) store.Store

// Bench fills one store with 100,000 links and 10,000 open errors, then
// times the queries behind the web UI's pages. The time to fill the store
// through the Store API is logged once.
func Bench(b *testing.B, open BenchOpener) {
	ctx := context.Background()
	clock := NewClock(startTime)
	s := open(b, store.Options{Now: clock.Now})

	conn, err := s.CreateConnection(ctx, store.Connection{Name: "bench"})
	if err != nil {
		b.Fatalf("create connection: %v", err)
	}

	linkIDs := seedLinks(b, ctx, s, conn.ID)
	errorIDs := seedErrors(b, ctx, s, conn.ID, linkIDs)
	tombstoneLinks(b, ctx, s, linkIDs)

	// The engine's commit after a vendor acknowledged a batch of 100
	// records with 3 changed fields each.
	b.Run("CommitBatch", func(b *testing.B) {
		run, err := s.StartRun(ctx, store.Run{ConnectionID: conn.ID, Kind: store.RunSync})
		if err != nil {
			b.Fatalf("start run: %v", err)
		}
		fields := []string{"firstname", "lastname", "phone"}

		for i := 0; b.Loop(); i++ {
			var values []store.BaseValue
			var audit []store.AuditEntry
			for _, id := range linkIDs[(i*100)%(len(linkIDs)-100):][:100] {
				for _, f := range fields {
					v := fmt.Sprintf("%q", fmt.Sprint(f, i))
					values = append(values, store.BaseValue{LinkID: id, Field: f, Value: v, RunID: run.ID})
					audit = append(audit, store.AuditEntry{RunID: run.ID, ConnectionID: conn.ID, LinkID: id, Field: f,
						OldValue: "null", NewValue: v, Direction: store.ToHubSpot, Rule: "two_way", ReasonCode: "salesforce_changed"})
				}
			}

			err := s.InTx(ctx, func(tx store.Tx) error {
				if err := tx.PutBaseValues(ctx, values); err != nil {
					return err
				}
				if err := tx.AppendAudit(ctx, audit); err != nil {
					return err
				}
				return tx.PutCursor(ctx, store.Cursor{ConnectionID: conn.ID, Source: "salesforce/Lead", Timestamp: startTime, ID: fmt.Sprint(i)})
			})
			if err != nil {
				b.Fatalf("commit batch %d: %v", i, err)
			}
		}
	})

	b.Run("ListLinksPage", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			after := linkIDs[(i*7919)%(len(linkIDs)-store.DefaultPageSize)]
			ls, err := s.ListLinks(ctx, store.LinkQuery{ConnectionID: conn.ID, Page: store.Page{After: after}})
			if err != nil || len(ls) != store.DefaultPageSize {
				b.Fatalf("page after %d: %d links, %v", after, len(ls), err)
			}
		}
	})

	b.Run("FindLinkByEmail", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			n := (i * 7919) % benchLinks
			ls, err := s.ListLinks(ctx, store.LinkQuery{ConnectionID: conn.ID, Email: benchEmail(n)})
			if err != nil || len(ls) != 1 {
				b.Fatalf("find %s: %d links, %v", benchEmail(n), len(ls), err)
			}
		}
	})

	b.Run("FindLinkByRecordID", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			n := (i * 7919) % benchLinks
			id := benchSalesforceID(n)
			if i%2 == 1 {
				id = benchHubSpotID(n)
			}
			ls, err := s.ListLinks(ctx, store.LinkQuery{ConnectionID: conn.ID, RecordID: id})
			if err != nil || len(ls) != 1 {
				b.Fatalf("find %s: %d links, %v", id, len(ls), err)
			}
		}
	})

	b.Run("GetLinkBySalesforceID", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			id := benchSalesforceID((i * 7919) % benchLinks)
			if _, err := s.GetLinkBySalesforceID(ctx, conn.ID, id); err != nil {
				b.Fatalf("get %s: %v", id, err)
			}
		}
	})

	b.Run("ListTombstonedLinksPage", func(b *testing.B) {
		for b.Loop() {
			ls, err := s.ListLinks(ctx, store.LinkQuery{ConnectionID: conn.ID, Status: store.LinkTombstoned})
			if err != nil || len(ls) != store.DefaultPageSize {
				b.Fatalf("page: %d links, %v", len(ls), err)
			}
		}
	})

	b.Run("CountLinks", func(b *testing.B) {
		for b.Loop() {
			n, err := s.CountLinks(ctx, store.LinkQuery{ConnectionID: conn.ID})
			if err != nil || n != benchLinks {
				b.Fatalf("count: %d, %v", n, err)
			}
		}
	})

	b.Run("ListErrorsPageInCategory", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			// errorIDs ascend, and the list descends, so a cursor from the
			// upper part of the ids leaves at least a page of older rows.
			after := errorIDs[len(errorIDs)/2+(i*7919)%(len(errorIDs)/2)]
			es, err := s.ListErrors(ctx, store.ErrorQuery{ConnectionID: conn.ID, Category: store.ErrorPropertyValue, Page: store.Page{After: after}})
			if err != nil || len(es) != store.DefaultPageSize {
				b.Fatalf("page after %d: %d errors, %v", after, len(es), err)
			}
		}
	})

	b.Run("CountErrorsByCategory", func(b *testing.B) {
		for b.Loop() {
			counts, err := s.CountErrorsByCategory(ctx, conn.ID)
			if err != nil || len(counts) != len(store.ErrorCategories) {
				b.Fatalf("counts: %v, %v", counts, err)
			}
		}
	})

	b.Run("ListErrorsDue", func(b *testing.B) {
		for b.Loop() {
			es, err := s.ListErrorsDue(ctx, conn.ID, startTime.Add(time.Hour), store.DefaultPageSize)
			if err != nil || len(es) != store.DefaultPageSize {
				b.Fatalf("due: %d errors, %v", len(es), err)
			}
		}
	})
}

func benchEmail(n int) string        { return fmt.Sprintf("person%d@example.com", n) }
func benchHubSpotID(n int) string    { return fmt.Sprint(10_000_000 + n) }
func benchSalesforceID(n int) string { return fmt.Sprintf("00Q%012d", n) }

func seedLinks(b *testing.B, ctx context.Context, s store.Store, connectionID int64) []int64 {
	b.Helper()
	start := time.Now()

	ids := make([]int64, 0, benchLinks)
	for first := 0; first < benchLinks; first += seedBatch {
		err := s.InTx(ctx, func(tx store.Tx) error {
			for n := first; n < first+seedBatch; n++ {
				l, err := tx.CreateLink(ctx, store.Link{
					ConnectionID: connectionID, Kind: store.LinkContact,
					HubSpotID: benchHubSpotID(n), SalesforceID: benchSalesforceID(n), SalesforceObject: store.Lead,
					Email: benchEmail(n),
				}, 0)
				if err != nil {
					return err
				}
				ids = append(ids, l.ID)
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed links from %d: %v", first, err)
		}
	}

	elapsed := time.Since(start)
	b.Logf("seeded %d links in %s (%.0f links/s)", benchLinks, elapsed.Round(time.Millisecond), float64(benchLinks)/elapsed.Seconds())
	return ids
}

// tombstoneLinks marks every 100th link deleted, as a screen of deleted
// records would list them.
func tombstoneLinks(b *testing.B, ctx context.Context, s store.Store, linkIDs []int64) {
	b.Helper()

	err := s.InTx(ctx, func(tx store.Tx) error {
		for i := 0; i < len(linkIDs); i += 100 {
			_, err := tx.Relink(ctx, store.Relink{LinkID: linkIDs[i], Event: store.LinkDeleted, Status: store.LinkTombstoned})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("tombstone links: %v", err)
	}
}

func seedErrors(b *testing.B, ctx context.Context, s store.Store, connectionID int64, linkIDs []int64) []int64 {
	b.Helper()
	start := time.Now()

	ids := make([]int64, 0, benchErrors)
	for first := 0; first < benchErrors; first += seedBatch {
		err := s.InTx(ctx, func(tx store.Tx) error {
			for n := first; n < first+seedBatch; n++ {
				e, err := tx.RecordError(ctx, store.SyncError{
					ConnectionID: connectionID, Side: store.Salesforce, Object: "Lead",
					RecordID: benchSalesforceID(n * 10), LinkID: linkIDs[n*10],
					Category: store.ErrorCategories[n%len(store.ErrorCategories)],
					Code:     "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message: "rejected by a validation rule",
					NextRetryAt: startTime.Add(time.Duration(n) * time.Second),
				})
				if err != nil {
					return err
				}
				ids = append(ids, e.ID)
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed errors from %d: %v", first, err)
		}
	}

	elapsed := time.Since(start)
	b.Logf("seeded %d errors in %s (%.0f errors/s)", benchErrors, elapsed.Round(time.Millisecond), float64(benchErrors)/elapsed.Seconds())
	return ids
}
