package store

import "time"

// Run is one sync cycle, dry run, import, resync or undo.
type Run struct {
	ID           int64
	ConnectionID int64
	Kind         RunKind

	// UndoOf is the run that an undo run reverts, else 0.
	UndoOf int64

	StartedAt time.Time

	// FinishedAt is zero while the run is running.
	FinishedAt time.Time
	Status     RunStatus

	// Counts holds the number of records per outcome, such as
	// "created", "updated", "skipped" and "failed".
	Counts map[string]int64

	APICallsHubSpot    int64
	APICallsSalesforce int64

	// Error is the message that ended a failed run.
	Error string
}

// RunResult is the outcome of a run, recorded by FinishRun.
type RunResult struct {
	Status             RunStatus
	Counts             map[string]int64
	APICallsHubSpot    int64
	APICallsSalesforce int64
	Error              string
}
