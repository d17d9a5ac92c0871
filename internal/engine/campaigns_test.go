package engine_test

import (
	"testing"

	"github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
)

func TestCampaignMembershipReachesHubSpot(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("c@x.com")
	webinar := s.CreateRecord(t, "Campaign", map[string]any{"Name": "Webinar", "IsActive": true})
	beurs := s.CreateRecord(t, "Campaign", map[string]any{"Name": "Beurs", "IsActive": true})

	for _, c := range []string{webinar, beurs} {
		if _, err := s.SalesforceEmulator.AddCampaignMember(c, leadID, ""); err != nil {
			t.Fatal(err)
		}
	}
	s.SyncUntilQuiet(t, 3)
	ids, names := campaignsOf(s, hsID)
	wantIDs, wantNames := sortedPair(webinar, "Webinar", beurs, "Beurs")
	if ids != wantIDs || names != wantNames {
		t.Errorf("campaigns = %q (%q), want %q (%q)", ids, names, wantIDs, wantNames)
	}

	// A removal triggers no sync in HubSpot's connector; here it does, so
	// the property never shows a campaign the record left.
	if err := s.SalesforceEmulator.RemoveCampaignMember(webinar, leadID); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if ids, names := campaignsOf(s, hsID); ids != beurs || names != "Beurs" {
		t.Errorf("campaigns after removal = %q (%q), want only %s", ids, names, beurs)
	}
}

func TestCampaignsFollowLeadConversion(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("v@x.com")
	webinar := s.CreateRecord(t, "Campaign", map[string]any{"Name": "Webinar", "IsActive": true})
	if _, err := s.SalesforceEmulator.AddCampaignMember(webinar, leadID, ""); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)

	res, err := s.SalesforceEmulator.ConvertLead(salesforce.ConvertLead{LeadID: leadID})
	if err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)

	props := s.Contact(t, hsID)
	if props[engine.PropSalesforceContactID] != res.ContactID || props[engine.PropSalesforceLeadID] != leadID {
		t.Errorf("salesforcecontactid %q, salesforceleadid %q; want %s and the Lead kept", props[engine.PropSalesforceContactID], props[engine.PropSalesforceLeadID], res.ContactID)
	}
	if ids, _ := campaignsOf(s, hsID); ids != webinar {
		t.Errorf("campaigns after conversion = %q, want %s", ids, webinar)
	}
	if ids := s.ContactsByEmail(t, "v@x.com"); len(ids) != 1 {
		t.Errorf("HubSpot contacts after conversion = %v, want one", ids)
	}
	if n := len(s.RecordsByEmail(t, "Lead", "v@x.com")); n != 1 {
		t.Errorf("%d Leads after conversion, want only the converted one", n)
	}
	for _, e := range s.OpenErrors(t) {
		t.Errorf("open sync error after conversion: %+v", e)
	}
}

func campaignsOf(s *semantics, hsID string) (ids, names string) {
	p := s.Contact(s.t, hsID)
	return p[engine.PropSalesforceCampaignIDs], p[engine.PropSalesforceCampaignNames]
}

func sortedPair(id1, name1, id2, name2 string) (ids, names string) {
	if id2 < id1 {
		id1, name1, id2, name2 = id2, name2, id1, name1
	}
	return id1 + ";" + id2, name1 + ";" + name2
}
