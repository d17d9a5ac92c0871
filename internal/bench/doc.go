// Package bench measures koppel's sync against both emulators in one
// process: the wall time, the API calls each side served, and the memory
// of an initial sync and of an incremental cycle after a number of edits.
// The emulators are served over real HTTP on 127.0.0.1, so every request
// pays for JSON and the loopback stack as it would against a vendor.
package bench
