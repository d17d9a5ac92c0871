package store

import (
	"encoding/json"
	"time"
)

// Cursor is a keyset position in one source of changes: the last
// (modification time, id) pair read from that source.
type Cursor struct {
	ConnectionID int64

	// Source names the object read, such as "salesforce/Lead" or
	// "hubspot/contacts".
	Source string

	Timestamp time.Time
	ID        string

	// Extra is optional engine state as JSON, such as a re-window bound.
	// Like Settings, PostgreSQL may return it with keys reordered.
	Extra json.RawMessage

	UpdatedAt time.Time
}
