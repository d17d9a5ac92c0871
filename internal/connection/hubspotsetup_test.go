package connection

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// openWithEmulators opens a connection to both emulators. The HubSpot
// emulator starts with the generated seed's properties replaced by props.
func openWithEmulators(t *testing.T, props []hsemu.SeedProperty) *Connection {
	t.Helper()
	ds, err := generate.Generate(generate.Options{People: 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return generate.DefaultNow.Add(time.Hour) }
	sf, err := sfemu.New(ds.SalesforceSeed(), sfemu.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	sfSrv := httptest.NewServer(sf)
	t.Cleanup(sfSrv.Close)

	seed := ds.HubSpotSeed()
	seed.Contacts, seed.Companies, seed.Associations = nil, nil, nil
	seed.Properties = props
	hs, err := hsemu.New(seed, hsemu.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hs.Close)
	hsSrv := httptest.NewServer(hs.Handler())
	t.Cleanup(hsSrv.Close)

	f := setup(t)
	creds := ds.Credentials()
	f.save(t, "acme",
		SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: sfSrv.URL, ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret},
		HubSpotCredentials{BaseURL: hsSrv.URL, AccessToken: creds.HubSpotToken})
	c, err := OpenWith(f.ctx, f.dir, "acme", f.opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func property(t *testing.T, c *Connection, ot hubspot.ObjectType, name string) *hubspot.Property {
	t.Helper()
	p, err := c.HubSpot.Property(context.Background(), ot, name)
	if err != nil {
		t.Fatalf("read %s property %s: %v", ot, name, err)
	}
	return p
}

func optionValues(p *hubspot.Property) []string {
	var out []string
	for _, o := range p.Options {
		out = append(out, o.Value)
	}
	return out
}

func TestEnsureHubSpotPropertiesInNewPortal(t *testing.T) {
	c := openWithEmulators(t, nil)
	ctx := context.Background()

	setup, err := c.EnsureHubSpotProperties(ctx)
	if err != nil {
		t.Fatalf("EnsureHubSpotProperties: %v", err)
	}
	for _, want := range []string{
		"contacts.leadsource", "contacts.salesforceleadstatus", "contacts.rating", "contacts.salesforcenumberofemployees",
		"contacts.description", "contacts.salesforceaccountid", "contacts.salesforcecampaigns", "companies.salesforceindustry",
		"contacts.salesforceleadid",
	} {
		if !slices.Contains(setup.Created, want) {
			t.Errorf("created %v, want %s among them", setup.Created, want)
		}
	}
	if len(setup.Problems) > 0 || len(setup.OptionsAdded) > 0 {
		t.Errorf("problems %+v, options added %+v in a new portal", setup.Problems, setup.OptionsAdded)
	}

	status := property(t, c, hubspot.Contacts, "salesforceleadstatus")
	if status.Type != "enumeration" || status.GroupName != hubspot.KoppelGroup.Name || status.Label != "Status" {
		t.Errorf("salesforceleadstatus = %s/%s in group %s labeled %q", status.Type, status.FieldType, status.GroupName, status.Label)
	}
	fields, err := describeFields(ctx, c.Salesforce, "Lead")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := optionValues(status), fields["Status"].Picklist; !slices.Equal(got, want) {
		t.Errorf("salesforceleadstatus options = %v, want the Lead Status picklist %v", got, want)
	}
	if p := property(t, c, hubspot.Contacts, "salesforcenumberofemployees"); p.Type != "number" {
		t.Errorf("salesforcenumberofemployees type = %s, want number", p.Type)
	}
	if p := property(t, c, hubspot.Contacts, "salesforceaccountid"); p.HasUniqueValue {
		t.Error("contact salesforceaccountid is unique, but many Contacts share an Account")
	}

	again, err := c.EnsureHubSpotProperties(ctx)
	if err != nil {
		t.Fatalf("second EnsureHubSpotProperties: %v", err)
	}
	if len(again.Created) > 0 || len(again.OptionsAdded) > 0 || len(again.Problems) > 0 {
		t.Errorf("second run changed something: %+v", again)
	}
}

func TestEnsureHubSpotPropertiesExtendsAndReports(t *testing.T) {
	c := openWithEmulators(t, []hsemu.SeedProperty{
		{ObjectType: "contacts", Name: "rating", Label: "Rating", Type: "enumeration", FieldType: "select", GroupName: "koppel",
			Options: []hsemu.Option{{Label: "Hot", Value: "Hot"}, {Label: "Lukewarm", Value: "Lukewarm", DisplayOrder: 1}}},
		{ObjectType: "contacts", Name: "leadsource", Label: "Lead Source", Type: "number", FieldType: "number", GroupName: "koppel"},
		{ObjectType: "contacts", Name: "description", Label: "Notes", Type: "string", FieldType: "text", GroupName: "koppel"},
		{ObjectType: "contacts", Name: "salesforcenumberofemployees", Label: "Employees", Type: "enumeration", FieldType: "select", GroupName: "koppel",
			Options: []hsemu.Option{{Label: "1-10", Value: "1-10"}}},
	})
	ctx := context.Background()

	setup, err := c.EnsureHubSpotProperties(ctx)
	if err != nil {
		t.Fatalf("EnsureHubSpotProperties: %v", err)
	}

	rating := property(t, c, hubspot.Contacts, "rating")
	got := optionValues(rating)
	for _, want := range []string{"Hot", "Lukewarm", "Warm", "Cold"} {
		if !slices.Contains(got, want) {
			t.Errorf("rating options %v lack %q", got, want)
		}
	}
	if len(setup.OptionsAdded) != 1 || setup.OptionsAdded[0].Property != "contacts.rating" ||
		!slices.Equal(setup.OptionsAdded[0].Values, []string{"Warm", "Cold"}) || setup.OptionsAdded[0].Field != "Lead.Rating" {
		t.Errorf("options added = %+v, want Warm and Cold on contacts.rating", setup.OptionsAdded)
	}

	// A text property holds any value, so only the number-typed
	// leadsource and the dropdown of employee ranges are problems.
	if len(setup.Problems) != 2 {
		t.Fatalf("problems = %+v, want leadsource and salesforcenumberofemployees", setup.Problems)
	}
	pr := setup.Problems[0]
	if pr.Property != "contacts.leadsource" || pr.Have != "number/number" || pr.Want != "enumeration/select" || pr.Mapping != "contact.leadsource" {
		t.Errorf("problem = %+v", pr)
	}
	if pr := setup.Problems[1]; pr.Property != "contacts.salesforcenumberofemployees" || pr.Have != "enumeration/select" || pr.Want != "number/number" {
		t.Errorf("problem = %+v", pr)
	}
	if p := property(t, c, hubspot.Contacts, "leadsource"); p.Type != "number" {
		t.Errorf("leadsource type changed to %s; koppel must not change a property's type", p.Type)
	}
}

func TestMappingsFromRowsLoadsRenamedDefaults(t *testing.T) {
	rows := []store.Mapping{
		{HubSpotProperty: "hs_lead_status", SalesforceField: "Status", Objects: store.MapLead, Rule: "dont_sync", IsDefault: true},
		{HubSpotProperty: "numemployees", SalesforceField: "NumberOfEmployees", Objects: store.MapLead, Rule: "two_way", IsDefault: true},
		{HubSpotProperty: "industry", SalesforceField: "Industry", Objects: store.MapAccount, Rule: "always_salesforce", IsDefault: true},
	}
	ms, err := MappingsFromRows(rows)
	if err != nil {
		t.Fatalf("MappingsFromRows: %v", err)
	}
	byID := map[string]string{}
	for _, m := range ms {
		byID[m.ID] = string(m.Rule)
		if !m.Default {
			t.Errorf("custom mapping %s from a stored default", m.ID)
		}
	}
	want := map[string]string{
		"contact.salesforceleadstatus":        "dont_sync",
		"contact.salesforcenumberofemployees": "two_way",
		"company.salesforceindustry":          "always_salesforce",
	}
	for id, rule := range want {
		if byID[id] != rule {
			t.Errorf("%s rule = %q, want %q", id, byID[id], rule)
		}
	}
}
