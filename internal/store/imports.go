package store

import "time"

// ImportProgress is the resumable state of one object in an import. The
// import is a run of kind RunImport; Salesforce ids are read in ascending
// order, so LastSalesforceID is where a resumed import continues.
type ImportProgress struct {
	RunID            int64
	Object           SalesforceObject
	LastSalesforceID string
	Counts           map[string]int64
	Done             bool
	UpdatedAt        time.Time
}
