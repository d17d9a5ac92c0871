package store

import "errors"

// Sentinel errors. Implementations wrap them with a message that names the
// value, so callers test with errors.Is and show err.Error() to people.
var (
	// ErrNotFound reports that a requested row does not exist, or that a
	// row refers to a connection, link, run or user that does not exist.
	ErrNotFound = errors.New("not found")

	// ErrConflict reports a unique violation (a second connection with the
	// same name, a second link for the same record) or a stale version in
	// an optimistic-concurrency update.
	ErrConflict = errors.New("conflict")

	// ErrInvalid reports an argument the store rejects before touching the
	// database, such as an empty name or an unknown enum value.
	ErrInvalid = errors.New("invalid argument")

	// ErrSchemaTooNew reports a database whose schema was migrated by a
	// newer koppel than the running one.
	ErrSchemaTooNew = errors.New("database schema is newer than this koppel")
)
