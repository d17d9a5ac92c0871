package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// Summary is the outcome of a demo run. Its JSON form is what koppel demo
// --json prints.
type Summary struct {
	People int    `json:"people"`
	Seed   uint64 `json:"seed"`
	Lang   string `json:"lang"`

	// Converged is true when a cycle had nothing left to write.
	Converged bool `json:"converged"`
	Cycles    int  `json:"cycles"`

	// GenerateMillis is the time to generate the data; ConvergeMillis the
	// time from the start of the run to the end of the first quiet cycle,
	// generation and emulator start included; TotalMillis the whole run.
	GenerateMillis int64 `json:"generate_ms"`
	ConvergeMillis int64 `json:"converge_ms"`
	TotalMillis    int64 `json:"total_ms"`

	// Counts holds the engine's outcomes added up over all cycles. A
	// record counts once per cycle that handled it: "failed" counts a
	// parked record again each time a cycle retries it, and "skipped"
	// counts each unchanged record re-read in the overlap window. For
	// parked records read OpenErrors.
	Counts map[string]int64 `json:"counts"`

	// OpenErrors is the number of parked records at the end of the run,
	// each once, as the web UI counts its open errors.
	OpenErrors int64 `json:"open_errors"`

	// Conflicts counts fields that both sides changed since the last sync.
	Conflicts int64 `json:"conflicts"`

	// APICalls counts the calls the sync cycles made per side, "hubspot"
	// and "salesforce".
	APICalls map[string]int64 `json:"api_calls"`

	// HubSpotPacingMillis is the time the HubSpot client waited for its
	// own rate limiter, which keeps to HubSpot's per-10-seconds and search
	// limits.
	HubSpotPacingMillis int64 `json:"hubspot_pacing_ms"`

	// Parked lists the categories of open sync errors, each with one
	// example; ParkedRecords lists every parked record.
	Parked        []ParkedCategory `json:"parked"`
	ParkedRecords []ParkedRecord   `json:"parked_records"`

	// Duplicates counts the emails that more records share after the run
	// than before it, per side: duplicates the sync made.
	Duplicates map[string]int `json:"duplicates"`

	// Expected compares the parked records with the records the generator
	// made bad on purpose.
	Expected Expected `json:"expected"`
}

// ParkedCategory is one sync-error category with its open errors.
type ParkedCategory struct {
	Category string       `json:"category"`
	Title    string       `json:"title"`
	Hint     string       `json:"hint"`
	Count    int          `json:"count"`
	Example  ParkedRecord `json:"example"`
}

// ParkedRecord is one open sync error.
type ParkedRecord struct {
	Side     string   `json:"side"`
	Object   string   `json:"object"`
	ID       string   `json:"id"`
	Category string   `json:"category"`
	Code     string   `json:"code"`
	Fields   []string `json:"fields,omitempty"`

	// Explanation is the readable explanation of Code in the summary's
	// language; Message is the detail the engine or the vendor gave, in
	// English.
	Explanation string `json:"explanation"`
	Message     string `json:"message"`
}

// Expected is the check of the parked records against the generator's
// manifest.
type Expected struct {
	// Parked is the number of records the manifest expects to be parked.
	Parked int `json:"parked"`

	// Missing lists the expected records that are not parked, or parked
	// with another category or code, as "side:id"; Unexpected lists the
	// parked records the manifest does not expect.
	Missing    []string `json:"missing"`
	Unexpected []string `json:"unexpected"`
}

// Matches reports whether the parked records are exactly the expected ones.
func (e Expected) Matches() bool { return len(e.Missing) == 0 && len(e.Unexpected) == 0 }

// summary builds the summary from the stats, the store and the emulators.
func (d *demo) summary(ctx context.Context, converged bool) *Summary {
	s := &Summary{
		People: d.opts.People, Seed: d.opts.Seed, Lang: d.p.Lang(),
		Converged: converged, Cycles: d.stats.cycles,
		GenerateMillis: d.generated.Milliseconds(), ConvergeMillis: d.stats.convergedAfter.Milliseconds(),
		TotalMillis: time.Since(d.started).Milliseconds(),
		Counts:      d.stats.counts, Conflicts: d.stats.conflicts,
		APICalls:   map[string]int64{"hubspot": d.stats.apiHubSpot, "salesforce": d.stats.apiSalesforce},
		Duplicates: map[string]int{},
	}
	if s.Counts == nil {
		s.Counts = map[string]int64{}
	}
	if d.conn == nil {
		return s
	}
	s.HubSpotPacingMillis = d.conn.HubSpot.Usage().Waited.Milliseconds()

	errs, err := d.openErrors(ctx)
	if err != nil {
		d.log.Error("read parked records for the summary failed", "error", err)
	}
	if counts, err := d.openErrorCounts(ctx); err != nil {
		d.log.Error("count open sync errors for the summary failed", "error", err)
	} else {
		s.OpenErrors = sum(counts)
	}
	s.ParkedRecords, s.Parked = d.describeParked(errs)
	s.Expected = expectParked(d.ds.Manifest, s.ParkedRecords)

	s.Duplicates["hubspot"] = d.hubspotDuplicates()
	if n, err := d.salesforceDuplicates(ctx); err != nil {
		d.log.Error("count Salesforce duplicates for the summary failed", "error", err)
		s.Duplicates["salesforce"] = -1
	} else {
		s.Duplicates["salesforce"] = n
	}
	return s
}

func (d *demo) openErrors(ctx context.Context) ([]store.SyncError, error) {
	var all []store.SyncError
	q := store.ErrorQuery{ConnectionID: d.conn.Record.ID, Page: store.Page{Limit: store.MaxPageSize}}
	for {
		page, err := d.conn.Store.ListErrors(ctx, q)
		if err != nil {
			return all, err
		}
		all = append(all, page...)
		if len(page) < q.Page.Limit {
			return all, nil
		}
		q.Page.After = page[len(page)-1].ID
	}
}

// describeParked returns the parked records in a stable order and the
// categories in display order, each with its first record as example.
func (d *demo) describeParked(errs []store.SyncError) ([]ParkedRecord, []ParkedCategory) {
	records := make([]ParkedRecord, 0, len(errs))
	for _, e := range errs {
		records = append(records, ParkedRecord{
			Side: string(e.Side), Object: e.Object, ID: e.RecordID, Category: string(e.Category),
			Code: e.Code, Fields: e.Fields, Explanation: d.p.ErrorCode(e.Code), Message: e.Message,
		})
	}
	slices.SortFunc(records, func(a, b ParkedRecord) int {
		return strings.Compare(a.Side+":"+a.ID, b.Side+":"+b.ID)
	})

	var categories []ParkedCategory
	for _, c := range store.ErrorCategories {
		pc := ParkedCategory{Category: string(c), Title: d.p.CategoryTitle(string(c)), Hint: d.p.CategoryHint(string(c))}
		for _, r := range records {
			if r.Category != string(c) {
				continue
			}
			if pc.Count == 0 {
				pc.Example = r
			}
			pc.Count++
		}
		if pc.Count > 0 {
			categories = append(categories, pc)
		}
	}
	return records, categories
}

// expectParked compares parked with the manifest's park entries by side
// and record id, category and code.
func expectParked(m generate.Manifest, parked []ParkedRecord) Expected {
	want := map[string]generate.Expectation{}
	for _, e := range m.Entries {
		if e.Expect.Outcome == generate.OutcomePark {
			want[e.Side+":"+e.ID] = e.Expect
		}
	}
	got := map[string]ParkedRecord{}
	for _, r := range parked {
		got[r.Side+":"+r.ID] = r
	}

	ex := Expected{Parked: len(want), Missing: []string{}, Unexpected: []string{}}
	for key, w := range want {
		r, ok := got[key]
		if !ok || r.Category != w.Category || r.Code != w.Code {
			ex.Missing = append(ex.Missing, key)
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			ex.Unexpected = append(ex.Unexpected, key)
		}
	}
	slices.Sort(ex.Missing)
	slices.Sort(ex.Unexpected)
	return ex
}

// hubspotDuplicates returns how many emails more live HubSpot contacts
// share now than in the generated data.
func (d *demo) hubspotDuplicates() int {
	before := map[string]int{}
	for _, r := range d.ds.HubSpotContacts {
		if e := normalizeEmail(r.Properties["email"]); e != "" {
			before[e]++
		}
	}
	after := map[string]int{}
	for _, r := range d.emus.hubspot.Snapshot().Contacts {
		if r.Archived || r.MergedInto != "" {
			continue
		}
		if e := normalizeEmail(r.Properties["email"]); e != "" {
			after[e]++
		}
	}
	return newDuplicates(before, after)
}

// salesforceDuplicates returns how many emails more unconverted Leads and
// Contacts share now than in the generated data. It reads the records
// through the connection's client; those calls are not part of the
// sync's count.
func (d *demo) salesforceDuplicates(ctx context.Context) (int, error) {
	before := map[string]int{}
	for _, l := range d.ds.Leads {
		if e := normalizeEmail(l.Email); e != "" && !l.IsConverted {
			before[e]++
		}
	}
	for _, c := range d.ds.Contacts {
		if e := normalizeEmail(c.Email); e != "" {
			before[e]++
		}
	}

	after := map[string]int{}
	for _, soql := range []string{
		"SELECT Id, Email FROM Lead WHERE IsConverted = false",
		"SELECT Id, Email FROM Contact",
	} {
		err := d.conn.Salesforce.QueryPages(ctx, soql, salesforce.QueryOptions{}, func(p *salesforce.QueryPage) error {
			for _, r := range p.Records {
				if e := normalizeEmail(r.String("Email")); e != "" {
					after[e]++
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("query Salesforce emails: %w", err)
		}
	}
	return newDuplicates(before, after), nil
}

// newDuplicates returns the number of emails held by more than one record
// after, and by more records than before.
func newDuplicates(before, after map[string]int) int {
	n := 0
	for e, c := range after {
		if c > 1 && c > max(before[e], 1) {
			n++
		}
	}
	return n
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Print writes the summary for people in lang.
func (s *Summary) Print(w io.Writer, lang string) {
	p := newPrinter(lang)
	fmt.Fprintln(w)
	p.println(w, msgSummaryTitle, nil)
	p.println(w, msgSummaryPeople, map[string]any{"People": s.People, "Seed": s.Seed, "Duration": seconds(time.Duration(s.GenerateMillis)*time.Millisecond, p.Lang())})
	p.println(w, msgSummaryCycles, map[string]any{"Cycles": s.Cycles, "Converged": yesNo(p, s.Converged)})

	// Skips and failures are per-cycle counts that repeat the same
	// records, so the summary shows the open errors in their place.
	p.println(w, msgSummaryOutcomes, nil)
	for _, o := range outcomeOrder {
		if o == "skipped" || o == "failed" {
			continue
		}
		if n := s.Counts[o]; n > 0 {
			p.println(w, msgSummaryOutcome, map[string]any{"Name": p.text(outcomeIDs[o], nil), "Count": n})
		}
	}

	p.println(w, msgSummaryParked, map[string]any{"Count": s.OpenErrors})
	for _, c := range s.Parked {
		p.println(w, msgSummaryCategory, map[string]any{"Title": p.CategoryTitle(c.Category), "Count": c.Count, "Hint": p.CategoryHint(c.Category)})
		ex := c.Example
		p.println(w, msgSummaryExample, map[string]any{
			"Record": p.recordKind(ex.Side, ex.Object), "ID": ex.ID, "Field": strings.Join(ex.Fields, ", "), "Explanation": p.ErrorCode(ex.Code),
		})
	}

	p.println(w, msgSummaryAPICalls, map[string]any{"HubSpot": s.APICalls["hubspot"], "Salesforce": s.APICalls["salesforce"]})
	p.println(w, msgSummaryDuplicates, map[string]any{"HubSpot": s.Duplicates["hubspot"], "Salesforce": s.Duplicates["salesforce"]})
	if s.Expected.Matches() {
		p.println(w, msgSummaryExpected, map[string]any{"Count": s.Expected.Parked})
	} else {
		p.println(w, msgSummaryMismatch, map[string]any{"Missing": len(s.Expected.Missing), "Unexpected": len(s.Expected.Unexpected)})
	}
}

func yesNo(p *printer, b bool) string {
	if b {
		return p.text(msgYes, nil)
	}
	return p.text(msgNo, nil)
}
