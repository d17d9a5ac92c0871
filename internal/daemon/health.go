package daemon

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// HealthPath is the path of the health check that koppel serve and
// koppel demo serve.
const HealthPath = "/healthz"

// Health is the body of a health check response.
type Health struct {
	// Status is "ok" while the process runs. A connection whose cycles
	// fail does not change it, so a liveness probe does not restart a
	// daemon that waits out an API quota. Alert on the connections'
	// fields instead.
	Status      string             `json:"status"`
	Connections []ConnectionHealth `json:"connections"`
}

// ConnectionHealth is the health of one scheduled connection.
type ConnectionHealth struct {
	Name string `json:"name"`

	// LastSuccess is when the last cycle without a cycle error ended,
	// nil before the first one.
	LastSuccess *time.Time `json:"last_success"`

	// Failures is the number of failed cycles in a row, 0 after a
	// successful one.
	Failures int `json:"failures"`
}

// lastCycle holds what the health check reports about a scheduler's
// latest cycle. The scheduler writes it, HTTP handlers read it.
type lastCycle struct {
	mu       sync.Mutex
	success  time.Time
	failures int
}

func (l *lastCycle) note(rep Report) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = rep.Failures
	if rep.Err == nil {
		l.success = rep.Start.Add(rep.Duration)
	}
}

func (l *lastCycle) health(name string) ConnectionHealth {
	l.mu.Lock()
	defer l.mu.Unlock()
	h := ConnectionHealth{Name: name, Failures: l.failures}
	if !l.success.IsZero() {
		t := l.success.UTC()
		h.LastSuccess = &t
	}
	return h
}

// Health returns the health of the daemon and each of its connections.
func (d *Daemon) Health() Health {
	h := Health{Status: "ok", Connections: make([]ConnectionHealth, 0, len(d.order))}
	for _, name := range d.order {
		h.Connections = append(h.Connections, d.schedulers[name].last.health(name))
	}
	return h
}

// NoteCycle records a cycle that ran outside the scheduler, such as the
// demo's first cycles, for the health check. It reports whether the
// connection exists.
func (d *Daemon) NoteCycle(rep Report) bool {
	s, ok := d.schedulers[rep.Connection]
	if !ok {
		return false
	}
	s.last.note(rep)
	return true
}

// HealthHandler returns the handler of GET /healthz, which responds 200
// with Health as JSON.
func (d *Daemon) HealthHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(d.Health())
	})
}
