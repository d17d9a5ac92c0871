package hubspot_test

import (
	"testing"

	"github.com/koppel-sync/koppel/internal/hubspot"
)

func TestAddPropertyOptions(t *testing.T) {
	e := setup(t)
	_, err := e.client.CreateProperty(e.ctx, hubspot.Contacts, hubspot.Property{
		Name: "sf_lead_source", Label: "Salesforce lead source", Type: "enumeration", FieldType: "select", GroupName: "contactinformation",
		Options: []hubspot.PropertyOption{{Label: "Web", Value: "Web", DisplayOrder: 0}},
	})
	if err != nil {
		t.Fatalf("create property: %v", err)
	}
	if _, err := e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "a@example.com", "sf_lead_source": "Partner"}); asError(t, err).Code != "INVALID_OPTION" {
		t.Fatalf("value before the option exists: %v, want INVALID_OPTION", err)
	}

	got, err := e.client.AddPropertyOptions(e.ctx, hubspot.Contacts, "sf_lead_source",
		hubspot.PropertyOption{Label: "Web", Value: "Web"},
		hubspot.PropertyOption{Label: "Partner", Value: "Partner"})
	if err != nil {
		t.Fatalf("add options: %v", err)
	}
	var values []string
	for _, o := range got.Options {
		values = append(values, o.Value)
	}
	if len(values) != 2 || values[0] != "Web" || values[1] != "Partner" {
		t.Errorf("options = %v, want [Web Partner]", values)
	}
	if got.Options[1].DisplayOrder != 1 {
		t.Errorf("new option displayOrder = %d, want 1 after the existing one", got.Options[1].DisplayOrder)
	}
	if _, err := e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "b@example.com", "sf_lead_source": "Partner"}); err != nil {
		t.Errorf("value of the added option: %v", err)
	}

	calls := e.emu.Calls().Total
	if _, err := e.client.AddPropertyOptions(e.ctx, hubspot.Contacts, "sf_lead_source", hubspot.PropertyOption{Label: "Partner", Value: "Partner"}); err != nil {
		t.Fatalf("add existing option: %v", err)
	}
	if n := e.emu.Calls().Total - calls; n != 1 {
		t.Errorf("adding an existing option made %d calls, want 1 read and no update", n)
	}
}

func TestAddPropertyOptionsNotEnumeration(t *testing.T) {
	e := setup(t)
	if _, err := e.client.AddPropertyOptions(e.ctx, hubspot.Contacts, "firstname", hubspot.PropertyOption{Label: "X", Value: "x"}); err == nil {
		t.Error("adding options to a string property succeeded, want an error")
	}
}

func TestUpdatePropertyRejectsDuplicateOptions(t *testing.T) {
	e := setup(t)
	_, err := e.client.CreateProperty(e.ctx, hubspot.Contacts, hubspot.Property{
		Name: "tier", Label: "Tier", Type: "enumeration", FieldType: "select", GroupName: "contactinformation",
		Options: []hubspot.PropertyOption{{Label: "Gold", Value: "gold"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.UpdateProperty(e.ctx, hubspot.Contacts, "tier", hubspot.PropertyUpdate{
		Options: []hubspot.PropertyOption{{Label: "Gold", Value: "gold"}, {Label: "Gold again", Value: "gold"}},
	})
	if he := asError(t, err); he.Category != "VALIDATION_ERROR" {
		t.Errorf("category = %s, want VALIDATION_ERROR", he.Category)
	}
}
