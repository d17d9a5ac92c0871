package engine_test

import (
	"context"
	"testing"

	"github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

func TestDeletedLeadFollowsDeleteSetting(t *testing.T) {
	for _, tc := range []struct {
		setting     settings.OnDelete
		wantContact bool
	}{
		{settings.DeleteDelete, false},
		{settings.DeleteKeep, true},
	} {
		t.Run(string(tc.setting), func(t *testing.T) {
			s := setup(t, semanticsOptions{settings: func(st *settings.Settings) { st.HubSpotOnSalesforceDelete = tc.setting }})
			hsID, leadID := s.linkedLead("d@x.com")

			if err := s.SalesforceEmulator.Delete(leadID); err != nil {
				t.Fatal(err)
			}
			s.SyncUntilQuiet(t, 3)
			if got := len(s.ContactsByEmail(t, "d@x.com")) == 1; got != tc.wantContact {
				t.Errorf("HubSpot contact kept = %v, want %v", got, tc.wantContact)
			}
			if l := s.linkOf(hsID); l.Status != store.LinkTombstoned {
				t.Errorf("link status = %s, want tombstoned", l.Status)
			}
		})
	}
}

func TestDeletedContactOutsideListStillFollowed(t *testing.T) {
	s := setup(t, semanticsOptions{inclusionList: true, settings: func(st *settings.Settings) {
		st.HubSpotOnSalesforceDelete = settings.DeleteDelete
	}})
	_, leadID := s.linkedLead("d@x.com")
	if err := s.SalesforceEmulator.Delete(leadID); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if ids := s.ContactsByEmail(t, "d@x.com"); len(ids) != 0 {
		t.Errorf("HubSpot contact %v kept although the setting deletes it", ids)
	}
}

func TestTombstoneStopsRecreationUntilResync(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("t@x.com")
	if err := s.SalesforceEmulator.Delete(leadID); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)

	s.UpdateContact(t, hsID, map[string]string{"firstname": "Terug"})
	s.SyncUntilQuiet(t, 3)
	if n := len(s.RecordsByEmail(t, "Lead", "t@x.com")); n != 0 {
		t.Fatalf("a HubSpot update recreated %d Leads after the delete", n)
	}

	if _, err := s.Engine.Resync(context.Background(), engine.ResyncOptions{Record: hsID}); err != nil {
		t.Fatalf("resync: %v", err)
	}
	leads := s.RecordsByEmail(t, "Lead", "t@x.com")
	if len(leads) != 1 {
		t.Fatalf("Leads after the admin resync = %v, want one", leads)
	}
	l := s.linkOf(hsID)
	if l.Status != store.LinkActive || l.SalesforceID != leads[0] {
		t.Errorf("link = %+v, want active on %s", l, leads[0])
	}
	if got := enginetest.Str(s.Record(t, leads[0])["FirstName"]); got != "Terug" {
		t.Errorf("FirstName of the recreated Lead = %q, want Terug", got)
	}
}

func TestUndeletedLeadRestoresLink(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("u@x.com")
	if err := s.SalesforceEmulator.Delete(leadID); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if err := s.SalesforceEmulator.Undelete(leadID); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if l := s.linkOf(hsID); l.Status != store.LinkActive {
		t.Fatalf("link status after undelete = %s, want active", l.Status)
	}
	s.UpdateRecord(t, leadID, map[string]any{"FirstName": "Weer"})
	s.SyncUntilQuiet(t, 3)
	if got := s.Contact(t, hsID)["firstname"]; got != "Weer" {
		t.Errorf("firstname = %q after undelete, want Weer", got)
	}
}

func TestDeletedHubSpotContactFollowsDeleteSetting(t *testing.T) {
	for _, tc := range []struct {
		setting  settings.OnDelete
		wantLead bool
	}{
		{settings.DeleteDelete, false},
		{settings.DeleteKeep, true},
	} {
		t.Run(string(tc.setting), func(t *testing.T) {
			s := setup(t, semanticsOptions{settings: func(st *settings.Settings) { st.SalesforceOnHubSpotDelete = tc.setting }})
			hsID, _ := s.linkedLead("h@x.com")
			if err := s.HubSpotEmulator.ArchiveRecord("contacts", hsID); err != nil {
				t.Fatal(err)
			}
			s.SyncUntilQuiet(t, 3)
			if got := len(s.RecordsByEmail(t, "Lead", "h@x.com")) == 1; got != tc.wantLead {
				t.Errorf("Lead kept = %v, want %v", got, tc.wantLead)
			}
			if l := s.linkOf(hsID); l.Status != store.LinkTombstoned {
				t.Errorf("link status = %s, want tombstoned", l.Status)
			}
		})
	}
}

func TestRestoredHubSpotContactRestoresLink(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, _ := s.linkedLead("h@x.com")
	if err := s.HubSpotEmulator.ArchiveRecord("contacts", hsID); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if err := s.HubSpotEmulator.RestoreRecord("contacts", hsID); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if l := s.linkOf(hsID); l.Status != store.LinkActive {
		t.Errorf("link status after restore = %s, want active", l.Status)
	}
}

// Merges.

func TestSalesforceMergeRelinksToMaster(t *testing.T) {
	s := setup(t, semanticsOptions{settings: func(st *settings.Settings) { st.HubSpotOnSalesforceDelete = settings.DeleteDelete }})
	hsID, loser := s.linkedLead("m@x.com")
	master := s.CreateRecord(t, "Lead", map[string]any{"Email": "m@x.com", "FirstName": "Meester", "LastName": "Optie", "Company": "Acme"})
	s.SyncUntilQuiet(t, 3)

	if err := s.SalesforceEmulator.Merge(master, loser); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if ids := s.ContactsByEmail(t, "m@x.com"); len(ids) != 1 || ids[0] != hsID {
		t.Fatalf("HubSpot contacts = %v, want the linked contact %s kept", ids, hsID)
	}
	l := s.linkOf(hsID)
	if l.SalesforceID != master || l.Status != store.LinkActive {
		t.Errorf("link = %+v, want active on the master %s", l, master)
	}
	if got := s.Contact(t, hsID)[engine.PropSalesforceLeadID]; got != master {
		t.Errorf("salesforceleadid = %q, want the master %s", got, master)
	}
	if !s.auditHas(l.ID, string(store.LinkMerged)) {
		t.Error("no audit row records the merge")
	}
}

func TestHubSpotMergeKeepsPrimaryLink(t *testing.T) {
	s := setup(t, semanticsOptions{})
	primary, primaryLead := s.linkedLead("p@x.com")
	absorbed, absorbedLead := s.linkedLead("a@x.com")

	if _, err := s.HubSpotEmulator.MergeRecords("contacts", primary, absorbed); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if l := s.linkOf(primaryLead); l.HubSpotID != primary || l.Status != store.LinkActive {
		t.Errorf("primary link = %+v, want active on %s", l, primary)
	}
	if l := s.linkOf(absorbedLead); l.Status != store.LinkTombstoned {
		t.Errorf("absorbed contact's link = %+v, want tombstoned", l)
	}
}

func TestHubSpotMergeMovesAbsorbedLinkToUnlinkedPrimary(t *testing.T) {
	s := setup(t, semanticsOptions{inclusionList: true})
	primary := s.CreateContact(t, map[string]string{"email": "p@x.com"})
	absorbed, absorbedLead := s.linkedLead("a@x.com")
	if s.Link(t, primary) != nil {
		t.Fatal("the primary is linked before the merge")
	}

	if _, err := s.HubSpotEmulator.MergeRecords("contacts", primary, absorbed); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if l := s.linkOf(absorbedLead); l.HubSpotID != primary || l.Status != store.LinkActive {
		t.Errorf("link = %+v, want moved to the primary %s", l, primary)
	}
	if n := len(s.RecordsByEmail(t, "Lead", "p@x.com")); n != 0 {
		t.Errorf("%d Leads created for the primary", n)
	}
}

func TestConversionConflictSettledByHubSpotMerge(t *testing.T) {
	s := setup(t, semanticsOptions{})
	a, leadID := s.linkedLead("a@x.com")
	contactID := s.CreateRecord(t, "Contact", map[string]any{"Email": "b@x.com", "LastName": "Bee"})
	s.SyncUntilQuiet(t, 3)
	b := s.onlyContact("b@x.com")

	if _, err := s.SalesforceEmulator.ConvertLead(salesforce.ConvertLead{LeadID: leadID, ContactID: contactID}); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	x, err := s.Engine.Explain(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if x.Next.ReasonCode != engine.ReasonLinkConflict {
		t.Fatalf("explain of the converted Lead's contact = %s, want %s", x.Next.ReasonCode, engine.ReasonLinkConflict)
	}

	if _, err := s.HubSpotEmulator.MergeRecords("contacts", b, a); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if l := s.linkOf(b); l.SalesforceID != contactID || l.Status != store.LinkActive {
		t.Errorf("link of the remaining contact = %+v, want active on %s", l, contactID)
	}
	if l := s.linkOf(leadID); l.Status != store.LinkTombstoned {
		t.Errorf("link of the absorbed contact = %+v, want ended", l)
	}
}
