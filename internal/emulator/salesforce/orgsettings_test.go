package salesforce

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// createCode creates a record of object through the REST API and returns
// the error code, or "" on success.
func (env *testEnv) createCode(t *testing.T, object string, fields map[string]any) string {
	t.Helper()
	body, err := json.Marshal(fields)
	if err != nil {
		t.Fatal(err)
	}
	status, resp := env.call(t, "POST", v+"/sobjects/"+object, string(body))
	if status == 201 {
		return ""
	}
	return errorCode(t, resp)
}

func TestMultipicklistValues(t *testing.T) {
	seed := &Seed{Config: Config{CustomFields: []CustomField{
		{Object: "Lead", Name: "Topics__c", Type: "multipicklist", PicklistValues: []string{"a", "b", "c"}, RestrictedPicklist: true},
		{Object: "Lead", Name: "Tags__c", Type: "multipicklist", PicklistValues: []string{"x"}},
	}}}
	env := setup(t, seed)
	cases := []struct {
		name     string
		field    string
		value    string
		wantCode string
		want     string
	}{
		{"two known values", "Topics__c", "a;b", "", "a;b"},
		{"picklist spelling, blanks and repeats", "Topics__c", " B ;;c;b", "", "b;c"},
		{"unknown value in restricted", "Topics__c", "a;z", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ""},
		{"unknown value in unrestricted", "Tags__c", "x;y", "", "x;y"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := env.emu.Create("Lead", map[string]any{"LastName": "M", "Company": "C", tc.field: tc.value})
			var se *Error
			if tc.wantCode != "" {
				if !errors.As(err, &se) || se.Code != tc.wantCode {
					t.Fatalf("create error = %v, want %s", err, tc.wantCode)
				}
				if len(se.Fields) != 1 || se.Fields[0] != tc.field {
					t.Errorf("error fields = %v, want [%s]", se.Fields, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			got, err := env.emu.Get(id)
			if err != nil {
				t.Fatal(err)
			}
			if got[tc.field] != tc.want {
				t.Errorf("%s = %v, want %q", tc.field, got[tc.field], tc.want)
			}
		})
	}

	status, body := env.call(t, "GET", v+"/sobjects/Lead/describe", "")
	if status != 200 {
		t.Fatalf("describe: %d %s", status, body)
	}
	f := describedField(t, body, "Topics__c")
	if f["type"] != "multipicklist" || f["restrictedPicklist"] != true {
		t.Errorf("describe of Topics__c = type %v, restrictedPicklist %v; want multipicklist, true", f["type"], f["restrictedPicklist"])
	}
}

func TestMultipicklistNeedsValues(t *testing.T) {
	_, err := New(&Seed{Config: Config{CustomFields: []CustomField{{Object: "Lead", Name: "Topics__c", Type: "multipicklist"}}}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "picklist_values") {
		t.Errorf("error = %v, want one naming picklist_values", err)
	}
}

// describedField returns one field of a describe body.
func describedField(t *testing.T, body, name string) map[string]any {
	t.Helper()
	var d struct {
		Fields []map[string]any `json:"fields"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	for _, f := range d.Fields {
		if f["name"] == name {
			return f
		}
	}
	t.Fatalf("describe has no field %s", name)
	return nil
}

func TestStateCountryPicklists(t *testing.T) {
	env := setup(t, &Seed{Config: Config{StateCountryPicklists: true}})
	cases := []struct {
		name      string
		object    string
		fields    map[string]any
		wantCode  string
		wantField string
	}{
		{"state code with country code", "Lead", map[string]any{"State": "CA", "Country": "US"}, "", ""},
		{"state and country names", "Lead", map[string]any{"State": "california", "Country": "United States"}, "", ""},
		{"country without state", "Lead", map[string]any{"Country": "NL"}, "", ""},
		{"unknown state text", "Lead", map[string]any{"State": "Calif.", "Country": "US"}, "FIELD_INTEGRITY_EXCEPTION", "State"},
		{"state without country", "Lead", map[string]any{"State": "CA"}, "FIELD_INTEGRITY_EXCEPTION", "State"},
		{"unknown country", "Lead", map[string]any{"Country": "Holland"}, "FIELD_INTEGRITY_EXCEPTION", "Country"},
		{"state of another country", "Lead", map[string]any{"State": "CA", "Country": "NL"}, "FIELD_INTEGRITY_EXCEPTION", "State"},
		{"contact mailing state without country", "Contact", map[string]any{"MailingState": "NY"}, "FIELD_INTEGRITY_EXCEPTION", "MailingState"},
		{"contact mailing state with country", "Contact", map[string]any{"MailingState": "NY", "MailingCountry": "US"}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fields := map[string]any{"LastName": "S", "Company": "C"}
			if tc.object == "Contact" {
				delete(fields, "Company")
			}
			for k, v := range tc.fields {
				fields[k] = v
			}
			_, err := env.emu.Create(tc.object, fields)
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("create: %v", err)
				}
				return
			}
			var se *Error
			if !errors.As(err, &se) || se.Code != tc.wantCode {
				t.Fatalf("create error = %v, want %s", err, tc.wantCode)
			}
			if len(se.Fields) != 1 || se.Fields[0] != tc.wantField {
				t.Errorf("error fields = %v, want [%s]", se.Fields, tc.wantField)
			}
		})
	}

	if code := env.createCode(t, "Lead", map[string]any{"LastName": "A", "Company": "C", "State": "TX"}); code != "FIELD_INTEGRITY_EXCEPTION" {
		t.Errorf("API create of a state without country = %q, want FIELD_INTEGRITY_EXCEPTION", code)
	}
}

func TestStateTextFreeWithoutPicklists(t *testing.T) {
	env := setup(t, nil)
	if _, err := env.emu.Create("Lead", map[string]any{"LastName": "S", "Company": "C", "State": "Calif."}); err != nil {
		t.Errorf("create with free state text and picklists off: %v", err)
	}
}

func TestReadOnlyFieldForAPIUser(t *testing.T) {
	env := setup(t, &Seed{Config: Config{ReadOnlyFields: []string{"Lead.Title"}}})

	status, body := env.call(t, "POST", v+"/sobjects/Lead", `{"LastName":"R","Company":"C","Title":"Boss"}`)
	if status != 400 || errorCode(t, body) != "INVALID_FIELD_FOR_INSERT_UPDATE" || !strings.Contains(body, `"fields":["Title"]`) {
		t.Errorf("API create with Title = %d %s, want 400 INVALID_FIELD_FOR_INSERT_UPDATE naming Title", status, body)
	}

	id, err := env.emu.Create("Lead", map[string]any{"LastName": "R", "Company": "C", "Title": "Admin set"})
	if err != nil {
		t.Fatalf("admin create with a field read-only for the API user: %v", err)
	}
	status, body = env.call(t, "PATCH", v+"/sobjects/Lead/"+id, `{"Title":"Boss"}`)
	if status != 400 || errorCode(t, body) != "INVALID_FIELD_FOR_INSERT_UPDATE" {
		t.Errorf("API update of Title = %d %s, want 400 INVALID_FIELD_FOR_INSERT_UPDATE", status, body)
	}
	status, body = env.call(t, "PATCH", v+"/composite/sobjects", `{"records":[{"attributes":{"type":"Lead"},"Id":"`+id+`","Title":"Boss"}]}`)
	if status != 200 || !strings.Contains(body, `"statusCode":"INVALID_FIELD_FOR_INSERT_UPDATE"`) {
		t.Errorf("collection update of Title = %d %s, want INVALID_FIELD_FOR_INSERT_UPDATE", status, body)
	}
	if status, body := env.call(t, "PATCH", v+"/sobjects/Lead/"+id, `{"FirstName":"Rita"}`); status != 204 {
		t.Errorf("API update of an editable field = %d %s, want 204", status, body)
	}

	_, body = env.call(t, "GET", v+"/sobjects/Lead/describe", "")
	f := describedField(t, body, "Title")
	if f["createable"] != false || f["updateable"] != false {
		t.Errorf("describe of Title = createable %v, updateable %v; want false, false", f["createable"], f["updateable"])
	}
	if f := describedField(t, body, "FirstName"); f["updateable"] != true {
		t.Errorf("describe of FirstName updateable = %v, want true", f["updateable"])
	}
}

func TestReadOnlyFieldsValidated(t *testing.T) {
	cases := []struct {
		name  string
		field string
		want  string
	}{
		{"no object", "Title", "Object.Field"},
		{"unknown object", "Deal.Title", "unknown object"},
		{"unknown field", "Lead.Nope", "no field"},
		{"required field", "Lead.LastName", "required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(&Seed{Config: Config{ReadOnlyFields: []string{tc.field}}}, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestDuplicateRuleOnMatchFields(t *testing.T) {
	seed, err := ParseSeed([]byte(`{"config": {"duplicate_rules": {
		"Lead": {"match_fields": ["FirstName", "LastName", "Company"]},
		"Contact": true}}}`))
	if err != nil {
		t.Fatalf("parse seed: %v", err)
	}
	env := setup(t, seed)
	if _, err := env.emu.Create("Lead", map[string]any{"FirstName": "Anna", "LastName": "Jansen", "Company": "Acme", "Email": "a@x.nl"}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		object   string
		fields   map[string]any
		wantCode string
	}{
		{"same name and company", "Lead", map[string]any{"FirstName": "anna", "LastName": "JANSEN", "Company": "Acme", "Email": "b@x.nl"}, "DUPLICATES_DETECTED"},
		{"other company", "Lead", map[string]any{"FirstName": "Anna", "LastName": "Jansen", "Company": "Other"}, ""},
		{"blank first name", "Lead", map[string]any{"LastName": "Jansen", "Company": "Acme"}, ""},
		{"same email only", "Lead", map[string]any{"FirstName": "Piet", "LastName": "Bos", "Company": "Acme", "Email": "a@x.nl"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := env.createCode(t, tc.object, tc.fields); got != tc.wantCode {
				t.Errorf("create = %q, want %q", got, tc.wantCode)
			}
		})
	}

	// The email form keeps working next to a rule with match fields.
	if got := env.createCode(t, "Contact", map[string]any{"LastName": "C", "Email": "c@x.nl"}); got != "" {
		t.Fatalf("first contact = %q", got)
	}
	if got := env.createCode(t, "Contact", map[string]any{"LastName": "D", "Email": "C@x.nl"}); got != "DUPLICATES_DETECTED" {
		t.Errorf("contact with the same email = %q, want DUPLICATES_DETECTED", got)
	}
}

func TestDuplicateRuleSeedRoundTrip(t *testing.T) {
	in := Seed{Config: Config{
		DuplicateRules:      map[string]bool{"Lead": true, "Contact": true, "Account": false},
		DuplicateRuleFields: map[string][]string{"Lead": {"LastName", "Company"}},
	}}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ParseSeed(data)
	if err != nil {
		t.Fatalf("parse %s: %v", data, err)
	}
	if got := out.Config.DuplicateRules; len(got) != 3 || !got["Lead"] || !got["Contact"] || got["Account"] {
		t.Errorf("duplicate rules = %v, want Lead and Contact on, Account off", got)
	}
	if got := out.Config.DuplicateRuleFields["Lead"]; strings.Join(got, ",") != "LastName,Company" {
		t.Errorf("Lead match fields = %v, want [LastName Company]", got)
	}
}

func TestDuplicateRuleSeedErrors(t *testing.T) {
	cases := []struct {
		name string
		seed string
		want string
	}{
		{"unknown key in rule", `{"config":{"duplicate_rules":{"Lead":{"fields":["Email"]}}}}`, "match_fields"},
		{"empty match fields", `{"config":{"duplicate_rules":{"Lead":{"match_fields":[]}}}}`, "at least one field"},
		{"unknown config key", `{"config":{"duplicate_rule":{"Lead":true}}}`, "unknown field"},
		{"unknown match field", `{"config":{"duplicate_rules":{"Lead":{"match_fields":["Nope"]}}}}`, "unknown match field"},
		{"object without rules", `{"config":{"duplicate_rules":{"User":true}}}`, "only Lead, Contact and Account"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seed, err := ParseSeed([]byte(tc.seed))
			if err == nil {
				_, err = New(seed, Options{})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
