package engine

import "github.com/koppel-sync/koppel/internal/mapping"

// ContactMappings splits mappings into the contact mappings the contact
// cycle syncs and the ones it leaves to later steps. Company mappings
// (Account fields) are in neither. The owner is matched by user email
// and the email opt-out goes through HubSpot's subscription API; both
// are planned with the other fields. The Account ID belongs to the
// company sync.
func ContactMappings(ms []mapping.Mapping) (synced, deferred []mapping.Mapping) {
	for _, m := range ms {
		if _, lead := m.Field(mapping.ObjectLead); !lead {
			if _, contact := m.Field(mapping.ObjectContact); !contact {
				continue
			}
		}
		switch m.Kind {
		case mapping.KindAccountID:
			deferred = append(deferred, m)
		default:
			synced = append(synced, m)
		}
	}
	return synced, deferred
}
