package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Reason codes of the inclusion list.
const (
	ReasonOutsideList       = "outside_inclusion_list"
	ReasonLinkedOutsideList = "linked_outside_inclusion_list"
)

// sourceInclusion is the cursor of the inclusion list: its timestamp is
// the newest join time seen, its id the list it belongs to.
const sourceInclusion = "hubspot/inclusion-list"

// ErrListNotDynamic rejects an inclusion list that is not an active list.
var ErrListNotDynamic = errors.New("inclusion list is not an active (DYNAMIC) list")

// gateInclusion applies the inclusion list to a pair. With a list set, a
// HubSpot contact outside it sends nothing to Salesforce and receives
// nothing from it. One exception: a new Salesforce record still creates
// or deduplicates onto a HubSpot contact, because HubSpot cannot judge a
// contact that does not exist yet; the link is made and nothing else
// flows until the contact enters the list. It reports whether the item is
// decided.
func (p *Planner) gateInclusion(it *Item, pair *Pair) bool {
	if !pair.OutsideList || pair.HubSpot == nil {
		return false
	}

	if pair.Link == nil && pair.Origin == Salesforce && pair.Salesforce != nil {
		it.Action, it.ReasonCode = ActionLink, ReasonLinkedOutsideList
		it.Reason = "Linked by email to a HubSpot contact outside the inclusion list; no values flow until it enters the list."
		p.mirrorLink(it, pair.HubSpot, pair.Salesforce.Ref)
		return true
	}

	it.Action, it.ReasonCode = ActionSkip, ReasonOutsideList
	it.Reason = "The HubSpot contact is not in the inclusion list; it syncs once it enters the list."
	return true
}

// CheckInclusionList returns an error unless listID names an active
// (DYNAMIC) HubSpot list, the only kind HubSpot's connector accepts.
func (e *Engine) CheckInclusionList(ctx context.Context, listID string) error {
	x, err := e.hubspotExtras()
	if err != nil {
		return err
	}
	kind, err := x.ListProcessingType(ctx, listID)
	if err != nil {
		return err
	}
	if kind != "DYNAMIC" {
		return fmt.Errorf("check inclusion list %s: %w: it is %s; choose an active list in HubSpot", listID, ErrListNotDynamic, kind)
	}
	return nil
}

// refreshInclusion reads the members of the inclusion list, updates the
// cached membership and returns the contacts that entered the list since
// the last pass, because entering the list starts a sync. Leavers drop
// out of the cache in the same pass.
//
// TODO: read only the members that joined since the last pass once the
// client can resume join-order paging from a stored token; for now each
// cycle reads the whole list.
func (e *Engine) refreshInclusion(ctx context.Context) ([]string, error) {
	listID := e.cfg.Settings.InclusionListID
	if listID == "" {
		return nil, nil
	}
	x, err := e.hubspotExtras()
	if err != nil {
		return nil, err
	}
	st, conn := e.cfg.Store, e.cfg.ConnectionID

	cur, err := st.GetCursor(ctx, conn, sourceInclusion)
	if errors.Is(err, store.ErrNotFound) || err == nil && cur.ID != listID {
		// A new list: selecting it syncs nothing by itself, so its
		// present members are cached without counting as entries.
		if err := e.CheckInclusionList(ctx, listID); err != nil {
			return nil, err
		}
		if err := st.ClearList(ctx, conn, listID); err != nil {
			return nil, fmt.Errorf("clear cached inclusion list: %w", err)
		}
		cur = store.Cursor{ConnectionID: conn, Source: sourceInclusion, ID: listID}
	} else if err != nil {
		return nil, fmt.Errorf("read inclusion list cursor: %w", err)
	}
	first := cur.Timestamp.IsZero()

	current := map[string]bool{}
	var entered []string
	newest := cur.Timestamp
	err = x.ListMembers(ctx, listID, func(id string, joined time.Time) error {
		current[id] = true
		if joined.After(newest) {
			newest = joined
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	cached := map[string]bool{}
	after := ""
	for {
		ms, err := st.ListListMembers(ctx, conn, listID, after, store.MaxPageSize)
		if err != nil {
			return nil, fmt.Errorf("read cached inclusion list: %w", err)
		}
		for _, m := range ms {
			cached[m.ContactID] = true
		}
		if len(ms) < store.MaxPageSize {
			break
		}
		after = ms[len(ms)-1].ContactID
	}

	var left []string
	for id := range current {
		if !cached[id] {
			entered = append(entered, id)
		}
	}
	for id := range cached {
		if !current[id] {
			left = append(left, id)
		}
	}

	if len(entered) > 0 {
		if err := st.AddListMembers(ctx, conn, listID, entered); err != nil {
			return nil, fmt.Errorf("cache inclusion list members: %w", err)
		}
	}
	if len(left) > 0 {
		if err := st.RemoveListMembers(ctx, conn, listID, left); err != nil {
			return nil, fmt.Errorf("drop inclusion list leavers: %w", err)
		}
	}
	if first && newest.IsZero() {
		// An empty list still marks the pass as done.
		newest = e.now()
	}
	cur.Timestamp = newest
	if err := st.PutCursor(ctx, cur); err != nil {
		return nil, fmt.Errorf("store inclusion list cursor: %w", err)
	}

	if first {
		return nil, nil
	}
	if len(entered)+len(left) > 0 {
		e.log.Debug("inclusion list changed", "list_id", listID, "entered", len(entered), "left", len(left))
	}
	return entered, nil
}

// markInclusion sets OutsideList on the pairs whose HubSpot contact is
// not in the inclusion list.
func (e *Engine) markInclusion(ctx context.Context, pairs []Pair) error {
	listID := e.cfg.Settings.InclusionListID
	if listID == "" {
		return nil
	}
	for i := range pairs {
		p := &pairs[i]
		if p.HubSpot == nil {
			continue
		}
		in, err := e.cfg.Store.IsListMember(ctx, e.cfg.ConnectionID, listID, p.HubSpot.ID)
		if err != nil {
			return fmt.Errorf("check inclusion list member: %w", err)
		}
		p.OutsideList = !in
	}
	return nil
}
