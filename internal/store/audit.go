package store

import "time"

// AuditEntry records one field write: which value replaced which, in which
// direction, and the rule and reason that decided it.
type AuditEntry struct {
	ID           int64
	RunID        int64
	ConnectionID int64

	// LinkID is 0 for a write that has no link yet.
	LinkID int64

	HubSpotID    string
	SalesforceID string

	Field string

	// OldValue and NewValue are the engine's text encodings; undo writes
	// OldValue back.
	OldValue string
	NewValue string

	Direction Direction
	Rule      string

	// ReasonCode is a stable machine-readable reason, such as
	// "hubspot_blank"; Reason is the text for people.
	ReasonCode string
	Reason     string

	// Conflict is true when both sides changed since the base value.
	Conflict bool

	At time.Time
}
