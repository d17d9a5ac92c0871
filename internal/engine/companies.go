package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// Account is the Salesforce object a HubSpot company syncs with.
const Account Object = "Account"

// HubSpotCompany names HubSpot companies in references.
const HubSpotCompany Object = "company"

// HubSpot properties of the company link and the contact's primary company.
const (
	PropSalesforceAccountID = "salesforceaccountid"
	PropAssociatedCompanyID = "associatedcompanyid"
)

// Reason codes of the company sync.
const (
	ReasonAccountCreatesCompany = "account_creates_company"
	ReasonCompanyByAccountID    = "company_matched_by_account_id"
	ReasonCompanyByContacts     = "company_matched_by_contacts"
	ReasonCompanyCreatesAccount = "company_creates_account"
	ReasonPrimaryCompany        = "primary_company"
	ReasonAccountFromHubSpot    = "account_from_hubspot"
)

const (
	sourceAccounts  = "salesforce/Account"
	sourceCompanies = "hubspot/companies"
)

func init() {
	salesforceSystemFields[Account] = []string{"Id", "SystemModstamp", "LastModifiedDate"}
}

// companySync holds what the company steps need: the company mappings the
// portal has properties for, and a planner for them.
type companySync struct {
	hs       *hubspot.Client
	sf       *SalesforceClient
	mappings []mapping.Mapping
	planner  *Planner
}

// companies returns the company sync, or nil when company sync is off or
// the sides are not the vendor clients.
func (e *Engine) companies(ctx context.Context) (*companySync, error) {
	if !e.cfg.Settings.CompanySync {
		return nil, nil
	}
	hc, ok1 := e.cfg.HubSpot.(*HubSpotClient)
	sc, ok2 := e.cfg.Salesforce.(*SalesforceClient)
	if !ok1 || !ok2 {
		return nil, nil
	}
	if e.company != nil {
		return e.company, nil
	}

	props, err := hc.Client.Properties(ctx, hubspot.Companies)
	if err != nil {
		return nil, fmt.Errorf("read HubSpot company properties: %w", err)
	}
	have := map[string]bool{}
	for _, p := range props {
		have[p.Name] = true
	}
	var ms []mapping.Mapping
	for _, m := range mapping.DefaultCompanyMappings() {
		if !have[m.HubSpot.Name] || m.Rule == mapping.DontSync {
			continue
		}
		ms = append(ms, m)
	}
	p := NewPlanner(e.cfg.Settings, ms)
	p.MirrorLinkIDs = false
	e.company = &companySync{hs: hc.Client, sf: sc, mappings: ms, planner: p}
	return e.company, nil
}

func (c *companySync) hubspotProps() []string {
	props := []string{"name", "hs_lastmodifieddate", PropSalesforceAccountID}
	for _, m := range c.mappings {
		props = appendUnique(props, m.HubSpot.Name)
	}
	return props
}

func (c *companySync) accountFields() []string {
	var fields []string
	for _, m := range c.mappings {
		if f, ok := m.Field(string(Account)); ok {
			fields = appendUnique(fields, f.Name)
		}
	}
	return fields
}

// syncCompanies runs the company steps: changed Accounts, then changed
// HubSpot companies.
func (e *Engine) syncCompanies(ctx context.Context, a *applier) error {
	c, err := e.companies(ctx)
	if err != nil || c == nil {
		return err
	}
	// The company owner goes through the same directory as the contact
	// owner, which loadOwners refreshed before this step.
	c.planner.Owners = e.ownerDirectory()

	cur, err := e.startCursor(ctx, sourceAccounts)
	if err != nil {
		return err
	}
	err = c.sf.ReadChanged(ctx, Account, e.sinceOf(cur), c.accountFields(), func(page []Record) error {
		if err := e.syncAccounts(ctx, a, c, page); err != nil {
			return err
		}
		for _, r := range page {
			if r.Modified.After(cur.Timestamp) {
				cur.Timestamp, cur.ID = r.Modified, ""
			}
		}
		return e.cfg.Store.PutCursor(ctx, cur)
	})
	if err != nil {
		return err
	}

	hcur, err := e.startCursor(ctx, sourceCompanies)
	if err != nil {
		return err
	}
	opts := hubspot.ChangesOptions{Since: e.sinceOf(hcur), Lookback: time.Millisecond, Properties: c.hubspotProps()}
	var page []Record
	for o, err := range c.hs.Changes(ctx, hubspot.Companies, opts) {
		if err != nil {
			return fmt.Errorf("read changed HubSpot companies: %w", err)
		}
		page = append(page, companyRecord(o))
	}
	if err := e.syncHubSpotCompanies(ctx, a, c, page); err != nil {
		return err
	}
	for _, r := range page {
		if r.Modified.After(hcur.Timestamp) {
			hcur.Timestamp, hcur.ID = r.Modified, ""
		}
	}
	return e.cfg.Store.PutCursor(ctx, hcur)
}

func companyRecord(o hubspot.Object) Record {
	rec := Record{Ref: Ref{Side: HubSpot, Object: HubSpotCompany, ID: o.ID}, HubSpotProps: o.Properties, Deleted: o.Archived}
	if v, ok := o.Properties["hs_lastmodifieddate"]; ok {
		rec.Modified, _ = hubspot.ParseTime(v)
	}
	if rec.Modified.IsZero() {
		rec.Modified = o.UpdatedAt
	}
	rec.Edited = rec.Modified
	return rec
}

func (e *Engine) companyLink(ctx context.Context, ref Ref) (*store.Link, error) {
	var (
		l   store.Link
		err error
	)
	if ref.Side == HubSpot {
		l, err = e.cfg.Store.GetLinkByHubSpotID(ctx, e.cfg.ConnectionID, store.LinkCompany, ref.ID)
	} else {
		l, err = e.cfg.Store.GetLinkBySalesforceID(ctx, e.cfg.ConnectionID, ref.ID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("look up company link of %s: %w", ref, err)
	}
	return &l, nil
}

func (c *companySync) readCompanies(ctx context.Context, ids []string) (map[string]*Record, error) {
	out := map[string]*Record{}
	if len(ids) == 0 {
		return out, nil
	}
	res, err := c.hs.BatchRead(ctx, hubspot.Companies, ids, hubspot.BatchReadOptions{Properties: c.hubspotProps()})
	if err != nil {
		return nil, fmt.Errorf("read HubSpot companies: %w", err)
	}
	for _, r := range res {
		if r.Err == nil && r.Object != nil {
			rec := companyRecord(*r.Object)
			out[rec.ID] = &rec
		}
	}
	return out, nil
}

// syncAccounts syncs a page of changed Accounts: a linked one by the
// rules, an unlinked one onto the company with its Account ID or the
// company of its Contacts, else onto a new company. Companies are not
// matched by domain.
func (e *Engine) syncAccounts(ctx context.Context, a *applier, c *companySync, page []Record) error {
	var linked []string
	links := map[string]*store.Link{}
	for i := range page {
		l, err := e.companyLink(ctx, page[i].Ref)
		if err != nil {
			return err
		}
		if l != nil && l.Status == store.LinkActive {
			links[page[i].ID] = l
			linked = append(linked, l.HubSpotID)
		}
	}
	companies, err := c.readCompanies(ctx, linked)
	if err != nil {
		return err
	}

	for i := range page {
		acc := &page[i]
		if l := links[acc.ID]; l != nil {
			if co := companies[l.HubSpotID]; co != nil {
				// loadBase fills the pairs of its slice, so the pair is
				// planned from that slice, not from a copy.
				pairs := []Pair{{Origin: Salesforce, HubSpot: co, Salesforce: acc, Link: l}}
				if err := e.loadBase(ctx, pairs); err != nil {
					return err
				}
				if err := e.applyCompanyItem(ctx, a, c, c.planner.PlanPair(&pairs[0])); err != nil {
					return err
				}
			}
			continue
		}

		companyID, reason, err := e.matchCompany(ctx, c, acc.ID)
		if err != nil {
			return err
		}
		if companyID == "" {
			if err := e.createCompany(ctx, a, c, acc); err != nil {
				return err
			}
		} else {
			if err := e.linkCompany(ctx, a, companyID, acc.ID, reason); err != nil {
				return err
			}
			if _, err := c.hs.BatchUpdate(ctx, hubspot.Companies, []hubspot.BatchInput{{ID: companyID, Properties: map[string]string{PropSalesforceAccountID: acc.ID}}}); err != nil {
				return fmt.Errorf("mirror Account ID to company %s: %w", companyID, err)
			}
		}

		// The Account's linked Contacts now have a company to join.
		contacts, err := c.accountContacts(ctx, acc.ID)
		if err != nil {
			return err
		}
		var ids []string
		for _, sc := range contacts {
			if l, err := e.linkOf(ctx, sc.Ref); err != nil {
				return err
			} else if l != nil {
				ids = append(ids, sc.ID)
			}
		}
		if err := e.syncIDs(ctx, a, Ref{Side: Salesforce, Object: Contact}, ids); err != nil {
			return err
		}
	}
	return nil
}

// matchCompany finds the unlinked HubSpot company of an Account: the one
// holding its id in salesforceaccountid, else the primary company of the
// HubSpot contacts linked to the Account's Contacts.
func (e *Engine) matchCompany(ctx context.Context, c *companySync, accountID string) (string, string, error) {
	res, err := c.hs.Search(ctx, hubspot.Companies, hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: PropSalesforceAccountID, Operator: "EQ", Value: accountID}}}},
		Properties:   []string{PropSalesforceAccountID}, Limit: 10,
	})
	if err != nil {
		return "", "", fmt.Errorf("search company by Account ID: %w", err)
	}
	for _, o := range res.Results {
		if l, err := e.companyLink(ctx, Ref{Side: HubSpot, Object: HubSpotCompany, ID: o.ID}); err != nil {
			return "", "", err
		} else if l == nil {
			return o.ID, ReasonCompanyByAccountID, nil
		}
	}

	contacts, err := c.accountContacts(ctx, accountID)
	if err != nil {
		return "", "", err
	}
	// A Contact not linked yet, as one just converted from a Lead, is
	// found by its email.
	var hsIDs, emails []string
	for _, sc := range contacts {
		l, err := e.linkOf(ctx, sc.Ref)
		if err != nil {
			return "", "", err
		}
		switch {
		case l != nil:
			hsIDs = append(hsIDs, l.HubSpotID)
		case sc.Email != "":
			emails = append(emails, sc.Email)
		}
	}
	got, err := e.cfg.HubSpot.ReadByIDs(ctx, hsIDs, []string{PropAssociatedCompanyID})
	if err != nil {
		return "", "", err
	}
	byEmail, err := e.cfg.HubSpot.ReadByEmails(ctx, emails, []string{"email", PropAssociatedCompanyID})
	if err != nil {
		return "", "", err
	}
	got = append(got, byEmail...)
	var candidates []string
	for _, r := range got {
		if id := r.HubSpotProps[PropAssociatedCompanyID]; id != "" && !slices.Contains(candidates, id) {
			candidates = append(candidates, id)
		}
	}
	slices.Sort(candidates)
	for _, id := range candidates {
		if l, err := e.companyLink(ctx, Ref{Side: HubSpot, Object: HubSpotCompany, ID: id}); err != nil {
			return "", "", err
		} else if l == nil {
			return id, ReasonCompanyByContacts, nil
		}
	}
	return "", "", nil
}

// accountContacts returns the Contacts of an Account.
func (c *companySync) accountContacts(ctx context.Context, accountID string) ([]Record, error) {
	var out []Record
	soql := "SELECT Id, Email FROM Contact WHERE AccountId = " + salesforce.Quote(accountID)
	err := c.sf.Client.QueryPages(ctx, soql, salesforce.QueryOptions{}, func(p *salesforce.QueryPage) error {
		for i := range p.Records {
			out = append(out, salesforceRecord(Contact, &p.Records[i]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read Contacts of Account %s: %w", accountID, err)
	}
	return out, nil
}

func (e *Engine) linkCompany(ctx context.Context, a *applier, companyID, accountID, reason string) error {
	return e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		l, err := tx.CreateLink(ctx, store.Link{ConnectionID: e.cfg.ConnectionID, Kind: store.LinkCompany,
			HubSpotID: companyID, SalesforceID: accountID, SalesforceObject: store.Account, Status: store.LinkActive}, a.runID)
		if err != nil {
			return fmt.Errorf("link company %s to Account %s: %w", companyID, accountID, err)
		}
		a.counts["linked"]++
		return tx.AppendAudit(ctx, []store.AuditEntry{{RunID: a.runID, ConnectionID: e.cfg.ConnectionID, LinkID: l.ID,
			HubSpotID: companyID, SalesforceID: accountID, Field: AuditFieldLink, Direction: store.ToHubSpot, Rule: "match",
			ReasonCode: reason, Reason: "The company and the Account were linked."}})
	})
}

// createCompany creates the HubSpot company of a new Account with its
// mapped values.
func (e *Engine) createCompany(ctx context.Context, a *applier, c *companySync, acc *Record) error {
	pair := Pair{Origin: Salesforce, Salesforce: acc}
	it := c.planner.PlanPair(&pair)
	if it.Action == ActionPark {
		return a.parkNow(ctx, &it, acc.Ref, it.Failure)
	}
	if it.Action != ActionCreate {
		return nil
	}
	props := it.ToHubSpot
	delete(props, "email")
	props[PropSalesforceAccountID] = acc.ID

	res, err := c.hs.BatchCreate(ctx, hubspot.Companies, []hubspot.BatchInput{{Properties: props}})
	if err != nil {
		return fmt.Errorf("create company of Account %s: %w", acc.ID, err)
	}
	if res[0].Err != nil {
		return a.parkNow(ctx, &it, acc.Ref, hubspotFailure(res[0].Err))
	}
	companyID := res[0].Object.ID
	if err := e.linkCompany(ctx, a, companyID, acc.ID, ReasonAccountCreatesCompany); err != nil {
		return err
	}
	l, err := e.companyLink(ctx, acc.Ref)
	if err != nil {
		return err
	}
	it.LinkID, it.HubSpot.ID = l.ID, companyID
	a.counts["created"]++
	return e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		return a.putBase(ctx, tx, &it, store.ToHubSpot)
	})
}

// applyCompanyItem writes a planned company pair: the company through the
// companies API, the Account through the Salesforce side.
func (e *Engine) applyCompanyItem(ctx context.Context, a *applier, c *companySync, it Item) error {
	switch it.Action {
	case ActionPark:
		return a.parkNow(ctx, &it, it.parkRef(), it.Failure)
	case ActionSkip:
		return e.cfg.Store.InTx(ctx, func(tx store.Tx) error { return a.commitSkip(ctx, tx, &it) })
	}
	if err := e.cfg.Store.InTx(ctx, func(tx store.Tx) error { return a.commitUnwritten(ctx, tx, &it) }); err != nil {
		return err
	}
	if len(it.ToSalesforce) > 0 {
		res, err := e.cfg.Salesforce.Update(ctx, Account, []string{it.Salesforce.ID}, []map[string]any{it.ToSalesforce})
		if err != nil {
			return fmt.Errorf("update Account %s: %w", it.Salesforce.ID, err)
		}
		if f := res[0].Err; f != nil {
			return a.parkNow(ctx, &it, it.Salesforce, f)
		}
		if err := e.cfg.Store.InTx(ctx, func(tx store.Tx) error { return a.putBase(ctx, tx, &it, store.ToSalesforce) }); err != nil {
			return err
		}
		a.counts["updated_salesforce"]++
	}
	if len(it.ToHubSpot) > 0 {
		res, err := c.hs.BatchUpdate(ctx, hubspot.Companies, []hubspot.BatchInput{{ID: it.HubSpot.ID, Properties: it.ToHubSpot}})
		if err != nil {
			return fmt.Errorf("update company %s: %w", it.HubSpot.ID, err)
		}
		if res[0].Err != nil {
			return a.parkNow(ctx, &it, it.HubSpot, hubspotFailure(res[0].Err))
		}
		if err := e.cfg.Store.InTx(ctx, func(tx store.Tx) error { return a.putBase(ctx, tx, &it, store.ToHubSpot) }); err != nil {
			return err
		}
		a.counts["updated_hubspot"]++
	}
	return nil
}

// syncHubSpotCompanies syncs changed HubSpot companies, a linked one by
// the rules. An unlinked one becomes a new Account only when one of its
// contacts syncs with a Salesforce Contact that has no Account (a private
// Contact), as HubSpot's connector documents. A company whose contacts
// all sync with Leads, or that has no synced contacts, stays in HubSpot.
func (e *Engine) syncHubSpotCompanies(ctx context.Context, a *applier, c *companySync, page []Record) error {
	for i := range page {
		co := &page[i]
		l, err := e.companyLink(ctx, co.Ref)
		if err != nil {
			return err
		}
		if l != nil {
			if l.Status != store.LinkActive {
				continue
			}
			got, err := c.sf.ReadByIDs(ctx, Account, []string{l.SalesforceID}, c.accountFields())
			if err != nil {
				return err
			}
			if len(got) == 0 {
				continue
			}
			pairs := []Pair{{Origin: HubSpot, HubSpot: co, Salesforce: &got[0], Link: l}}
			if err := e.loadBase(ctx, pairs); err != nil {
				return err
			}
			if err := e.applyCompanyItem(ctx, a, c, c.planner.PlanPair(&pairs[0])); err != nil {
				return err
			}
			continue
		}
		if err := e.companyToAccount(ctx, a, c, co); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) companyToAccount(ctx context.Context, a *applier, c *companySync, co *Record) error {
	assocs, err := c.hs.Associations(ctx, hubspot.Companies, co.ID, hubspot.Contacts)
	if err != nil {
		return fmt.Errorf("read contacts of company %s: %w", co.ID, err)
	}
	var private []string
	for _, as := range assocs {
		l, err := e.linkOf(ctx, Ref{Side: HubSpot, Object: HubSpotContact, ID: as.ToObjectID})
		if err != nil {
			return err
		}
		if l == nil || l.Status != store.LinkActive || l.SalesforceObject != store.Contact {
			continue
		}
		if e.cfg.Settings.InclusionListID != "" {
			in, err := e.cfg.Store.IsListMember(ctx, e.cfg.ConnectionID, e.cfg.Settings.InclusionListID, l.HubSpotID)
			if err != nil {
				return err
			}
			if !in {
				continue
			}
		}
		got, err := c.sf.ReadByIDs(ctx, Contact, []string{l.SalesforceID}, []string{"AccountId"})
		if err != nil {
			return err
		}
		if len(got) == 1 && got[0].SalesforceFields["AccountId"] == nil {
			private = append(private, l.SalesforceID)
		}
	}
	if len(private) == 0 {
		return nil
	}

	pair := Pair{Origin: HubSpot, HubSpot: co}
	it := c.planNewAccount(&pair)
	if it.Action == ActionPark {
		return a.parkNow(ctx, &it, co.Ref, it.Failure)
	}
	fields := it.ToSalesforce
	if blankWire(fields["Name"]) {
		fields["Name"] = e.cfg.Settings.Placeholder
	}
	res, err := e.cfg.Salesforce.Create(ctx, Account, []map[string]any{fields})
	if err != nil {
		return fmt.Errorf("create Account of company %s: %w", co.ID, err)
	}
	if res[0].Err != nil {
		return a.parkNow(ctx, &it, co.Ref, res[0].Err)
	}
	accountID := res[0].ID
	if err := e.linkCompany(ctx, a, co.ID, accountID, ReasonCompanyCreatesAccount); err != nil {
		return err
	}
	l, err := e.companyLink(ctx, co.Ref)
	if err != nil {
		return err
	}
	it.LinkID, it.Salesforce.ID = l.ID, accountID
	if err := e.cfg.Store.InTx(ctx, func(tx store.Tx) error { return a.putBase(ctx, tx, &it, store.ToSalesforce) }); err != nil {
		return err
	}
	a.counts["created"]++

	updates := make([]map[string]any, len(private))
	for i := range private {
		updates[i] = map[string]any{"AccountId": accountID}
	}
	if _, err := e.cfg.Salesforce.Update(ctx, Contact, private, updates); err != nil {
		return fmt.Errorf("attach Contacts to Account %s: %w", accountID, err)
	}
	_, err = c.hs.BatchUpdate(ctx, hubspot.Companies, []hubspot.BatchInput{{ID: co.ID, Properties: map[string]string{PropSalesforceAccountID: accountID}}})
	return err
}

// planNewAccount plans the Account that a HubSpot company creates.
// PlanPair would plan the Lead or Contact that the contact settings
// create, so the company mappings are decided for an Account here. A
// company without an owner sends none, so Salesforce sets its default.
func (c *companySync) planNewAccount(pair *Pair) Item {
	it := Item{Origin: HubSpot, HubSpot: pair.HubSpot.Ref, Salesforce: Ref{Side: Salesforce, Object: Account},
		Action: ActionCreate, ReasonCode: ReasonCompanyCreatesAccount, ToSalesforce: map[string]any{},
		Reason: "A contact of the company syncs with a Salesforce Contact without an Account, so the company creates one."}
	if err := c.planner.decideFields(&it, pair, false, true); err != nil {
		c.planner.park(&it, err)
	}
	return it
}

// loadCompanyLinks fills the pairs' primary company and Account links
// for the Account ID mapping.
func (e *Engine) loadCompanyLinks(ctx context.Context, pairs []Pair) error {
	if !e.cfg.Settings.CompanySync {
		return nil
	}
	for i := range pairs {
		p := &pairs[i]
		if p.Salesforce != nil && p.Salesforce.Object == Contact {
			if acc, _ := p.Salesforce.SalesforceFields["AccountId"].(string); acc != "" {
				l, err := e.companyLink(ctx, Ref{Side: Salesforce, Object: Account, ID: acc})
				if err != nil {
					return err
				}
				if l != nil && l.Status == store.LinkActive {
					p.AccountCompany = l.HubSpotID
				}
			}
		}
		if p.HubSpot != nil {
			if co := p.HubSpot.HubSpotProps[PropAssociatedCompanyID]; co != "" {
				l, err := e.companyLink(ctx, Ref{Side: HubSpot, Object: HubSpotCompany, ID: co})
				if err != nil {
					return err
				}
				if l != nil && l.Status == store.LinkActive {
					p.CompanyAccount = l.SalesforceID
				}
			}
		}
	}
	return nil
}

// decideAccount plans the Contact's Account against the HubSpot
// contact's primary company, two-way by the base: the side that moved
// away from the base wins, Salesforce when both did. The base is the
// Account id. A Lead has no Account, and an Account without a company
// waits until the Account syncs.
func (p *Planner) decideAccount(it *Item, pair *Pair) {
	if !p.Settings.CompanySync || pair.Salesforce == nil || pair.HubSpot == nil || pair.Salesforce.Object != Contact {
		return
	}
	s, _ := pair.Salesforce.SalesforceFields["AccountId"].(string)
	h := pair.CompanyAccount
	if pair.HubSpot.HubSpotProps[PropAssociatedCompanyID] != "" && h == "" {
		// The primary company is not linked to an Account yet.
		return
	}
	base, hasBase := pair.Base[PropAssociatedCompanyID]
	fp := FieldPlan{Field: PropAssociatedCompanyID, SalesforceField: "AccountId", Rule: mapping.TwoWay,
		HubSpot: textOrNull(h), Salesforce: textOrNull(s), Base: base, HasBase: hasBase}

	switch {
	case s == h:
		if hasBase && base.Equal(textOrNull(s)) {
			return
		}
		fp.New, fp.ReasonCode, fp.Reason = textOrNull(s), "in_sync", "The Contact's Account is the contact's primary company."
	case hasBase && base.Equal(textOrNull(s)) && h != "":
		if it.ToSalesforce == nil {
			it.ToSalesforce = map[string]any{}
		}
		it.ToSalesforce["AccountId"] = h
		fp.Direction, fp.Old, fp.New = store.ToSalesforce, textOrNull(s), textOrNull(h)
		fp.ReasonCode, fp.Reason = ReasonAccountFromHubSpot, "The contact's primary company changed in HubSpot, so the Contact moves to its Account."
	case s != "" && pair.AccountCompany != "":
		it.PrimaryCompany = pair.AccountCompany
		fp.Direction, fp.Old, fp.New = store.ToHubSpot, textOrNull(h), textOrNull(s)
		fp.ReasonCode, fp.Reason = ReasonPrimaryCompany, "The Contact's Account is linked to this company, so it becomes the contact's primary company."
		it.PrimaryCompanyField = &fp
		return
	default:
		return
	}
	it.Fields = append(it.Fields, fp)
}

// applyPrimaryCompanies sets the primary company of contacts in HubSpot
// and stores the base once HubSpot acknowledged it.
func (a *applier) applyPrimaryCompanies(ctx context.Context, items []*Item) error {
	hc, ok := a.e.cfg.HubSpot.(*HubSpotClient)
	if !ok {
		return nil
	}
	for _, it := range items {
		if it.PrimaryCompany == "" || it.HubSpot.ID == "" || a.paused[HubSpot] {
			continue
		}
		if err := hc.Client.SetPrimaryCompany(ctx, it.HubSpot.ID, it.PrimaryCompany); err != nil {
			if err := a.parkNow(ctx, it, it.HubSpot, hubspotFailure(err)); err != nil {
				return err
			}
			continue
		}
		if fp := it.PrimaryCompanyField; fp != nil {
			one := Item{LinkID: it.LinkID, HubSpot: it.HubSpot, Salesforce: it.Salesforce, Fields: []FieldPlan{*fp}}
			if err := a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error { return a.putBase(ctx, tx, &one, store.ToHubSpot) }); err != nil {
				return err
			}
		}
		a.counts["updated_hubspot"]++
		it.PrimaryCompany, it.PrimaryCompanyField = "", nil
	}
	return nil
}
