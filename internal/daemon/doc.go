// Package daemon schedules sync cycles for koppel serve and koppel demo.
// One goroutine per connection runs a cycle at start, then every interval
// (the connection's setting, 30 seconds by default). A verified HubSpot
// webhook that reports a change starts a cycle at once.
//
// After a failed cycle the loop waits with exponential backoff instead of
// the interval. An error that repeats is logged once per ErrorLogInterval
// with a count of the repeats. A cycle logs at INFO only when it wrote
// something or recovered from errors.
//
// Shutdown is graceful: when Run's context ends, a cycle in progress keeps
// running for up to ShutdownGrace and is then cancelled. The engine
// commits per page and records creation intents before it creates, so a
// cancelled cycle leaves nothing half-done that the next start does not
// pick up.
//
// The clock is injectable, so tests drive intervals and backoff without
// sleeping.
package daemon
