package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// startSmall starts both emulators with 50 clean generated people.
func startSmall(t *testing.T) (*emulators, *runner) {
	t.Helper()
	ds, err := generateData(Options{People: 50, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	emus, err := startEmulators(ds, time.Now, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emus.Close)
	return emus, &runner{ds: ds, emus: emus}
}

// matchedPair returns a Lead and the HubSpot contact with its email.
func matchedPair(t *testing.T, r *runner) (leadIndex int, hubspotID string) {
	t.Helper()
	byEmail := map[string]string{}
	for _, h := range r.ds.HubSpotContacts {
		byEmail[normalizeEmail(h.Properties["email"])] = h.ID
	}
	for i, l := range r.ds.Leads {
		if id, ok := byEmail[normalizeEmail(l.Email)]; ok {
			return i, id
		}
	}
	t.Fatal("test data: no Lead shares its email with a HubSpot contact")
	return 0, ""
}

func TestCheckerComparesPairFields(t *testing.T) {
	emus, r := startSmall(t)
	i, hsID := matchedPair(t, r)
	lead := r.ds.Leads[i]
	_, err := emus.hubspot.UpdateRecord("contacts", hsID, map[string]string{
		"email": strings.ToUpper(lead.Email), "firstname": lead.FirstName, "lastname": lead.LastName,
		"jobtitle": lead.Title, "city": lead.City,
	})
	if err != nil {
		t.Fatal(err)
	}
	c := newChecker(emus, r.ds, &Mismatches{})
	l := store.Link{HubSpotID: hsID, SalesforceID: lead.Id, SalesforceObject: "Lead"}
	if d := c.differs(l); d != "" {
		t.Errorf("differs = %q, want \"\" for a pair with the same values", d)
	}

	if _, err := emus.hubspot.UpdateRecord("contacts", hsID, map[string]string{"city": "Elders"}); err != nil {
		t.Fatal(err)
	}
	d := c.differs(l)
	if !strings.Contains(d, "city") {
		t.Errorf("differs = %q, want the city named", d)
	}
	if n := c.disagreeing([]store.Link{l}); n != 1 {
		t.Errorf("disagreeing = %d, want 1", n)
	}
}

func TestCheckerMissingRecordDiffers(t *testing.T) {
	emus, r := startSmall(t)
	c := newChecker(emus, r.ds, &Mismatches{})
	l := store.Link{HubSpotID: "999999999", SalesforceID: r.ds.Leads[0].Id, SalesforceObject: "Lead"}
	if d := c.differs(l); !strings.Contains(d, "not found") {
		t.Errorf("differs = %q, want the missing HubSpot contact reported", d)
	}
}

func TestCheckerCountsUnlinked(t *testing.T) {
	emus, r := startSmall(t)
	m := &Mismatches{}
	newChecker(emus, r.ds, m).countUnlinked(r.ds, nil)
	if m.UnlinkedSalesforce != len(r.ds.Leads)+len(r.ds.Contacts) {
		t.Errorf("unlinked Salesforce = %d, want every Lead and Contact (%d)", m.UnlinkedSalesforce, len(r.ds.Leads)+len(r.ds.Contacts))
	}
	if m.UnlinkedHubSpot != len(r.ds.HubSpotContacts) {
		t.Errorf("unlinked HubSpot = %d, want every contact (%d)", m.UnlinkedHubSpot, len(r.ds.HubSpotContacts))
	}
	if len(m.Examples) != maxExamples {
		t.Errorf("%d examples, want %d", len(m.Examples), maxExamples)
	}
}

func TestRemoveDefectsLeavesNoManifestRecord(t *testing.T) {
	_, r := startSmall(t)
	full, err := generateData(Options{People: 50, Seed: 7, Defects: true})
	if err != nil {
		t.Fatal(err)
	}
	bad := defectiveIDs(full.Manifest)
	if len(bad) == 0 {
		t.Fatal("test data: the generator made no defects for 50 people")
	}
	for _, l := range r.ds.Leads {
		if bad[l.Id] {
			t.Errorf("Lead %s with a defect kept", l.Id)
		}
	}
	for _, c := range r.ds.Contacts {
		if bad[c.Id] {
			t.Errorf("Contact %s with a defect kept", c.Id)
		}
	}
	for _, h := range r.ds.HubSpotContacts {
		if bad[h.ID] {
			t.Errorf("HubSpot contact %s with a defect kept", h.ID)
		}
	}
}
