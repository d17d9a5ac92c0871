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
