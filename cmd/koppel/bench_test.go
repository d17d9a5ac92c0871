package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// benchReport holds the fields of koppel bench --json the tests check.
type benchReport struct {
	People    int            `json:"people"`
	Changes   int            `json:"changes"`
	Store     string         `json:"store"`
	Records   map[string]int `json:"records"`
	Converged bool           `json:"converged"`

	Initial     benchPhase `json:"initial"`
	Incremental benchPhase `json:"incremental"`

	Mismatches struct {
		UnlinkedSalesforce int      `json:"unlinked_salesforce"`
		UnlinkedHubSpot    int      `json:"unlinked_hubspot"`
		PairsDiffering     int      `json:"pairs_differing"`
		EditsNotAgreed     int      `json:"edits_not_agreed"`
		Examples           []string `json:"examples"`
	} `json:"mismatches"`
}

type benchPhase struct {
	Cycles             int                `json:"cycles"`
	Quiet              bool               `json:"quiet"`
	WallMillis         *int64             `json:"wall_ms"`
	Records            int64              `json:"records"`
	RecordsPerSecond   float64            `json:"records_per_second"`
	APICalls           map[string]int64   `json:"api_calls"`
	EngineAPICalls     map[string]int64   `json:"engine_api_calls"`
	HubSpotByRoute     map[string]int64   `json:"hubspot_calls_by_route"`
	CallsPerThousand   map[string]float64 `json:"calls_per_1000_records"`
	MinimumPerThousand map[string]float64 `json:"minimum_calls_per_1000_records"`
	Minimum            map[string]int64   `json:"minimum_calls"`
	PeakHeapBytes      uint64             `json:"peak_heap_bytes"`
	PeakRSSBytes       uint64             `json:"peak_rss_bytes"`
	AgreeMillis        int64              `json:"agree_ms"`
	Counts             map[string]int64   `json:"counts"`
}

func TestBenchSmallRunJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a sync of 200 people against both emulators")
	}
	start := time.Now()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"bench", "--people", "200", "--changes", "50", "--json"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit code = %d, want 0; stderr:\n%s\nstdout:\n%s", code, errOut.String(), out.String())
	}
	t.Logf("koppel bench --people 200 took %s", time.Since(start).Round(time.Millisecond))

	var rep benchReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, out.String())
	}

	if rep.People != 200 {
		t.Errorf("people = %d, want 200", rep.People)
	}
	if rep.Changes != 50 {
		t.Errorf("changes = %d, want 50", rep.Changes)
	}
	if rep.Store != "sqlite" {
		t.Errorf("store = %q, want sqlite", rep.Store)
	}
	if !rep.Converged {
		t.Errorf("converged = false, mismatches %+v", rep.Mismatches)
	}
	for _, key := range []string{"salesforce.Lead", "salesforce.Contact", "hubspot.contacts"} {
		if rep.Records[key] <= 0 {
			t.Errorf("records[%q] = %d, want > 0", key, rep.Records[key])
		}
	}

	total := int64(rep.Records["salesforce.Lead"] + rep.Records["salesforce.Contact"] + rep.Records["hubspot.contacts"])
	if rep.Initial.Records != total {
		t.Errorf("initial records = %d, want the %d generated records", rep.Initial.Records, total)
	}
	if rep.Incremental.Records != 50 {
		t.Errorf("incremental records = %d, want the 50 edits", rep.Incremental.Records)
	}
	if rep.Incremental.AgreeMillis < 0 {
		t.Errorf("agree_ms = %d, want the time until both sides agreed", rep.Incremental.AgreeMillis)
	}
	if rep.Initial.Counts["created"] == 0 || rep.Initial.Counts["linked"] == 0 {
		t.Errorf("initial counts = %v, want creates and links", rep.Initial.Counts)
	}
	// 25 HubSpot edits travel to Salesforce and 25 Salesforce edits to
	// HubSpot.
	if got := rep.Incremental.Counts["updated_salesforce"]; got < 25 {
		t.Errorf("incremental updated_salesforce = %d, want the 25 HubSpot edits written", got)
	}
	if got := rep.Incremental.Counts["updated_hubspot"]; got < 25 {
		t.Errorf("incremental updated_hubspot = %d, want the 25 Salesforce edits written", got)
	}

	for name, p := range map[string]benchPhase{"initial": rep.Initial, "incremental": rep.Incremental} {
		checkBenchPhase(t, name, p)
	}
}

func checkBenchPhase(t *testing.T, name string, p benchPhase) {
	t.Helper()
	if !p.Quiet {
		t.Errorf("%s: quiet = false after %d cycles", name, p.Cycles)
	}
	if p.Cycles < 1 {
		t.Errorf("%s: cycles = %d, want at least 1", name, p.Cycles)
	}
	if p.WallMillis == nil || *p.WallMillis < 0 {
		t.Errorf("%s: wall_ms = %v, want a time", name, p.WallMillis)
	}
	if p.RecordsPerSecond <= 0 {
		t.Errorf("%s: records_per_second = %v, want > 0", name, p.RecordsPerSecond)
	}
	if p.PeakHeapBytes == 0 {
		t.Errorf("%s: peak_heap_bytes = 0", name)
	}
	if p.PeakRSSBytes < p.PeakHeapBytes/2 {
		t.Errorf("%s: peak_rss_bytes = %d, implausibly below the heap peak %d", name, p.PeakRSSBytes, p.PeakHeapBytes)
	}
	var byRoute int64
	for _, n := range p.HubSpotByRoute {
		byRoute += n
	}
	if byRoute != p.APICalls["hubspot"] {
		t.Errorf("%s: HubSpot calls by route add up to %d, want the %d HubSpot calls", name, byRoute, p.APICalls["hubspot"])
	}
	for _, side := range []string{"hubspot", "salesforce"} {
		calls := p.APICalls[side]
		if calls <= 0 {
			t.Errorf("%s: api_calls[%s] = %d, want > 0", name, side, calls)
		}
		if calls != p.EngineAPICalls[side] {
			t.Errorf("%s: the %s emulator counted %d calls, the engine %d", name, side, calls, p.EngineAPICalls[side])
		}
		if p.Minimum[side] <= 0 {
			t.Errorf("%s: minimum_calls[%s] = %d, want > 0", name, side, p.Minimum[side])
		}
		if calls < p.Minimum[side] {
			t.Errorf("%s: api_calls[%s] = %d, below the batch minimum %d", name, side, calls, p.Minimum[side])
		}
		perK, minK := p.CallsPerThousand[side], p.MinimumPerThousand[side]
		if perK < minK {
			t.Errorf("%s: %s calls per 1,000 records = %.1f, below the batch minimum %.1f", name, side, perK, minK)
		}
		want := float64(calls) * 1000 / float64(p.Records)
		if diff := perK - want; diff > 0.01 || diff < -0.01 {
			t.Errorf("%s: %s calls per 1,000 records = %.2f, want %d calls / %d records = %.2f", name, side, perK, calls, p.Records, want)
		}
	}
}

func TestBenchRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // part of the message that names the value
	}{
		{"negative people", []string{"--people", "-5"}, "-5"},
		{"zero people", []string{"--people", "0"}, "--people value 0"},
		{"huge people", []string{"--people", "100000000"}, "100000000"},
		{"negative changes", []string{"--changes", "-1"}, "--changes value -1"},
		{"bad latency", []string{"--latency", "fast"}, `"fast"`},
		{"negative latency", []string{"--latency", "-5ms"}, "-5ms"},
		{"huge latency", []string{"--latency", "1h"}, "1h0m0s"},
		{"unknown store", []string{"--store", "mysql://127.0.0.1/koppel"}, `"mysql://127.0.0.1/koppel"`},
		{"postgres without database", []string{"--store", "postgres://127.0.0.1:5432"}, "names no database"},
		{"unknown language", []string{"--lang", "fr"}, `"fr"`},
		{"extra argument", []string{"now"}, `"now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"bench"}, tt.args...), &out, &errOut)
			if code != 2 {
				t.Fatalf("exit code = %d, want 2; stderr: %s", code, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out.String())
			}
		})
	}
}

func TestBenchStoreURLHidesPassword(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"bench", "--store", "postgres://koppel:hunter2@127.0.0.1:5432"}, &out, &errOut)
	if code != 2 {
		t.Fatalf("exit code = %d, want 2", code)
	}
	if strings.Contains(errOut.String(), "hunter2") {
		t.Errorf("stderr shows the password: %q", errOut.String())
	}
}
