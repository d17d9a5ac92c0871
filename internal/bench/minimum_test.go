package bench

import "testing"

func TestMinimumCallsEmpty(t *testing.T) {
	if got := MinimumCalls(Work{}); got != (Minimum{}) {
		t.Errorf("MinimumCalls(Work{}) = %+v, want zero", got)
	}
}

func TestMinimumCallsRoundsUpPerBatch(t *testing.T) {
	w := Work{
		HubSpotRead:    201, // 2 search pages
		HubSpotCreated: 100, // 1 batch
		HubSpotUpdated: 101, // 2 batches
		SalesforceRead: map[string]int64{
			"Lead":    2_000, // 1 page
			"Contact": 1,     // 1 page of its own
		},
		SalesforceCreated: 199, // 1 collection
		SalesforceUpdated: 401, // 3 collections
	}
	got := MinimumCalls(w)
	if got.HubSpot != 5 {
		t.Errorf("HubSpot minimum = %d, want 2 reads + 1 create + 2 updates = 5", got.HubSpot)
	}
	if got.Salesforce != 6 {
		t.Errorf("Salesforce minimum = %d, want 2 reads + 1 create + 3 updates = 6", got.Salesforce)
	}
}

func TestMinimumCallsInitialSyncShape(t *testing.T) {
	// 10,000 HubSpot contacts read, 5,000 created and 5,000 updated there;
	// 3,000 Leads and 4,000 Contacts read, 3,000 Leads created.
	w := Work{
		HubSpotRead: 10_000, HubSpotCreated: 5_000, HubSpotUpdated: 5_000,
		SalesforceRead:    map[string]int64{"Lead": 3_000, "Contact": 4_000},
		SalesforceCreated: 3_000,
	}
	got := MinimumCalls(w)
	if got.HubSpot != 50+50+50 {
		t.Errorf("HubSpot minimum = %d, want 150", got.HubSpot)
	}
	if got.Salesforce != 2+2+15 {
		t.Errorf("Salesforce minimum = %d, want 19", got.Salesforce)
	}
}

func TestMinimumCallsIgnoresNegative(t *testing.T) {
	got := MinimumCalls(Work{HubSpotRead: -5, SalesforceRead: map[string]int64{"Lead": -1}})
	if got != (Minimum{}) {
		t.Errorf("MinimumCalls with negative counts = %+v, want zero", got)
	}
}

func TestPerThousand(t *testing.T) {
	if got := PerThousand(15, 3_000); got != 5 {
		t.Errorf("PerThousand(15, 3000) = %v, want 5", got)
	}
	if got := PerThousand(15, 0); got != 0 {
		t.Errorf("PerThousand(15, 0) = %v, want 0", got)
	}
}
