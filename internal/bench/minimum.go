package bench

// Batch sizes of the vendor APIs the minimum is computed from.
const (
	// HubSpotWriteBatch is the records per HubSpot batch create or update.
	HubSpotWriteBatch = 100
	// HubSpotSearchPage is the records per HubSpot CRM search page.
	HubSpotSearchPage = 200
	// SalesforceCollection is the records per sObject Collections call.
	SalesforceCollection = 200
	// SalesforceQueryPage is the records per SOQL query page.
	SalesforceQueryPage = 2_000
)

// Work is the records a phase had to read and write on each side.
type Work struct {
	HubSpotRead    int64 `json:"hubspot_read"`
	HubSpotCreated int64 `json:"hubspot_created"`
	HubSpotUpdated int64 `json:"hubspot_updated"`

	// SalesforceRead holds the records read per object, because each
	// object is its own SOQL query.
	SalesforceRead    map[string]int64 `json:"salesforce_read"`
	SalesforceCreated int64            `json:"salesforce_created"`
	SalesforceUpdated int64            `json:"salesforce_updated"`
}

// Minimum is the fewest API calls that can do a Work on each side.
type Minimum struct {
	HubSpot    int64 `json:"hubspot"`
	Salesforce int64 `json:"salesforce"`
}

// MinimumCalls returns the fewest calls that read and write w. Each
// record is read once in full pages: HubSpot search returns 200 per call,
// SOQL 2,000 per page and object. Each record is written once in full
// batches: HubSpot takes 100 per batch create or update, Salesforce 200
// per collection create or update. The lookups that matching by email and
// reading a linked counterpart need are left out, so no sync reaches it.
func MinimumCalls(w Work) Minimum {
	var sfRead int64
	for _, n := range w.SalesforceRead {
		sfRead += batches(n, SalesforceQueryPage)
	}
	return Minimum{
		HubSpot: batches(w.HubSpotRead, HubSpotSearchPage) +
			batches(w.HubSpotCreated, HubSpotWriteBatch) + batches(w.HubSpotUpdated, HubSpotWriteBatch),
		Salesforce: sfRead +
			batches(w.SalesforceCreated, SalesforceCollection) + batches(w.SalesforceUpdated, SalesforceCollection),
	}
}

// batches returns the calls that n records take at size per call.
func batches(n, size int64) int64 {
	if n <= 0 {
		return 0
	}
	return (n + size - 1) / size
}

// PerThousand returns calls per 1,000 records, or 0 without records.
func PerThousand(calls, records int64) float64 {
	if records <= 0 {
		return 0
	}
	return float64(calls) * 1000 / float64(records)
}
