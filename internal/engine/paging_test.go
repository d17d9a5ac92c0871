package engine_test

import (
	"fmt"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
)

// TestCycleReadsEveryHubSpotPage syncs more HubSpot contacts than fit a
// page. Each page's writes move its contacts to later modified times, and
// no contact of the next page may be skipped because of it.
func TestCycleReadsEveryHubSpotPage(t *testing.T) {
	const contacts = 300
	hs := &hsemu.Seed{}
	for i := range contacts {
		hs.Contacts = append(hs.Contacts, hsemu.SeedRecord{Properties: map[string]string{"email": fmt.Sprintf("p%04d@example.nl", i), "lastname": "Page"}})
	}
	env := enginetest.Setup(t, enginetest.Options{HubSpotSeed: hs, PageSize: 50})

	res := env.Sync(t)
	if res.Counts["created"] != contacts {
		t.Errorf("first cycle created %d Leads, want %d", res.Counts["created"], contacts)
	}
	if res.Counts["updated_hubspot"] != contacts {
		t.Errorf("first cycle updated %d HubSpot contacts, want %d, one Salesforce Lead ID each", res.Counts["updated_hubspot"], contacts)
	}
	if items := env.Plan(t); len(items) != 0 {
		t.Errorf("next cycle plans %d writes, first %+v", len(items), items[0])
	}
}

func TestPlaceholderStaysInSalesforce(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	contactID := env.CreateContact(t, map[string]string{"email": "blank@example.nl", "firstname": "Bo"})
	env.SyncUntilQuiet(t, 3)

	leadID := env.Link(t, contactID).SalesforceID
	lead := env.Record(t, leadID)
	if enginetest.Str(lead["Company"]) != "[not provided]" || enginetest.Str(lead["LastName"]) != "[not provided]" {
		t.Errorf("Lead Company %v, LastName %v; want the placeholder in both", lead["Company"], lead["LastName"])
	}
	c := env.Contact(t, contactID)
	if c["company"] != "" || c["lastname"] != "" {
		t.Errorf("HubSpot company %q, lastname %q; want them blank, not the placeholder", c["company"], c["lastname"])
	}
	if items := env.Plan(t); len(items) != 0 {
		t.Errorf("next cycle plans %d writes, first %+v", len(items), items[0])
	}
}
