package store

import "time"

// Intent records that the engine is about to create a record on one side,
// before the create call. A crash between "created" and "linked" leaves a
// pending intent, and the engine resolves it on restart by looking the key
// up on the target instead of creating a duplicate. Only one pending intent
// may exist per (connection, target side, object, key).
type Intent struct {
	ID           int64
	ConnectionID int64
	TargetSide   Side

	// Object is the object created on the target side, such as "Lead",
	// "Contact", "Account", "contacts" or "companies".
	Object string

	// Key identifies the record to create: the normalized email, or
	// another key for objects without email.
	Key string

	// SourceID is the id of the record on the other side that caused the
	// create.
	SourceID string

	State IntentState

	// CreatedID is the target's id once the create was acknowledged.
	CreatedID string

	CreatedAt time.Time
	UpdatedAt time.Time
}
