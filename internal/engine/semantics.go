package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/koppel-sync/koppel/internal/store"
)

// The connector semantics enter the cycle at four places:
//
//	before the reads   the inclusion list is refreshed
//	after resolve      pairs learn their list membership and campaigns
//	in apply           the opt-out is written through subscription preferences
//	after the reads    list entries, campaign changes, deletions and merges
//	                   are synced like changed records

// beforeRead runs before the sources are read and returns the contacts
// that entered the inclusion list.
func (e *Engine) beforeRead(ctx context.Context) ([]string, error) {
	if err := e.loadOwners(ctx); err != nil {
		return nil, err
	}
	entered, err := e.refreshInclusion(ctx)
	if err != nil {
		return nil, err
	}
	return entered, nil
}

// afterIntents runs the company step before the contacts are read, so
// that contacts read in the same cycle find the companies of their
// Accounts.
func (e *Engine) afterIntents(ctx context.Context, a *applier) error {
	return e.syncCompanies(ctx, a)
}

// afterRead syncs what changed without a change to a record's own
// fields: contacts that entered the inclusion list, campaign membership,
// deletions and merges.
func (e *Engine) afterRead(ctx context.Context, a *applier, entered []string) error {
	if err := e.syncIDs(ctx, a, Ref{Side: HubSpot, Object: HubSpotContact}, entered); err != nil {
		return err
	}
	if err := e.syncCampaignChanges(ctx, a); err != nil {
		return err
	}
	return e.syncDeletions(ctx, a)
}

// afterResolve completes resolved pairs with what the planner needs
// besides the records: inclusion list membership and campaigns.
func (e *Engine) afterResolve(ctx context.Context, pairs []Pair) error {
	if err := e.markInclusion(ctx, pairs); err != nil {
		return err
	}
	if err := e.loadCompanyLinks(ctx, pairs); err != nil {
		return err
	}
	return e.loadCampaigns(ctx, pairs)
}

// syncIDs reads records by id and syncs them as if they had changed.
// Records that no longer exist are left out.
func (e *Engine) syncIDs(ctx context.Context, a *applier, key Ref, ids []string) error {
	size := MaxSalesforceBatch
	if key.Side == HubSpot {
		size = MaxHubSpotBatch
	}
	for chunk := range slices.Chunk(ids, size) {
		page, err := e.readByIDs(ctx, key, chunk)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			continue
		}
		if err := e.beforeResolve(ctx, key.Side, page); err != nil {
			return err
		}
		pairs, err := e.resolve(ctx, key.Side, page)
		if err != nil {
			return err
		}
		plan := e.planner.Plan(pairs)
		if err := a.apply(ctx, &plan); err != nil {
			return err
		}
	}
	return nil
}

// applyUnsubscribes opts contacts out of all email in HubSpot, one call
// per address, and stores the opt-out's base value and audit row once
// HubSpot acknowledged it.
func (a *applier) applyUnsubscribes(ctx context.Context, items []*Item) error {
	for _, it := range items {
		if it.Unsubscribe == nil || it.HubSpot.ID == "" || a.paused[HubSpot] {
			continue
		}
		x, err := a.e.hubspotExtras()
		if err != nil {
			return err
		}
		email := it.ToHubSpot["email"]
		if email == "" {
			email = it.Email
		}

		if err := x.UnsubscribeAll(ctx, email); err != nil {
			f := hubspotFailure(err)
			if f.Pause {
				a.paused[HubSpot] = true
			}
			if err := a.parkNow(ctx, it, it.HubSpot, f); err != nil {
				return err
			}
			continue
		}

		fp := *it.Unsubscribe
		one := Item{LinkID: it.LinkID, HubSpot: it.HubSpot, Salesforce: it.Salesforce, Fields: []FieldPlan{fp}}
		err = a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
			return a.putBase(ctx, tx, &one, store.ToHubSpot)
		})
		if err != nil {
			return fmt.Errorf("store opt-out of link %d: %w", it.LinkID, err)
		}
		a.counts["updated_hubspot"]++
		it.Unsubscribe = nil
	}
	return nil
}

// parkNow parks a record in a transaction of its own.
func (a *applier) parkNow(ctx context.Context, it *Item, ref Ref, f *Failure) error {
	return a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		return a.park(ctx, tx, it, ref, f)
	})
}
