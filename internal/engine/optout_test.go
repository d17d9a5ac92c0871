package engine_test

import (
	"testing"

	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/mapping"
)

// linkedLead makes a HubSpot contact and a Lead that sync with each other.
func (s *semantics) linkedLead(email string) (hsID, leadID string) {
	s.t.Helper()
	leadID = s.CreateRecord(s.t, "Lead", map[string]any{"Email": email, "LastName": "Optie", "Company": "Acme"})
	s.SyncUntilQuiet(s.t, 3)
	return s.onlyContact(email), leadID
}

func TestHubSpotUnsubscribeChecksSalesforceOptOut(t *testing.T) {
	s := setup(t, semanticsOptions{})
	_, leadID := s.linkedLead("u@x.com")

	if err := s.HubSpotEmulator.UnsubscribeAll("u@x.com"); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if got := s.Record(t, leadID)["HasOptedOutOfEmail"]; got != true {
		t.Errorf("HasOptedOutOfEmail = %v, want true", got)
	}
}

func TestSalesforceOptOutUnsubscribesHubSpot(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("s@x.com")

	s.UpdateRecord(t, leadID, map[string]any{"HasOptedOutOfEmail": true})
	s.SyncUntilQuiet(t, 3)
	if !s.HubSpotEmulator.OptedOut("s@x.com") {
		t.Error("the HubSpot contact is not opted out of all email")
	}
	if got := s.Contact(t, hsID)["hs_email_optout"]; got != "true" {
		t.Errorf("hs_email_optout = %q, want true", got)
	}
}

func TestNewHubSpotContactFromOptedOutLeadIsUnsubscribed(t *testing.T) {
	s := setup(t, semanticsOptions{})
	s.CreateRecord(t, "Lead", map[string]any{"Email": "nu@x.com", "LastName": "Nee", "Company": "Acme", "HasOptedOutOfEmail": true})
	s.SyncUntilQuiet(t, 3)
	if !s.HubSpotEmulator.OptedOut("nu@x.com") {
		t.Error("the new HubSpot contact of an opted-out Lead is not opted out")
	}
}

func TestSalesforceUncheckDoesNotResubscribe(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("r@x.com")
	if err := s.HubSpotEmulator.UnsubscribeAll("r@x.com"); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)

	s.UpdateRecord(t, leadID, map[string]any{"HasOptedOutOfEmail": false})
	s.SyncUntilQuiet(t, 3)
	if !s.HubSpotEmulator.OptedOut("r@x.com") {
		t.Error("unchecking in Salesforce resubscribed the HubSpot contact")
	}
	if got := s.Record(t, leadID)["HasOptedOutOfEmail"]; got != true {
		t.Errorf("HasOptedOutOfEmail = %v after the uncheck synced, want true again", got)
	}
	if !s.auditHas(s.linkOf(hsID).ID, string(mapping.ReasonOptOutSticky)) {
		t.Error("no audit row says why Salesforce was set back to true")
	}
}

func TestOptOutOutsideListWaitsForSync(t *testing.T) {
	s := setup(t, semanticsOptions{inclusionList: true})
	hsID, leadID := s.linkedLead("w@x.com")

	if err := s.HubSpotEmulator.UnsubscribeAll("w@x.com"); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if got := s.Record(t, leadID)["HasOptedOutOfEmail"]; got != false {
		t.Errorf("HasOptedOutOfEmail = %v while the contact is outside the list, want false", got)
	}

	s.UpdateContact(t, hsID, map[string]string{"lifecyclestage": "marketingqualifiedlead"})
	s.SyncUntilQuiet(t, 3)
	if got := s.Record(t, leadID)["HasOptedOutOfEmail"]; got != true {
		t.Errorf("HasOptedOutOfEmail = %v after the contact's first sync, want true", got)
	}
}

func TestEmailChangeDoesNotCarryOptOut(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("oud@x.com")
	if err := s.HubSpotEmulator.UnsubscribeAll("oud@x.com"); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)

	s.UpdateRecord(t, leadID, map[string]any{"Email": "nieuw@x.com"})
	s.SyncUntilQuiet(t, 3)
	if got := s.Contact(t, hsID)["email"]; got != "nieuw@x.com" {
		t.Fatalf("email = %q, want the new address", got)
	}
	if s.HubSpotEmulator.OptedOut("nieuw@x.com") {
		t.Error("the new address was opted out; the opt-out belongs to the old one")
	}
	if got := enginetest.Str(s.Record(t, leadID)["HasOptedOutOfEmail"]); got != "false" {
		t.Errorf("HasOptedOutOfEmail = %s after the new address synced, want false", got)
	}
}
