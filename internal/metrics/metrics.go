package metrics

import (
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Sides of a connection, as the value of the side label.
const (
	SideHubSpot    = "hubspot"
	SideSalesforce = "salesforce"
)

// Metrics is the set of koppel's metrics with the registry that holds them.
// Its methods are safe for concurrent use.
type Metrics struct {
	Registry *prometheus.Registry

	cycles       *prometheus.CounterVec
	records      *prometheus.CounterVec
	apiCalls     *prometheus.CounterVec
	apiRemaining *prometheus.GaugeVec
	cycleErrors  *prometheus.CounterVec
	openErrors   *prometheus.GaugeVec
	duration     *prometheus.HistogramVec
	lastSuccess  *prometheus.GaugeVec
	webhooks     *prometheus.CounterVec

	// mu guards openSeen, the categories last set per connection, so a
	// category whose errors were all resolved drops to zero instead of
	// keeping its old value.
	mu       sync.Mutex
	openSeen map[string][]string
}

// New returns a Metrics with every koppel metric registered, plus the Go
// runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		cycles: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "koppel_sync_cycles_total",
			Help: "Sync cycles run, by connection and final status (succeeded, partial, failed, canceled).",
		}, []string{"connection", "status"}),
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "koppel_sync_records_total",
			Help: "Records handled by sync cycles, by connection and outcome (created, linked, updated_hubspot, updated_salesforce, relinked, skipped, failed).",
		}, []string{"connection", "outcome"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "koppel_api_calls_total",
			Help: "API calls made by sync cycles, by connection and side (hubspot, salesforce).",
		}, []string{"connection", "side"}),
		apiRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "koppel_api_remaining",
			Help: "API calls left in the current budget as the vendor last reported it: Salesforce's daily org limit, HubSpot's daily limit. Absent until a response reported it.",
		}, []string{"connection", "side"}),
		cycleErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "koppel_sync_cycle_errors_total",
			Help: "Sync cycles that ended with an error, by connection and error category.",
		}, []string{"connection", "category"}),
		openErrors: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "koppel_sync_errors_open",
			Help: "Parked records waiting for a retry or a fix, by connection and sync-error category.",
		}, []string{"connection", "category"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "koppel_sync_cycle_duration_seconds",
			Help:    "Wall-clock duration of sync cycles, by connection.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"connection"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "koppel_sync_last_success_timestamp_seconds",
			Help: "Unix time at which the connection's last sync cycle without a cycle error ended.",
		}, []string{"connection"}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "koppel_webhook_requests_total",
			Help: "HubSpot webhook requests received, by result (accepted, bad_signature, bad_request, no_secret).",
		}, []string{"result"}),
		openSeen: map[string][]string{},
	}
	m.Registry.MustRegister(
		m.cycles, m.records, m.apiCalls, m.apiRemaining, m.cycleErrors,
		m.openErrors, m.duration, m.lastSuccess, m.webhooks,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Handler returns the HTTP handler that serves the metrics in the
// Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Cycle is the report of one finished sync cycle to the metrics.
type Cycle struct {
	// Status is the run status: succeeded, partial, failed or canceled.
	Status string

	// Counts holds the records per outcome.
	Counts map[string]int64

	APICallsHubSpot    int64
	APICallsSalesforce int64

	Duration time.Duration

	// ErrorCategory is empty for a cycle without a cycle error.
	ErrorCategory string

	// End is when the cycle ended.
	End time.Time
}

// ObserveCycle adds one finished cycle of connection.
func (m *Metrics) ObserveCycle(connection string, c Cycle) {
	m.cycles.WithLabelValues(connection, c.Status).Inc()
	for outcome, n := range c.Counts {
		if n > 0 {
			m.records.WithLabelValues(connection, outcome).Add(float64(n))
		}
	}
	m.apiCalls.WithLabelValues(connection, SideHubSpot).Add(float64(c.APICallsHubSpot))
	m.apiCalls.WithLabelValues(connection, SideSalesforce).Add(float64(c.APICallsSalesforce))
	m.duration.WithLabelValues(connection).Observe(c.Duration.Seconds())
	if c.ErrorCategory != "" {
		m.cycleErrors.WithLabelValues(connection, c.ErrorCategory).Inc()
		return
	}
	m.lastSuccess.WithLabelValues(connection).Set(float64(c.End.UnixNano()) / 1e9)
}

// SetAPIRemaining sets the calls left on side. A negative remaining means
// the vendor has not reported it, and removes the series.
func (m *Metrics) SetAPIRemaining(connection, side string, remaining int) {
	if remaining < 0 {
		m.apiRemaining.DeleteLabelValues(connection, side)
		return
	}
	m.apiRemaining.WithLabelValues(connection, side).Set(float64(remaining))
}

// SetOpenErrors sets the parked records per category of connection. A
// category set before and absent now is set to zero.
func (m *Metrics) SetOpenErrors(connection string, byCategory map[string]int64) {
	m.mu.Lock()
	defer m.mu.Unlock()

	for _, c := range m.openSeen[connection] {
		if _, ok := byCategory[c]; !ok {
			m.openErrors.WithLabelValues(connection, c).Set(0)
		}
	}
	for c, n := range byCategory {
		m.openErrors.WithLabelValues(connection, c).Set(float64(n))
	}
	seen := slices.Collect(maps.Keys(byCategory))
	for _, c := range m.openSeen[connection] {
		if !slices.Contains(seen, c) {
			seen = append(seen, c)
		}
	}
	m.openSeen[connection] = seen
}

// ObserveWebhook counts one webhook request with its result.
func (m *Metrics) ObserveWebhook(result string) {
	m.webhooks.WithLabelValues(result).Inc()
}
