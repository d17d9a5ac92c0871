package engine_test

import (
	"context"
	"testing"

	"github.com/koppel-sync/koppel/internal/emulator/salesforce"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/settings"
)

func companySetup(t *testing.T, more ...func(*settings.Settings)) *semantics {
	t.Helper()
	return setup(t, semanticsOptions{settings: func(st *settings.Settings) {
		st.CompanySync = true
		for _, f := range more {
			f(st)
		}
	}})
}

// companies returns the ids of live HubSpot companies by name.
func (s *semantics) companies() map[string][]string {
	s.t.Helper()
	out := map[string][]string{}
	for o, err := range s.HubSpot.ListAll(context.Background(), hubspot.Companies, hubspot.ListOptions{Properties: []string{"name", engine.PropSalesforceAccountID}}) {
		if err != nil {
			s.t.Fatal(err)
		}
		out[o.Properties["name"]] = append(out[o.Properties["name"]], o.ID)
	}
	return out
}

func TestNewAccountCreatesCompany(t *testing.T) {
	s := companySetup(t)
	acc := s.CreateRecord(t, "Account", map[string]any{"Name": "Acme BV", "Website": "https://acme.example"})
	s.SyncUntilQuiet(t, 3)

	ids := s.companies()["Acme BV"]
	if len(ids) != 1 {
		t.Fatalf("companies named Acme BV = %v, want one", ids)
	}
	co, _ := s.HubSpotEmulator.Get("companies", ids[0])
	if co.Properties[engine.PropSalesforceAccountID] != acc || co.Properties["website"] != "https://acme.example" {
		t.Errorf("company = %v, want the Account id %s and its website", co.Properties, acc)
	}

	s.UpdateRecord(t, acc, map[string]any{"Phone": "+31 20 123 4567"})
	s.SyncUntilQuiet(t, 3)
	if co, _ := s.HubSpotEmulator.Get("companies", ids[0]); co.Properties["phone"] != "+31 20 123 4567" {
		t.Errorf("company phone = %q after the Account changed", co.Properties["phone"])
	}
}

func TestContactAccountBecomesPrimaryCompany(t *testing.T) {
	s := companySetup(t)
	acc := s.CreateRecord(t, "Account", map[string]any{"Name": "Acme BV"})
	contactID := s.CreateRecord(t, "Contact", map[string]any{"Email": "c@acme.example", "LastName": "Cees", "AccountId": acc})
	s.SyncUntilQuiet(t, 4)

	hsID := s.onlyContact("c@acme.example")
	company := s.companies()["Acme BV"]
	props := s.Contact(t, hsID)
	if len(company) != 1 || props[engine.PropAssociatedCompanyID] != company[0] {
		t.Fatalf("primary company = %q, want the company of the Account %v", props[engine.PropAssociatedCompanyID], company)
	}
	if props["company"] != "" {
		t.Errorf("company name text = %q; the Account lookup does not fill it", props["company"])
	}

	// HubSpot moves the contact to another company that has an Account.
	other := s.CreateRecord(t, "Account", map[string]any{"Name": "Beta BV"})
	s.SyncUntilQuiet(t, 3)
	beta := s.companies()["Beta BV"]
	if err := s.HubSpotEmulator.Associate(hsID, beta[0], true); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(s.Record(t, contactID)["AccountId"]); got != other {
		t.Errorf("AccountId = %s after HubSpot changed the primary company, want %s", got, other)
	}
}

func TestAccountMatchesCompanyByContactsNotDomain(t *testing.T) {
	s := companySetup(t)
	co, err := s.HubSpotEmulator.CreateRecord("companies", map[string]string{"name": "Acme", "domain": "acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	hsID := s.CreateContact(t, map[string]string{"email": "c@acme.example", "lastname": "Cees"})
	if err := s.HubSpotEmulator.Associate(hsID, co.ID, true); err != nil {
		t.Fatal(err)
	}
	lookalike, err := s.HubSpotEmulator.CreateRecord("companies", map[string]string{"name": "Acme Holding", "domain": "acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)

	acc := s.CreateRecord(t, "Account", map[string]any{"Name": "Acme BV"})
	s.CreateRecord(t, "Contact", map[string]any{"Email": "c@acme.example", "LastName": "Cees", "AccountId": acc})
	s.SyncUntilQuiet(t, 4)

	if l := s.Link(t, acc); l == nil || l.HubSpotID != co.ID {
		t.Errorf("Account linked to %+v, want the company of its contact %s", l, co.ID)
	}
	if l := s.Link(t, lookalike.ID); l != nil {
		t.Errorf("the company with the same domain was linked: %+v", l)
	}
	if n := s.HubSpotEmulator.Count("companies", false); n != 2 {
		t.Errorf("%d HubSpot companies, want the two there were: none created for an Account that has one", n)
	}
}

func TestConvertedLeadAccountJoinsExistingCompany(t *testing.T) {
	s := companySetup(t)
	hsID, leadID := s.linkedLead("k@klant.example")
	co, err := s.HubSpotEmulator.CreateRecord("companies", map[string]string{"name": "Klant"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HubSpotEmulator.Associate(hsID, co.ID, true); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)

	res, err := s.SalesforceEmulator.ConvertLead(salesforce.ConvertLead{LeadID: leadID})
	if err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 4)
	if l := s.Link(t, res.AccountID); l == nil || l.HubSpotID != co.ID {
		t.Errorf("the converted Lead's Account is linked to %+v, want the contact's company %s", l, co.ID)
	}
	if n := s.HubSpotEmulator.Count("companies", false); n != 1 {
		t.Errorf("%d HubSpot companies after conversion, want one", n)
	}
}

func TestCompanyOfLeadContactsCreatesNoAccount(t *testing.T) {
	s := companySetup(t)
	hsID, _ := s.linkedLead("l@lead.example")
	co, err := s.HubSpotEmulator.CreateRecord("companies", map[string]string{"name": "Lead Only"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HubSpotEmulator.Associate(hsID, co.ID, true); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if n := s.SalesforceEmulator.Count("Account", false); n != 0 {
		t.Errorf("%d Accounts created for a company whose contacts sync with Leads", n)
	}
}

func TestCompanyOfPrivateContactCreatesAccount(t *testing.T) {
	s := companySetup(t, func(st *settings.Settings) { st.SalesforceOnHubSpotChange = settings.SalesforceCreateContact })
	hsID := s.CreateContact(t, map[string]string{"email": "p@prive.example", "lastname": "Prive"})
	s.SyncUntilQuiet(t, 3)
	contactID := s.linkOf(hsID).SalesforceID

	co, err := s.HubSpotEmulator.CreateRecord("companies", map[string]string{"name": "Prive BV"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HubSpotEmulator.Associate(hsID, co.ID, true); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 4)
	l := s.Link(t, co.ID)
	if l == nil {
		t.Fatal("no Account created for a company of a private Contact")
	}
	if got := enginetest.Str(s.Record(t, contactID)["AccountId"]); got != l.SalesforceID {
		t.Errorf("Contact AccountId = %s, want the new Account %s", got, l.SalesforceID)
	}
}

func TestImportAccountsCreatesCompaniesWithCompanySync(t *testing.T) {
	s := setup(t, semanticsOptions{sfSeed: &sfemu.Seed{Records: map[string][]map[string]any{
		"Account": {{"Name": "Oud BV"}, {"Name": "Ouder BV"}},
	}}, settings: func(st *settings.Settings) { st.CompanySync = true }})
	s.SyncUntilQuiet(t, 3)
	if n := s.HubSpotEmulator.Count("companies", false); n != 0 {
		t.Fatalf("%d companies before the import, want none", n)
	}

	if _, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{Accounts: true}); err != nil {
		t.Fatalf("import Accounts: %v", err)
	}
	names := s.companies()
	if len(names["Oud BV"]) != 1 || len(names["Ouder BV"]) != 1 {
		t.Errorf("companies after the Account import = %v, want one per Account", names)
	}
}
