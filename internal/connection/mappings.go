package connection

import (
	"fmt"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// isCompanyMapping reports whether m writes Accounts, so it belongs to the
// company sync rather than the contact sync.
func isCompanyMapping(m mapping.Mapping) bool {
	_, ok := m.Field(mapping.ObjectAccount)
	return ok
}

// MappingRows returns the store rows of ms. A mapping whose Lead and
// Contact fields share one API name becomes one row for both objects;
// otherwise each object gets its own row.
func MappingRows(connectionID int64, ms []mapping.Mapping) []store.Mapping {
	var rows []store.Mapping
	row := func(m mapping.Mapping, field string, objects store.MappingObjects) store.Mapping {
		return store.Mapping{
			ConnectionID: connectionID, HubSpotProperty: m.HubSpot.Name, SalesforceField: field,
			Objects: objects, Rule: string(m.Rule), IsDefault: m.Default, Kind: string(m.Kind),
		}
	}
	for _, m := range ms {
		lead, hasLead := m.Field(mapping.ObjectLead)
		contact, hasContact := m.Field(mapping.ObjectContact)
		if account, ok := m.Field(mapping.ObjectAccount); ok {
			rows = append(rows, row(m, account.Name, store.MapAccount))
		}
		switch {
		case hasLead && hasContact && lead.Name == contact.Name:
			rows = append(rows, row(m, lead.Name, store.MapBoth))
		default:
			if hasLead {
				rows = append(rows, row(m, lead.Name, store.MapLead))
			}
			if hasContact {
				rows = append(rows, row(m, contact.Name, store.MapContact))
			}
		}
	}
	return rows
}

// MappingsFromRows returns the mappings stored in rows: the default
// contact and company mappings with their stored rules, then the custom
// mappings. With no rows it returns the defaults.
//
// Custom mappings carry only names: the engine fills in the types from
// the org's describe and the portal's properties
// (mapping.Set.ApplyDescribe and ApplyHubSpotProperties) before it
// converts values.
func MappingsFromRows(rows []store.Mapping) ([]mapping.Mapping, error) {
	contacts, companies := mapping.NewContactSet(), mapping.NewCompanySet()

	type key struct {
		company bool
		hubspot string
	}
	var order []key
	grouped := map[key][]store.Mapping{}
	for _, r := range rows {
		k := key{company: r.Objects == store.MapAccount, hubspot: r.HubSpotProperty}
		if _, seen := grouped[k]; !seen {
			order = append(order, k)
		}
		grouped[k] = append(grouped[k], r)
	}

	var customContacts, customCompanies []mapping.Mapping
	for _, k := range order {
		group := grouped[k]
		rule, err := mapping.ParseRule(group[0].Rule)
		if err != nil {
			return nil, fmt.Errorf("load mapping of %s: %w", k.hubspot, err)
		}

		set := contacts
		if k.company {
			set = companies
		}
		if d, ok := storedDefault(set, k.company, k.hubspot, group[0].IsDefault); ok {
			if err := set.SetRule(d.ID, rule); err != nil {
				return nil, fmt.Errorf("load mapping %s: %w", d.ID, err)
			}
			continue
		}

		m := mapping.Mapping{
			ID:      "custom." + k.hubspot,
			HubSpot: mapping.HubSpotProperty{Name: k.hubspot},
			Rule:    rule,
			Kind:    mapping.KindOrdinary,
		}
		for _, r := range group {
			for _, object := range rowObjects(r.Objects) {
				m.Salesforce = append(m.Salesforce, mapping.SalesforceField{Object: object, Name: r.SalesforceField})
			}
		}
		if k.company {
			customCompanies = append(customCompanies, m)
		} else {
			customContacts = append(customContacts, m)
		}
	}

	out := append(contacts.All(), customContacts...)
	out = append(out, companies.All()...)
	return append(out, customCompanies...), nil
}

// storedDefault returns the default mapping of a stored row: the default
// of the HubSpot property, or for a row stored as a default under a
// renamed default's former property, that default under its current
// name.
func storedDefault(set *mapping.Set, company bool, hubspot string, isDefault bool) (mapping.Mapping, bool) {
	if d, ok := set.ByHubSpot(hubspot); ok && d.Default {
		return d, true
	}
	if !isDefault {
		return mapping.Mapping{}, false
	}
	prefix := "contact."
	if company {
		prefix = "company."
	}
	d, ok := set.Get(prefix + hubspot)
	return d, ok && d.Default
}

func rowObjects(o store.MappingObjects) []string {
	switch o {
	case store.MapBoth:
		return []string{mapping.ObjectLead, mapping.ObjectContact}
	case store.MapLead:
		return []string{mapping.ObjectLead}
	case store.MapContact:
		return []string{mapping.ObjectContact}
	default:
		return []string{mapping.ObjectAccount}
	}
}
