package engine

import (
	"context"

	"github.com/koppel-sync/koppel/internal/store"
)

// PlanNext computes what the next cycle would write, without writing to
// either side or the store, and calls fn for every plan item in the order
// the cycle would apply them. It reads like a cycle does, so it costs read
// calls on both sides.
//
// A record that shows up on several pages, such as a HubSpot contact that
// both sides changed, is planned once: the dry run cannot rely on the
// links a real cycle would have stored after the first page. Pending
// creation intents of a stopped run are not looked at; the next cycle
// settles them first.
func (e *Engine) PlanNext(ctx context.Context, fn func(*Item) error) error {
	seen := map[Ref]bool{}
	emit := func(plan *Plan) error {
		for i := range plan.Items {
			it := &plan.Items[i]
			if it.HubSpot.ID != "" && seen[it.HubSpot] || it.Salesforce.ID != "" && seen[it.Salesforce] {
				continue
			}
			if it.HubSpot.ID != "" {
				seen[it.HubSpot] = true
			}
			if it.Salesforce.ID != "" {
				seen[it.Salesforce] = true
			}
			if err := fn(it); err != nil {
				return err
			}
		}
		return nil
	}

	// The owner directory is read like a cycle reads it; the other steps
	// of the connector semantics write and are left to the cycle.
	if err := e.loadOwners(ctx); err != nil {
		return err
	}
	err := e.readSources(ctx, func(origin Side, page []Record, _ func(store.Tx) error) error {
		pairs, err := e.resolve(ctx, origin, page)
		if err != nil {
			return err
		}
		plan, err := e.planPairs(ctx, pairs)
		if err != nil {
			return err
		}
		return emit(&plan)
	})
	if err != nil {
		return err
	}

	due, err := e.cfg.Store.ListErrorsDue(ctx, e.cfg.ConnectionID, e.now(), maxRetriesPerCycle)
	if err != nil {
		return err
	}
	byObject := map[Ref][]string{}
	for _, se := range due {
		key := Ref{Side: Side(se.Side), Object: Object(se.Object)}
		byObject[key] = append(byObject[key], se.RecordID)
	}
	for key, ids := range byObject {
		page, err := e.readByIDs(ctx, key, ids)
		if err != nil {
			return err
		}
		pairs, err := e.resolve(ctx, key.Side, page)
		if err != nil {
			return err
		}
		plan, err := e.planPairs(ctx, pairs)
		if err != nil {
			return err
		}
		if err := emit(&plan); err != nil {
			return err
		}
	}
	return nil
}

// readByIDs reads records of one side and object by id.
func (e *Engine) readByIDs(ctx context.Context, key Ref, ids []string) ([]Record, error) {
	if key.Side == HubSpot {
		return e.cfg.HubSpot.ReadByIDs(ctx, ids, e.hubspotProps())
	}
	return e.cfg.Salesforce.ReadByIDs(ctx, key.Object, ids, e.salesforceFields(key.Object))
}
