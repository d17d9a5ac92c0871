package engine

import (
	"strings"
	"time"
)

// Side is one of the two systems in a sync.
type Side string

// Sides.
const (
	HubSpot    Side = "hubspot"
	Salesforce Side = "salesforce"
)

// Other returns the opposite side.
func (s Side) Other() Side {
	if s == HubSpot {
		return Salesforce
	}
	return HubSpot
}

// Object is the record type on its side.
type Object string

// Objects the contact sync reads and writes.
const (
	HubSpotContact Object = "contact" // HubSpot contacts
	Lead           Object = "Lead"    // Salesforce Lead
	Contact        Object = "Contact" // Salesforce Contact
)

// NormalizeEmail returns the form in which koppel compares email addresses:
// trimmed and lower-case. HubSpot compares contact emails case-insensitively
// and keeps one contact per address, so two spellings are one person.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// Ref names one record on one side.
type Ref struct {
	Side   Side   `json:"side"`
	Object Object `json:"object"`
	ID     string `json:"id"`
}

func (r Ref) String() string {
	if r.ID == "" {
		return string(r.Side) + " " + string(r.Object) + " (new)"
	}
	return string(r.Side) + " " + string(r.Object) + " " + r.ID
}

// Candidate is a Salesforce Lead or Contact that shares an email address
// with a HubSpot contact, as ChooseSalesforce sees it.
type Candidate struct {
	Object Object
	ID     string

	// LastModified is the record's LastModifiedDate: the last edit by a
	// person or an integration, not by Salesforce's own automation.
	LastModified time.Time

	// Alive is false for a deleted record and for a converted Lead, which
	// Salesforce makes read-only.
	Alive bool
}
