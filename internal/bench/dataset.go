package bench

import (
	"fmt"
	"strings"

	"github.com/koppel-sync/koppel/internal/generate"
)

// generateData makes the people of a run. Without defects it removes
// every record the manifest names, and the records paired with them, so
// no record is parked and every person ends up linked.
func generateData(o Options) (*generate.Dataset, error) {
	ds, err := generate.Generate(generate.Options{People: o.People, Seed: o.Seed})
	if err != nil {
		return nil, fmt.Errorf("generate data: %w", err)
	}
	if !o.Defects {
		removeDefects(ds)
	}
	return ds, nil
}

// defectiveIDs returns the ids of the manifest's records and of the
// records they name as related. Users stay, because other records name
// them as owner.
func defectiveIDs(m generate.Manifest) map[string]bool {
	ids := map[string]bool{}
	for _, e := range m.Entries {
		if e.Object == "User" {
			continue
		}
		ids[e.ID] = true
		for _, r := range e.Related {
			ids[r[strings.LastIndex(r, ":")+1:]] = true
		}
	}
	return ids
}

func removeDefects(ds *generate.Dataset) {
	bad := defectiveIDs(ds.Manifest)
	badEmails := map[string]bool{}

	contacts := ds.Contacts[:0]
	for _, c := range ds.Contacts {
		if bad[c.Id] {
			badEmails[normalizeEmail(c.Email)] = true
			continue
		}
		contacts = append(contacts, c)
	}
	ds.Contacts = contacts

	leads := ds.Leads[:0]
	for _, l := range ds.Leads {
		if bad[l.Id] {
			badEmails[normalizeEmail(l.Email)] = true
			continue
		}
		leads = append(leads, l)
	}
	ds.Leads = leads

	hs := ds.HubSpotContacts[:0]
	for _, r := range ds.HubSpotContacts {
		if bad[r.ID] {
			badEmails[normalizeEmail(r.Properties["email"])] = true
			continue
		}
		hs = append(hs, r)
	}
	ds.HubSpotContacts = hs

	members := ds.CampaignMembers[:0]
	for _, m := range ds.CampaignMembers {
		if !bad[m.LeadId] && !bad[m.ContactId] {
			members = append(members, m)
		}
	}
	ds.CampaignMembers = members

	assocs := ds.Associations[:0]
	for _, a := range ds.Associations {
		if !bad[a.ContactID] {
			assocs = append(assocs, a)
		}
	}
	ds.Associations = assocs

	optOuts := ds.OptOuts[:0]
	for _, e := range ds.OptOuts {
		if !badEmails[normalizeEmail(e)] {
			optOuts = append(optOuts, e)
		}
	}
	ds.OptOuts = optOuts

	var userEntries []generate.Entry
	for _, e := range ds.Manifest.Entries {
		if e.Object == "User" {
			userEntries = append(userEntries, e)
		}
	}
	ds.Manifest.Entries = userEntries
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
