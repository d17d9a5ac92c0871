package store

import "time"

// Link joins a HubSpot record to a Salesforce record: a contact to a Lead
// or Contact, or a company to an Account. Within a connection a HubSpot id
// (per kind) and a Salesforce id each belong to at most one link, whatever
// its status.
type Link struct {
	ID           int64
	ConnectionID int64
	Kind         LinkKind

	HubSpotID        string
	SalesforceID     string
	SalesforceObject SalesforceObject

	// Email is the normalized (trimmed, lower-case) email the link was
	// made by, kept so that people can find a link by email. Empty for
	// company links.
	Email string

	Status    LinkStatus
	CreatedAt time.Time
	UpdatedAt time.Time
}

// LinkEvent is one entry in a link's history. A created event has empty
// old ids; the other events record the ids before and after.
type LinkEvent struct {
	ID     int64
	LinkID int64
	At     time.Time
	Event  LinkEventKind

	OldHubSpotID        string
	NewHubSpotID        string
	OldSalesforceID     string
	OldSalesforceObject SalesforceObject
	NewSalesforceID     string
	NewSalesforceObject SalesforceObject

	// RunID is the run that made the change, or 0 for an admin action.
	RunID int64

	// Note is free text for people, such as "merged into 003...".
	Note string
}

// Relink moves a link to other records, or changes its status, and writes
// one history event. Empty ids and an empty status keep the current value.
type Relink struct {
	LinkID int64
	Event  LinkEventKind

	HubSpotID        string
	SalesforceID     string
	SalesforceObject SalesforceObject
	Email            string
	Status           LinkStatus

	RunID int64
	Note  string
}

// LinkQuery selects links of one connection. Zero fields do not filter.
// Results are ordered by ID ascending.
type LinkQuery struct {
	ConnectionID int64
	Kind         LinkKind
	Status       LinkStatus

	// Email matches the normalized email exactly; the store trims and
	// lower-cases the argument first.
	Email string

	// RecordID matches either side's id exactly.
	RecordID string

	Page Page
}
