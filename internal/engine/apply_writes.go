package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/koppel-sync/koppel/internal/store"
)

// applyCreates creates records on their target side in batches. Before
// each batch it stores a pending intent per record; the email lookup on
// the target happened in resolve. A crash after the create and before
// the commit leaves the intent pending, and recoverIntents adopts the
// created record on the next run instead of creating it again.
func (a *applier) applyCreates(ctx context.Context, items []*Item) error {
	var toHubSpot []*Item
	toSalesforce := map[Object][]*Item{}
	for _, it := range items {
		if it.Target() == HubSpot {
			toHubSpot = append(toHubSpot, it)
		} else {
			toSalesforce[it.Salesforce.Object] = append(toSalesforce[it.Salesforce.Object], it)
		}
	}

	for chunk := range slices.Chunk(toHubSpot, MaxHubSpotBatch) {
		if err := a.createBatch(ctx, HubSpot, HubSpotContact, chunk); err != nil {
			return err
		}
	}
	for _, object := range []Object{Lead, Contact} {
		for chunk := range slices.Chunk(toSalesforce[object], MaxSalesforceBatch) {
			if err := a.createBatch(ctx, Salesforce, object, chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *applier) createBatch(ctx context.Context, side Side, object Object, chunk []*Item) error {
	if a.paused[side] {
		return nil
	}

	items, intents, err := a.createIntents(ctx, side, object, chunk)
	if err != nil || len(items) == 0 {
		return err
	}

	results, err := callWithRetry(ctx, func() ([]WriteResult, error) {
		if side == HubSpot {
			props := make([]map[string]string, len(items))
			for i, it := range items {
				props[i] = it.ToHubSpot
			}
			return a.e.cfg.HubSpot.Create(ctx, props)
		}
		fields := make([]map[string]any, len(items))
		for i, it := range items {
			fields[i] = it.ToSalesforce
		}
		return a.e.cfg.Salesforce.Create(ctx, object, fields)
	})
	if err != nil {
		// The outcome of the records is unknown; the intents stay pending
		// and the next run looks the records up.
		return fmt.Errorf("create %s records: %w", object, err)
	}

	// One transaction commits the whole acknowledged batch: intents done,
	// links, base values and audit rows, and the failures parked.
	return a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		for i, it := range items {
			if err := a.commitCreate(ctx, tx, side, it, intents[i], results[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// createIntents stores a pending intent per item in one transaction and
// returns the items that got one. A pending intent with the same key,
// left by a stopped run, makes the item wait for the next run, which
// settles that intent first.
func (a *applier) createIntents(ctx context.Context, side Side, object Object, chunk []*Item) ([]*Item, []int64, error) {
	var items []*Item
	var ids []int64
	create := func(tx store.Tx, it *Item) error {
		in, err := tx.CreateIntent(ctx, store.Intent{
			ConnectionID: a.e.cfg.ConnectionID, TargetSide: store.Side(side), Object: string(object),
			Key: it.Email, SourceID: it.sourceRef().ID, State: store.IntentPending,
		})
		if err != nil {
			return err
		}
		items, ids = append(items, it), append(ids, in.ID)
		return nil
	}

	err := a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		for _, it := range chunk {
			if err := create(tx, it); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, store.ErrConflict) {
		if err != nil {
			return nil, nil, fmt.Errorf("store creation intents: %w", err)
		}
		return items, ids, nil
	}

	// A conflict rolled the batch back; store the intents one by one and
	// leave out the records that conflict.
	items, ids = nil, nil
	for _, it := range chunk {
		err := a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error { return create(tx, it) })
		if errors.Is(err, store.ErrConflict) {
			a.counts["skipped"]++
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("store creation intent: %w", err)
		}
	}
	return items, ids, nil
}

// commitCreate records the outcome of one create: a new link with its
// base values, or the failure parked and the intent abandoned.
func (a *applier) commitCreate(ctx context.Context, tx store.Tx, side Side, it *Item, intent int64, res WriteResult) error {
	if res.Err != nil {
		if _, err := tx.FinishIntent(ctx, intent, store.IntentAbandoned, ""); err != nil {
			return fmt.Errorf("abandon creation intent: %w", err)
		}
		if res.Err.Pause {
			a.paused[side] = true
		}
		return a.park(ctx, tx, it, it.sourceRef(), res.Err)
	}

	// The create wrote the item's values; what is left for the update
	// step is only what this step adds below.
	if side == HubSpot {
		it.HubSpot.ID, it.ToHubSpot = res.ID, nil
	} else {
		it.Salesforce.ID, it.ToSalesforce = res.ID, nil
	}
	if _, err := tx.FinishIntent(ctx, intent, store.IntentDone, res.ID); err != nil {
		return fmt.Errorf("finish creation intent: %w", err)
	}
	if err := a.createLink(ctx, tx, it); err != nil {
		return err
	}
	if err := a.putBase(ctx, tx, it, writeDirection(side)); err != nil {
		return err
	}
	if err := a.putBase(ctx, tx, it, ""); err != nil {
		return err
	}
	if err := a.resolveErrors(ctx, tx, it.sourceRef()); err != nil {
		return err
	}
	a.counts["created"]++

	if side == Salesforce {
		// The new id goes to HubSpot's Salesforce Lead ID or Contact ID
		// property with the other updates.
		a.e.planner.mirrorLink(it, nil, it.Salesforce)
	}
	return nil
}

// sourceRef returns the record an item started from.
func (it *Item) sourceRef() Ref {
	if it.Origin == HubSpot {
		return it.HubSpot
	}
	return it.Salesforce
}

func writeDirection(side Side) store.Direction {
	if side == HubSpot {
		return store.ToHubSpot
	}
	return store.ToSalesforce
}

// applyUpdates writes field changes in batches, 100 contacts to HubSpot
// and 200 records per object to Salesforce, and commits each side's base
// values and audit rows after that side acknowledged the record.
func (a *applier) applyUpdates(ctx context.Context, items []*Item) error {
	var hs []*Item
	sf := map[Object][]*Item{}
	for _, it := range items {
		if it.HubSpot.ID == "" || it.Salesforce.ID == "" {
			continue
		}
		if len(it.ToHubSpot) > 0 {
			hs = append(hs, it)
		}
		if len(it.ToSalesforce) > 0 {
			sf[it.Salesforce.Object] = append(sf[it.Salesforce.Object], it)
		}
	}

	for _, object := range []Object{Lead, Contact} {
		for chunk := range slices.Chunk(sf[object], MaxSalesforceBatch) {
			if err := a.updateBatch(ctx, Salesforce, object, chunk); err != nil {
				return err
			}
		}
	}
	for chunk := range slices.Chunk(hs, MaxHubSpotBatch) {
		if err := a.updateBatch(ctx, HubSpot, HubSpotContact, chunk); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier) updateBatch(ctx context.Context, side Side, object Object, items []*Item) error {
	if a.paused[side] {
		return nil
	}

	results, err := callWithRetry(ctx, func() ([]WriteResult, error) {
		ids := make([]string, len(items))
		if side == HubSpot {
			props := make([]map[string]string, len(items))
			for i, it := range items {
				ids[i], props[i] = it.HubSpot.ID, it.ToHubSpot
			}
			return a.e.cfg.HubSpot.Update(ctx, ids, props)
		}
		fields := make([]map[string]any, len(items))
		for i, it := range items {
			ids[i], fields[i] = it.Salesforce.ID, it.ToSalesforce
		}
		return a.e.cfg.Salesforce.Update(ctx, object, ids, fields)
	})
	if err != nil {
		return fmt.Errorf("update %s records: %w", object, err)
	}

	return a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		for i, it := range items {
			target := it.Salesforce
			if side == HubSpot {
				target = it.HubSpot
			}
			if f := results[i].Err; f != nil {
				if f.Pause {
					a.paused[side] = true
				}
				if err := a.park(ctx, tx, it, target, f); err != nil {
					return err
				}
				continue
			}

			if err := a.putBase(ctx, tx, it, writeDirection(side)); err != nil {
				return err
			}
			if err := a.resolveErrors(ctx, tx, target, it.sourceRef()); err != nil {
				return err
			}
			a.counts["updated_"+string(side)]++
		}
		return nil
	})
}
