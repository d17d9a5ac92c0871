// Package engine runs koppel's two-way contact sync between Salesforce
// Leads and Contacts and HubSpot contacts, one cycle at a time:
//
//	read     changed records from both sides since each cursor, page by page
//	resolve  each record to its counterpart: by link, else by normalized email
//	plan     a pure function from both records, the mapping rules, the stored
//	         base values and the settings to a Plan of writes, each with its reason
//	apply    the Plan in batches (100 to HubSpot, 200 to Salesforce), then
//	         commit links, base values, audit rows and cursors
//
// A cycle works through one page of changes at a time, so memory grows with
// the page size, not with the number of records. A record that fails is
// parked as a sync error with its category and retried with backoff in a
// later cycle; it never holds back the rest of its page or the cursor.
//
// Creates are crash safe: the engine looks the email up on the target and
// stores a pending creation intent before it creates, and a later cycle
// that finds a pending intent adopts the record the crashed one created
// instead of creating another.
//
// The base value of a field is the canonical value both sides held after
// the last successful sync of that field. A side changed a field when its
// value differs from the base, which makes echo suppression exact: a value
// koppel wrote comes back equal to the base and is not a change.
//
// Later object types (companies, campaigns, the email opt-out) and later
// kinds of work (import, resync, deletions, merges, undo) are meant to enter
// the same read, resolve, plan and apply steps: a Plan is a list of writes,
// and every audit row carries the run id that wrote it.
package engine
