package salesforce_test

import (
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/salesforce"
)

func TestBulkQueryStreamsAllRows(t *testing.T) {
	e := setup(t, seedLeads(120))
	var n int
	var first salesforce.Record
	err := e.client.BulkQuery(e.ctx, "SELECT Id, LastName, Email, Title FROM Lead ORDER BY LastName",
		salesforce.BulkOptions{PollInterval: time.Millisecond, MaxRecords: 50}, func(r salesforce.Record) error {
			if n == 0 {
				first = r
			}
			n++
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if n != 120 {
		t.Errorf("rows = %d, want 120", n)
	}
	if first.String("LastName") != "Lead0000" || len(first.ID) != 18 || first.Fields["Title"] != nil {
		t.Errorf("first row = %+v", first)
	}
}

func TestReadAllPicksBulkAboveThreshold(t *testing.T) {
	e := setup(t, seedLeads(30), func(c *salesforce.Config) { c.BulkThreshold = 10 })
	var n int
	err := e.client.ReadAll(e.ctx, "Lead", []string{"Id", "Email"}, "Company = "+salesforce.Quote("Acme"), func(r salesforce.Record) error {
		if r.Type != "Lead" {
			t.Errorf("type = %q", r.Type)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 30 {
		t.Errorf("rows = %d, want 30", n)
	}
	// COUNT, create job, at least one status poll, and one results page.
	if calls := e.client.Usage().Calls; calls < 4 {
		t.Errorf("calls = %d, want the bulk sequence", calls)
	}
}
