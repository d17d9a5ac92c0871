package hubspot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
)

func TestObjectLifecycle(t *testing.T) {
	e := setup(t)

	created, err := e.client.Create(e.ctx, hubspot.Contacts, map[string]string{
		"email": "ada@example.com", "firstname": "Ada", "lifecyclestage": "lead", "hs_buying_role": "CHAMPION;DECISION_MAKER",
	})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if created.ID == "" || created.Properties["firstname"] != "Ada" {
		t.Fatalf("create returned %+v", created)
	}

	got, err := e.client.Get(e.ctx, hubspot.Contacts, created.ID, hubspot.GetOptions{
		Properties: []string{"email", "hs_buying_role", "lastname"}, PropertiesWithHistory: []string{"firstname"},
	})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.Properties["hs_buying_role"] != "CHAMPION;DECISION_MAKER" {
		t.Errorf("multi-checkbox value = %q, want CHAMPION;DECISION_MAKER", got.Properties["hs_buying_role"])
	}
	if _, ok := got.Properties["lastname"]; ok {
		t.Errorf("lastname has no value but was returned: %q", got.Properties["lastname"])
	}
	if h := got.PropertiesWithHistory["firstname"]; len(h) != 1 || h[0].Value != "Ada" || h[0].SourceType != "INTEGRATION" {
		t.Errorf("firstname history = %+v, want one INTEGRATION entry Ada", h)
	}

	e.clock.Add(1500 * time.Millisecond)
	updated, err := e.client.Update(e.ctx, hubspot.Contacts, created.ID, map[string]string{"firstname": "Ada L.", "lifecyclestage": ""})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if updated.Properties["firstname"] != "Ada L." {
		t.Errorf("updated firstname = %q", updated.Properties["firstname"])
	}
	if _, ok := updated.Properties["lifecyclestage"]; ok {
		t.Errorf("cleared lifecyclestage still returned")
	}

	byEmail, err := e.client.Get(e.ctx, hubspot.Contacts, "ADA@example.com", hubspot.GetOptions{IDProperty: "email"})
	if err != nil || byEmail.ID != created.ID {
		t.Fatalf("get by email = %v, %v; want id %s", byEmail, err, created.ID)
	}

	if err := e.client.Archive(e.ctx, hubspot.Contacts, created.ID); err != nil {
		t.Fatalf("archive: %v", err)
	}
	_, err = e.client.Get(e.ctx, hubspot.Contacts, created.ID, hubspot.GetOptions{})
	if he := asError(t, err); he.Status != 404 || he.Class() != hubspot.ClassDeleted {
		t.Errorf("get archived: status %d class %v, want 404 deleted", he.Status, he.Class())
	}
	archived, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{Archived: true})
	if err != nil {
		t.Fatalf("list archived: %v", err)
	}
	if len(archived.Results) != 1 || !archived.Results[0].Archived || archived.Results[0].ArchivedAt.IsZero() {
		t.Errorf("archived list = %+v, want the archived contact", archived.Results)
	}
}

func TestListPaging(t *testing.T) {
	e := setup(t)
	for i := range 250 {
		mustCreate(t, e, "companies", map[string]string{"name": "Company " + strings.Repeat("x", i%3)})
	}

	seen := map[string]bool{}
	pages := 0
	for o, err := range e.client.ListAll(e.ctx, hubspot.Companies, hubspot.ListOptions{Properties: []string{"name"}}) {
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if seen[o.ID] {
			t.Fatalf("company %s listed twice", o.ID)
		}
		seen[o.ID] = true
	}
	pages = int(e.client.Usage().Calls)
	if len(seen) != 250 {
		t.Errorf("listed %d companies, want 250", len(seen))
	}
	if pages != 3 {
		t.Errorf("made %d calls, want 3 pages of 100", pages)
	}
}

func TestCreateDuplicateEmail(t *testing.T) {
	e := setup(t)
	existing := mustCreate(t, e, "contacts", map[string]string{"email": "dup@example.com"})

	_, err := e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": " DUP@example.com"})
	he := asError(t, err)
	if he.Status != 409 || he.Category != hubspot.CategoryConflict {
		t.Fatalf("status %d category %s, want 409 CONFLICT", he.Status, he.Category)
	}
	if he.ExistingID != existing.ID {
		t.Errorf("ExistingID = %q, want %s", he.ExistingID, existing.ID)
	}
	if he.Class() != hubspot.ClassPark {
		t.Errorf("class = %v, want park", he.Class())
	}
}

func TestValidationErrors(t *testing.T) {
	cases := []struct {
		name       string
		objectType hubspot.ObjectType
		props      map[string]string
		code       string
		property   string
	}{
		{"unknown option", hubspot.Contacts, map[string]string{"lifecyclestage": "prospect"}, "INVALID_OPTION", "lifecyclestage"},
		{"bad multi option", hubspot.Contacts, map[string]string{"hs_buying_role": "CHAMPION;KING"}, "INVALID_OPTION", "hs_buying_role"},
		{"fraction in integer", hubspot.Companies, map[string]string{"numberofemployees": "12.5"}, "INVALID_INTEGER", "numberofemployees"},
		{"text in decimal", hubspot.Companies, map[string]string{"annualrevenue": "lots"}, "INVALID_DECIMAL", "annualrevenue"},
		{"read-only", hubspot.Contacts, map[string]string{"hs_email_optout": "true"}, "READ_ONLY_VALUE", "hs_email_optout"},
		{"unknown property", hubspot.Contacts, map[string]string{"shoe_size": "44"}, "PROPERTY_DOESNT_EXIST", "shoe_size"},
		{"bool", hubspot.Companies, map[string]string{"is_public": "yes"}, "INVALID_OPTION", "is_public"},
		{"read-only datetime", hubspot.Contacts, map[string]string{"hs_lifecyclestage_lead_date": "x"}, "READ_ONLY_VALUE", "hs_lifecyclestage_lead_date"},
	}
	e := setup(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.Create(e.ctx, tc.objectType, tc.props)
			he := asError(t, err)
			if he.Status != 400 || he.Category != hubspot.CategoryValidation {
				t.Fatalf("status %d category %s, want 400 VALIDATION_ERROR", he.Status, he.Category)
			}
			if he.Code != tc.code {
				t.Errorf("code = %s, want %s", he.Code, tc.code)
			}
			if he.Property != tc.property {
				t.Errorf("property = %s, want %s", he.Property, tc.property)
			}
			if he.CorrelationID == "" {
				t.Error("missing correlation id")
			}
			if he.Class() != hubspot.ClassPark {
				t.Errorf("class = %v, want park", he.Class())
			}
		})
	}
}

func TestDateValuesAtMidnight(t *testing.T) {
	e := setup(t)
	_, err := e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "d@example.com", "closedate": "2025-01-31T10:11:12Z"})
	if err != nil {
		t.Fatalf("datetime create: %v", err)
	}

	created, err := e.client.CreateProperty(e.ctx, hubspot.Contacts, hubspot.Property{
		Name: "renewal_date", Label: "Renewal date", Type: "date", FieldType: "date", GroupName: "contactinformation",
	})
	if err != nil || created.Type != "date" {
		t.Fatalf("create date property: %v %+v", err, created)
	}
	ok, err := e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "e@example.com", "renewal_date": "1738281600000"})
	if err != nil {
		t.Fatalf("date at midnight: %v", err)
	}
	got, err := e.client.Get(e.ctx, hubspot.Contacts, ok.ID, hubspot.GetOptions{Properties: []string{"renewal_date"}})
	if err != nil || got.Properties["renewal_date"] != "2025-01-31" {
		t.Fatalf("renewal_date = %q (%v), want 2025-01-31", got.Properties["renewal_date"], err)
	}

	_, err = e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "f@example.com", "renewal_date": "1738285200000"})
	if he := asError(t, err); he.Code != "INVALID_DATE" || he.Property != "renewal_date" {
		t.Errorf("date not at midnight: code %s property %s, want INVALID_DATE renewal_date", he.Code, he.Property)
	}
}

func TestMergeKeepsOldID(t *testing.T) {
	e := setup(t)
	primary := mustCreate(t, e, "contacts", map[string]string{"email": "p@example.com", "firstname": "Pia"})
	other := mustCreate(t, e, "contacts", map[string]string{"email": "o@example.com", "lastname": "Other"})

	merged, err := e.client.Merge(e.ctx, hubspot.Contacts, primary.ID, other.ID)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	if merged.ID != primary.ID {
		t.Errorf("merged id = %s, want primary %s", merged.ID, primary.ID)
	}
	got, err := e.client.Get(e.ctx, hubspot.Contacts, other.ID, hubspot.GetOptions{Properties: []string{"hs_merged_object_ids", "lastname", "hs_additional_emails"}})
	if err != nil {
		t.Fatalf("get old id: %v", err)
	}
	if got.ID != primary.ID {
		t.Errorf("old id resolved to %s, want %s", got.ID, primary.ID)
	}
	if got.Properties["hs_merged_object_ids"] != other.ID {
		t.Errorf("hs_merged_object_ids = %q, want %s", got.Properties["hs_merged_object_ids"], other.ID)
	}
	if got.Properties["lastname"] != "Other" {
		t.Errorf("lastname = %q, want the merged record's value", got.Properties["lastname"])
	}
	if got.Properties["hs_additional_emails"] != "o@example.com" {
		t.Errorf("hs_additional_emails = %q", got.Properties["hs_additional_emails"])
	}

	_, err = e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "o@example.com"})
	if he := asError(t, err); he.Status != 409 || he.ExistingID != primary.ID {
		t.Errorf("create with the merged email: status %d existing %q, want 409 naming %s", he.Status, he.ExistingID, primary.ID)
	}

	results, err := e.client.BatchUpdate(e.ctx, hubspot.Contacts, []hubspot.BatchInput{{ID: other.ID, Properties: map[string]string{"firstname": "X"}}})
	if err != nil {
		t.Fatalf("batch update: %v", err)
	}
	if results[0].Err == nil || results[0].Err.Class() != hubspot.ClassDeleted {
		t.Errorf("batch update by merged id = %+v, want not found", results[0])
	}
}
