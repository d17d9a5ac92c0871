package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// HubSpot contact properties that show the Salesforce campaigns of the
// linked Lead or Contact.
const (
	PropSalesforceCampaignIDs   = "salesforcecampaignids"
	PropSalesforceCampaignNames = "salesforcecampaignnames"
)

// ReasonCampaigns is the reason code of a campaign membership write.
const ReasonCampaigns = "salesforce_campaigns"

const sourceCampaignMembers = "salesforce/CampaignMember"

// planCampaigns writes the Salesforce record's campaigns to the HubSpot
// contact when they differ: the ids, sorted and joined by ';', and their
// names. Additions and removals both change it. Campaigns flow from
// Salesforce only; HubSpot has no way to join a Salesforce campaign here.
func (p *Planner) planCampaigns(it *Item, pair *Pair) {
	if !pair.CampaignsKnown || pair.Salesforce == nil {
		return
	}
	ids, names := campaignValues(pair.Campaigns)

	var have string
	if pair.HubSpot != nil {
		have = pair.HubSpot.HubSpotProps[PropSalesforceCampaignIDs]
	}
	if have == ids && (pair.HubSpot == nil || pair.HubSpot.HubSpotProps[PropSalesforceCampaignNames] == names) {
		return
	}
	if have == "" && ids == "" {
		return
	}

	if it.ToHubSpot == nil {
		it.ToHubSpot = map[string]string{}
	}
	it.ToHubSpot[PropSalesforceCampaignIDs] = ids
	it.ToHubSpot[PropSalesforceCampaignNames] = names
	it.Fields = append(it.Fields, FieldPlan{
		Field: PropSalesforceCampaignIDs, SalesforceField: "CampaignMember.CampaignId", Rule: mapping.AlwaysSalesforce,
		Direction: store.ToHubSpot, Old: textOrNull(have), New: textOrNull(ids), HubSpot: textOrNull(have), Salesforce: textOrNull(ids),
		ReasonCode: ReasonCampaigns, Reason: "The Salesforce campaign membership of the record changed.",
	})
}

func campaignValues(cs []Campaign) (ids, names string) {
	cs = slices.Clone(cs)
	slices.SortFunc(cs, func(a, b Campaign) int { return strings.Compare(a.ID, b.ID) })
	cs = slices.CompactFunc(cs, func(a, b Campaign) bool { return a.ID == b.ID })
	idList := make([]string, len(cs))
	nameList := make([]string, len(cs))
	for i, c := range cs {
		idList[i], nameList[i] = c.ID, c.Name
	}
	return strings.Join(idList, ";"), strings.Join(nameList, ";")
}

func textOrNull(s string) mapping.Value {
	if s == "" {
		return mapping.Null()
	}
	return mapping.Text(s)
}

// loadCampaigns reads the campaigns of every Salesforce record in the
// pairs in one query per hundred records.
func (e *Engine) loadCampaigns(ctx context.Context, pairs []Pair) error {
	x, ok := e.cfg.Salesforce.(SalesforceExtras)
	if !ok {
		return nil
	}
	var ids []string
	for i := range pairs {
		if p := &pairs[i]; p.Salesforce != nil && p.SkipCode == "" {
			ids = append(ids, p.Salesforce.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	got, err := x.CampaignMembers(ctx, ids)
	if err != nil {
		return err
	}
	for i := range pairs {
		if p := &pairs[i]; p.Salesforce != nil && p.SkipCode == "" {
			p.Campaigns, p.CampaignsKnown = got[p.Salesforce.ID], true
		}
	}
	return nil
}

// syncCampaignChanges syncs the Leads and Contacts whose campaign
// membership changed since the last cycle, so that an addition or a
// removal reaches HubSpot without any other change to the record.
func (e *Engine) syncCampaignChanges(ctx context.Context, a *applier) error {
	x, ok := e.cfg.Salesforce.(SalesforceExtras)
	if !ok {
		return nil
	}
	st := e.cfg.Store
	cur, err := e.startCursor(ctx, sourceCampaignMembers)
	if err != nil {
		return err
	}
	leads, contacts, newest, err := x.ChangedCampaignMembers(ctx, e.sinceOf(cur))
	if err != nil {
		return err
	}
	if err := e.syncIDs(ctx, a, Ref{Side: Salesforce, Object: Lead}, leads); err != nil {
		return err
	}
	if err := e.syncIDs(ctx, a, Ref{Side: Salesforce, Object: Contact}, contacts); err != nil {
		return err
	}
	if newest.After(cur.Timestamp) {
		cur.Timestamp, cur.ID = newest, ""
		if err := st.PutCursor(ctx, cur); err != nil {
			return fmt.Errorf("advance cursor %s: %w", sourceCampaignMembers, err)
		}
	}
	return nil
}

// startCursor returns a cursor of the semantics steps. A new one starts
// when the connection was made: what happened before is brought over by
// an import, not by the sync.
func (e *Engine) startCursor(ctx context.Context, source string) (store.Cursor, error) {
	cur, err := e.cfg.Store.GetCursor(ctx, e.cfg.ConnectionID, source)
	if err == nil {
		return cur, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return cur, fmt.Errorf("read cursor %s: %w", source, err)
	}
	cur = store.Cursor{ConnectionID: e.cfg.ConnectionID, Source: source}
	conn, err := e.cfg.Store.GetConnection(ctx, e.cfg.ConnectionID)
	if err != nil {
		return cur, fmt.Errorf("read connection: %w", err)
	}
	cur.Timestamp, cur.ID = conn.CreatedAt, installMark
	return cur, nil
}

// installMark is the id of a cursor that starts at install; it is read
// from its time exactly, without the overlap window that only covers
// changes seen before.
const installMark = "install"

// sinceOf returns where a read from cur starts.
func (e *Engine) sinceOf(cur store.Cursor) time.Time {
	if cur.ID == installMark {
		return cur.Timestamp
	}
	return cur.Timestamp.Add(-time.Duration(e.cfg.Settings.OverlapWindow))
}
