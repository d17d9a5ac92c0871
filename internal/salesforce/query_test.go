package salesforce_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// seedLeads returns a seed with n leads named Lead0000... in creation
// order.
func seedLeads(n int) *sfemu.Seed {
	s := baseSeed()
	leads := make([]map[string]any, n)
	for i := range leads {
		leads[i] = map[string]any{"LastName": fmt.Sprintf("Lead%04d", i), "Company": "Acme", "Email": fmt.Sprintf("lead%d@example.com", i)}
	}
	s.Records["Lead"] = leads
	return s
}

func TestQueryPagesFollowNextRecordsURL(t *testing.T) {
	e := setup(t, seedLeads(450), func(c *salesforce.Config) { c.BatchSize = 200 })
	var sizes []int
	var names []string
	err := e.client.QueryPages(e.ctx, "SELECT Id, LastName FROM Lead ORDER BY LastName", salesforce.QueryOptions{}, func(p *salesforce.QueryPage) error {
		sizes = append(sizes, len(p.Records))
		if p.TotalSize != 450 {
			t.Errorf("totalSize = %d, want 450", p.TotalSize)
		}
		for _, r := range p.Records {
			names = append(names, r.String("LastName"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[200 200 50]" {
		t.Errorf("page sizes = %v, want [200 200 50]", sizes)
	}
	if len(names) != 450 || names[0] != "Lead0000" || names[449] != "Lead0449" {
		t.Errorf("names: %d, first %q, last %q", len(names), names[0], names[len(names)-1])
	}
	if got := e.client.Usage().Calls; got != 3+0 {
		t.Errorf("calls = %d, want 3", got)
	}
}

func TestRecordsIterator(t *testing.T) {
	e := setup(t, seedLeads(5))
	n := 0
	for r, err := range e.client.Records(e.ctx, "SELECT Id, Email FROM Lead", salesforce.QueryOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Type != "Lead" || len(r.ID) != 18 {
			t.Errorf("record type %q id %q", r.Type, r.ID)
		}
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("iterated %d records, want 3 before break", n)
	}
}

func TestQueryAllSeesDeletedRecords(t *testing.T) {
	e := setup(t, seedLeads(3))
	page, err := e.client.Query(e.ctx, "SELECT Id FROM Lead ORDER BY Id", salesforce.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	victim := page.Records[1].ID
	if err := e.client.Delete(e.ctx, "Lead", victim); err != nil {
		t.Fatal(err)
	}

	live, err := e.client.Count(e.ctx, "SELECT COUNT() FROM Lead", salesforce.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if live != 2 {
		t.Errorf("query count = %d, want 2", live)
	}
	all, err := e.client.Query(e.ctx, "SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true", salesforce.QueryOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Records) != 1 || all.Records[0].ID != victim || !all.Records[0].Bool("IsDeleted") {
		t.Fatalf("queryAll deleted = %+v, want the deleted lead", all.Records)
	}
}

func TestParentRelationshipField(t *testing.T) {
	e := setup(t, nil)
	acc := mustCreate(t, e, "Account", map[string]any{"Name": "Analytical Engines", "NumberOfEmployees": 12})
	mustCreate(t, e, "Contact", map[string]any{"LastName": "Lovelace", "AccountId": acc})
	mustCreate(t, e, "Contact", map[string]any{"LastName": "Babbage"})

	page, err := e.client.Query(e.ctx, "SELECT LastName, Account.Name, Account.NumberOfEmployees FROM Contact ORDER BY LastName DESC", salesforce.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ada := page.Records[0]
	parent := ada.Parent("Account")
	if parent == nil || parent.String("Name") != "Analytical Engines" || parent.Type != "Account" {
		t.Fatalf("Account of Lovelace = %+v", parent)
	}
	if n, ok := parent.Fields["NumberOfEmployees"].(json.Number); !ok || n.String() != "12" {
		t.Errorf("NumberOfEmployees = %#v, want json.Number 12", parent.Fields["NumberOfEmployees"])
	}
	if v, present := page.Records[1].Fields["Account"]; !present || v != nil {
		t.Errorf("Account of Babbage = %#v (present %v), want null", v, present)
	}
}

func TestReadChangesKeysetWithOverlap(t *testing.T) {
	e := setup(t, nil)
	base := e.clock.Now()
	var ids []string
	for i := range 5 {
		ids = append(ids, mustCreate(t, e, "Lead", map[string]any{"LastName": fmt.Sprintf("K%d", i), "Company": "Acme"}))
		if i%2 == 1 {
			e.clock.Advance(time.Second)
		}
	}

	var seen []string
	k := salesforce.KeysetQuery{Object: "Lead", Fields: []string{"LastName"}, PageLimit: 2}
	cur, err := e.client.ReadChanges(e.ctx, k, func(r salesforce.Record) error {
		seen = append(seen, r.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != fmt.Sprint(ids) {
		t.Fatalf("first read = %v, want %v", seen, ids)
	}
	if cur.ID != ids[4] || !cur.Modstamp.Equal(base.Add(2*time.Second)) {
		t.Errorf("cursor = %+v, want last lead at base+2s", cur)
	}

	// A later change is read again from the cursor, and the overlap
	// window re-reads what changed shortly before it.
	e.clock.Advance(time.Minute)
	if err := e.client.Update(e.ctx, "Lead", ids[0], map[string]any{"Title": "CEO"}); err != nil {
		t.Fatal(err)
	}
	seen = nil
	k.Since, k.Overlap = cur, 2*time.Second
	next, err := e.client.ReadChanges(e.ctx, k, func(r salesforce.Record) error {
		seen = append(seen, r.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ids[1], ids[2], ids[3], ids[4], ids[0]}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("second read = %v, want %v", seen, want)
	}
	if next.ID != ids[0] {
		t.Errorf("cursor after second read = %+v, want %s", next, ids[0])
	}
	if got := k.SOQL(); got == "" || !strings.Contains(got, "SystemModstamp >= ") || !strings.Contains(got, "ORDER BY SystemModstamp ASC, Id ASC") {
		t.Errorf("SOQL = %q", got)
	}
}

func TestQueryMalformedIsFatal(t *testing.T) {
	e := setup(t, nil)
	_, err := e.client.Query(e.ctx, "SELECT Id FROM Lead WHERE", salesforce.QueryOptions{})
	var se *salesforce.Error
	if !asError(err, &se) || se.Code != "MALFORMED_QUERY" || se.HTTPStatus != 400 {
		t.Fatalf("error = %v, want 400 MALFORMED_QUERY", err)
	}
	if !strings.Contains(se.Message, "ERROR at Row:1:Column:26") {
		t.Errorf("message %q lacks the position", se.Message)
	}
	if se.Class() != salesforce.ClassFatal {
		t.Errorf("class = %v, want fatal", se.Class())
	}
}

func TestQuoteRoundTripsThroughEmulator(t *testing.T) {
	e := setup(t, nil)
	tricky := []string{`O'Brien`, `back\slash`, `50% off_now`, "line\nbreak", `"quoted"`}
	for _, name := range tricky {
		mustCreate(t, e, "Lead", map[string]any{"LastName": name, "Company": "Quotes"})
	}
	mustCreate(t, e, "Lead", map[string]any{"LastName": "50 percent offXnow", "Company": "Quotes"})
	for _, name := range tricky {
		n, err := e.client.Count(e.ctx, "SELECT COUNT() FROM Lead WHERE LastName = "+salesforce.Quote(name), salesforce.QueryOptions{})
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		if n != 1 {
			t.Errorf("LastName = %s matched %d, want 1", salesforce.Quote(name), n)
		}
	}
	n, err := e.client.Count(e.ctx, "SELECT COUNT() FROM Lead WHERE LastName LIKE "+salesforce.QuoteLikeAffix("", "50% off_", "%"), salesforce.QueryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("escaped LIKE matched %d, want 1 (wildcards in the value must be literal)", n)
	}
}
