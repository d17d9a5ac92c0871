package engine_test

import (
	"context"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/settings"
)

// ownerErik exists on both sides, like Bob, so that the owner can move
// between two matched users.
const ownerErik = "7004"

// companyOwners contains the Salesforce user ids of the seeded users.
type companyOwners struct {
	bob, erik, integration string
}

// companyOwnerSetup starts a company sync with the owners of
// ownerSetup plus Erik.
func companyOwnerSetup(t *testing.T) (*semantics, companyOwners) {
	t.Helper()
	hs := &hsemu.Seed{Owners: []hsemu.Owner{
		{ID: ownerBob, Email: "bob@corp.nl", FirstName: "Bob", LastName: "Bakker"},
		{ID: ownerCarol, Email: "carol@corp.nl", FirstName: "Carol", LastName: "Claes"},
		{ID: ownerDirk, Email: "dirk@corp.nl", FirstName: "Dirk", LastName: "Dam"},
		{ID: ownerErik, Email: "erik@corp.nl", FirstName: "Erik", LastName: "Eng"},
	}}
	sf := &sfemu.Seed{Records: map[string][]map[string]any{"User": {
		{"Username": "integration@koppel.example", "LastName": "Integration", "Email": "integration@koppel.example", "Alias": "kintg"},
		{"Username": "bob@corp.nl.sf", "LastName": "Bakker", "Email": "bob@corp.nl", "Alias": "bob"},
		{"Username": "carol@corp.nl.sf", "LastName": "Claes", "Email": "carol@corp.nl", "Alias": "carol", "IsActive": false},
		{"Username": "erik@corp.nl.sf", "LastName": "Eng", "Email": "erik@corp.nl", "Alias": "erik"},
	}}}
	s := setup(t, semanticsOptions{hubspotSeed: hs, sfSeed: sf, settings: func(st *settings.Settings) { st.CompanySync = true }})

	var users companyOwners
	for r, err := range s.Salesforce.Records(context.Background(), "SELECT Id, Email FROM User", salesforce.QueryOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		switch r.String("Email") {
		case "bob@corp.nl":
			users.bob = r.ID
		case "erik@corp.nl":
			users.erik = r.ID
		case "integration@koppel.example":
			users.integration = r.ID
		}
	}
	if users.bob == "" || users.erik == "" {
		t.Fatalf("seeded users not found: %+v", users)
	}
	return s, users
}

// linkedAccount makes an Account and the HubSpot company it syncs with.
func (s *semantics) linkedAccount(name string, fields map[string]any) (companyID, accountID string) {
	s.t.Helper()
	all := map[string]any{"Name": name}
	for k, v := range fields {
		all[k] = v
	}
	accountID = s.CreateRecord(s.t, "Account", all)
	s.SyncUntilQuiet(s.t, 3)
	l := s.linkOf(accountID)
	return l.HubSpotID, accountID
}

func (s *semantics) companyOwner(companyID string) string {
	s.t.Helper()
	co, ok := s.HubSpotEmulator.Get("companies", companyID)
	if !ok {
		s.t.Fatalf("company %s not found", companyID)
	}
	return co.Properties["hubspot_owner_id"]
}

func (s *semantics) setCompanyOwner(companyID, owner string) {
	s.t.Helper()
	if _, err := s.HubSpotEmulator.UpdateRecord("companies", companyID, map[string]string{"hubspot_owner_id": owner}); err != nil {
		s.t.Fatal(err)
	}
}

func TestCompanyOwnerSetInHubSpotReachesAccount(t *testing.T) {
	s, users := companyOwnerSetup(t)
	companyID, accountID := s.linkedAccount("Acme BV", nil)

	s.setCompanyOwner(companyID, ownerBob)
	s.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(s.Record(t, accountID)["OwnerId"]); got != users.bob {
		t.Errorf("Account OwnerId = %s, want Bob's user %s", got, users.bob)
	}
	if got := s.companyOwner(companyID); got != ownerBob {
		t.Errorf("company owner = %q, want Bob kept", got)
	}
}

func TestCompanyOwnerChangedInSalesforceReachesCompany(t *testing.T) {
	s, users := companyOwnerSetup(t)
	companyID, accountID := s.linkedAccount("Acme BV", map[string]any{"OwnerId": users.bob})
	if got := s.companyOwner(companyID); got != ownerBob {
		t.Fatalf("owner of the new company = %q, want Bob from the Account", got)
	}

	s.UpdateRecord(t, accountID, map[string]any{"OwnerId": users.erik})
	s.SyncUntilQuiet(t, 3)
	if got := s.companyOwner(companyID); got != ownerErik {
		t.Errorf("company owner = %q after the Account owner changed, want Erik", got)
	}
}

func TestUnmatchedCompanyOwnerReturnsToAccountOwner(t *testing.T) {
	// Dirk has no Salesforce user, and Carol's user is inactive.
	for _, owner := range []string{ownerDirk, ownerCarol} {
		t.Run(owner, func(t *testing.T) {
			s, users := companyOwnerSetup(t)
			companyID, accountID := s.linkedAccount("Acme BV", map[string]any{"OwnerId": users.bob})

			s.setCompanyOwner(companyID, owner)
			s.SyncUntilQuiet(t, 3)
			if got := enginetest.Str(s.Record(t, accountID)["OwnerId"]); got != users.bob {
				t.Errorf("Account OwnerId = %s, want Bob's user kept", got)
			}
			if got := s.companyOwner(companyID); got != ownerBob {
				t.Errorf("company owner = %q, want Bob back", got)
			}
			if !s.auditHas(s.linkOf(accountID).ID, string(mapping.ReasonOwnerUnmatched)) {
				t.Error("no audit row says why the company owner was reset")
			}
		})
	}
}

func TestCompanyOwnerFollowsMostRecentChange(t *testing.T) {
	t.Run("salesforce_later", func(t *testing.T) {
		s, users := companyOwnerSetup(t)
		companyID, accountID := s.linkedAccount("Acme BV", nil)

		s.setCompanyOwner(companyID, ownerBob)
		s.Clock.Advance(time.Minute)
		s.UpdateRecord(t, accountID, map[string]any{"OwnerId": users.erik})
		s.SyncUntilQuiet(t, 3)
		if got := enginetest.Str(s.Record(t, accountID)["OwnerId"]); got != users.erik {
			t.Errorf("Account OwnerId = %s, want Erik's user from the later change", got)
		}
		if got := s.companyOwner(companyID); got != ownerErik {
			t.Errorf("company owner = %q, want Erik from the later change", got)
		}
	})
	t.Run("hubspot_later", func(t *testing.T) {
		s, users := companyOwnerSetup(t)
		companyID, accountID := s.linkedAccount("Acme BV", nil)

		s.UpdateRecord(t, accountID, map[string]any{"OwnerId": users.erik})
		s.Clock.Advance(time.Minute)
		s.setCompanyOwner(companyID, ownerBob)
		s.SyncUntilQuiet(t, 3)
		if got := enginetest.Str(s.Record(t, accountID)["OwnerId"]); got != users.bob {
			t.Errorf("Account OwnerId = %s, want Bob's user from the later change", got)
		}
		if got := s.companyOwner(companyID); got != ownerBob {
			t.Errorf("company owner = %q, want Bob from the later change", got)
		}
	})
}

// privateContactCompany makes a HubSpot company whose contact syncs with
// a Salesforce Contact without an Account, so that the company creates
// an Account.
func (s *semantics) privateContactCompany(props map[string]string) string {
	s.t.Helper()
	hsID := s.CreateContact(s.t, map[string]string{"email": "p@prive.example", "lastname": "Prive"})
	s.SyncUntilQuiet(s.t, 3)
	co, err := s.HubSpotEmulator.CreateRecord("companies", props)
	if err != nil {
		s.t.Fatal(err)
	}
	if err := s.HubSpotEmulator.Associate(hsID, co.ID, true); err != nil {
		s.t.Fatal(err)
	}
	s.SyncUntilQuiet(s.t, 4)
	return co.ID
}

func TestAccountFromCompanyGetsCompanyOwner(t *testing.T) {
	s, users := companyOwnerSetup(t)
	s.Settings.SalesforceOnHubSpotChange = settings.SalesforceCreateContact
	s.Rebuild(t)

	companyID := s.privateContactCompany(map[string]string{"name": "Prive BV", "hubspot_owner_id": ownerBob})
	l := s.Link(t, companyID)
	if l == nil {
		t.Fatal("no Account created for the company of a private Contact")
	}
	acc := s.Record(t, l.SalesforceID)
	if got := enginetest.Str(acc["OwnerId"]); got != users.bob {
		t.Errorf("Account OwnerId = %s, want Bob's user from the company", got)
	}
	if got := enginetest.Str(acc["Name"]); got != "Prive BV" {
		t.Errorf("Account Name = %q, want the company name", got)
	}
}

func TestAccountFromCompanyWithoutOwnerKeepsDefault(t *testing.T) {
	// An unmatched company owner is not sent, so it counts as no owner.
	cases := map[string]struct{ owner, wantCompanyOwner string }{
		"no_owner":        {owner: "", wantCompanyOwner: ""},
		"unmatched_owner": {owner: ownerDirk, wantCompanyOwner: ownerDirk},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s, users := companyOwnerSetup(t)
			s.Settings.SalesforceOnHubSpotChange = settings.SalesforceCreateContact
			s.Rebuild(t)

			props := map[string]string{"name": "Prive BV"}
			if tc.owner != "" {
				props["hubspot_owner_id"] = tc.owner
			}
			companyID := s.privateContactCompany(props)
			l := s.Link(t, companyID)
			if l == nil {
				t.Fatal("no Account created for the company of a private Contact")
			}
			// Salesforce makes the user that creates a record its default owner.
			if got := enginetest.Str(s.Record(t, l.SalesforceID)["OwnerId"]); got != users.integration {
				t.Errorf("Account OwnerId = %q, want the integration user %s as default owner", got, users.integration)
			}
			// The integration user has no HubSpot owner, so HubSpot keeps its value.
			if got := s.companyOwner(companyID); got != tc.wantCompanyOwner {
				t.Errorf("company owner = %q, want %q", got, tc.wantCompanyOwner)
			}
		})
	}
}
