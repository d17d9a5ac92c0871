package store

import "time"

// SyncError is a record that failed to sync, parked for retry. A repeat of
// the same (connection, side, record id, category) updates the row and
// increments Attempts.
type SyncError struct {
	ID           int64
	ConnectionID int64

	// Side is the system that rejected the write.
	Side     Side
	Object   string
	RecordID string

	// LinkID is the link of the record, or 0 when there is none yet.
	LinkID int64

	Category ErrorCategory

	// Code is the vendor's error code, such as "FIELD_CUSTOM_VALIDATION_EXCEPTION".
	Code    string
	Message string

	// Fields names the fields the vendor blamed, if any.
	Fields []string

	Attempts  int
	FirstSeen time.Time
	LastSeen  time.Time

	// NextRetryAt is when the record is due for another attempt; zero
	// means no automatic retry.
	NextRetryAt time.Time

	// ResolvedAt is zero while the error is open.
	ResolvedAt time.Time
}

// ErrorQuery selects sync errors of one connection, newest first (ID
// descending). Zero fields do not filter.
type ErrorQuery struct {
	ConnectionID int64
	Category     ErrorCategory

	// LinkID selects the errors of one link, for a record's page.
	LinkID int64

	// RecordID selects the errors of one HubSpot or Salesforce record id,
	// matched exactly.
	RecordID string

	// IncludeResolved lists resolved errors too; by default only open
	// errors are listed.
	IncludeResolved bool

	Page Page
}
