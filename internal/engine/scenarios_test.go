package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// Creation and linking.

func TestNewSalesforceContactLinksExistingHubSpotContact(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	contactID := env.CreateContact(t, map[string]string{"email": "d@x.com", "firstname": "Dirk"})
	sfID := env.CreateRecord(t, "Contact", map[string]any{"LastName": "Dekker", "Email": "D@X.com"})
	env.SyncUntilQuiet(t, 3)

	if n := len(env.RecordsByEmail(t, "Lead", "d@x.com")); n != 0 {
		t.Errorf("%d Leads created, want none", n)
	}
	if ids := env.ContactsByEmail(t, "d@x.com"); len(ids) != 1 || ids[0] != contactID {
		t.Fatalf("HubSpot contacts with the email = %v, want only %s", ids, contactID)
	}
	if got := env.Contact(t, contactID)[engine.PropSalesforceContactID]; got != sfID {
		t.Errorf("salesforcecontactid = %q, want %q", got, sfID)
	}
	if l := env.Link(t, sfID); l == nil || l.HubSpotID != contactID {
		t.Errorf("link = %+v, want the HubSpot contact %s", l, contactID)
	}
}

func TestNewHubSpotContactCreatesLead(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	contactID := env.CreateContact(t, map[string]string{"email": "e@x.com", "firstname": "Eva", "lastname": "Eik"})
	env.SyncUntilQuiet(t, 3)

	leads := env.RecordsByEmail(t, "Lead", "e@x.com")
	if len(leads) != 1 {
		t.Fatalf("Leads with the email = %v, want one", leads)
	}
	if n := len(env.RecordsByEmail(t, "Contact", "e@x.com")); n != 0 {
		t.Errorf("%d Contacts created, want none", n)
	}
	lead := env.Record(t, leads[0])
	if enginetest.Str(lead["FirstName"]) != "Eva" || enginetest.Str(lead["Company"]) != "[not provided]" {
		t.Errorf("Lead = FirstName %v, Company %v; want Eva and the placeholder", lead["FirstName"], lead["Company"])
	}
	if got := env.Contact(t, contactID)[engine.PropSalesforceLeadID]; got != leads[0] {
		t.Errorf("salesforceleadid = %q, want %q", got, leads[0])
	}
}

func TestNewHubSpotContactCreatesContactWhenSet(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{Settings: func(s *settings.Settings) {
		s.SalesforceOnHubSpotChange = settings.SalesforceCreateContact
	}})
	contactID := env.CreateContact(t, map[string]string{"email": "e@x.com", "lastname": "Eik", "company": "Acme"})
	env.SyncUntilQuiet(t, 3)

	contacts := env.RecordsByEmail(t, "Contact", "e@x.com")
	if len(contacts) != 1 {
		t.Fatalf("Contacts with the email = %v, want one", contacts)
	}
	if n := len(env.RecordsByEmail(t, "Lead", "e@x.com")); n != 0 {
		t.Errorf("%d Leads created, want none", n)
	}
	if acc := env.Record(t, contacts[0])["AccountId"]; acc != nil {
		t.Errorf("AccountId = %v, want a private Contact without account", acc)
	}
	if got := env.Contact(t, contactID)[engine.PropSalesforceContactID]; got != contacts[0] {
		t.Errorf("salesforcecontactid = %q, want %q", got, contacts[0])
	}
}

func TestContactWithoutEmailDoesNotSync(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	contactID := env.CreateContact(t, map[string]string{"firstname": "Nomail", "lastname": "Nobody"})
	env.Sync(t)

	if n := env.SalesforceEmulator.Count("Lead", true) + env.SalesforceEmulator.Count("Contact", true); n != 0 {
		t.Errorf("%d Salesforce records created, want none", n)
	}
	var found bool
	for _, e := range env.OpenErrors(t) {
		if e.RecordID == contactID && e.Code == "EMAIL_MISSING" {
			found = true
		}
	}
	if !found {
		t.Errorf("no EMAIL_MISSING error for contact %s; errors: %+v", contactID, env.OpenErrors(t))
	}

	x, err := env.Engine.Explain(context.Background(), contactID)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	if x.Next.ReasonCode != engine.ReasonNoEmail {
		t.Errorf("explain reason = %q, want %q", x.Next.ReasonCode, engine.ReasonNoEmail)
	}
	if len(x.Errors) != 1 || x.Errors[0].Code != "EMAIL_MISSING" {
		t.Errorf("explain errors = %+v, want the EMAIL_MISSING error", x.Errors)
	}
}

func TestNewHubSpotContactLinksExistingSalesforceContact(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	sfID := env.CreateRecord(t, "Contact", map[string]any{"LastName": "Fris", "Email": "f@x.com"})
	env.SyncUntilQuiet(t, 3)
	hsIDs := env.ContactsByEmail(t, "f@x.com")
	if len(hsIDs) != 1 {
		t.Fatalf("HubSpot contacts = %v, want one", hsIDs)
	}
	if n := len(env.RecordsByEmail(t, "Lead", "f@x.com")); n != 0 {
		t.Errorf("%d Leads created, want none", n)
	}
	if l := env.Link(t, sfID); l == nil || l.HubSpotID != hsIDs[0] {
		t.Errorf("link = %+v, want HubSpot contact %s", l, hsIDs[0])
	}
}

func TestHubSpotContactMatchesExistingContactNotLead(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{Settings: func(s *settings.Settings) {
		s.HubSpotOnSalesforceChange = settings.HubSpotDoNothing
	}})
	sfID := env.CreateRecord(t, "Contact", map[string]any{"LastName": "Fris", "Email": "f@x.com"})
	env.Sync(t)
	contactID := env.CreateContact(t, map[string]string{"email": "f@x.com", "firstname": "Fenna"})
	env.SyncUntilQuiet(t, 3)

	if n := len(env.RecordsByEmail(t, "Lead", "f@x.com")); n != 0 {
		t.Errorf("%d Leads created, want none", n)
	}
	if l := env.Link(t, contactID); l == nil || l.SalesforceID != sfID {
		t.Errorf("link = %+v, want Salesforce Contact %s", l, sfID)
	}
	if got := enginetest.Str(env.Record(t, sfID)["FirstName"]); got != "Fenna" {
		t.Errorf("FirstName = %q, want the HubSpot value filling the blank field", got)
	}
}

func TestDuplicateLeadsLinkMostRecentlyModified(t *testing.T) {
	older := time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02T15:04:05.000Z")
	newer := time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02T15:04:05.000Z")
	env := enginetest.Setup(t, enginetest.Options{
		Settings: func(s *settings.Settings) { s.HubSpotOnSalesforceChange = settings.HubSpotDoNothing },
		SalesforceSeed: &sfemu.Seed{Records: map[string][]map[string]any{"Lead": {
			{"LastName": "Old", "Company": "G", "Email": "g@x.com", "CreatedDate": older, "LastModifiedDate": older, "SystemModstamp": older},
			{"LastName": "New", "Company": "G", "Email": "g@x.com", "CreatedDate": newer, "LastModifiedDate": newer, "SystemModstamp": newer},
		}}},
	})
	env.Sync(t)
	leads := env.RecordsByEmail(t, "Lead", "g@x.com")
	var newest string
	for _, id := range leads {
		if enginetest.Str(env.Record(t, id)["LastName"]) == "New" {
			newest = id
		}
	}

	contactID := env.CreateContact(t, map[string]string{"email": "g@x.com"})
	env.SyncUntilQuiet(t, 3)

	l := env.Link(t, contactID)
	if l == nil || l.SalesforceID != newest {
		t.Fatalf("link = %+v, want the most recently modified Lead %s", l, newest)
	}
	var logged bool
	for _, a := range env.Audit(t, l.ID) {
		if a.ReasonCode == "duplicate_choice" && strings.Contains(a.Reason, engine.ReasonMostRecent) {
			logged = true
		}
	}
	if !logged {
		t.Errorf("the choice among duplicates is not in the audit log: %+v", env.Audit(t, l.ID))
	}
}

func TestDuplicateContactKeepsLinkedLead(t *testing.T) {
	// HubSpot's connector moves to whichever duplicate was updated last;
	// koppel keeps the link on the linked record while it is alive, so the
	// pair does not flip between records, and logs the duplicate.
	env := enginetest.Setup(t, enginetest.Options{})
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Lid", "Company": "L", "Email": "l@x.com"})
	env.SyncUntilQuiet(t, 3)
	contactID := env.Link(t, leadID).HubSpotID

	dupID := env.CreateRecord(t, "Contact", map[string]any{"LastName": "Dup", "Email": "l@x.com", "Title": "Later"})
	env.SyncUntilQuiet(t, 3)

	if l := env.Link(t, contactID); l.SalesforceID != leadID {
		t.Errorf("link moved to %s, want it to stay on the Lead %s", l.SalesforceID, leadID)
	}
	if env.Link(t, dupID) != nil {
		t.Error("the duplicate Contact got a link of its own")
	}
	if ids := env.ContactsByEmail(t, "l@x.com"); len(ids) != 1 {
		t.Errorf("HubSpot contacts with the email = %v, want one", ids)
	}
}

func TestConvertedLeadRelinksToContact(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Conv", "Company": "Acme", "Email": "c@x.com"})
	env.SyncUntilQuiet(t, 3)
	contactID := env.Link(t, leadID).HubSpotID

	res, err := env.SalesforceEmulator.ConvertLead(sfemu.ConvertLead{LeadID: leadID})
	if err != nil {
		t.Fatalf("convert lead: %v", err)
	}
	env.SyncUntilQuiet(t, 3)

	l := env.Link(t, contactID)
	if l.SalesforceID != res.ContactID || l.SalesforceObject != store.Contact {
		t.Fatalf("link = %s %s, want Contact %s", l.SalesforceObject, l.SalesforceID, res.ContactID)
	}
	if got := env.Contact(t, contactID)[engine.PropSalesforceContactID]; got != res.ContactID {
		t.Errorf("salesforcecontactid = %q, want %q", got, res.ContactID)
	}
	if ids := env.ContactsByEmail(t, "c@x.com"); len(ids) != 1 {
		t.Errorf("HubSpot contacts = %v, want one", ids)
	}

	env.UpdateContact(t, contactID, map[string]string{"firstname": "Cora"})
	env.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(env.Record(t, res.ContactID)["FirstName"]); got != "Cora" {
		t.Errorf("Contact FirstName = %q, want later writes to reach the Contact", got)
	}
}

func TestAlwaysSalesforceFieldNotSentOnCreate(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{Mappings: withRule(t, mapping.AlwaysSalesforce)})
	env.CreateContact(t, map[string]string{"email": "n@x.com", "lastname": "New", "jobtitle": "CEO"})
	env.SyncUntilQuiet(t, 3)

	leads := env.RecordsByEmail(t, "Lead", "n@x.com")
	if len(leads) != 1 {
		t.Fatalf("Leads = %v, want one", leads)
	}
	if got := env.Record(t, leads[0])["Title"]; got != nil {
		t.Errorf("Title = %v, want it not sent under always use Salesforce", got)
	}
}

// Custom mappings.

// regionSetup maps a HubSpot text property region to a custom Region__c
// field that exists on Lead and Contact.
func regionSetup(t *testing.T, mapRegion bool, extra ...mapping.Mapping) *enginetest.Env {
	t.Helper()
	ms := enginetest.DefaultMappings(t)
	if mapRegion {
		ms = append(ms, regionMapping())
	}
	ms = append(ms, extra...)
	return enginetest.Setup(t, enginetest.Options{
		Mappings:       ms,
		HubSpotSeed:    regionHS(),
		SalesforceSeed: regionSF(),
	})
}

func regionHS() *hsemu.Seed {
	return &hsemu.Seed{Properties: []hsemu.SeedProperty{{ObjectType: "contacts", Name: "region", Label: "Region", Type: "string", FieldType: "text"}}}
}

func regionSF() *sfemu.Seed {
	return &sfemu.Seed{Config: sfemu.Config{CustomFields: []sfemu.CustomField{
		{Object: "Lead", Name: "Region__c", Type: "string", Length: 80},
		{Object: "Contact", Name: "Region__c", Type: "string", Length: 80},
	}}}
}

func regionMapping() mapping.Mapping {
	field := func(object string) mapping.SalesforceField {
		return mapping.SalesforceField{Object: object, Name: "Region__c", Type: "string", Length: 80, Createable: true, Updateable: true, Nillable: true}
	}
	return mapping.Mapping{ID: "contact.region", Rule: mapping.PreferSalesforceUnlessBlank, Kind: mapping.KindOrdinary,
		HubSpot:    mapping.HubSpotProperty{Name: "region", Label: "Region", Type: "string", FieldType: "text"},
		Salesforce: []mapping.SalesforceField{field("Lead"), field("Contact")}}
}

func TestNewMappingDoesNotBackfill(t *testing.T) {
	env := regionSetup(t, false)
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Back", "Company": "B", "Email": "b@x.com", "Region__c": "Noord"})
	env.SyncUntilQuiet(t, 3)
	contactID := env.Link(t, leadID).HubSpotID

	// Later changes move both cursors past the overlap window, which
	// re-reads the most recent changes of each side.
	env.Clock.Advance(10 * time.Minute)
	env.CreateRecord(t, "Lead", map[string]any{"LastName": "Later", "Company": "L", "Email": "later@x.com"})
	env.SyncUntilQuiet(t, 3)
	env.Clock.Advance(10 * time.Minute)
	env.CreateContact(t, map[string]string{"email": "later2@x.com", "lastname": "Later"})
	env.CreateRecord(t, "Lead", map[string]any{"LastName": "Later", "Company": "L", "Email": "later3@x.com"})
	env.SyncUntilQuiet(t, 3)

	env.Mappings = append(env.Mappings, regionMapping())
	env.Rebuild(t)
	env.SyncUntilQuiet(t, 3)
	if got := env.Contact(t, contactID)["region"]; got != "" {
		t.Fatalf("region = %q right after the mapping was added, want no back-fill", got)
	}

	// A resync of the record, here any change to it, applies the new
	// mapping by its rule.
	env.UpdateRecord(t, leadID, map[string]any{"FirstName": "Bert"})
	env.SyncUntilQuiet(t, 3)
	if got := env.Contact(t, contactID)["region"]; got != "Noord" {
		t.Errorf("region = %q after the record changed, want Noord", got)
	}
}

func TestCustomFieldOnLeadAndContact(t *testing.T) {
	env := regionSetup(t, true)
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Lea", "Company": "L", "Email": "lea@x.com"})
	conID := env.CreateRecord(t, "Contact", map[string]any{"LastName": "Con", "Email": "con@x.com"})
	env.SyncUntilQuiet(t, 3)

	for _, id := range []string{leadID, conID} {
		env.UpdateContact(t, env.Link(t, id).HubSpotID, map[string]string{"region": "Zuid"})
	}
	env.SyncUntilQuiet(t, 3)
	for _, id := range []string{leadID, conID} {
		if got := enginetest.Str(env.Record(t, id)["Region__c"]); got != "Zuid" {
			t.Errorf("%s Region__c = %q, want Zuid through the one mapping", id, got)
		}
	}
}

func TestLeadOnlyFieldSkippedForContact(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	conID := env.CreateRecord(t, "Contact", map[string]any{"LastName": "Con", "Email": "k@x.com"})
	env.SyncUntilQuiet(t, 3)
	contactID := env.Link(t, conID).HubSpotID

	// company maps to Lead.Company only.
	env.UpdateContact(t, contactID, map[string]string{"company": "Acme"})
	res := env.Sync(t)

	if res.Counts["failed"] != 0 || len(env.OpenErrors(t)) != 0 {
		t.Errorf("a Lead-only field on a Contact failed: %+v", env.OpenErrors(t))
	}
	if items := env.Plan(t); len(items) != 0 {
		t.Errorf("plan writes %+v, want nothing for a Lead-only field", items)
	}
}

func TestInvalidMappingsRejected(t *testing.T) {
	synced, _ := engine.ContactMappings(mapping.DefaultContactMappings())
	number := mapping.HubSpotProperty{Name: "score", Type: "number", FieldType: "number"}
	text := func(name string) mapping.SalesforceField {
		return mapping.SalesforceField{Object: "Lead", Name: name, Type: "string", Length: 80, Createable: true, Updateable: true}
	}
	email, _ := mapping.NewSet(synced...)
	emailMapping, _ := email.Get("contact.email")

	tests := []struct {
		name string
		add  mapping.Mapping
	}{
		{"number to text field", mapping.Mapping{ID: "score", HubSpot: number, Salesforce: []mapping.SalesforceField{text("Score__c")}, Rule: mapping.PreferSalesforceUnlessBlank}},
		{"hubspot user property", mapping.Mapping{ID: "user", HubSpot: mapping.HubSpotProperty{Name: "reviewer", Type: "enumeration", FieldType: "select", IsUserType: true},
			Salesforce: []mapping.SalesforceField{{Object: "Lead", Name: "Reviewer__c", Type: "picklist", Createable: true, Updateable: true}}, Rule: mapping.PreferSalesforceUnlessBlank}},
		{"property mapped twice", mapping.Mapping{ID: "title2", HubSpot: mapping.HubSpotProperty{Name: "jobtitle", Type: "string", FieldType: "text"},
			Salesforce: []mapping.SalesforceField{text("Title2__c")}, Rule: mapping.PreferSalesforceUnlessBlank}},
	}
	for _, rule := range []mapping.Rule{mapping.AlwaysSalesforce, mapping.DontSync} {
		m := emailMapping
		m.Rule = rule
		tests = append(tests, struct {
			name string
			add  mapping.Mapping
		}{"email under " + string(rule), m})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := synced
			if strings.HasPrefix(tt.name, "email under") {
				ms = replaceMapping(synced, tt.add)
			} else {
				ms = append(append([]mapping.Mapping(nil), synced...), tt.add)
			}
			_, err := engine.New(engine.Config{Settings: settings.Default(), Mappings: ms})
			var me *mapping.MappingError
			if !errors.As(err, &me) {
				t.Fatalf("engine.New = %v, want a mapping error", err)
			}
		})
	}

	t.Run("email two way allowed", func(t *testing.T) {
		m := emailMapping
		m.Rule = mapping.TwoWay
		env := enginetest.Setup(t, enginetest.Options{Mappings: replaceMapping(synced, m)})
		if env.Engine == nil {
			t.Fatal("no engine")
		}
	})
}

func replaceMapping(ms []mapping.Mapping, m mapping.Mapping) []mapping.Mapping {
	out := append([]mapping.Mapping(nil), ms...)
	for i := range out {
		if out[i].ID == m.ID {
			out[i] = m
		}
	}
	return out
}

func TestHubSpotEmailChangeKeepsSalesforceEmail(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Mail", "Company": "M", "Email": "old@x.com"})
	env.SyncUntilQuiet(t, 3)
	contactID := env.Link(t, leadID).HubSpotID

	env.UpdateContact(t, contactID, map[string]string{"email": "new@x.com"})
	env.SyncUntilQuiet(t, 3)

	if got := enginetest.Str(env.Record(t, leadID)["Email"]); got != "old@x.com" {
		t.Errorf("Salesforce Email = %q, want it unchanged", got)
	}
	if l := env.Link(t, contactID); l == nil || l.SalesforceID != leadID {
		t.Errorf("link = %+v, want it kept by id", l)
	}
}
