package generate

import (
	"fmt"
	"time"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/mapping"
)

// EmulatorCredentials are the credentials the generated seeds accept, so
// koppel connect can sign in to the emulators. They protect nothing but
// local emulators.
type EmulatorCredentials struct {
	SalesforceClientID     string
	SalesforceClientSecret string
	SalesforceUsername     string
	HubSpotToken           string
}

// integrationUser is the Salesforce User koppel signs in as. It is seeded
// first, so the emulator's OAuth flows log in as this user.
var integrationUser = User{
	FirstName: "koppel", LastName: "Integration",
	Email: "integration@" + sellerDomain, Username: "integration@" + sellerDomain + ".crm", Alias: "kintg",
}

// Credentials returns the emulator credentials of the dataset. They derive
// from the seed, so a regenerated dataset keeps them.
func (ds *Dataset) Credentials() EmulatorCredentials {
	r := newSource(ds.Manifest.Seed ^ 0x6b6f7070656c)
	hex := func(n int) string {
		const digits = "0123456789abcdef"
		b := make([]byte, n)
		for i := range b {
			b[i] = digits[r.IntN(16)]
		}
		return string(b)
	}
	return EmulatorCredentials{
		SalesforceClientID:     "3MVG9koppelEmulator." + hex(24),
		SalesforceClientSecret: hex(40),
		SalesforceUsername:     integrationUser.Username,
		HubSpotToken:           "pat-eu1-" + hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12),
	}
}

// SalesforceSeed returns the dataset as a seed for the Salesforce
// emulator, with the integration user and the emulator credentials.
func (ds *Dataset) SalesforceSeed() *sfemu.Seed {
	creds := ds.Credentials()
	seed := &sfemu.Seed{
		Config: sfemu.Config{
			OAuth: sfemu.OAuthConfig{
				ClientID:     creds.SalesforceClientID,
				ClientSecret: creds.SalesforceClientSecret,
				Username:     creds.SalesforceUsername,
			},
		},
		Records: map[string][]map[string]any{},
	}
	add := func(object string, r record) { seed.Records[object] = append(seed.Records[object], r) }

	add("User", userRecord(integrationUser))
	for _, u := range ds.Users {
		add("User", userRecord(u))
	}
	for _, a := range ds.Accounts {
		r := record{}
		r.set("Id", a.Id).set("Name", a.Name).set("Website", a.Website).set("Phone", a.Phone)
		r.set("BillingStreet", a.BillingStreet).set("BillingCity", a.BillingCity)
		r.set("BillingPostalCode", a.BillingPostalCode).set("BillingState", a.BillingState)
		r.set("BillingCountry", a.BillingCountry).set("Industry", a.Industry).set("Type", a.Type)
		r.set("Rating", a.Rating).set("OwnerId", a.OwnerId)
		r["NumberOfEmployees"] = a.NumberOfEmployees
		r["AnnualRevenue"] = a.AnnualRevenue
		r.times(a.CreatedDate, a.LastModifiedDate)
		add("Account", r)
	}
	for _, c := range ds.Contacts {
		r := record{}
		r.set("Id", c.Id).set("AccountId", c.AccountId).set("Salutation", c.Salutation)
		r.set("FirstName", c.FirstName).set("LastName", c.LastName).set("Email", c.Email)
		r.set("Title", c.Title).set("Phone", c.Phone).set("MobilePhone", c.MobilePhone)
		r.set("MailingStreet", c.MailingStreet).set("MailingCity", c.MailingCity)
		r.set("MailingPostalCode", c.MailingPostalCode).set("MailingState", c.MailingState)
		r.set("MailingCountry", c.MailingCountry).set("LeadSource", c.LeadSource).set("OwnerId", c.OwnerId)
		r["HasOptedOutOfEmail"] = c.HasOptedOutOfEmail
		r.times(c.CreatedDate, c.LastModifiedDate)
		add("Contact", r)
	}
	for _, l := range ds.Leads {
		r := record{}
		r.set("Id", l.Id).set("Salutation", l.Salutation).set("FirstName", l.FirstName)
		r.set("LastName", l.LastName).set("Email", l.Email).set("Title", l.Title)
		r.set("Company", l.Company).set("Phone", l.Phone).set("MobilePhone", l.MobilePhone)
		r.set("Street", l.Street).set("City", l.City).set("PostalCode", l.PostalCode)
		r.set("State", l.State).set("Country", l.Country).set("Website", l.Website)
		r.set("Status", l.Status).set("LeadSource", l.LeadSource).set("Industry", l.Industry)
		r.set("Rating", l.Rating).set("OwnerId", l.OwnerId)
		if l.NumberOfEmployees > 0 {
			r["NumberOfEmployees"] = l.NumberOfEmployees
		}
		r["HasOptedOutOfEmail"] = l.HasOptedOutOfEmail
		if l.IsConverted {
			r["IsConverted"] = true
			r["ConvertedDate"] = l.ConvertedDate.Format(time.DateOnly)
			r.set("ConvertedContactId", l.ConvertedContactId).set("ConvertedAccountId", l.ConvertedAccountId)
		}
		r.times(l.CreatedDate, l.LastModifiedDate)
		add("Lead", r)
	}
	for _, c := range ds.Campaigns {
		r := record{}
		r.set("Id", c.Id).set("Name", c.Name).set("Type", c.Type).set("Status", c.Status).set("OwnerId", c.OwnerId)
		r["IsActive"] = c.IsActive
		r["StartDate"] = c.StartDate.Format(time.DateOnly)
		r["EndDate"] = c.EndDate.Format(time.DateOnly)
		add("Campaign", r)
	}
	for _, m := range ds.CampaignMembers {
		r := record{}
		r.set("Id", m.Id).set("CampaignId", m.CampaignId).set("LeadId", m.LeadId)
		r.set("ContactId", m.ContactId).set("Status", m.Status)
		r.times(m.CreatedDate, m.CreatedDate)
		add("CampaignMember", r)
	}
	return seed
}

// record is one seed record; empty values stay out, which Salesforce
// reads as null.
type record map[string]any

func (r record) set(field, value string) record {
	if value != "" {
		r[field] = value
	}
	return r
}

func (r record) times(created, modified time.Time) {
	r["CreatedDate"] = mapping.FormatSalesforceDateTime(created)
	r["LastModifiedDate"] = mapping.FormatSalesforceDateTime(modified)
	r["SystemModstamp"] = mapping.FormatSalesforceDateTime(modified)
}

func userRecord(u User) record {
	r := record{}
	r.set("Id", u.Id).set("FirstName", u.FirstName).set("LastName", u.LastName)
	r.set("Email", u.Email).set("Username", u.Username).set("Alias", u.Alias)
	r["IsActive"] = true
	return r
}

// String hides the secrets of c.
func (c EmulatorCredentials) String() string {
	return fmt.Sprintf("EmulatorCredentials{client_id=%s, username=%s}", c.SalesforceClientID, c.SalesforceUsername)
}
