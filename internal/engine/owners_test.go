package engine_test

import (
	"context"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// Owners of these tests: Bob and Carol exist on both sides, Dirk only in
// HubSpot, and Carol's Salesforce user is inactive.
const (
	ownerBob   = "7001"
	ownerCarol = "7002"
	ownerDirk  = "7003"
)

func ownerSetup(t *testing.T) (s *semantics, bob string) {
	t.Helper()
	hs := &hsemu.Seed{Owners: []hsemu.Owner{
		{ID: ownerBob, Email: "bob@corp.nl", FirstName: "Bob", LastName: "Bakker"},
		{ID: ownerCarol, Email: "carol@corp.nl", FirstName: "Carol", LastName: "Claes"},
		{ID: ownerDirk, Email: "dirk@corp.nl", FirstName: "Dirk", LastName: "Dam"},
	}}
	sf := &sfemu.Seed{Records: map[string][]map[string]any{"User": {
		{"Username": "integration@koppel.example", "LastName": "Integration", "Email": "integration@koppel.example", "Alias": "kintg"},
		{"Username": "bob@corp.nl.sf", "LastName": "Bakker", "Email": "bob@corp.nl", "Alias": "bob"},
		{"Username": "carol@corp.nl.sf", "LastName": "Claes", "Email": "carol@corp.nl", "Alias": "carol", "IsActive": false},
	}}}
	s = setup(t, semanticsOptions{hubspotSeed: hs, sfSeed: sf})
	for r, err := range s.Salesforce.Records(context.Background(), "SELECT Id FROM User WHERE Email = 'bob@corp.nl'", salesforce.QueryOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		bob = r.ID
	}
	return s, bob
}

func TestHubSpotOwnerWithActiveUserSetsSalesforceOwner(t *testing.T) {
	s, bob := ownerSetup(t)
	hsID, leadID := s.linkedLead("o@x.com")

	s.UpdateContact(t, hsID, map[string]string{"hubspot_owner_id": ownerBob})
	s.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(s.Record(t, leadID)["OwnerId"]); got != bob {
		t.Errorf("OwnerId = %s, want Bob's user %s", got, bob)
	}
}

func TestHubSpotOwnerWithoutActiveUserReturnsToSalesforceOwner(t *testing.T) {
	for _, owner := range []string{ownerDirk, ownerCarol} {
		t.Run(owner, func(t *testing.T) {
			s, bob := ownerSetup(t)
			hsID, leadID := s.linkedLead("o@x.com")
			s.UpdateRecord(t, leadID, map[string]any{"OwnerId": bob})
			s.SyncUntilQuiet(t, 3)

			s.UpdateContact(t, hsID, map[string]string{"hubspot_owner_id": owner})
			s.SyncUntilQuiet(t, 3)
			if got := enginetest.Str(s.Record(t, leadID)["OwnerId"]); got != bob {
				t.Errorf("OwnerId = %s, want Bob's user kept", got)
			}
			if got := s.Contact(t, hsID)["hubspot_owner_id"]; got != ownerBob {
				t.Errorf("hubspot_owner_id = %q, want Bob back", got)
			}
			if !s.auditHas(s.linkOf(hsID).ID, string(mapping.ReasonOwnerUnmatched)) {
				t.Error("no audit row says why the HubSpot owner was reset")
			}
		})
	}
}

func TestNewLeadWithoutOwnerIsLeftToAssignmentRules(t *testing.T) {
	s, bob := ownerSetup(t)
	s.CreateContact(t, map[string]string{"email": "n@x.com", "lastname": "Nul"})
	withOwner := s.CreateContact(t, map[string]string{"email": "m@x.com", "lastname": "Met", "hubspot_owner_id": ownerBob})

	for _, it := range s.Plan(t) {
		if _, sent := it.ToSalesforce["OwnerId"]; sent && it.HubSpot.ID != withOwner {
			t.Errorf("a new Lead without HubSpot owner sends OwnerId %v", it.ToSalesforce["OwnerId"])
		}
	}
	s.SyncUntilQuiet(t, 3)
	leads := s.RecordsByEmail(t, "Lead", "m@x.com")
	if len(leads) != 1 || enginetest.Str(s.Record(t, leads[0])["OwnerId"]) != bob {
		t.Errorf("the Lead of a contact owned by Bob is not owned by Bob")
	}
}

func TestExistingLeadOwnerKeptOnFirstLink(t *testing.T) {
	s, bob := ownerSetup(t)
	leadID := s.CreateRecord(t, "Lead", map[string]any{"Email": "k@x.com", "LastName": "Kept", "Company": "Acme", "OwnerId": bob})
	hsID := s.CreateContact(t, map[string]string{"email": "k@x.com", "hubspot_owner_id": ownerDirk})
	s.SyncUntilQuiet(t, 3)

	if got := enginetest.Str(s.Record(t, leadID)["OwnerId"]); got != bob {
		t.Errorf("OwnerId = %s, want Bob kept", got)
	}
	if got := s.Contact(t, hsID)["hubspot_owner_id"]; got != ownerBob {
		t.Errorf("hubspot_owner_id = %q, want Bob copied to HubSpot", got)
	}
}

func TestOwnerFollowsMostRecentChange(t *testing.T) {
	s, bob := ownerSetup(t)
	hsID, leadID := s.linkedLead("o@x.com")

	s.UpdateRecord(t, leadID, map[string]any{"OwnerId": bob})
	s.SyncUntilQuiet(t, 3)
	if got := s.Contact(t, hsID)["hubspot_owner_id"]; got != ownerBob {
		t.Fatalf("hubspot_owner_id = %q after the Salesforce change, want Bob", got)
	}

	s.UpdateContact(t, hsID, map[string]string{"hubspot_owner_id": ""})
	s.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(s.Record(t, leadID)["OwnerId"]); got != bob {
		t.Errorf("OwnerId = %s after HubSpot cleared the owner, want Bob kept because Salesforce needs an owner", got)
	}
	if got := s.Contact(t, hsID)["hubspot_owner_id"]; got != ownerBob {
		t.Errorf("hubspot_owner_id = %q after it was cleared, want Bob back from Salesforce", got)
	}
}
