package mapping

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func loadDescribe(t *testing.T, file string) map[string]SalesforceField {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	fields, err := SalesforceFieldsFromDescribe(data)
	if err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	return fields
}

func describes(t *testing.T) map[string]map[string]SalesforceField {
	return map[string]map[string]SalesforceField{
		ObjectLead:    loadDescribe(t, "lead-describe.json"),
		ObjectContact: loadDescribe(t, "contact-describe.json"),
		ObjectAccount: loadDescribe(t, "account-describe.json"),
	}
}

func TestSalesforceFieldsFromDescribe(t *testing.T) {
	d := describes(t)

	status := d[ObjectLead]["Status"]
	if status.Object != "Lead" || status.Type != "picklist" || status.Nillable {
		t.Errorf("Lead.Status = %+v, want a non-nillable Lead picklist", status)
	}
	if want := []string{"Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"}; !slices.Equal(status.Picklist, want) {
		t.Errorf("Lead.Status picklist = %q, want %q", status.Picklist, want)
	}
	if !status.Writable() {
		t.Error("a trimmed describe without createable should count as writable")
	}

	owner := d[ObjectLead]["OwnerId"]
	if !slices.Equal(owner.ReferenceTo, []string{"Group", "User"}) {
		t.Errorf("Lead.OwnerId referenceTo = %q, want [Group User]", owner.ReferenceTo)
	}

	revenue := d[ObjectAccount]["AnnualRevenue"]
	if revenue.Type != "currency" || revenue.Precision != 18 || revenue.Scale != 0 {
		t.Errorf("Account.AnnualRevenue = %+v, want currency 18,0", revenue)
	}
	name := d[ObjectAccount]["Name"]
	if name.Length != 255 || name.Nillable || !name.Createable {
		t.Errorf("Account.Name = %+v, want a required createable string of 255", name)
	}
	if id := d[ObjectAccount]["Id"]; id.Createable || id.Updateable || id.Writable() {
		t.Errorf("Account.Id = %+v, want read-only", id)
	}
}

func TestSalesforceFieldFromJSONRejectsBadInput(t *testing.T) {
	for _, in := range []string{`{`, `{"type":"string"}`, `{"name":"X"}`, `[]`} {
		if f, err := SalesforceFieldFromJSON("Lead", []byte(in)); err == nil {
			t.Errorf("SalesforceFieldFromJSON(%s) = %+v, want an error", in, f)
		}
	}
	if _, err := SalesforceFieldsFromDescribe([]byte(`{"fields":[]}`)); err == nil {
		t.Error("describe without object name accepted")
	}
}

// TestDefaultMappingsMatchDescribe checks every default mapping's API
// name and type against real describe data, and for Account, whose
// describe is complete, the lengths and number bounds too.
func TestDefaultMappingsMatchDescribe(t *testing.T) {
	d := describes(t)
	for _, m := range append(DefaultContactMappings(), DefaultCompanyMappings()...) {
		for _, want := range m.Salesforce {
			t.Run(m.ID+"/"+want.Object+"."+want.Name, func(t *testing.T) {
				got, ok := d[want.Object][want.Name]
				if !ok && want.Name == "HasOptedOutOfEmail" {
					t.Skip("the trimmed Lead and Contact describes lack HasOptedOutOfEmail, a standard boolean of both objects in Salesforce's Object Reference")
				}
				if !ok {
					t.Fatalf("%s has no field %s", want.Object, want.Name)
				}
				if got.Type != want.Type {
					t.Errorf("type = %s, want %s", want.Type, got.Type)
				}
				if got.Nillable != want.Nillable {
					t.Errorf("nillable = %v in the default, %v in the describe", want.Nillable, got.Nillable)
				}
				if want.Object != ObjectAccount {
					return
				}
				if got.Length != want.Length || got.Precision != want.Precision || got.Scale != want.Scale || got.Digits != want.Digits {
					t.Errorf("length/precision/scale/digits = %d/%d/%d/%d in the default, %d/%d/%d/%d in the describe",
						want.Length, want.Precision, want.Scale, want.Digits, got.Length, got.Precision, got.Scale, got.Digits)
				}
			})
		}
	}
}

func TestHubSpotPropertyFromJSON(t *testing.T) {
	lifecycle := `{"name": "lifecyclestage", "label": "Lifecycle Stage", "type": "enumeration", "fieldType": "radio",
		"options": [{"label": "Lead", "value": "lead", "displayOrder": 2, "hidden": false},
		            {"label": "Old", "value": "old", "hidden": true}],
		"calculated": false, "hubspotDefined": true,
		"modificationMetadata": {"archivable": false, "readOnlyDefinition": true, "readOnlyValue": false}}`
	p, err := HubSpotPropertyFromJSON([]byte(lifecycle))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "lifecyclestage" || p.Type != "enumeration" || p.FieldType != "radio" || p.ReadOnly || !p.HubSpotDefined {
		t.Errorf("property = %+v", p)
	}
	if !slices.Equal(p.Options, []string{"lead", "old"}) {
		t.Errorf("options = %q, want internal values including hidden ones", p.Options)
	}

	owner := `{"name": "hubspot_owner_id", "type": "enumeration", "fieldType": "select", "referencedObjectType": "OWNER"}`
	p, err = HubSpotPropertyFromJSON([]byte(owner))
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsUserType {
		t.Error("owner property not marked as a user property")
	}

	optout := `{"name": "hs_email_optout", "type": "bool", "fieldType": "booleancheckbox", "modificationMetadata": {"readOnlyValue": true}}`
	if p, _ = HubSpotPropertyFromJSON([]byte(optout)); !p.ReadOnly {
		t.Error("readOnlyValue not read")
	}

	for _, in := range []string{`{`, `{"type":"string"}`} {
		if _, err := HubSpotPropertyFromJSON([]byte(in)); err == nil {
			t.Errorf("HubSpotPropertyFromJSON(%s) succeeded, want an error", in)
		}
	}
}
