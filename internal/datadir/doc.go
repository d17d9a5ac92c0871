// Package datadir guards koppel's data directory against two processes
// syncing from it at once, which could create the same record twice.
package datadir
