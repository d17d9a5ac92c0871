package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// explainAuditRows and explainErrorRows bound what explain reads.
const (
	explainAuditRows = 20
	explainErrorRows = 50
)

// Explanation is what koppel stores and reads about why one person
// synced, or did not: the link and its history, both records, each mapped field with
// its values, base, rule and decision, recent audit rows and open errors.
type Explanation struct {
	Query string `json:"query"`

	Link        *store.Link       `json:"link,omitempty"`
	LinkHistory []store.LinkEvent `json:"link_history,omitempty"`

	HubSpot    *Ref `json:"hubspot,omitempty"`
	Salesforce *Ref `json:"salesforce,omitempty"`

	// LastSync is when a field of the link last synced; zero when never.
	LastSync time.Time `json:"last_sync,omitzero"`

	// Next is what the next cycle would do with this pair. Its Fields list
	// every mapped field, including those with nothing to do.
	Next Item `json:"next"`

	Audit  []store.AuditEntry `json:"audit,omitempty"`
	Errors []store.SyncError  `json:"errors,omitempty"`
}

// ErrNoRecord is returned by Explain when neither side nor the store knows
// the email or id.
var ErrNoRecord = errors.New("no record found")

// Explain finds the person by email, HubSpot id or Salesforce id and
// explains their sync. It reads both sides but writes nothing.
func (e *Engine) Explain(ctx context.Context, query string) (*Explanation, error) {
	query = strings.TrimSpace(query)
	x := &Explanation{Query: query}

	link, err := e.findLink(ctx, query)
	if err != nil {
		return nil, err
	}

	var page []Record
	var origin Side
	switch {
	case link != nil:
		origin = HubSpot
		page, err = e.cfg.HubSpot.ReadByIDs(ctx, []string{link.HubSpotID}, e.hubspotProps())
		if err == nil && len(page) == 0 {
			origin = Salesforce
			page, err = e.cfg.Salesforce.ReadByIDs(ctx, Object(link.SalesforceObject), []string{link.SalesforceID}, e.salesforceFields(Object(link.SalesforceObject)))
		}
	case strings.Contains(query, "@"):
		origin, page, err = e.findByEmail(ctx, NormalizeEmail(query))
	default:
		origin, page, err = e.findByID(ctx, query)
	}
	if err != nil {
		return nil, err
	}
	if len(page) == 0 && link == nil {
		return nil, fmt.Errorf("explain %q: %w on either side; check the email or id", query, ErrNoRecord)
	}

	if len(page) > 0 {
		pairs, err := e.resolve(ctx, origin, page[:1])
		if err != nil {
			return nil, err
		}
		if len(pairs) > 0 {
			explainer := *e.planner
			explainer.keepAllFields = true
			x.Next = explainer.PlanPair(&pairs[0])
			if len(x.Next.Fields) == 0 {
				// A parked or skipped item has no field plans, yet the
				// values are what the admin needs to fix a parked record.
				x.Next.Fields = e.planner.currentFields(&pairs[0], x.Next.Salesforce.Object)
			}
			if x.Next.HubSpot.ID != "" {
				x.HubSpot = &x.Next.HubSpot
			}
			if x.Next.Salesforce.ID != "" {
				x.Salesforce = &x.Next.Salesforce
			}
			if link == nil && pairs[0].Link != nil {
				link = pairs[0].Link
			}
		}
	}

	if link != nil {
		if err := e.explainLink(ctx, x, link); err != nil {
			return nil, err
		}
	}
	if err := e.explainErrors(ctx, x); err != nil {
		return nil, err
	}
	return x, nil
}

func (e *Engine) findLink(ctx context.Context, query string) (*store.Link, error) {
	if strings.Contains(query, "@") {
		links, err := e.cfg.Store.ListLinks(ctx, store.LinkQuery{ConnectionID: e.cfg.ConnectionID, Kind: store.LinkContact, Email: query, Page: store.Page{Limit: 1}})
		if err != nil {
			return nil, fmt.Errorf("find link by email: %w", err)
		}
		if len(links) == 0 {
			return nil, nil
		}
		return &links[0], nil
	}
	if l, err := e.linkOf(ctx, Ref{Side: HubSpot, ID: query}); l != nil || err != nil {
		return l, err
	}
	return e.linkOf(ctx, Ref{Side: Salesforce, ID: query})
}

// findByEmail looks an unlinked person up on HubSpot first, because a
// HubSpot contact is unique per email, then in Salesforce.
func (e *Engine) findByEmail(ctx context.Context, email string) (Side, []Record, error) {
	hs, err := e.cfg.HubSpot.ReadByEmails(ctx, []string{email}, e.hubspotProps())
	if err != nil || len(hs) > 0 {
		return HubSpot, hs, err
	}
	sf, err := e.cfg.Salesforce.ReadByEmails(ctx, []string{email}, e.salesforceFieldSets())
	return Salesforce, sf, err
}

// findByID reads a HubSpot id (digits only) or a Salesforce Lead or
// Contact id.
func (e *Engine) findByID(ctx context.Context, id string) (Side, []Record, error) {
	if isDigits(id) {
		recs, err := e.cfg.HubSpot.ReadByIDs(ctx, []string{id}, e.hubspotProps())
		return HubSpot, recs, err
	}
	obj, err := e.salesforceObjectOf(ctx, id)
	if err != nil {
		return Salesforce, nil, fmt.Errorf("explain %q: not a HubSpot id (digits) nor a Salesforce Lead (00Q) or Contact (003) id", id)
	}
	recs, err := e.cfg.Salesforce.ReadByIDs(ctx, obj, []string{id}, e.salesforceFields(obj))
	return Salesforce, recs, err
}

func (e *Engine) explainLink(ctx context.Context, x *Explanation, link *store.Link) error {
	st := e.cfg.Store
	x.Link = link

	hist, err := st.LinkHistory(ctx, link.ID)
	if err != nil {
		return fmt.Errorf("read link history: %w", err)
	}
	x.LinkHistory = hist

	base, err := st.ListBaseValues(ctx, []int64{link.ID})
	if err != nil {
		return fmt.Errorf("read base values: %w", err)
	}
	for _, b := range base {
		if b.SyncedAt.After(x.LastSync) {
			x.LastSync = b.SyncedAt
		}
	}

	audit, err := st.ListAuditByLink(ctx, link.ID, store.Page{Limit: explainAuditRows})
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	x.Audit = audit
	return nil
}

// explainErrors collects the open sync errors of both records.
func (e *Engine) explainErrors(ctx context.Context, x *Explanation) error {
	ids := map[string]bool{}
	for _, r := range []*Ref{x.HubSpot, x.Salesforce} {
		if r != nil {
			ids[r.ID] = true
		}
	}
	if x.Link != nil {
		ids[x.Link.HubSpotID], ids[x.Link.SalesforceID] = true, true
	}

	for id := range ids {
		errs, err := e.cfg.Store.ListErrors(ctx, store.ErrorQuery{ConnectionID: e.cfg.ConnectionID, RecordID: id, Page: store.Page{Limit: explainErrorRows}})
		if err != nil {
			return fmt.Errorf("read sync errors of %s: %w", id, err)
		}
		x.Errors = append(x.Errors, errs...)
	}
	return nil
}

// currentFields lists every mapped field with the values both records hold
// now and the base, and decides nothing. A value that does not convert is
// shown as its raw text, because that is often the value that parked the
// record.
func (p *Planner) currentFields(pair *Pair, object Object) []FieldPlan {
	var out []FieldPlan
	for _, m := range p.Mappings {
		field, ok := m.Field(string(object))
		if !ok {
			continue
		}
		fp := FieldPlan{Field: m.HubSpot.Name, SalesforceField: field.Name, Rule: m.Rule, Unchanged: true}
		if base, ok := pair.Base[m.HubSpot.Name]; ok {
			fp.Base, fp.HasBase = base, true
		}
		if pair.HubSpot != nil {
			raw, present := pair.HubSpot.HubSpotProps[m.HubSpot.Name]
			v, err := p.converter.FromHubSpot(m.HubSpot, raw, true)
			if err != nil && present {
				v = mapping.Text(raw)
			}
			fp.HubSpot = v
		}
		if pair.Salesforce != nil {
			if raw, present := pair.Salesforce.SalesforceFields[field.Name]; present {
				v, err := p.converter.FromSalesforce(field, raw)
				if err != nil {
					v = mapping.Text(fmt.Sprint(raw))
				}
				fp.Salesforce = v
			}
		}
		fp.New = fp.Base
		out = append(out, fp)
	}
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
