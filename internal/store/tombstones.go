package store

import "time"

// Tombstone remembers a record deleted on one side, so that a later update
// on the other side does not recreate it unless an admin resyncs it.
type Tombstone struct {
	ConnectionID int64
	Side         Side
	Object       string
	RecordID     string

	// LinkID is the link the record had, or 0.
	LinkID int64

	DeletedAt time.Time
}
