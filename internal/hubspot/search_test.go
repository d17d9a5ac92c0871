package hubspot_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

func TestSearchFiltersAndPaging(t *testing.T) {
	e := setup(t)
	for i := range 30 {
		stage := "lead"
		if i%3 == 0 {
			stage = "customer"
		}
		mustCreate(t, e, "contacts", map[string]string{"email": fmt.Sprintf("s%02d@example.com", i), "lifecyclestage": stage, "firstname": fmt.Sprintf("N%02d", i)})
	}

	req := hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: "lifecyclestage", Operator: "EQ", Value: "customer"}}}},
		Sorts:        []hubspot.Sort{{PropertyName: "firstname", Direction: "DESCENDING"}},
		Properties:   []string{"firstname"}, Limit: 4,
	}
	page, err := e.client.Search(e.ctx, hubspot.Contacts, req)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	if page.Total != 10 || len(page.Results) != 4 || page.After != "4" {
		t.Fatalf("page total %d results %d after %q, want 10, 4, \"4\"", page.Total, len(page.Results), page.After)
	}
	if page.Results[0].Properties["firstname"] != "N27" {
		t.Errorf("first result firstname = %q, want N27 (descending)", page.Results[0].Properties["firstname"])
	}

	req.After = "8"
	last, err := e.client.Search(e.ctx, hubspot.Contacts, req)
	if err != nil {
		t.Fatalf("search last page: %v", err)
	}
	if len(last.Results) != 2 || last.After != "" {
		t.Errorf("last page has %d results, after %q; want 2 and none", len(last.Results), last.After)
	}
}

func TestSearchLimitsRejected(t *testing.T) {
	e := setup(t)
	filter := hubspot.Filter{PropertyName: "email", Operator: "HAS_PROPERTY"}
	groups := func(n, per int) []hubspot.FilterGroup {
		var out []hubspot.FilterGroup
		for range n {
			g := hubspot.FilterGroup{}
			for range per {
				g.Filters = append(g.Filters, filter)
			}
			out = append(out, g)
		}
		return out
	}
	cases := []struct {
		name string
		req  hubspot.SearchRequest
	}{
		{"six groups", hubspot.SearchRequest{FilterGroups: groups(6, 1)}},
		{"seven filters in a group", hubspot.SearchRequest{FilterGroups: groups(1, 7)}},
		{"nineteen filters", hubspot.SearchRequest{FilterGroups: groups(4, 5)}},
		{"past the cap", hubspot.SearchRequest{After: "9900", Limit: 200}},
		{"page over 200", hubspot.SearchRequest{Limit: 201}},
		{"unknown operator", hubspot.SearchRequest{FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: "email", Operator: "LIKE", Value: "a"}}}}}},
		{"two sorts", hubspot.SearchRequest{Sorts: []hubspot.Sort{{PropertyName: "email"}, {PropertyName: "firstname"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.Search(e.ctx, hubspot.Contacts, tc.req)
			he := asError(t, err)
			if he.Status != 400 || he.Category != hubspot.CategoryValidation {
				t.Errorf("status %d category %s, want 400 VALIDATION_ERROR", he.Status, he.Category)
			}
		})
	}
	if _, err := e.client.Search(e.ctx, hubspot.Contacts, hubspot.SearchRequest{FilterGroups: groups(3, 6)}); err != nil {
		t.Errorf("18 filters in 3 groups rejected: %v", err)
	}
}

func TestSearchOperators(t *testing.T) {
	e := setup(t)
	a := mustCreate(t, e, "companies", map[string]string{"name": "Alpha Logistics", "numberofemployees": "10", "domain": "alpha.test", "industry": "RETAIL"})
	b := mustCreate(t, e, "companies", map[string]string{"name": "Beta Bakery", "numberofemployees": "250", "industry": "FOOD_BEVERAGES"})
	c := mustCreate(t, e, "companies", map[string]string{"name": "Gamma", "numberofemployees": "40"})
	contact := mustCreate(t, e, "contacts", map[string]string{"email": "x@alpha.test"})
	if err := e.emu.Associate(contact.ID, a.ID, true); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name   string
		filter hubspot.Filter
		want   []string
	}{
		{"EQ case-insensitive", hubspot.Filter{PropertyName: "name", Operator: "EQ", Value: "gamma"}, []string{c.ID}},
		{"NEQ", hubspot.Filter{PropertyName: "name", Operator: "NEQ", Value: "Gamma"}, []string{a.ID, b.ID}},
		{"LT number", hubspot.Filter{PropertyName: "numberofemployees", Operator: "LT", Value: "40"}, []string{a.ID}},
		{"LTE number", hubspot.Filter{PropertyName: "numberofemployees", Operator: "LTE", Value: "40"}, []string{a.ID, c.ID}},
		{"GT number", hubspot.Filter{PropertyName: "numberofemployees", Operator: "GT", Value: "40"}, []string{b.ID}},
		{"GTE number", hubspot.Filter{PropertyName: "numberofemployees", Operator: "GTE", Value: "40"}, []string{b.ID, c.ID}},
		{"BETWEEN", hubspot.Filter{PropertyName: "numberofemployees", Operator: "BETWEEN", Value: "10", HighValue: "40"}, []string{a.ID, c.ID}},
		{"IN enumeration", hubspot.Filter{PropertyName: "industry", Operator: "IN", Values: []string{"RETAIL", "FOOD_BEVERAGES"}}, []string{a.ID, b.ID}},
		{"NOT_IN", hubspot.Filter{PropertyName: "industry", Operator: "NOT_IN", Values: []string{"RETAIL"}}, []string{b.ID, c.ID}},
		{"HAS_PROPERTY", hubspot.Filter{PropertyName: "domain", Operator: "HAS_PROPERTY"}, []string{a.ID}},
		{"NOT_HAS_PROPERTY", hubspot.Filter{PropertyName: "domain", Operator: "NOT_HAS_PROPERTY"}, []string{b.ID, c.ID}},
		{"CONTAINS_TOKEN word", hubspot.Filter{PropertyName: "name", Operator: "CONTAINS_TOKEN", Value: "bakery"}, []string{b.ID}},
		{"CONTAINS_TOKEN wildcard", hubspot.Filter{PropertyName: "name", Operator: "CONTAINS_TOKEN", Value: "log*"}, []string{a.ID}},
		{"NOT_CONTAINS_TOKEN", hubspot.Filter{PropertyName: "name", Operator: "NOT_CONTAINS_TOKEN", Value: "bakery"}, []string{a.ID, c.ID}},
		{"associated contact", hubspot.Filter{PropertyName: "associations.contact", Operator: "EQ", Value: contact.ID}, []string{a.ID}},
		{"enumeration case-sensitive", hubspot.Filter{PropertyName: "industry", Operator: "EQ", Value: "retail"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := e.client.Search(e.ctx, hubspot.Companies, hubspot.SearchRequest{
				FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{tc.filter}}},
				Sorts:        []hubspot.Sort{{PropertyName: "hs_object_id", Direction: "ASCENDING"}},
			})
			if err != nil {
				t.Fatalf("search: %v", err)
			}
			var got []string
			for _, o := range page.Results {
				got = append(got, o.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestChangesPastSearchCap reads 10,500 modified contacts, more than one
// search query can page through. With three contacts per millisecond, most
// page windows start inside a shared millisecond.
func TestChangesPastSearchCap(t *testing.T) {
	e := setup(t)
	seed := &hsemu.Seed{Config: hsemu.Config{PrivateAppTokens: []string{testToken}}}
	start := e.clock.Now()
	for i := range 10_500 {
		at := start.Add(time.Duration(i/3) * time.Millisecond)
		seed.Contacts = append(seed.Contacts, hsemu.SeedRecord{
			Properties: map[string]string{"email": fmt.Sprintf("bulk%05d@example.com", i)}, CreatedAt: at, UpdatedAt: at,
		})
	}
	e = reseed(t, e, seed)

	seen := map[string]int{}
	var last int64
	for o, err := range e.client.Changes(e.ctx, hubspot.Contacts, hubspot.ChangesOptions{Since: start, Lookback: time.Second}) {
		if err != nil {
			t.Fatalf("changes: %v", err)
		}
		seen[o.ID]++
		ms, err := hubspot.ParseTime(o.Properties["lastmodifieddate"])
		if err != nil {
			t.Fatalf("record %s: %v", o.ID, err)
		}
		if ms.UnixMilli() < last {
			t.Fatalf("record %s at %d came after %d; order must be ascending", o.ID, ms.UnixMilli(), last)
		}
		last = ms.UnixMilli()
	}
	if len(seen) != 10_500 {
		t.Errorf("read %d distinct contacts, want 10500", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("contact %s yielded %d times", id, n)
		}
	}
	searches := e.emu.Calls().ByRoute["POST /crm/v3/objects/{objectType}/search"]
	if searches < 53 || searches > 56 {
		t.Errorf("made %d search calls, want about 53 (10,500 / 200)", searches)
	}
}

// reseed replaces the env's emulator with one loaded from seed.
func reseed(t *testing.T, e *env, seed *hsemu.Seed) *env {
	t.Helper()
	emu, err := hsemu.New(seed, hsemu.Options{Now: e.clock.Now})
	if err != nil {
		t.Fatalf("new emulator: %v", err)
	}
	t.Cleanup(emu.Close)
	e.srv.Config.Handler = emu.Handler()
	e.emu.Close()
	e.emu = emu
	return e
}

func TestChangesTooManyAtOneInstant(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 10,001 contacts")
	}
	e := setup(t)
	seed := &hsemu.Seed{Config: hsemu.Config{PrivateAppTokens: []string{testToken}}}
	at := e.clock.Now()
	for i := range 10_001 {
		seed.Contacts = append(seed.Contacts, hsemu.SeedRecord{Properties: map[string]string{"email": "same" + strconv.Itoa(i) + "@example.com"}, CreatedAt: at, UpdatedAt: at})
	}
	e = reseed(t, e, seed)

	var gotErr error
	n := 0
	for _, err := range e.client.Changes(e.ctx, hubspot.Contacts, hubspot.ChangesOptions{Since: at, Lookback: time.Nanosecond}) {
		if err != nil {
			gotErr = err
			break
		}
		n++
	}
	if gotErr != hubspot.ErrTooManyAtOneInstant {
		t.Errorf("error = %v after %d records, want ErrTooManyAtOneInstant", gotErr, n)
	}
}

func TestChangesLookbackCoversIndexLag(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, _ *hubspot.Config) { s.Config.SearchIndexLag = hsemu.Duration(30 * time.Second) })
	before := e.clock.Now()
	c := mustCreate(t, e, "contacts", map[string]string{"email": "late@example.com"})

	count := func(since time.Time) int {
		n := 0
		for _, err := range e.client.Changes(e.ctx, hubspot.Contacts, hubspot.ChangesOptions{Since: since, Lookback: time.Minute}) {
			if err != nil {
				t.Fatalf("changes: %v", err)
			}
			n++
		}
		return n
	}
	if n := count(before); n != 0 {
		t.Fatalf("contact visible to search before the index lag passed (%d results)", n)
	}

	// The caller's watermark moved past the write while the index lagged;
	// the lookback still finds the contact once it is indexed.
	e.clock.Add(40 * time.Second)
	if n := count(e.clock.Now().Add(-5 * time.Second)); n != 1 {
		t.Errorf("after the lag: %d results, want contact %s", n, c.ID)
	}
}

// TestChangesSurvivesWritesDuringRead modifies records of the first page
// while the read runs. Offset paging would shift unread records out of
// reach; every record must still be yielded.
func TestChangesSurvivesWritesDuringRead(t *testing.T) {
	e := setup(t)
	start := e.clock.Now()
	seed := &hsemu.Seed{Config: hsemu.Config{PrivateAppTokens: []string{testToken}}}
	for i := range 1000 {
		at := start.Add(time.Duration(i) * time.Millisecond)
		seed.Contacts = append(seed.Contacts, hsemu.SeedRecord{ID: strconv.Itoa(500000 + i),
			Properties: map[string]string{"email": fmt.Sprintf("w%04d@example.com", i)}, CreatedAt: at, UpdatedAt: at})
	}
	e = reseed(t, e, seed)
	e.clock.Add(time.Hour)

	seen := map[string]bool{}
	n := 0
	for o, err := range e.client.Changes(e.ctx, hubspot.Contacts, hubspot.ChangesOptions{Since: start, Lookback: time.Millisecond}) {
		if err != nil {
			t.Fatalf("changes: %v", err)
		}
		seen[o.ID] = true
		n++
		if n == 200 {
			// A user edits 50 records of the first page while the read runs.
			for i := range 50 {
				e.clock.Add(time.Millisecond)
				if _, err := e.emu.UpdateRecord("contacts", strconv.Itoa(500000+i), map[string]string{"jobtitle": "Edited"}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if len(seen) != 1000 {
		t.Errorf("yielded %d distinct contacts, want all 1000", len(seen))
	}
	if n != 1050 {
		t.Errorf("yielded %d records, want 1050: the 50 edited ones once more at their new time", n)
	}
}
