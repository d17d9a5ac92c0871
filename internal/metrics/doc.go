// Package metrics holds koppel's Prometheus metrics: sync cycles, records
// by outcome, API calls and remaining budget per side, errors by category,
// cycle duration and webhook requests. koppel serve exposes them at
// /metrics, and koppel demo reads them for its progress line.
//
// Every series of a connection carries the label connection with the
// connection's name. A Metrics has its own registry, so tests and several
// daemons in one process do not share counters.
package metrics
