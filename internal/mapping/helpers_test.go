package mapping

import (
	"testing"
	"time"
)

func num(t testing.TB, s string) Value {
	t.Helper()
	v, err := Number(s)
	if err != nil {
		t.Fatalf("Number(%q): %v", s, err)
	}
	return v
}

func date(y int, m time.Month, d int) Value {
	return DateValue(Date{Year: y, Month: m, Day: d})
}

func instant(t testing.TB, s string) Value {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return DateTime(tm)
}

// wantCode checks that err is a PropertyValueError with code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	pve, ok := IsPropertyValueError(err)
	if !ok {
		t.Fatalf("error = %v, want a PropertyValueError with code %s", err, code)
	}
	if pve.Code != code {
		t.Fatalf("code = %s, want %s (error: %v)", pve.Code, code, err)
	}
}

var (
	hsString   = HubSpotProperty{Name: "jobtitle", Type: "string", FieldType: "text"}
	hsNumberP  = HubSpotProperty{Name: "score", Type: "number", FieldType: "number"}
	hsBoolP    = HubSpotProperty{Name: "vip", Type: "bool", FieldType: "booleancheckbox"}
	hsDateP    = HubSpotProperty{Name: "renewal", Type: "date", FieldType: "date"}
	hsDateTime = HubSpotProperty{Name: "last_seen", Type: "datetime", FieldType: "date"}
	hsSelectP  = HubSpotProperty{Name: "tier", Type: "enumeration", FieldType: "select", Options: []string{"Gold", "Silver"}}
	hsChecks   = HubSpotProperty{Name: "interests", Type: "enumeration", FieldType: "checkbox", Options: []string{"a", "b", "c"}}

	sfString     = SalesforceField{Object: "Lead", Name: "Title", Type: "string", Length: 255, Nillable: true, Createable: true, Updateable: true}
	sfTextarea   = SalesforceField{Object: "Lead", Name: "Description", Type: "textarea", Length: 32000, Nillable: true, Createable: true, Updateable: true}
	sfEmail      = SalesforceField{Object: "Lead", Name: "Email", Type: "email", Length: 80, Nillable: true, Createable: true, Updateable: true}
	sfIntF       = SalesforceField{Object: "Lead", Name: "NumberOfEmployees", Type: "int", Digits: 8, Nillable: true, Createable: true, Updateable: true}
	sfDouble     = SalesforceField{Object: "Lead", Name: "Score__c", Type: "double", Precision: 18, Scale: 2, Nillable: true, Createable: true, Updateable: true}
	sfCurrencyF  = SalesforceField{Object: "Lead", Name: "AnnualRevenue", Type: "currency", Precision: 18, Scale: 0, Nillable: true, Createable: true, Updateable: true}
	sfPercent    = SalesforceField{Object: "Lead", Name: "Discount__c", Type: "percent", Precision: 5, Scale: 2, Nillable: true, Createable: true, Updateable: true}
	sfBoolean    = SalesforceField{Object: "Lead", Name: "HasOptedOutOfEmail", Type: "boolean", Createable: true, Updateable: true}
	sfDateF      = SalesforceField{Object: "Lead", Name: "Renewal__c", Type: "date", Nillable: true, Createable: true, Updateable: true}
	sfDateTimeF  = SalesforceField{Object: "Lead", Name: "LastSeen__c", Type: "datetime", Nillable: true, Createable: true, Updateable: true}
	sfRestricted = SalesforceField{Object: "Lead", Name: "Tier__c", Type: "picklist", Length: 255, Nillable: true,
		RestrictedPicklist: true, Picklist: []string{"Gold", "Silver"}}
	sfOpenPick = SalesforceField{Object: "Lead", Name: "Rating", Type: "picklist", Length: 40, Nillable: true,
		Picklist: []string{"Hot", "Warm", "Cold"}}
	sfMulti = SalesforceField{Object: "Lead", Name: "Interests__c", Type: "multipicklist", Length: 4099, Nillable: true,
		RestrictedPicklist: true, Picklist: []string{"a", "b", "c"}}
	sfReference = SalesforceField{Object: "Contact", Name: "AccountId", Type: "reference", Length: 18, Nillable: true,
		ReferenceTo: []string{"Account"}}
	sfRequiredText = SalesforceField{Object: "Lead", Name: "LastName", Type: "string", Length: 80, Createable: true, Updateable: true}
)
