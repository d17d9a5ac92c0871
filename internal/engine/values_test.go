package engine_test

import (
	"strings"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// typedSetup adds custom fields of several types on Lead and Contact and
// matching HubSpot properties, mapped with the default rule, and links a
// Lead to a new HubSpot contact. It returns the env and both ids.
func typedSetup(t *testing.T, change func(*settings.Settings)) (*enginetest.Env, string, string) {
	t.Helper()
	type custom struct {
		hsName, hsType, hsFieldType string
		options                     []string
		sfName, sfType              string
		length                      int
		picklist                    []string
	}
	customs := []custom{
		{"tier", "enumeration", "select", []string{"Gold", "Silver", "Bronze"}, "Tier__c", "picklist", 0, []string{"Silver", "Bronze"}},
		{"start", "date", "date", nil, "Start__c", "date", 0, nil},
		{"seen", "date", "date", nil, "Seen__c", "datetime", 0, nil},
		{"seats", "number", "number", nil, "Seats__c", "int", 0, nil},
		{"note", "string", "text", nil, "Note__c", "string", 255, nil},
		{"topics", "enumeration", "checkbox", []string{"a", "b", "c"}, "Topics__c", "multipicklist", 0, []string{"a", "b", "c"}},
	}

	hsSeed := &hsemu.Seed{}
	sfSeed := &sfemu.Seed{}
	ms := enginetest.DefaultMappings(t)
	for _, c := range customs {
		p := hsemu.SeedProperty{ObjectType: "contacts", Name: c.hsName, Label: c.hsName, Type: c.hsType, FieldType: c.hsFieldType}
		for _, o := range c.options {
			p.Options = append(p.Options, hsemu.Option{Label: o, Value: o})
		}
		hsSeed.Properties = append(hsSeed.Properties, p)

		m := mapping.Mapping{ID: "contact." + c.hsName, Rule: mapping.PreferSalesforceUnlessBlank, Kind: mapping.KindOrdinary,
			HubSpot: mapping.HubSpotProperty{Name: c.hsName, Type: c.hsType, FieldType: c.hsFieldType, Options: c.options}}
		for _, object := range []string{"Lead", "Contact"} {
			sfSeed.Config.CustomFields = append(sfSeed.Config.CustomFields, sfemu.CustomField{
				Object: object, Name: c.sfName, Type: c.sfType, Length: c.length,
				PicklistValues: c.picklist, RestrictedPicklist: c.picklist != nil,
			})
			m.Salesforce = append(m.Salesforce, mapping.SalesforceField{Object: object, Name: c.sfName, Type: c.sfType,
				Length: c.length, Picklist: c.picklist, RestrictedPicklist: c.picklist != nil, Createable: true, Updateable: true, Nillable: true})
		}
		ms = append(ms, m)
	}

	env := enginetest.Setup(t, enginetest.Options{Mappings: ms, HubSpotSeed: hsSeed, SalesforceSeed: sfSeed, Settings: change})
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Typed", "Company": "T", "Email": "typed@x.com"})
	env.SyncUntilQuiet(t, 3)
	link := env.Link(t, leadID)
	if link == nil {
		t.Fatal("Lead was not linked")
	}
	return env, leadID, link.HubSpotID
}

func TestMultiSelectRoundTrip(t *testing.T) {
	env, leadID, contactID := typedSetup(t, nil)

	env.UpdateContact(t, contactID, map[string]string{"topics": "a;b"})
	env.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(env.Record(t, leadID)["Topics__c"]); got != "a;b" {
		t.Errorf("Lead Topics__c = %q, want a;b", got)
	}

	env.UpdateRecord(t, leadID, map[string]any{"Topics__c": "b;c"})
	env.SyncUntilQuiet(t, 3)
	if got := env.Contact(t, contactID)["topics"]; got != "b;c" {
		t.Errorf("HubSpot topics = %q, want b;c", got)
	}
	if errs := env.OpenErrors(t); len(errs) != 0 {
		t.Errorf("open errors = %+v, want none", errs)
	}
}

func TestStatePicklistNeedsCountry(t *testing.T) {
	tests := []struct {
		name      string
		props     map[string]string
		wantState string
		wantField string
	}{
		{"state text not in picklist", map[string]string{"state": "Calif.", "country": "US"}, "", "State"},
		{"dropdown state with country", map[string]string{"state": "CA", "country": "US"}, "CA", ""},
		{"state without country", map[string]string{"state": "TX"}, "", "State"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := setup(t, semanticsOptions{sfSeed: &sfemu.Seed{Config: sfemu.Config{StateCountryPicklists: true}}})
			hsID, leadID := s.linkedLead("state@x.com")

			s.UpdateContact(t, hsID, tt.props)
			s.Sync(t)
			if got := enginetest.Str(s.Record(t, leadID)["State"]); got != tt.wantState {
				t.Errorf("Lead State = %q, want %q", got, tt.wantState)
			}

			errs := s.OpenErrors(t)
			if tt.wantField == "" {
				if len(errs) != 0 {
					t.Errorf("open errors = %+v, want none", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("open errors = %+v, want one", errs)
			}
			if errs[0].RecordID != leadID {
				t.Errorf("error record = %s, want the Lead %s", errs[0].RecordID, leadID)
			}
			if errs[0].Category != store.ErrorPropertyValue {
				t.Errorf("error category = %s, want %s", errs[0].Category, store.ErrorPropertyValue)
			}
			if errs[0].Code != "FIELD_INTEGRITY_EXCEPTION" {
				t.Errorf("error code = %s, want FIELD_INTEGRITY_EXCEPTION", errs[0].Code)
			}
			if len(errs[0].Fields) != 1 || errs[0].Fields[0] != tt.wantField {
				t.Errorf("error fields = %v, want [%s]", errs[0].Fields, tt.wantField)
			}
		})
	}
}

func TestRestrictedPicklistValueParks(t *testing.T) {
	env, leadID, contactID := typedSetup(t, nil)
	otherID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Other", "Company": "O", "Email": "other@x.com"})
	env.SyncUntilQuiet(t, 3)
	otherContactID := env.Link(t, otherID).HubSpotID

	env.UpdateContact(t, contactID, map[string]string{"tier": "Gold", "firstname": "Gerda"})
	env.UpdateContact(t, otherContactID, map[string]string{"tier": "Silver"})
	res := env.Sync(t)

	// The parked record holds back no other record in the same cycle.
	if got := enginetest.Str(env.Record(t, otherID)["Tier__c"]); got != "Silver" {
		t.Errorf("other Lead Tier__c = %q, want Silver", got)
	}

	if res.Counts["failed"] != 1 {
		t.Errorf("failed = %d, want 1", res.Counts["failed"])
	}
	lead := env.Record(t, leadID)
	if lead["Tier__c"] != nil || lead["FirstName"] != nil {
		t.Errorf("Lead changed to Tier__c %v, FirstName %v; a parked record must stay unchanged", lead["Tier__c"], lead["FirstName"])
	}
	errs := env.OpenErrors(t)
	if len(errs) != 1 || errs[0].Category != store.ErrorPropertyValue || errs[0].Code != mapping.CodePicklistNotAllowed {
		t.Fatalf("open errors = %+v, want one property value error", errs)
	}
	if !strings.Contains(errs[0].Message, "Gold") {
		t.Errorf("error message %q does not name the value", errs[0].Message)
	}
}

func TestDateRoundTrip(t *testing.T) {
	env, leadID, contactID := typedSetup(t, nil)

	env.UpdateContact(t, contactID, map[string]string{"start": "1714521600000"})
	env.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(env.Record(t, leadID)["Start__c"]); got != "2024-05-01" {
		t.Errorf("Start__c = %q, want 2024-05-01", got)
	}

	env.UpdateRecord(t, leadID, map[string]any{"Start__c": "2024-06-30"})
	env.SyncUntilQuiet(t, 3)
	if got := hubspotDate(t, env.Contact(t, contactID)["start"]); got != "2024-06-30" {
		t.Errorf("HubSpot start = %s, want 2024-06-30", got)
	}
}

func TestDatetimeToDateUsesTimeZone(t *testing.T) {
	// 2024-05-01T23:30:00-05:00 is 2024-05-02 in UTC.
	const instant = "2024-05-02T04:30:00.000+0000"
	tests := []struct {
		zone string
		want string
	}{
		{"UTC", "2024-05-02"},
		{"America/Chicago", "2024-05-01"},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			env, leadID, contactID := typedSetup(t, func(s *settings.Settings) { s.TimeZone = tt.zone })
			env.UpdateRecord(t, leadID, map[string]any{"Seen__c": instant})
			env.SyncUntilQuiet(t, 3)
			if got := hubspotDate(t, env.Contact(t, contactID)["seen"]); got != tt.want {
				t.Errorf("HubSpot seen = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFractionIntoIntegerParks(t *testing.T) {
	env, leadID, contactID := typedSetup(t, nil)
	env.UpdateContact(t, contactID, map[string]string{"seats": "12.7"})
	env.Sync(t)

	if got := env.Record(t, leadID)["Seats__c"]; got != nil {
		t.Errorf("Seats__c = %v, want unchanged instead of rounded", got)
	}
	errs := env.OpenErrors(t)
	if len(errs) != 1 || errs[0].Code != mapping.CodeFractionalIntoInt {
		t.Errorf("open errors = %+v, want one %s", errs, mapping.CodeFractionalIntoInt)
	}
}

func TestTooLongTextParks(t *testing.T) {
	env, leadID, contactID := typedSetup(t, nil)
	env.UpdateContact(t, contactID, map[string]string{"note": strings.Repeat("x", 300)})
	env.Sync(t)

	if got := env.Record(t, leadID)["Note__c"]; got != nil {
		t.Errorf("Note__c = %v, want unchanged instead of truncated", got)
	}
	errs := env.OpenErrors(t)
	if len(errs) != 1 || errs[0].Code != mapping.CodeTooLong {
		t.Errorf("open errors = %+v, want one %s", errs, mapping.CodeTooLong)
	}
}

// hubspotDate reads a HubSpot date property value, which HubSpot may
// return as YYYY-MM-DD or as midnight-UTC epoch milliseconds, as a date.
func hubspotDate(t *testing.T, raw string) string {
	t.Helper()
	v, err := mapping.FromHubSpot(mapping.HubSpotProperty{Name: "date", Type: "date", FieldType: "date"}, raw, true)
	if err != nil {
		t.Fatalf("read HubSpot date %q: %v", raw, err)
	}
	return v.String()
}
