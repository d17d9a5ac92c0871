// Package sqlstore implements store.Store on database/sql for both SQLite
// and PostgreSQL. The two differ only in what a Dialect describes: bind
// placeholders, how times are stored, how constraint violations are
// reported and how migrations are locked. Sharing one implementation keeps
// the two databases' behaviour identical by construction, and the
// conformance suite checks it on each.
package sqlstore
