package engine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/store"
)

func TestParkedRecordRetriedWithBackoff(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Lock", "Company": "L", "Email": "lock@x.com"})
	env.SyncUntilQuiet(t, 3)
	contactID := env.Link(t, leadID).HubSpotID

	// Every Salesforce write fails with UNABLE_TO_LOCK_ROW while a person
	// edits the contact in HubSpot.
	if err := env.SalesforceEmulator.SetFaults(sfemu.Faults{LockRowRate: 1}); err != nil {
		t.Fatal(err)
	}
	env.UpdateContact(t, contactID, map[string]string{"jobtitle": "Inkoper"})
	res := env.Sync(t)
	if res.Counts["failed"] != 1 {
		t.Fatalf("failed = %d, want 1: %+v", res.Counts["failed"], res.Counts)
	}
	errs := env.OpenErrors(t)
	if len(errs) != 1 || errs[0].Category != store.ErrorTransient || errs[0].RecordID != leadID {
		t.Fatalf("open errors = %+v, want one transient error on the Lead", errs)
	}
	first := errs[0].NextRetryAt

	// Past the retry time the record is tried again, and fails again, so
	// the next retry moves further out.
	env.Clock.Advance(10 * time.Minute)
	env.Sync(t)
	errs = env.OpenErrors(t)
	if len(errs) != 1 || errs[0].Attempts != 2 || !errs[0].NextRetryAt.After(first.Add(30*time.Second)) {
		t.Fatalf("open errors = %+v, want a second attempt with a longer delay than after %s", errs, first)
	}

	if err := env.SalesforceEmulator.SetFaults(sfemu.Faults{}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(2 * time.Hour)
	env.SyncUntilQuiet(t, 3)

	if got := enginetest.Str(env.Record(t, leadID)["Title"]); got != "Inkoper" {
		t.Errorf("Lead Title = %q after the retry, want Inkoper", got)
	}
	if errs := env.OpenErrors(t); len(errs) != 0 {
		t.Errorf("open errors after the retry: %+v", errs)
	}
}

func TestQuotaExhaustedPausesCycle(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{})
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Quota", "Company": "Q", "Email": "quota@x.com"})
	if err := env.SalesforceEmulator.SetFaults(sfemu.Faults{QuotaExhausted: true}); err != nil {
		t.Fatal(err)
	}

	res, err := env.Engine.SyncOnce(context.Background())
	if !errors.Is(err, engine.ErrPaused) {
		t.Fatalf("SyncOnce error = %v, want ErrPaused", err)
	}
	if res.Status != store.RunPartial {
		t.Errorf("run status = %s, want %s", res.Status, store.RunPartial)
	}

	if err := env.SalesforceEmulator.SetFaults(sfemu.Faults{}); err != nil {
		t.Fatal(err)
	}
	env.SyncUntilQuiet(t, 3)
	if env.Link(t, leadID) == nil {
		t.Error("the Lead did not sync after the quota recovered")
	}
}
