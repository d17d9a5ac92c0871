package engine

import (
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// Pair is a HubSpot contact and the Salesforce record it syncs with, as
// resolve found them. Either record is nil when that side has none yet.
type Pair struct {
	Origin Side

	HubSpot    *Record
	Salesforce *Record

	// Link is the stored link, or nil when the records were matched by
	// email in this cycle.
	Link *store.Link

	// Base holds the stored base values of the link by field.
	Base map[string]mapping.Value

	// Email is the normalized email the pair is known by.
	Email string

	// Choice describes how the Salesforce record was chosen among several
	// with the same email, for the audit log; empty for a single match.
	Choice string

	// Relink moves the stored link to another Salesforce record before
	// anything is written, as when the linked Lead was converted.
	Relink *store.Relink

	// OutsideList is set when an inclusion list is configured and the
	// HubSpot contact is not a member of it.
	OutsideList bool

	// Campaigns holds the Salesforce campaigns of the Salesforce record
	// when CampaignsKnown is set.
	Campaigns      []Campaign
	CampaignsKnown bool

	// AccountCompany is the HubSpot company linked to the Salesforce
	// Contact's Account, and CompanyAccount the Account linked to the
	// HubSpot contact's primary company, when company sync is on.
	AccountCompany string
	CompanyAccount string

	// SkipCode and SkipReason are set when resolve already knows the pair
	// must not sync, as for a record without email or a duplicate.
	SkipCode   string
	SkipReason string
}
