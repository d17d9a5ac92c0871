package daemon

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func getHealth(t *testing.T, d *Daemon) Health {
	t.Helper()
	rec := httptest.NewRecorder()
	d.HealthHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, HealthPath, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var h Health
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
	}
	return h
}

func TestHealthBeforeFirstCycle(t *testing.T) {
	f := setup(t, nil)
	h := getHealth(t, f.daemon)
	if h.Status != "ok" {
		t.Errorf("status = %q, want ok", h.Status)
	}
	if len(h.Connections) != 1 || h.Connections[0].Name != "acme" {
		t.Fatalf("connections = %+v, want acme alone", h.Connections)
	}
	if h.Connections[0].LastSuccess != nil {
		t.Errorf("last success = %v before any cycle, want null", h.Connections[0].LastSuccess)
	}
}

func TestHealthShowsLastSuccessAndFailures(t *testing.T) {
	f := setup(t, func(c *Config) { c.MinBackoff = time.Second })
	f.syncer.outcomes = []outcome{{}, {err: &url503{}}}
	f.start(t)

	ok := f.nextReport(t)
	f.waitTimer(t)
	h := getHealth(t, f.daemon).Connections[0]
	wantEnd := ok.Start.Add(ok.Duration)
	if h.LastSuccess == nil || !h.LastSuccess.Equal(wantEnd) {
		t.Errorf("last success = %v, want %s", h.LastSuccess, wantEnd)
	}
	if h.Failures != 0 {
		t.Errorf("failures = %d after a success, want 0", h.Failures)
	}

	f.clock.Advance(30 * time.Second)
	if r := f.nextReport(t); r.Err == nil {
		t.Fatal("second cycle succeeded, want the queued failure")
	}
	f.waitTimer(t)
	h = getHealth(t, f.daemon).Connections[0]
	if h.LastSuccess == nil || !h.LastSuccess.Equal(wantEnd) {
		t.Errorf("last success = %v after a failure, want the earlier %s", h.LastSuccess, wantEnd)
	}
	if h.Failures != 1 {
		t.Errorf("failures = %d, want 1", h.Failures)
	}
}

func TestNoteCycleUnknownConnection(t *testing.T) {
	f := setup(t, nil)
	if f.daemon.NoteCycle(Report{Connection: "other"}) {
		t.Error("NoteCycle accepted a connection the daemon does not schedule")
	}
	if !f.daemon.NoteCycle(Report{Connection: "acme", Start: f.clock.Now()}) {
		t.Fatal("NoteCycle rejected acme")
	}
	if getHealth(t, f.daemon).Connections[0].LastSuccess == nil {
		t.Error("a noted successful cycle does not show as last success")
	}
}
