package mapping

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func wantMappingError(t *testing.T, err error, code string, mentions ...string) {
	t.Helper()
	var me *MappingError
	if !errors.As(err, &me) {
		t.Fatalf("error = %v, want a MappingError with code %s", err, code)
	}
	if me.Code != code {
		t.Errorf("code = %s, want %s (%v)", me.Code, code, err)
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("message %q does not mention %q", err, m)
		}
	}
}

func TestDefaultContactMappingsCoverTheConnectorList(t *testing.T) {
	s := NewContactSet()
	want := map[string]struct{ lead, contact string }{
		"firstname":                   {"FirstName", "FirstName"},
		"lastname":                    {"LastName", "LastName"},
		"email":                       {"Email", "Email"},
		"jobtitle":                    {"Title", "Title"},
		"phone":                       {"Phone", "Phone"},
		"fax":                         {"Fax", "Fax"},
		"salutation":                  {"Salutation", "Salutation"},
		"leadsource":                  {"LeadSource", "LeadSource"},
		"salesforceleadstatus":        {"Status", ""},
		"rating":                      {"Rating", ""},
		"industry":                    {"Industry", ""},
		"annualrevenue":               {"AnnualRevenue", ""},
		"salesforcenumberofemployees": {"NumberOfEmployees", ""},
		"website":                     {"Website", ""},
		"company":                     {"Company", ""},
		"description":                 {"Description", "Description"},
		"address":                     {"Street", "MailingStreet"},
		"city":                        {"City", "MailingCity"},
		"state":                       {"State", "MailingState"},
		"zip":                         {"PostalCode", "MailingPostalCode"},
		"country":                     {"Country", "MailingCountry"},
		"hubspot_owner_id":            {"OwnerId", "OwnerId"},
		"salesforceaccountid":         {"", "AccountId"},
		"hs_email_optout":             {"HasOptedOutOfEmail", "HasOptedOutOfEmail"},
	}
	if got := len(s.All()); got != len(want) {
		t.Errorf("%d default contact mappings, want %d", got, len(want))
	}
	for name, fields := range want {
		m, ok := s.ByHubSpot(name)
		if !ok {
			t.Errorf("no default mapping of %s", name)
			continue
		}
		if !m.Default {
			t.Errorf("%s is not marked default", name)
		}
		for object, api := range map[string]string{ObjectLead: fields.lead, ObjectContact: fields.contact} {
			f, ok := m.Field(object)
			if api == "" {
				if ok {
					t.Errorf("%s maps to %s.%s, want no %s field", name, object, f.Name, object)
				}
				continue
			}
			if !ok || f.Name != api {
				t.Errorf("%s maps to %s.%q, want %s", name, object, f.Name, api)
			}
		}
	}
}

func TestDefaultRules(t *testing.T) {
	for _, m := range append(DefaultContactMappings(), DefaultCompanyMappings()...) {
		want := PreferSalesforceUnlessBlank
		switch m.Kind {
		case KindAccountID:
			want = AlwaysSalesforce
		case KindOptOut:
			want = TwoWay
		}
		if m.Rule != want {
			t.Errorf("%s: default rule %s, want %s", m.ID, m.Rule, want)
		}
	}
}

// TestDefaultMappingsPassTypeCheck lists the defaults that pair types
// outside HubSpot's table of allowed pairs, so a new exception is a
// conscious choice.
func TestDefaultMappingsPassTypeCheck(t *testing.T) {
	exempt := map[string]string{
		"contact.salutation":          "HubSpot text to Salesforce picklist",
		"contact.industry":            "HubSpot text to Salesforce picklist",
		"contact.annualrevenue":       "HubSpot text to Salesforce currency",
		"contact.description":         "HubSpot multi-line text is fine; listed for its Lead and Contact sides",
		"contact.salesforceaccountid": "HubSpot text to Salesforce reference",
		"contact.hubspot_owner_id":    "the owner is a HubSpot user property, mapped through owner matching",
		"company.hubspot_owner_id":    "the owner is a HubSpot user property, mapped through owner matching",
	}
	for _, m := range append(DefaultContactMappings(), DefaultCompanyMappings()...) {
		var failed []string
		for _, f := range m.Salesforce {
			if err := CheckCompatible(m.HubSpot, f); err != nil {
				failed = append(failed, err.Error())
			}
		}
		_, isExempt := exempt[m.ID]
		if len(failed) > 0 && !isExempt {
			t.Errorf("%s fails the type check: %s", m.ID, strings.Join(failed, "; "))
		}
		if len(failed) == 0 && isExempt && m.ID != "contact.description" {
			t.Errorf("%s passes the type check; remove it from the exemptions", m.ID)
		}
	}
}

func TestSetRejectsSecondMappingOfProperty(t *testing.T) {
	s := NewContactSet()
	m := Mapping{ID: "custom.jobtitle", HubSpot: hsText("jobtitle", "Job Title"),
		Salesforce: []SalesforceField{sfText(ObjectLead, "Job__c", "Job", "string", 80)}, Rule: PreferSalesforceUnlessBlank}
	wantMappingError(t, s.Add(m), CodeAlreadyMapped, "jobtitle", "Lead.Job__c", "Lead.Title")
}

func TestSetRejectsSecondMappingOfField(t *testing.T) {
	s := NewContactSet()
	m := Mapping{ID: "custom.role", HubSpot: hsText("role", "Role"),
		Salesforce: []SalesforceField{sfText(ObjectContact, "Title", "Title", "string", 128)}, Rule: PreferSalesforceUnlessBlank}
	wantMappingError(t, s.Add(m), CodeAlreadyMapped, "role", "Contact.Title", "jobtitle")
}

func TestSetAddCustom(t *testing.T) {
	region := func(object string) SalesforceField {
		return SalesforceField{Object: object, Name: "Region__c", Type: "picklist", Length: 255, Nillable: true,
			Createable: true, Updateable: true, Picklist: []string{"EMEA", "APAC"}}
	}
	d := describes(t)
	d[ObjectLead]["Region__c"] = region(ObjectLead)
	d[ObjectContact]["Region__c"] = region(ObjectContact)
	d[ObjectLead]["Budget__c"] = SalesforceField{Name: "Budget__c", Type: "currency", Precision: 18, Scale: 2, Nillable: true, Createable: true, Updateable: true}
	hsRegion := HubSpotProperty{Name: "region", Type: "enumeration", FieldType: "select", Options: []string{"EMEA", "APAC"}}
	hsBudget := HubSpotProperty{Name: "budget", Type: "number", FieldType: "number"}

	t.Run("one mapping writes Lead and Contact with the same API name", func(t *testing.T) {
		s := NewContactSet()
		m, err := s.AddCustom(hsRegion, "Region__c", PreferSalesforceUnlessBlank, d)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.Objects(), []string{ObjectLead, ObjectContact}) {
			t.Errorf("objects = %v, want Lead and Contact", m.Objects())
		}
		if m.Default {
			t.Error("custom mapping marked default")
		}
	})

	t.Run("field on Lead only is skipped for Contacts", func(t *testing.T) {
		s := NewContactSet()
		m, err := s.AddCustom(hsBudget, "Budget__c", TwoWay, d)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.Objects(), []string{ObjectLead}) {
			t.Errorf("objects = %v, want Lead only", m.Objects())
		}
		if slices.ContainsFunc(s.ForObject(ObjectContact), func(x Mapping) bool { return x.ID == m.ID }) {
			t.Error("Contact records would sync a Lead-only field")
		}
		if !slices.ContainsFunc(s.ForObject(ObjectLead), func(x Mapping) bool { return x.ID == m.ID }) {
			t.Error("Lead records would skip the field")
		}
		_, err = Converter{}.MappedToSalesforce(m, ObjectContact, num(t, "5"))
		if !errors.Is(err, ErrObjectNotMapped) {
			t.Errorf("Contact conversion error = %v, want ErrObjectNotMapped", err)
		}
	})

	t.Run("unknown API name", func(t *testing.T) {
		_, err := NewContactSet().AddCustom(hsBudget, "Nope__c", TwoWay, d)
		wantMappingError(t, err, CodeNotFound, "budget", "Nope__c")
	})

	t.Run("HubSpot number to Salesforce string", func(t *testing.T) {
		_, err := NewContactSet().AddCustom(hsBudget, "Jigsaw", TwoWay, d)
		wantMappingError(t, err, CodeIncompatibleTypes, "budget", "Lead.Jigsaw")
	})

	t.Run("HubSpot user property", func(t *testing.T) {
		user := HubSpotProperty{Name: "account_manager", Type: "enumeration", FieldType: "select", IsUserType: true}
		_, err := NewContactSet().AddCustom(user, "Region__c", TwoWay, d)
		wantMappingError(t, err, CodeUserProperty, "account_manager", "Region__c")
	})

	t.Run("rule the mapping does not allow", func(t *testing.T) {
		_, err := NewContactSet().AddCustom(hsRegion, "Region__c", Rule("newest"), d)
		wantMappingError(t, err, CodeRuleNotAllowed, "region", "newest")
	})
}

func TestSetRuleLimits(t *testing.T) {
	tests := []struct {
		id      string
		rule    Rule
		allowed bool
	}{
		{"contact.email", AlwaysSalesforce, false},
		{"contact.email", DontSync, false},
		{"contact.email", PreferHubSpotUnlessBlank, false},
		{"contact.email", TwoWay, true},
		{"contact.email", PreferSalesforceUnlessBlank, true},
		{"contact.jobtitle", DontSync, true},
		{"contact.jobtitle", AlwaysHubSpot, true},
		{"contact.jobtitle", Rule("sometimes"), false},
		{"contact.hs_email_optout", DontSync, false},
		{"contact.hs_email_optout", AlwaysSalesforce, false},
		{"contact.hs_email_optout", TwoWay, true},
		{"contact.salesforceaccountid", TwoWay, false},
		{"contact.salesforceaccountid", AlwaysSalesforce, true},
		{"contact.hubspot_owner_id", TwoWay, true},
		{"contact.hubspot_owner_id", DontSync, false},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+string(tt.rule), func(t *testing.T) {
			s := NewContactSet()
			err := s.SetRule(tt.id, tt.rule)
			if tt.allowed {
				if err != nil {
					t.Fatalf("SetRule: %v", err)
				}
				if m, _ := s.Get(tt.id); m.Rule != tt.rule {
					t.Errorf("rule = %s after SetRule(%s)", m.Rule, tt.rule)
				}
				return
			}
			wantMappingError(t, err, CodeRuleNotAllowed, string(tt.rule))
			if m, _ := s.Get(tt.id); m.Rule == tt.rule {
				t.Error("rejected rule was stored")
			}
		})
	}

	wantMappingError(t, NewContactSet().SetRule("contact.nope", TwoWay), CodeNotFound, "contact.nope")
}

func TestAllowedRulesFollowWritableSides(t *testing.T) {
	calculated := Mapping{HubSpot: HubSpotProperty{Name: "score", Type: "number", FieldType: "calculation_equation", ReadOnly: true},
		Salesforce: []SalesforceField{sfDouble}}
	if got, want := AllowedRules(calculated), []Rule{DontSync, AlwaysHubSpot}; !slices.Equal(got, want) {
		t.Errorf("read-only HubSpot property allows %v, want %v", got, want)
	}

	formula := sfDouble
	formula.Calculated = true
	fromFormula := Mapping{HubSpot: hsNumberP, Salesforce: []SalesforceField{formula}}
	if got, want := AllowedRules(fromFormula), []Rule{AlwaysSalesforce, DontSync}; !slices.Equal(got, want) {
		t.Errorf("formula field allows %v, want %v", got, want)
	}

	if got := AllowedRules(titleMapping(TwoWay)); !slices.Equal(got, Rules) {
		t.Errorf("ordinary mapping allows %v, want all rules", got)
	}
}

func TestSetRemove(t *testing.T) {
	s := NewContactSet()
	wantMappingError(t, s.Remove("contact.firstname"), CodeDefaultMapping, "firstname", "Lead.FirstName")
	if _, ok := s.Get("contact.firstname"); !ok {
		t.Error("default mapping removed despite the error")
	}

	custom := Mapping{ID: "custom.nps", HubSpot: hsNumberP, Salesforce: []SalesforceField{sfDouble}, Rule: TwoWay}
	if err := s.Add(custom); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("custom.nps"); err != nil {
		t.Fatalf("Remove custom: %v", err)
	}
	if _, ok := s.Get("custom.nps"); ok {
		t.Error("custom mapping still present")
	}
	wantMappingError(t, s.Remove("custom.nps"), CodeNotFound, "custom.nps")
}

func TestMappingValidate(t *testing.T) {
	wantMappingError(t, Mapping{HubSpot: hsString}.Validate(), CodeInvalidMapping, "jobtitle")
	twice := Mapping{HubSpot: hsString, Rule: TwoWay, Salesforce: []SalesforceField{sfString, sfString}}
	wantMappingError(t, twice.Validate(), CodeInvalidMapping, "Lead")
}

func TestApplyDescribe(t *testing.T) {
	d := describes(t)
	s := NewContactSet()

	if dropped := s.ApplyDescribe(ObjectLead, d[ObjectLead]); len(dropped) != 1 || dropped[0] != "Lead.HasOptedOutOfEmail" {
		t.Errorf("dropped = %v, want only Lead.HasOptedOutOfEmail, which the trimmed describe lacks", dropped)
	}
	m, _ := s.ByHubSpot("salutation")
	f, _ := m.Field(ObjectLead)
	if !slices.Contains(f.Picklist, "Dr.") {
		t.Errorf("Lead.Salutation picklist = %v after ApplyDescribe, want the org's values", f.Picklist)
	}

	contact := d[ObjectContact]
	delete(contact, "MailingCity")
	dropped := s.ApplyDescribe(ObjectContact, contact)
	if !slices.Contains(dropped, "Contact.MailingCity") {
		t.Errorf("dropped = %v, want Contact.MailingCity", dropped)
	}
	city, _ := s.ByHubSpot("city")
	if !slices.Equal(city.Objects(), []string{ObjectLead}) {
		t.Errorf("city objects = %v, want Lead only", city.Objects())
	}

	// A fresh default set is unaffected by ApplyDescribe on another Set.
	if fresh, _ := NewContactSet().ByHubSpot("city"); len(fresh.Objects()) != 2 {
		t.Errorf("fresh default city mapping has objects %v", fresh.Objects())
	}
}

func TestApplyHubSpotProperties(t *testing.T) {
	s := NewContactSet()
	status := HubSpotProperty{Name: "salesforceleadstatus", Type: "enumeration", FieldType: "select", Options: []string{"Open", "Closed"}}
	s.ApplyHubSpotProperties(map[string]HubSpotProperty{"salesforceleadstatus": status})
	m, _ := s.ByHubSpot("salesforceleadstatus")
	if !slices.Equal(m.HubSpot.Options, []string{"Open", "Closed"}) || m.Rule != PreferSalesforceUnlessBlank || !m.Default {
		t.Errorf("mapping after ApplyHubSpotProperties = %+v", m)
	}
}

func TestParseRule(t *testing.T) {
	for _, r := range Rules {
		got, err := ParseRule(string(r))
		if err != nil || got != r {
			t.Errorf("ParseRule(%q) = %q, %v", r, got, err)
		}
	}
	_, err := ParseRule("always_hubspot_please")
	if err == nil {
		t.Fatal("ParseRule accepted an unknown rule")
	}
	for _, part := range []string{"always_hubspot_please", "prefer_salesforce_unless_blank", "two_way", "dont_sync"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not mention %q", err, part)
		}
	}
}
