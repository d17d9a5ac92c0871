package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/store"
)

func TestAllocationUsedPausesUntilWindowFrees(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("budget@x.com")
	s.Settings.SalesforceAPIAllocation = 1
	s.Rebuild(t)

	s.UpdateContact(t, hsID, map[string]string{"jobtitle": "Inkoper"})
	s.Clock.Advance(time.Minute)
	before, _ := s.SalesforceEmulator.APICalls()

	res, err := s.Engine.SyncOnce(context.Background())

	if !errors.Is(err, engine.ErrAllocationUsed) || !errors.Is(err, engine.ErrPaused) {
		t.Fatalf("cycle error = %v, want the allocation pause", err)
	}
	if res.Status != store.RunPartial {
		t.Errorf("run status = %s, want %s", res.Status, store.RunPartial)
	}
	if after, _ := s.SalesforceEmulator.APICalls(); after != before {
		t.Errorf("the paused cycle made %d Salesforce calls, want none", after-before)
	}

	// Once the earlier calls leave the 24-hour window, the queued change
	// syncs in the next cycle.
	s.Clock.Advance(25 * time.Hour)
	s.Sync(t)
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "Inkoper" {
		t.Errorf("Lead Title = %q after the window freed, want Inkoper", got)
	}
}

func TestRetriesWaitAboveShareOfAllocation(t *testing.T) {
	s := setup(t, semanticsOptions{})
	s.linkedLead("first@x.com")

	// A Title longer than Salesforce's 128 characters parks the new
	// contact before any Salesforce call.
	hsID := s.CreateContact(t, map[string]string{"email": "long@x.com", "lastname": "Lang", "company": "Lang BV", "jobtitle": strings.Repeat("x", 300)})
	s.Sync(t)
	attempts := func() int {
		for _, e := range s.OpenErrors(t) {
			if e.RecordID == hsID {
				return e.Attempts
			}
		}
		t.Fatal("the contact has no open error")
		return 0
	}

	// A later change moves the read cursor past the parked contact, so only
	// the retry of due errors reads it again.
	s.Clock.Advance(time.Hour)
	s.CreateContact(t, map[string]string{"email": "later@x.com", "lastname": "Later", "company": "Later BV"})
	s.Sync(t)
	first := attempts()

	// The calls used so far are 80% of the allocation: above the default
	// 75% at which automatic retries wait, below the cap.
	runs, err := s.Store.ListRuns(context.Background(), s.ConnectionID, store.Page{Limit: store.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	var used int64
	for _, r := range runs {
		used += r.APICallsSalesforce
	}
	s.Settings.SalesforceAPIAllocation = int(used * 100 / 80)
	s.Rebuild(t)

	// Past the retry time, still inside the 24-hour window.
	s.Clock.Advance(2 * time.Hour)
	s.Sync(t)
	if got := attempts(); got != first {
		t.Errorf("attempts = %d above 75%% of the allocation, want %d: the record was retried", got, first)
	}

	s.Settings.SalesforceAPIAllocation = 0
	s.Rebuild(t)
	s.Sync(t)
	if got := attempts(); got != first+1 {
		t.Errorf("attempts = %d without an allocation, want %d: the due retry did not run", got, first+1)
	}
}
