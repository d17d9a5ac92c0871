package engine

import "context"

// planPairs plans resolved pairs and then settles their two-way conflicts.
func (e *Engine) planPairs(ctx context.Context, pairs []Pair) (Plan, error) {
	plan := e.planner.Plan(pairs)
	err := e.settleConflicts(ctx, pairs, &plan)
	return plan, err
}

// settleConflicts re-plans the items with a two-way conflict using the
// time each conflicting HubSpot property was set. HubSpot's record-level
// lastmodifieddate moves with any property, so a later edit of another
// field would otherwise win a conflict it has no part in. Salesforce has
// no per-field times without field history tracking, so its side keeps
// LastModifiedDate. It costs one HubSpot batch read per 100 contacts with
// a conflict, and nothing when there is none.
func (e *Engine) settleConflicts(ctx context.Context, pairs []Pair, plan *Plan) error {
	props := map[string]bool{}
	var ids []string
	for i := range plan.Items {
		it := &plan.Items[i]
		conflicted := false
		for _, f := range it.Fields {
			if f.Conflict {
				props[f.Field] = true
				conflicted = true
			}
		}
		if conflicted && it.HubSpot.ID != "" {
			ids = append(ids, it.HubSpot.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}

	var names []string
	for p := range props {
		names = append(names, p)
	}
	times, err := e.cfg.HubSpot.ReadHistory(ctx, ids, names)
	if err != nil {
		return err
	}

	// Plan makes one item per pair, in the order of the pairs.
	for i := range pairs {
		hs := pairs[i].HubSpot
		if hs == nil || times[hs.ID] == nil {
			continue
		}
		hs.PropertyEdited = times[hs.ID]
		plan.Items[i] = e.planner.PlanPair(&pairs[i])
	}
	return nil
}
