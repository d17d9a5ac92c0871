package store

import (
	"context"
	"time"
)

// Store is koppel's durable state. Its methods are safe for concurrent use.
type Store interface {
	Tx

	// InTx runs fn in one database transaction and commits when fn
	// returns nil. An error from fn, or a panic, rolls back everything fn
	// wrote. The engine uses it to commit a batch's base values, audit
	// rows, link changes, error resolutions and cursor together after the
	// vendor acknowledged the writes. Calls on tx must stay on the
	// goroutine running fn. Inside fn, write through tx only: on SQLite a
	// write through the Store waits for fn's transaction to end, and fails
	// when the busy timeout runs out.
	InTx(ctx context.Context, fn func(tx Tx) error) error

	// Close releases the database.
	Close() error
}

// Tx is the set of store operations. On a Store, an operation that writes
// more than one row runs in its own transaction. On a Tx from InTx, every
// operation runs in the enclosing transaction.
type Tx interface {
	// Connections.

	// CreateConnection stores c with settings version 1 and returns it with
	// its ID and times. A name already in use is an ErrConflict error.
	CreateConnection(ctx context.Context, c Connection) (Connection, error)
	GetConnection(ctx context.Context, id int64) (Connection, error)
	GetConnectionByName(ctx context.Context, name string) (Connection, error)
	// ListConnections returns all connections ordered by name.
	ListConnections(ctx context.Context) ([]Connection, error)
	// UpdateConnection changes the name and account ids of c.ID, and a
	// name in use is an ErrConflict error. Settings change only through
	// UpdateSettings.
	UpdateConnection(ctx context.Context, c Connection) (Connection, error)
	// UpdateSettings replaces the settings when the stored version equals
	// version, and returns the connection with the next version. A stale
	// version is an ErrConflict error; reload and apply again.
	UpdateSettings(ctx context.Context, id int64, version int64, settings []byte) (Connection, error)
	// DeleteConnection deletes a connection and everything stored for it.
	DeleteConnection(ctx context.Context, id int64) error

	// PutCredential stores or replaces one side's ciphertext.
	PutCredential(ctx context.Context, c Credential) error
	GetCredential(ctx context.Context, connectionID int64, side Side) (Credential, error)
	DeleteCredential(ctx context.Context, connectionID int64, side Side) error

	// Field mappings.

	// ReplaceMappings replaces all mappings of a connection with ms,
	// atomically, and returns them with their new IDs. Two mappings of the
	// same HubSpot property, Salesforce field and objects are an
	// ErrConflict error, and the old set stays.
	ReplaceMappings(ctx context.Context, connectionID int64, ms []Mapping) ([]Mapping, error)
	// ListMappings returns a connection's mappings ordered by ID.
	ListMappings(ctx context.Context, connectionID int64) ([]Mapping, error)

	// Links.

	// CreateLink stores an active link and its created event. A HubSpot
	// or Salesforce id that already has a link in the connection is an
	// ErrConflict error.
	CreateLink(ctx context.Context, l Link, runID int64) (Link, error)
	GetLink(ctx context.Context, id int64) (Link, error)
	GetLinkByHubSpotID(ctx context.Context, connectionID int64, kind LinkKind, hubspotID string) (Link, error)
	GetLinkBySalesforceID(ctx context.Context, connectionID int64, salesforceID string) (Link, error)
	// ListLinks returns a page of links ordered by ID ascending.
	ListLinks(ctx context.Context, q LinkQuery) ([]Link, error)
	// CountLinks returns how many links match q, ignoring q.Page.
	CountLinks(ctx context.Context, q LinkQuery) (int64, error)
	// Relink applies r to one link and writes its history event.
	Relink(ctx context.Context, r Relink) (Link, error)
	// LinkHistory returns a link's events, oldest first.
	LinkHistory(ctx context.Context, linkID int64) ([]LinkEvent, error)

	// Base values.

	// PutBaseValues stores or replaces base values, keyed by link and field.
	PutBaseValues(ctx context.Context, vs []BaseValue) error
	// ListBaseValues returns the base values of the given links, ordered
	// by link and field.
	ListBaseValues(ctx context.Context, linkIDs []int64) ([]BaseValue, error)
	// DeleteBaseValues deletes a link's base values for the given fields,
	// or all of them when no field is given.
	DeleteBaseValues(ctx context.Context, linkID int64, fields ...string) error

	// Cursors.

	GetCursor(ctx context.Context, connectionID int64, source string) (Cursor, error)
	PutCursor(ctx context.Context, c Cursor) error
	// ListCursors returns a connection's cursors ordered by source.
	ListCursors(ctx context.Context, connectionID int64) ([]Cursor, error)
	DeleteCursor(ctx context.Context, connectionID int64, source string) error

	// Creation intents.

	// CreateIntent stores a pending intent. A pending intent with the same
	// connection, target side, object and key is an ErrConflict error.
	CreateIntent(ctx context.Context, i Intent) (Intent, error)
	// SetIntentCreatedID records the target's id of a pending intent once
	// the create was acknowledged, before the link is made.
	SetIntentCreatedID(ctx context.Context, id int64, createdID string) (Intent, error)
	// FinishIntent moves a pending intent to done or abandoned. Finishing
	// an intent that is not pending is an ErrConflict error.
	FinishIntent(ctx context.Context, id int64, state IntentState, createdID string) (Intent, error)
	GetIntent(ctx context.Context, id int64) (Intent, error)
	// ListPendingIntents returns a connection's pending intents, oldest
	// first.
	ListPendingIntents(ctx context.Context, connectionID int64) ([]Intent, error)

	// Sync errors.

	// RecordError stores a sync error, or updates the row with the same
	// connection, side, record id and category: it increments Attempts and
	// takes the new code, message, fields, link and retry time. A resolved
	// error that recurs is reopened with Attempts 1.
	RecordError(ctx context.Context, e SyncError) (SyncError, error)
	GetError(ctx context.Context, id int64) (SyncError, error)
	// ListErrors returns a page of errors, newest first (ID descending).
	ListErrors(ctx context.Context, q ErrorQuery) ([]SyncError, error)
	// CountErrorsByCategory returns the number of open errors per
	// category; categories without open errors are absent.
	CountErrorsByCategory(ctx context.Context, connectionID int64) (map[ErrorCategory]int64, error)
	// ListErrorsDue returns up to limit open errors whose retry time is at
	// or before now, earliest first.
	ListErrorsDue(ctx context.Context, connectionID int64, now time.Time, limit int) ([]SyncError, error)
	// ResolveError marks one open error resolved. An unknown or already
	// resolved id is an ErrNotFound error.
	ResolveError(ctx context.Context, id int64) error
	// SetErrorNextRetry moves one open error's retry time to at and
	// changes nothing else, so a retry an admin asks for does not count
	// as an attempt. An unknown or resolved id is an ErrNotFound error.
	SetErrorNextRetry(ctx context.Context, id int64, at time.Time) error
	// ResolveRecordErrors marks every open error of one record resolved,
	// after that record synced, and returns how many it resolved.
	ResolveRecordErrors(ctx context.Context, connectionID int64, side Side, recordID string) (int64, error)

	// Audit log.

	// AppendAudit stores audit entries; a zero At takes Options.Now.
	AppendAudit(ctx context.Context, es []AuditEntry) error
	// ListAuditByLink returns a link's entries, newest first (ID descending).
	ListAuditByLink(ctx context.Context, linkID int64, p Page) ([]AuditEntry, error)
	// ListAuditByRun returns a run's entries in the order they were
	// written (ID ascending).
	ListAuditByRun(ctx context.Context, runID int64, p Page) ([]AuditEntry, error)

	// Runs.

	// StartRun stores a running run and returns it with its ID and start.
	StartRun(ctx context.Context, r Run) (Run, error)
	// FinishRun records the end of a running run. Finishing a run that is
	// not running is an ErrConflict error.
	FinishRun(ctx context.Context, id int64, res RunResult) (Run, error)
	GetRun(ctx context.Context, id int64) (Run, error)
	// ListRuns returns a connection's runs, newest first (ID descending).
	ListRuns(ctx context.Context, connectionID int64, p Page) ([]Run, error)

	// Tombstones.

	// PutTombstone stores a tombstone, or replaces the one for the same
	// record.
	PutTombstone(ctx context.Context, t Tombstone) error
	GetTombstone(ctx context.Context, connectionID int64, side Side, recordID string) (Tombstone, error)
	// ListTombstones returns a page of one side's tombstones ordered by
	// record id; page after the last record id of the previous page.
	ListTombstones(ctx context.Context, connectionID int64, side Side, afterRecordID string, limit int) ([]Tombstone, error)
	// DeleteTombstone removes a tombstone when an admin resyncs the record.
	DeleteTombstone(ctx context.Context, connectionID int64, side Side, recordID string) error

	// Import progress.

	// PutImportProgress stores or replaces the progress of one object in
	// an import run.
	PutImportProgress(ctx context.Context, p ImportProgress) error
	// ListImportProgress returns an import run's progress ordered by object.
	ListImportProgress(ctx context.Context, runID int64) ([]ImportProgress, error)

	// API usage.

	AddAPIUsage(ctx context.Context, u APIUsage) error
	// ListAPIUsage returns a side's samples with from <= At < to, oldest
	// first. It returns every sample in the window, unpaged, so pick a
	// window that fits one chart.
	ListAPIUsage(ctx context.Context, connectionID int64, side Side, from, to time.Time) ([]APIUsage, error)
	// DeleteAPIUsageBefore deletes samples older than before and returns
	// how many it deleted.
	DeleteAPIUsageBefore(ctx context.Context, before time.Time) (int64, error)

	// HubSpot list membership cache.

	// AddListMembers adds contacts to a cached list; a contact already in
	// it keeps its FirstSeen.
	AddListMembers(ctx context.Context, connectionID int64, listID string, contactIDs []string) error
	RemoveListMembers(ctx context.Context, connectionID int64, listID string, contactIDs []string) error
	// IsListMember reports whether a contact is in a cached list.
	IsListMember(ctx context.Context, connectionID int64, listID, contactID string) (bool, error)
	// ListListMembers returns a page of a cached list's members ordered by
	// contact id; page after the last contact id of the previous page.
	ListListMembers(ctx context.Context, connectionID int64, listID string, afterContactID string, limit int) ([]ListMember, error)
	// ClearList deletes a cached list.
	ClearList(ctx context.Context, connectionID int64, listID string) error

	// Web UI users, sessions and sign-in attempts.

	// CreateUser stores a user; a username in use is an ErrConflict error.
	CreateUser(ctx context.Context, u User) (User, error)
	GetUser(ctx context.Context, id int64) (User, error)
	GetUserByUsername(ctx context.Context, username string) (User, error)
	// ListUsers returns all users ordered by username.
	ListUsers(ctx context.Context) ([]User, error)
	SetPasswordHash(ctx context.Context, userID int64, hash []byte) error
	// DeleteUser deletes a user and their sessions.
	DeleteUser(ctx context.Context, id int64) error

	CreateSession(ctx context.Context, s Session) error
	// GetSession returns the session with this token hash unless it
	// expired at or before now, which is an ErrNotFound error.
	GetSession(ctx context.Context, tokenHash []byte, now time.Time) (Session, error)
	DeleteSession(ctx context.Context, tokenHash []byte) error
	// DeleteUserSessions signs a user out everywhere, as after a password
	// change, and returns how many sessions it deleted.
	DeleteUserSessions(ctx context.Context, userID int64) (int64, error)
	// DeleteExpiredSessions deletes sessions that expired at or before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)

	// RecordSignInAttempt stores an attempt; a zero At takes Options.Now.
	RecordSignInAttempt(ctx context.Context, a SignInAttempt) error
	// CountFailedSignIns returns the failed attempts for key at or after since.
	CountFailedSignIns(ctx context.Context, key string, since time.Time) (int64, error)
	// DeleteSignInAttemptsBefore deletes attempts older than before.
	DeleteSignInAttemptsBefore(ctx context.Context, before time.Time) (int64, error)

	// ReplaceSetupToken deletes every setup token and stores t, so at
	// most one setup link works at a time.
	ReplaceSetupToken(ctx context.Context, t SetupToken) error
	// GetSetupToken returns the setup token unless it expired at or
	// before now, which is an ErrNotFound error, as is no token.
	GetSetupToken(ctx context.Context, now time.Time) (SetupToken, error)
	// DeleteSetupToken deletes the setup token with this hash. A token
	// already deleted is an ErrNotFound error, so of two requests that
	// use one token only the first succeeds.
	DeleteSetupToken(ctx context.Context, tokenHash []byte) error
}
