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
//     rows (created, updated, seen) with Options.Now; queries that compare
//     with the present, such as errors due for retry, take now as an argument.
//   - Missing rows return an error wrapping ErrNotFound; unique violations
//     and stale optimistic-concurrency versions wrap ErrConflict; invalid
//     arguments wrap ErrInvalid. Test with errors.Is.
//   - Every list that a screen pages through is ordered by a keyset (the
//     row id) and backed by an index; Page carries the cursor.
//   - Secrets never reach the store in plain text: credentials arrive as
//     ciphertext and passwords and session tokens as hashes, and the store
//     never logs them.
//   - Settings and run counts are opaque JSON owned by the engine; base
//     values and audit values are opaque text encodings owned by the engine.
package store
