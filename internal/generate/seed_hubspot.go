package generate

import (
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
)

// HubSpotSeed returns the dataset as a seed for the HubSpot emulator.
func (ds *Dataset) HubSpotSeed() *hsemu.Seed {
	seed := &hsemu.Seed{Config: hsemu.Config{
		PrivateAppTokens: []string{ds.Credentials().HubSpotToken},
		// The daily budget of a Professional account (HubSpot's usage
		// guidelines); the ten-second window stays off so demos run fast.
		RateLimits: hsemu.RateLimits{Daily: 625_000},
	}}
	seed.Properties = append(seed.Properties, statusSeedProperty())
	for _, o := range ds.Owners {
		seed.Owners = append(seed.Owners, hsemu.Owner{
			ID: o.ID, Email: o.Email, FirstName: o.FirstName, LastName: o.LastName, UserID: o.UserID,
		})
	}
	for _, r := range ds.HubSpotContacts {
		seed.Contacts = append(seed.Contacts, hubspotSeedRecord(r))
	}
	for _, r := range ds.HubSpotCompanies {
		seed.Companies = append(seed.Companies, hubspotSeedRecord(r))
	}
	for _, a := range ds.Associations {
		seed.Associations = append(seed.Associations, hsemu.SeedAssociation{
			ContactID: a.ContactID, CompanyID: a.CompanyID, Primary: a.Primary,
		})
	}
	seed.OptOuts = append(seed.OptOuts, ds.OptOuts...)
	return seed
}

func hubspotSeedRecord(r HubSpotRecord) hsemu.SeedRecord {
	return hsemu.SeedRecord{ID: r.ID, Properties: r.Properties, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// statusSeedProperty returns the Status dropdown as a portal that ran koppel
// before has it: the options koppel created from the Lead Status picklist,
// and the options a marketer added in HubSpot since. The portal is
// otherwise new, so koppel creates its other properties when it connects.
func statusSeedProperty() hsemu.SeedProperty {
	p := hsemu.SeedProperty{
		ObjectType: "contacts", Name: statusProperty, Label: "Status", Type: "enumeration", FieldType: "select",
		GroupName:   "koppel",
		Description: "Synced by koppel with Salesforce Lead.Status.",
	}
	values := []string{leadStatuses[0].Value, leadStatuses[1].Value, leadStatusConverted, leadStatuses[2].Value}
	values = append(values, hubspotOnlyLeadStatuses...)
	for i, v := range values {
		p.Options = append(p.Options, hsemu.Option{Label: v, Value: v, DisplayOrder: i})
	}
	return p
}
