// Package generate makes realistic, deterministic test data for both
// emulators: a Benelux B2B business with its Salesforce org (Users, Accounts,
// Contacts, Leads, Campaigns and CampaignMembers) and its HubSpot account
// (owners, companies and contacts, a third of whom match a Salesforce person
// by email).
//
// The data holds the mess real CRMs hold, such as emails that differ only in
// case, a Lead and a Contact sharing one email, values a restricted picklist
// does not allow, and converted Leads. Each defect is recorded in a Manifest
// with the outcome a correct sync should reach for that record, so tests and
// demos can check the engine against it.
//
// The same Options always give byte-identical output: all randomness comes
// from math/rand/v2 seeded by Options.Seed, and all times derive from
// Options.Now.
package generate
