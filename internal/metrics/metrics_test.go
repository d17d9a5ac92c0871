package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", rec.Code)
	}
	return rec.Body.String()
}

func TestOpenErrorsDropToZero(t *testing.T) {
	m := New()
	m.SetOpenErrors("acme", map[string]int64{"property_value": 3, "duplicates": 1})
	m.SetOpenErrors("acme", map[string]int64{"property_value": 2})

	body := scrape(t, m)
	if !strings.Contains(body, `koppel_sync_errors_open{category="property_value",connection="acme"} 2`) {
		t.Error("property_value not updated to 2")
	}
	if !strings.Contains(body, `koppel_sync_errors_open{category="duplicates",connection="acme"} 0`) {
		t.Error("duplicates, resolved since, not set to 0")
	}
}

func TestAPIRemainingUnknownRemovesSeries(t *testing.T) {
	m := New()
	m.SetAPIRemaining("acme", SideSalesforce, 14000)
	if !strings.Contains(scrape(t, m), `koppel_api_remaining{connection="acme",side="salesforce"} 14000`) {
		t.Fatal("remaining calls not exposed")
	}
	m.SetAPIRemaining("acme", SideSalesforce, -1)
	if strings.Contains(scrape(t, m), `koppel_api_remaining{connection="acme",side="salesforce"}`) {
		t.Error("an unknown remaining budget is still exposed")
	}
}

func TestFailedCycleLeavesLastSuccess(t *testing.T) {
	m := New()
	end := time.Unix(1_780_000_000, 0)
	m.ObserveCycle("acme", Cycle{Status: "succeeded", End: end})
	m.ObserveCycle("acme", Cycle{Status: "failed", ErrorCategory: "transient", End: end.Add(time.Minute)})

	body := scrape(t, m)
	if !strings.Contains(body, `koppel_sync_last_success_timestamp_seconds{connection="acme"} 1.78e+09`) {
		t.Errorf("last success moved by a failed cycle:\n%s", grep(body, "last_success"))
	}
	if !strings.Contains(body, `koppel_sync_cycle_errors_total{category="transient",connection="acme"} 1`) {
		t.Error("failed cycle not counted by category")
	}
}

func grep(body, word string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
