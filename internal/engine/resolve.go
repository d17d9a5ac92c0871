package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// resolve finds the counterpart of every record in a page of changes from
// one side: the linked record by id, else a match by normalized email.
// Several records can resolve to one pair; the pair appears once.
func (e *Engine) resolve(ctx context.Context, origin Side, page []Record) ([]Pair, error) {
	r := resolver{e: e, origin: origin, seenHubSpot: map[string]bool{}, seenSalesforce: map[string]bool{}, links: map[Ref]*store.Link{}}

	var linked, unlinked []*Record
	links := map[string]*store.Link{}
	for i := range page {
		rec := &page[i]
		link, err := r.linkOf(ctx, rec.Ref)
		if err != nil {
			return nil, err
		}
		if link != nil {
			links[rec.ID] = link
			linked = append(linked, rec)
		} else {
			unlinked = append(unlinked, rec)
		}
	}

	if err := r.resolveLinked(ctx, linked, links); err != nil {
		return nil, err
	}
	if err := r.resolveUnlinked(ctx, unlinked); err != nil {
		return nil, err
	}
	if err := e.afterResolve(ctx, r.pairs); err != nil {
		return nil, err
	}
	if err := e.loadBase(ctx, r.pairs); err != nil {
		return nil, err
	}
	return r.pairs, nil
}

type resolver struct {
	e      *Engine
	origin Side
	pairs  []Pair

	seenHubSpot    map[string]bool
	seenSalesforce map[string]bool

	// links caches the link lookups of one page, nil for no link. A record
	// is looked up as a change and again as a candidate of its email.
	links map[Ref]*store.Link
}

func (r *resolver) linkOf(ctx context.Context, ref Ref) (*store.Link, error) {
	key := Ref{Side: ref.Side, ID: ref.ID}
	if l, ok := r.links[key]; ok {
		return l, nil
	}
	l, err := r.e.linkOf(ctx, ref)
	if err != nil {
		return nil, err
	}
	r.links[key] = l
	return l, nil
}

// add appends a pair unless one of its records is in a pair already.
func (r *resolver) add(p Pair) {
	if p.HubSpot != nil {
		if r.seenHubSpot[p.HubSpot.ID] {
			return
		}
		r.seenHubSpot[p.HubSpot.ID] = true
	}
	if p.Salesforce != nil {
		if r.seenSalesforce[p.Salesforce.ID] {
			return
		}
		r.seenSalesforce[p.Salesforce.ID] = true
	}
	p.Origin = r.origin
	r.pairs = append(r.pairs, p)
}

func (e *Engine) linkOf(ctx context.Context, ref Ref) (*store.Link, error) {
	var (
		l   store.Link
		err error
	)
	if ref.Side == HubSpot {
		l, err = e.cfg.Store.GetLinkByHubSpotID(ctx, e.cfg.ConnectionID, store.LinkContact, ref.ID)
	} else {
		l, err = e.cfg.Store.GetLinkBySalesforceID(ctx, e.cfg.ConnectionID, ref.ID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up link of %s: %w", ref, err)
	}
	return &l, nil
}

// resolveLinked reads the linked counterparts of records in one batch per
// object.
func (r *resolver) resolveLinked(ctx context.Context, recs []*Record, links map[string]*store.Link) error {
	if len(recs) == 0 {
		return nil
	}
	e := r.e

	counterparts := map[string]*Record{}
	if r.origin == HubSpot {
		ids := map[Object][]string{}
		for _, rec := range recs {
			l := links[rec.ID]
			obj := Object(l.SalesforceObject)
			ids[obj] = append(ids[obj], l.SalesforceID)
		}
		for obj, list := range ids {
			got, err := e.cfg.Salesforce.ReadByIDs(ctx, obj, list, e.salesforceFields(obj))
			if err != nil {
				return err
			}
			for i := range got {
				counterparts[got[i].ID] = &got[i]
			}
		}
	} else {
		var ids []string
		for _, rec := range recs {
			ids = append(ids, links[rec.ID].HubSpotID)
		}
		got, err := e.cfg.HubSpot.ReadByIDs(ctx, ids, e.hubspotProps())
		if err != nil {
			return err
		}
		for i := range got {
			counterparts[got[i].ID] = &got[i]
		}
	}

	for _, rec := range recs {
		l := links[rec.ID]
		p := Pair{Link: l, Email: l.Email}
		other := counterparts[l.SalesforceID]
		if r.origin == HubSpot {
			p.HubSpot, p.Salesforce = rec, other
		} else {
			other = counterparts[l.HubSpotID]
			p.HubSpot, p.Salesforce = other, rec
		}

		switch {
		case l.Status == store.LinkTombstoned:
			p.SkipCode, p.SkipReason = ReasonTargetDeleted, "The link is tombstoned because one of its records was deleted."
		case other == nil || other.Deleted:
			// TODO: follow the deletion settings and relink to another
			// record with the email; for now the pair waits.
			p.SkipCode = ReasonTargetDeleted
			p.SkipReason = fmt.Sprintf("The linked %s record was not found; it may be deleted or not visible to the integration user.", r.origin.Other())
		case p.Salesforce.ConvertedContactID != "":
			if err := r.followConversion(ctx, &p); err != nil {
				return err
			}
		}
		r.add(p)
	}
	return nil
}

// followConversion moves a pair from a converted Lead to the Contact it
// became, as HubSpot's connector does: the HubSpot contact keeps syncing,
// now with the Contact.
func (r *resolver) followConversion(ctx context.Context, p *Pair) error {
	e := r.e
	lead := p.Salesforce
	got, err := e.cfg.Salesforce.ReadByIDs(ctx, Contact, []string{lead.ConvertedContactID}, e.salesforceFields(Contact))
	if err != nil {
		return err
	}
	if len(got) == 0 {
		p.SkipCode = ReasonTargetDeleted
		p.SkipReason = fmt.Sprintf("The linked Lead was converted to Contact %s, which is not visible to the integration user.", lead.ConvertedContactID)
		return nil
	}

	other, err := r.linkOf(ctx, got[0].Ref)
	if err != nil {
		return err
	}
	if other != nil && other.ID != p.Link.ID {
		p.SkipCode = ReasonLinkConflict
		p.SkipReason = fmt.Sprintf("The linked Lead was converted to Contact %s, which is linked to HubSpot contact %s already.", got[0].ID, other.HubSpotID)
		return nil
	}

	p.Salesforce = &got[0]
	p.Relink = &store.Relink{
		LinkID: p.Link.ID, Event: store.LinkConverted,
		SalesforceID: got[0].ID, SalesforceObject: store.Contact,
		Note: fmt.Sprintf("Lead %s was converted to Contact %s.", lead.ID, got[0].ID),
	}
	return nil
}

// resolveUnlinked matches records without a link by email.
func (r *resolver) resolveUnlinked(ctx context.Context, recs []*Record) error {
	e := r.e
	var emails []string
	seen := map[string]bool{}
	for _, rec := range recs {
		if rec.Email == "" {
			r.add(Pair{
				HubSpot: pick(rec, HubSpot), Salesforce: pick(rec, Salesforce),
				SkipCode: ReasonNoEmail, SkipReason: fmt.Sprintf("The %s record has no email address; records without email never sync.", rec.Side),
			})
			continue
		}
		if !seen[rec.Email] {
			seen[rec.Email] = true
			emails = append(emails, rec.Email)
		}
	}
	if len(emails) == 0 {
		return nil
	}

	// Every Salesforce Lead and Contact with these emails, so the choice
	// among duplicates does not depend on which page a record is on.
	sfFound, err := e.cfg.Salesforce.ReadByEmails(ctx, emails, e.salesforceFieldSets())
	if err != nil {
		return err
	}
	bySF := map[string][]*Record{}
	for i := range sfFound {
		bySF[sfFound[i].Email] = append(bySF[sfFound[i].Email], &sfFound[i])
	}

	byHS := map[string]*Record{}
	if r.origin == HubSpot {
		for _, rec := range recs {
			if rec.Email != "" {
				byHS[rec.Email] = rec
			}
		}
	} else {
		hsFound, err := e.cfg.HubSpot.ReadByEmails(ctx, emails, e.hubspotProps())
		if err != nil {
			return err
		}
		for i := range hsFound {
			byHS[hsFound[i].Email] = &hsFound[i]
		}
	}

	for _, rec := range recs {
		if rec.Email == "" {
			continue
		}
		if err := r.matchEmail(ctx, rec, byHS[rec.Email], bySF[rec.Email]); err != nil {
			return err
		}
	}
	return nil
}

// matchEmail pairs one unlinked record with the other side's record of
// the same email, or with nothing, so that plan creates it.
func (r *resolver) matchEmail(ctx context.Context, rec, hs *Record, sfAll []*Record) error {
	if hs != nil && r.origin == Salesforce {
		link, err := r.linkOf(ctx, hs.Ref)
		if err != nil {
			return err
		}
		if link != nil {
			r.add(Pair{
				Salesforce: rec, Email: rec.Email, SkipCode: ReasonDuplicateEmail,
				SkipReason: fmt.Sprintf("HubSpot keeps one contact per email, and that contact is linked to Salesforce %s %s already.", link.SalesforceObject, link.SalesforceID),
			})
			return nil
		}
	}

	// Candidates are the Salesforce records with the email that no other
	// HubSpot contact is linked to.
	var cands []Candidate
	var recs []*Record
	for _, sf := range sfAll {
		link, err := r.linkOf(ctx, sf.Ref)
		if err != nil {
			return err
		}
		if link != nil {
			continue
		}
		cands = append(cands, Candidate{Object: sf.Object, ID: sf.ID, LastModified: sf.Edited,
			Alive: !sf.Deleted && sf.ConvertedContactID == ""})
		recs = append(recs, sf)
	}
	if r.origin == Salesforce && !containsRef(recs, rec.Ref) {
		// The lookup may lag behind the change feed; the changed record
		// itself is always a candidate.
		cands = append(cands, Candidate{Object: rec.Object, ID: rec.ID, LastModified: rec.Edited,
			Alive: !rec.Deleted && rec.ConvertedContactID == ""})
		recs = append(recs, rec)
	}

	chosen, reason := ChooseSalesforce(cands, "")
	p := Pair{HubSpot: hs, Email: rec.Email}
	if r.origin == HubSpot {
		p.HubSpot = rec
	}
	if chosen >= 0 {
		p.Salesforce = recs[chosen]
		if len(cands) > 1 {
			p.Choice = describeChoice(cands, chosen, reason)
		}
	}

	if r.origin == Salesforce && p.Salesforce != nil && p.Salesforce.ID != rec.ID {
		// The changed record lost the choice; it is recorded as skipped
		// and the chosen record syncs in its place.
		r.add(Pair{Salesforce: rec, Email: rec.Email, Choice: p.Choice, SkipCode: ReasonNotChosen,
			SkipReason: fmt.Sprintf("Another Salesforce record with this email syncs instead: %s.", p.Choice)})
	}
	if p.Salesforce == nil && (p.HubSpot == nil || r.origin == Salesforce) {
		// No live Salesforce record to sync, as for a converted Lead that
		// was never linked; its Contact syncs on its own.
		return nil
	}
	if p.HubSpot != nil && p.HubSpot.Deleted {
		return nil
	}
	r.add(p)
	return nil
}

func containsRef(recs []*Record, ref Ref) bool {
	for _, r := range recs {
		if r.Ref == ref {
			return true
		}
	}
	return false
}

func pick(rec *Record, side Side) *Record {
	if rec.Side == side {
		return rec
	}
	return nil
}

// loadBase reads the base values of every linked pair in one call.
func (e *Engine) loadBase(ctx context.Context, pairs []Pair) error {
	var ids []int64
	index := map[int64]*Pair{}
	for i := range pairs {
		if l := pairs[i].Link; l != nil {
			ids = append(ids, l.ID)
			index[l.ID] = &pairs[i]
		}
	}
	if len(ids) == 0 {
		return nil
	}
	vs, err := e.cfg.Store.ListBaseValues(ctx, ids)
	if err != nil {
		return fmt.Errorf("read base values: %w", err)
	}
	for _, bv := range vs {
		v, err := mapping.DecodeValue(bv.Value)
		if err != nil {
			// A base that cannot be read counts as no base: the next
			// sync of the field decides as on a first sync.
			e.log.Warn("ignore unreadable base value", "link_id", bv.LinkID, "field", bv.Field, "error", err)
			continue
		}
		p := index[bv.LinkID]
		if p.Base == nil {
			p.Base = map[string]mapping.Value{}
		}
		p.Base[bv.Field] = v
	}
	return nil
}
