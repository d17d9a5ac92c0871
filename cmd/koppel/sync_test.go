package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSyncOnceExitsOneWhenParked(t *testing.T) {
	f, _ := connectDefects(t)

	code, out, errOut := f.koppel("--lang", "nl", "sync", "--once")
	if code != 1 {
		t.Fatalf("sync --once with parked records: exit %d, want 1\nstdout %s\nstderr %s", code, out, errOut)
	}
	parked := len(f.openErrors(t))
	if parked == 0 {
		t.Fatal("the generated defects parked no record")
	}
	if !strings.Contains(errOut, "geparkeerd") {
		t.Errorf("stderr lacks the Dutch parked message: %q", errOut)
	}
	if want := "Synchronisatie 1 is klaar: sommige records zijn geparkeerd."; !strings.Contains(out, want) {
		t.Errorf("stdout lacks %q:\n%s", want, out)
	}
	for _, english := range []string{"created:", "linked:", "API calls"} {
		if strings.Contains(out, english) {
			t.Errorf("Dutch output contains English %q:\n%s", english, out)
		}
	}
}

func TestSyncOnceExitsZeroWhenAllSynced(t *testing.T) {
	f := setupConnect(t)
	f.connectBoth(t)

	code, out, errOut := f.koppel("--lang", "en", "sync", "--once")
	if code != 0 {
		t.Fatalf("sync --once without defects: exit %d, want 0\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !strings.Contains(out, "Run 1 finished: every record synced.") {
		t.Errorf("stdout lacks the run status:\n%s", out)
	}
	if !strings.Contains(out, "linked: new links, counting the link of each created record") {
		t.Errorf("stdout does not say what the linked count counts:\n%s", out)
	}
}

func TestSyncJSONUsesSnakeCase(t *testing.T) {
	f := setupConnect(t)
	f.connectBoth(t)

	_, out, errOut := f.koppel("--json", "sync", "--once")
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json sync --once output is not JSON: %v\nstdout %s\nstderr %s", err, out, errOut)
	}
	for _, key := range []string{"run_id", "status", "counts", "api_calls_hubspot", "api_calls_salesforce"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, out)
		}
	}
	for _, key := range []string{"RunID", "APICallsHubSpot"} {
		if _, ok := doc[key]; ok {
			t.Errorf("JSON has the Go field name %q: %s", key, out)
		}
	}
}
