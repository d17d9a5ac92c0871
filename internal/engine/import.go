package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// ImportOptions chooses what an import from Salesforce brings over.
type ImportOptions struct {
	Leads    bool
	Contacts bool
	Accounts bool

	// CampaignID limits the import to the members of one active campaign.
	CampaignID string

	// Progress, when set, is called after each page with the counts so far.
	Progress func(object Object, counts map[string]int64)
}

// ImportResult is what an import did, per object and outcome: read,
// created, linked, already_linked, duplicate_email and no_email.
type ImportResult struct {
	RunID   int64
	Resumed bool
	Counts  map[Object]map[string]int64
	Sync    Result
}

// ErrImportAccounts is returned for an Account import while company sync
// is off: companies are only created from Accounts with it on.
var ErrImportAccounts = errors.New("importing Accounts needs company sync")

const importPageSize = 200

// ImportSalesforce creates or deduplicates a HubSpot contact for every
// Salesforce Lead and Contact with an email, Contacts first so that a
// person who is both links to the Contact. The contacts get the email
// and the Salesforce id only; a sync of the imported records then fills
// the mapped fields of contacts in the inclusion list (of all contacts
// without one). Records without email are counted, not imported. An
// import that stopped resumes where it left off.
func (e *Engine) ImportSalesforce(ctx context.Context, opts ImportOptions) (ImportResult, error) {
	if opts.Accounts && !e.cfg.Settings.CompanySync {
		return ImportResult{}, fmt.Errorf("import from Salesforce: %w; set company_sync: true in the settings first", ErrImportAccounts)
	}
	if !opts.Leads && !opts.Contacts && !opts.Accounts {
		opts.Leads, opts.Contacts = true, true
	}
	st := e.cfg.Store

	run, progress, err := e.resumableImport(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{RunID: run.ID, Resumed: len(progress) > 0, Counts: map[Object]map[string]int64{}}
	a := newApplier(e, run.ID)

	var members map[Object][]string
	if opts.CampaignID != "" {
		if members, err = e.campaignPeople(ctx, opts.CampaignID); err != nil {
			e.finishImport(ctx, run.ID, a, err)
			return res, err
		}
	}

	var objects []Object
	if opts.Accounts {
		// Accounts first, so that imported Contacts find their companies.
		objects = append(objects, Account)
	}
	if opts.Contacts {
		objects = append(objects, Contact)
	}
	if opts.Leads {
		objects = append(objects, Lead)
	}
	for _, object := range objects {
		p := progress[store.SalesforceObject(object)]
		if p.Counts == nil {
			p = store.ImportProgress{RunID: run.ID, Object: store.SalesforceObject(object), Counts: map[string]int64{}}
		}
		res.Counts[object] = p.Counts
		if p.Done {
			continue
		}
		if err := e.importObject(ctx, a, opts, object, members, &p); err != nil {
			e.finishImport(ctx, run.ID, a, err)
			return res, err
		}
		p.Done = true
		if err := st.PutImportProgress(ctx, p); err != nil {
			return res, fmt.Errorf("store import progress: %w", err)
		}
	}

	res.Sync = e.finishImport(ctx, run.ID, a, nil)
	return res, nil
}

// resumableImport returns the newest import run that did not finish, with
// its progress, or starts a new one. A running import, left by a process
// that stopped, is continued in place; a failed or canceled one in a new
// run that takes over its progress.
func (e *Engine) resumableImport(ctx context.Context) (store.Run, map[store.SalesforceObject]store.ImportProgress, error) {
	st := e.cfg.Store
	runs, err := st.ListRuns(ctx, e.cfg.ConnectionID, store.Page{Limit: 50})
	if err != nil {
		return store.Run{}, nil, fmt.Errorf("list runs: %w", err)
	}
	var last *store.Run
	for i := range runs {
		if runs[i].Kind == store.RunImport {
			last = &runs[i]
			break
		}
	}

	progress := map[store.SalesforceObject]store.ImportProgress{}
	if last != nil && last.Status != store.RunSucceeded && last.Status != store.RunPartial {
		ps, err := st.ListImportProgress(ctx, last.ID)
		if err != nil {
			return store.Run{}, nil, fmt.Errorf("read import progress: %w", err)
		}
		for _, p := range ps {
			progress[p.Object] = p
		}
		if last.Status == store.RunRunning {
			return *last, progress, nil
		}
	}

	run, err := st.StartRun(ctx, store.Run{ConnectionID: e.cfg.ConnectionID, Kind: store.RunImport, Status: store.RunRunning})
	if err != nil {
		return store.Run{}, nil, fmt.Errorf("start import run: %w", err)
	}
	for k, p := range progress {
		p.RunID = run.ID
		progress[k] = p
	}
	return run, progress, nil
}

func (e *Engine) finishImport(ctx context.Context, runID int64, a *applier, err error) Result {
	status := store.RunSucceeded
	msg := ""
	switch {
	case ctx.Err() != nil:
		status = store.RunCanceled
	case err != nil:
		status, msg = store.RunFailed, err.Error()
	case a.counts["failed"] > 0:
		status = store.RunPartial
	}
	finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, ferr := e.cfg.Store.FinishRun(finishCtx, runID, store.RunResult{Status: status, Counts: a.counts, Error: msg}); ferr != nil {
		e.log.Warn("record end of import run", "run_id", runID, "error", ferr)
	}
	return Result{RunID: runID, Status: status, Counts: a.counts}
}

// campaignPeople returns the Leads and Contacts of an active campaign.
func (e *Engine) campaignPeople(ctx context.Context, campaignID string) (map[Object][]string, error) {
	sc, ok := e.cfg.Salesforce.(*SalesforceClient)
	if !ok {
		return nil, fmt.Errorf("import campaign %s: the Salesforce side %T cannot query campaigns", campaignID, e.cfg.Salesforce)
	}
	c, err := sc.Client.Query(ctx, "SELECT Id, IsActive FROM Campaign WHERE Id = "+salesforce.Quote(campaignID), salesforce.QueryOptions{})
	if err != nil {
		return nil, fmt.Errorf("read campaign %s: %w", campaignID, err)
	}
	if len(c.Records) == 0 {
		return nil, fmt.Errorf("import campaign %s: no such campaign; check the id in Salesforce", campaignID)
	}
	if !c.Records[0].Bool("IsActive") {
		return nil, fmt.Errorf("import campaign %s: the campaign is not active; activate it in Salesforce first", campaignID)
	}

	out := map[Object][]string{}
	soql := "SELECT LeadId, ContactId FROM CampaignMember WHERE CampaignId = " + salesforce.Quote(campaignID)
	err = sc.Client.QueryPages(ctx, soql, salesforce.QueryOptions{}, func(p *salesforce.QueryPage) error {
		for _, r := range p.Records {
			if id := r.String("ContactId"); id != "" {
				out[Contact] = append(out[Contact], id)
			} else if id := r.String("LeadId"); id != "" {
				out[Lead] = append(out[Lead], id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read members of campaign %s: %w", campaignID, err)
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out, nil
}

// importObject imports the records of one object in pages by ascending
// Id, storing the progress after each page.
func (e *Engine) importObject(ctx context.Context, a *applier, opts ImportOptions, object Object, members map[Object][]string, p *store.ImportProgress) error {
	sc, ok := e.cfg.Salesforce.(*SalesforceClient)
	if !ok {
		return fmt.Errorf("import %s: the Salesforce side %T cannot page records by id", object, e.cfg.Salesforce)
	}
	for {
		page, err := e.importPage(ctx, sc, object, members, opts.CampaignID != "", p.LastSalesforceID)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if object == Account {
			err = e.importAccounts(ctx, a, page, p.Counts)
		} else {
			err = e.importRecords(ctx, a, object, page, p.Counts)
		}
		if err != nil {
			return err
		}
		p.LastSalesforceID = page[len(page)-1].ID
		if err := e.cfg.Store.PutImportProgress(ctx, *p); err != nil {
			return fmt.Errorf("store import progress: %w", err)
		}
		if opts.Progress != nil {
			opts.Progress(object, p.Counts)
		}
	}
}

func (e *Engine) importPage(ctx context.Context, sc *SalesforceClient, object Object, members map[Object][]string, byCampaign bool, after string) ([]Record, error) {
	fields := withSystemFields(object, e.salesforceFields(object))
	if object == Account {
		c, err := e.companies(ctx)
		if err != nil || c == nil {
			return nil, err
		}
		fields = withSystemFields(Account, c.accountFields())
	}
	if byCampaign {
		ids := members[object]
		i, _ := slices.BinarySearch(ids, after)
		if after != "" && i < len(ids) && ids[i] == after {
			i++
		}
		ids = ids[i:min(i+importPageSize, len(ids))]
		if len(ids) == 0 {
			return nil, nil
		}
		recs, err := e.cfg.Salesforce.ReadByIDs(ctx, object, ids, e.salesforceFields(object))
		if err != nil {
			return nil, err
		}
		slices.SortFunc(recs, func(a, b Record) int { return strings.Compare(a.ID, b.ID) })
		if len(recs) == 0 {
			// Every member of this page is gone; move past it.
			return []Record{{Ref: Ref{Side: Salesforce, Object: object, ID: ids[len(ids)-1]}, Deleted: true}}, nil
		}
		return recs, nil
	}

	where := ""
	if after != "" {
		where = " WHERE Id > " + salesforce.Quote(after)
	}
	soql := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY Id LIMIT %d", strings.Join(fields, ", "), object, where, importPageSize)
	q, err := sc.Client.Query(ctx, soql, salesforce.QueryOptions{})
	if err != nil {
		return nil, fmt.Errorf("read %s records to import: %w", object, err)
	}
	out := make([]Record, len(q.Records))
	for i := range q.Records {
		out[i] = salesforceRecord(object, &q.Records[i])
	}
	return out, nil
}

// importRecords links or creates the HubSpot contacts of one page, then
// syncs the page's linked records.
func (e *Engine) importRecords(ctx context.Context, a *applier, object Object, page []Record, counts map[string]int64) error {
	var candidates []*Record
	var emails []string
	seen := map[string]bool{}
	for i := range page {
		rec := &page[i]
		if rec.Deleted {
			continue
		}
		counts["read"]++
		switch {
		case rec.Email == "":
			counts["no_email"]++
			continue
		case rec.ConvertedContactID != "":
			// A converted Lead is imported as the Contact it became.
			counts["converted"]++
			continue
		}
		candidates = append(candidates, rec)
		if !seen[rec.Email] {
			seen[rec.Email] = true
			emails = append(emails, rec.Email)
		}
	}
	if len(candidates) == 0 {
		return nil
	}

	found, err := e.cfg.HubSpot.ReadByEmails(ctx, emails, []string{"email"})
	if err != nil {
		return err
	}
	byEmail := map[string]string{}
	for _, r := range found {
		byEmail[r.Email] = r.ID
	}

	var toSync []string
	var creates []*Record
	claimed := map[string]bool{}
	for _, rec := range candidates {
		link, err := e.linkOf(ctx, rec.Ref)
		if err != nil {
			return err
		}
		if link != nil {
			counts["already_linked"]++
			toSync = append(toSync, rec.ID)
			continue
		}
		if claimed[rec.Email] {
			counts["duplicate_email"]++
			continue
		}
		claimed[rec.Email] = true

		hsID, ok := byEmail[rec.Email]
		if !ok {
			creates = append(creates, rec)
			continue
		}
		other, err := e.linkOf(ctx, Ref{Side: HubSpot, Object: HubSpotContact, ID: hsID})
		if err != nil {
			return err
		}
		if other != nil {
			// HubSpot keeps one contact per email; it syncs with the
			// record it is linked to.
			counts["duplicate_email"]++
			continue
		}
		if err := e.importLink(ctx, a, hsID, rec, "Imported from Salesforce: linked by email to the existing HubSpot contact."); err != nil {
			return err
		}
		counts["linked"]++
		toSync = append(toSync, rec.ID)
	}

	if len(creates) > 0 {
		props := make([]map[string]string, len(creates))
		for i, rec := range creates {
			prop := PropSalesforceLeadID
			if object == Contact {
				prop = PropSalesforceContactID
			}
			props[i] = map[string]string{"email": rec.RawEmail, prop: rec.ID}
		}
		results, err := e.cfg.HubSpot.Create(ctx, props)
		if err != nil {
			return fmt.Errorf("create imported HubSpot contacts: %w", err)
		}
		for i, r := range results {
			rec := creates[i]
			if r.Err != nil {
				if err := a.parkNow(ctx, &Item{Origin: Salesforce, Salesforce: rec.Ref, Email: rec.Email}, rec.Ref, r.Err); err != nil {
					return err
				}
				counts["failed"]++
				continue
			}
			if err := e.importLink(ctx, a, r.ID, rec, "Imported from Salesforce: created the HubSpot contact with the email only."); err != nil {
				return err
			}
			counts["created"]++
			toSync = append(toSync, rec.ID)
		}
	}

	return e.syncIDs(ctx, a, Ref{Side: Salesforce, Object: object}, toSync)
}

// importAccounts syncs a page of Accounts as changed ones: each joins or
// creates its HubSpot company.
func (e *Engine) importAccounts(ctx context.Context, a *applier, page []Record, counts map[string]int64) error {
	c, err := e.companies(ctx)
	if err != nil || c == nil {
		return err
	}
	before := a.counts["created"] + a.counts["linked"]
	if err := e.syncAccounts(ctx, a, c, page); err != nil {
		return err
	}
	counts["read"] += int64(len(page))
	counts["created"] += a.counts["created"] + a.counts["linked"] - before
	return nil
}

func (e *Engine) importLink(ctx context.Context, a *applier, hubspotID string, rec *Record, reason string) error {
	it := &Item{Action: ActionLink, ReasonCode: "imported", Reason: reason, Email: rec.Email, Origin: Salesforce,
		HubSpot: Ref{Side: HubSpot, Object: HubSpotContact, ID: hubspotID}, Salesforce: rec.Ref}
	return e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		return a.createLink(ctx, tx, it)
	})
}
