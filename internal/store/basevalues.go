package store

import "time"

// BaseValue is the canonical value both sides held after the last
// successful sync of one field of one link. The engine compares each side
// with it to tell which side changed.
type BaseValue struct {
	LinkID int64

	// Field is the engine's key for the mapped field, such as the HubSpot
	// property name.
	Field string

	// Value is the engine's text encoding of the canonical value,
	// including null; the store keeps it as given.
	Value string

	RunID    int64
	SyncedAt time.Time
}
