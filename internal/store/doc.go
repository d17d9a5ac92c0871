// Package store is koppel's durable state. It contains connections and
// their settings, field mappings, links between HubSpot and Salesforce
// records, base values, cursors, creation intents, sync errors, the audit
// log, runs, tombstones, import progress, API usage, cached list membership,
// and the web UI's users and sessions.
//
// The Store interface has two implementations that share one conformance
// suite (package storetest): SQLite, the embedded default (package
// store/sqlite), and PostgreSQL (package store/postgres). Open picks one by
// the URL scheme; the implementation packages register themselves, so a
// program imports them for their side effect:
//
//	import (
//		_ "github.com/koppel-sync/koppel/internal/store/postgres"
//		_ "github.com/koppel-sync/koppel/internal/store/sqlite"
//	)
//
// Conventions every implementation follows:
//
//   - Times are stored in UTC with millisecond precision. The store stamps
//     rows (created, updated, seen) with Options.Now. Queries that compare
//     with the present, such as errors due for retry, take now as an
//     argument instead.
//   - A missing row, or a reference to one, returns an error wrapping
//     ErrNotFound. Unique violations and stale optimistic-concurrency
//     versions wrap ErrConflict, and invalid arguments wrap ErrInvalid. A
//     database migrated by a newer koppel fails to open with
//     ErrSchemaTooNew. Test with errors.Is.
//   - Every list that a screen pages through is ordered by a keyset and
//     backed by an index. The keyset is the row id (Page carries it), or
//     the contact id for cached list members.
//   - Credentials arrive as ciphertext and passwords and session tokens as
//     hashes, so the store never holds them in plain text. The one
//     exception is a session's CSRF secret, opaque bytes from the web
//     layer. The store logs nothing.
//   - Settings and run counts are opaque JSON owned by the engine; base
//     values and audit values are opaque text encodings owned by the engine.
package store
