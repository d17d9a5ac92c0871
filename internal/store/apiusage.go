package store

import "time"

// APIUsage is one sample of a side's API consumption, for the usage chart.
type APIUsage struct {
	ConnectionID int64
	Side         Side
	At           time.Time

	// Used and Limit are the vendor's counters at At, such as Salesforce's
	// daily API requests; Limit is 0 when unknown.
	Used  int64
	Limit int64
}
