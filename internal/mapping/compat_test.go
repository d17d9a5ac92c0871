package mapping

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckCompatibleAllowsDocumentedPairs(t *testing.T) {
	hs := map[string]HubSpotProperty{
		"select":          {Name: "p", Type: "enumeration", FieldType: "select"},
		"radio":           {Name: "p", Type: "enumeration", FieldType: "radio"},
		"checkbox":        {Name: "p", Type: "enumeration", FieldType: "checkbox"},
		"booleancheckbox": {Name: "p", Type: "bool", FieldType: "booleancheckbox"},
		"number":          {Name: "p", Type: "number", FieldType: "number"},
		"text":            {Name: "p", Type: "string", FieldType: "text"},
		"textarea":        {Name: "p", Type: "string", FieldType: "textarea"},
		"date":            {Name: "p", Type: "date", FieldType: "date"},
		"datetime":        {Name: "p", Type: "datetime", FieldType: "date"},
		"phonenumber":     {Name: "p", Type: "phone_number", FieldType: "phonenumber"},
		"calculation":     {Name: "p", Type: "number", FieldType: "calculation_equation", ReadOnly: true},
	}
	pairs := []struct{ hs, sf string }{
		{"select", "picklist"}, {"select", "reference"}, {"radio", "picklist"}, {"radio", "reference"},
		{"checkbox", "multipicklist"},
		{"booleancheckbox", "boolean"},
		{"number", "double"}, {"number", "int"}, {"number", "currency"}, {"number", "percent"},
		{"text", "string"}, {"text", "textarea"}, {"text", "email"}, {"text", "phone"}, {"text", "url"},
		{"textarea", "textarea"},
		{"date", "date"}, {"date", "datetime"},
		{"datetime", "datetime"},
		{"phonenumber", "phone"},
		{"calculation", "double"},
	}
	for _, p := range pairs {
		t.Run(p.hs+" to "+p.sf, func(t *testing.T) {
			f := SalesforceField{Object: "Lead", Name: "F__c", Type: p.sf}
			if err := CheckCompatible(hs[p.hs], f); err != nil {
				t.Errorf("CheckCompatible: %v", err)
			}
		})
	}
}

func TestCheckCompatibleRejects(t *testing.T) {
	tests := []struct {
		name string
		hs   HubSpotProperty
		sf   string
		code string
	}{
		{"number to string", HubSpotProperty{Name: "score", Type: "number", FieldType: "number"}, "string", CodeIncompatibleTypes},
		{"text to int", HubSpotProperty{Name: "score", Type: "string", FieldType: "text"}, "int", CodeIncompatibleTypes},
		{"single-line text to picklist", HubSpotProperty{Name: "tier", Type: "string", FieldType: "text"}, "picklist", CodeIncompatibleTypes},
		{"multi-line text to string", HubSpotProperty{Name: "notes", Type: "string", FieldType: "textarea"}, "string", CodeIncompatibleTypes},
		{"dropdown to multipicklist", HubSpotProperty{Name: "tier", Type: "enumeration", FieldType: "select"}, "multipicklist", CodeIncompatibleTypes},
		{"checkboxes to picklist", HubSpotProperty{Name: "tags", Type: "enumeration", FieldType: "checkbox"}, "picklist", CodeIncompatibleTypes},
		{"single checkbox to string", HubSpotProperty{Name: "vip", Type: "bool", FieldType: "booleancheckbox"}, "string", CodeIncompatibleTypes},
		{"date to string", HubSpotProperty{Name: "d", Type: "date", FieldType: "date"}, "string", CodeIncompatibleTypes},
		{"datetime to date", HubSpotProperty{Name: "d", Type: "datetime", FieldType: "date"}, "date", CodeIncompatibleTypes},
		{"number to phone", HubSpotProperty{Name: "n", Type: "number", FieldType: "number"}, "phone", CodeIncompatibleTypes},
		{"text to address", HubSpotProperty{Name: "a", Type: "string", FieldType: "text"}, "address", CodeIncompatibleTypes},
		{"html", HubSpotProperty{Name: "h", Type: "string", FieldType: "html"}, "textarea", CodeIncompatibleTypes},
		{"file", HubSpotProperty{Name: "f", Type: "string", FieldType: "file"}, "string", CodeIncompatibleTypes},
		{"HubSpot user property", HubSpotProperty{Name: "account_manager", Type: "enumeration", FieldType: "select", IsUserType: true, ReferencedObject: "OWNER"}, "reference", CodeUserProperty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := SalesforceField{Object: "Lead", Name: "Target__c", Type: tt.sf}
			err := CheckCompatible(tt.hs, f)
			var me *MappingError
			if !errors.As(err, &me) {
				t.Fatalf("CheckCompatible = %v, want a MappingError", err)
			}
			if me.Code != tt.code {
				t.Errorf("code = %s, want %s", me.Code, tt.code)
			}
			for _, part := range []string{tt.hs.Name, "Lead.Target__c"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("message %q does not name %q", err, part)
				}
			}
		})
	}
}
