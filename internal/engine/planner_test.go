package engine

import (
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

func testPlanner(t *testing.T, change func(*settings.Settings)) *Planner {
	t.Helper()
	s := settings.Default()
	if change != nil {
		change(&s)
	}
	synced, _ := ContactMappings(mapping.DefaultContactMappings())
	return NewPlanner(s, synced)
}

func hsRecord(id, email string, props map[string]string) *Record {
	p := map[string]string{"email": email}
	for k, v := range props {
		p[k] = v
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return &Record{Ref: Ref{Side: HubSpot, Object: HubSpotContact, ID: id}, Email: NormalizeEmail(email), RawEmail: email,
		Modified: t0, Edited: t0, HubSpotProps: p}
}

func sfRecord(object Object, id, email string, fields map[string]any) *Record {
	f := map[string]any{"Email": email}
	for k, v := range fields {
		f[k] = v
	}
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return &Record{Ref: Ref{Side: Salesforce, Object: object, ID: id}, Email: NormalizeEmail(email), RawEmail: email,
		Modified: t0, Edited: t0, SalesforceFields: f}
}

func TestPlanCreateLeadFillsPlaceholders(t *testing.T) {
	p := testPlanner(t, nil)
	it := p.PlanPair(&Pair{Origin: HubSpot, HubSpot: hsRecord("1", "Ann@X.com", map[string]string{"firstname": "Ann"}), Email: "ann@x.com"})

	if it.Action != ActionCreate || it.Salesforce.Object != Lead {
		t.Fatalf("action = %s %s, want create Lead", it.Action, it.Salesforce.Object)
	}
	for field, want := range map[string]any{"FirstName": "Ann", "Email": "Ann@X.com", "LastName": "[not provided]", "Company": "[not provided]"} {
		if got := it.ToSalesforce[field]; got != want {
			t.Errorf("ToSalesforce[%s] = %v, want %v", field, got, want)
		}
	}
}

func TestPlanCreateLeadParksWithoutRequired(t *testing.T) {
	p := testPlanner(t, func(s *settings.Settings) { s.MissingRequired = settings.MissingPark })
	it := p.PlanPair(&Pair{Origin: HubSpot, HubSpot: hsRecord("1", "ann@x.com", map[string]string{"lastname": "Smith"}), Email: "ann@x.com"})

	if it.Action != ActionPark {
		t.Fatalf("action = %s, want park", it.Action)
	}
	if it.Failure.Category != store.ErrorPropertyValue || len(it.Failure.Fields) != 1 || it.Failure.Fields[0] != "Company" {
		t.Errorf("failure = %+v, want property value on Company", it.Failure)
	}
	if len(it.ToSalesforce) != 0 {
		t.Errorf("parked item still writes %v", it.ToSalesforce)
	}
}

func TestPlanCreateContactSetting(t *testing.T) {
	p := testPlanner(t, func(s *settings.Settings) { s.SalesforceOnHubSpotChange = settings.SalesforceCreateContact })
	it := p.PlanPair(&Pair{Origin: HubSpot, HubSpot: hsRecord("1", "e@x.com", map[string]string{"lastname": "E", "company": "Acme"}), Email: "e@x.com"})

	if it.Action != ActionCreate || it.Salesforce.Object != Contact {
		t.Fatalf("action = %s %s, want create Contact", it.Action, it.Salesforce.Object)
	}
	if _, ok := it.ToSalesforce["Company"]; ok {
		t.Error("a Contact got Lead.Company")
	}
}

func TestPlanHubSpotDoNothing(t *testing.T) {
	p := testPlanner(t, func(s *settings.Settings) { s.HubSpotOnSalesforceChange = settings.HubSpotDoNothing })
	it := p.PlanPair(&Pair{Origin: Salesforce, Salesforce: sfRecord(Lead, "00Q1", "c@x.com", nil), Email: "c@x.com"})
	if it.Action != ActionSkip || it.ReasonCode != ReasonHubSpotDoNothing {
		t.Fatalf("item = %s %s, want skip %s", it.Action, it.ReasonCode, ReasonHubSpotDoNothing)
	}
}

func TestPlanCreateHubSpotMirrorsID(t *testing.T) {
	p := testPlanner(t, nil)
	it := p.PlanPair(&Pair{Origin: Salesforce, Salesforce: sfRecord(Contact, "0031", "D@x.com", map[string]any{"LastName": "Dee"}), Email: "d@x.com"})
	if it.Action != ActionCreate {
		t.Fatalf("action = %s, want create", it.Action)
	}
	if it.ToHubSpot[PropSalesforceContactID] != "0031" || it.ToHubSpot["lastname"] != "Dee" || it.ToHubSpot["email"] != "D@x.com" {
		t.Errorf("ToHubSpot = %v", it.ToHubSpot)
	}
}

func TestPlanLinkedEcho(t *testing.T) {
	p := testPlanner(t, nil)
	hs := hsRecord("1", "a@x.com", map[string]string{"jobtitle": "CEO", PropSalesforceLeadID: "00Q1"})
	sf := sfRecord(Lead, "00Q1", "a@x.com", map[string]any{"Title": "CEO"})
	base := map[string]mapping.Value{"jobtitle": mapping.Text("CEO"), "email": mapping.Text("a@x.com")}
	it := p.PlanPair(&Pair{Origin: HubSpot, HubSpot: hs, Salesforce: sf, Link: &store.Link{ID: 7}, Base: base})

	if it.Action != ActionSkip || it.ReasonCode != ReasonInSync {
		t.Fatalf("item = %s %s %v %v, want skip in_sync", it.Action, it.ReasonCode, it.ToHubSpot, it.ToSalesforce)
	}
}

func TestPlanPropertyValueParksWholeRecord(t *testing.T) {
	p := testPlanner(t, nil)
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'x'
	}
	hs := hsRecord("1", "a@x.com", map[string]string{"jobtitle": string(long), "firstname": "Ann", PropSalesforceLeadID: "00Q1"})
	sf := sfRecord(Lead, "00Q1", "a@x.com", map[string]any{"Title": nil, "FirstName": nil})
	it := p.PlanPair(&Pair{Origin: HubSpot, HubSpot: hs, Salesforce: sf, Link: &store.Link{ID: 7}})

	if it.Action != ActionPark {
		t.Fatalf("action = %s, want park", it.Action)
	}
	if it.Failure.Code != mapping.CodeTooLong {
		t.Errorf("code = %s, want %s", it.Failure.Code, mapping.CodeTooLong)
	}
	if it.ToSalesforce != nil {
		t.Errorf("parked item writes %v", it.ToSalesforce)
	}
}
