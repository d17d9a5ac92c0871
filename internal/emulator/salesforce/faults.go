package salesforce

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// SetFaults replaces the injected faults.
func (e *Emulator) SetFaults(f Faults) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.setFaultsLocked(f)
}

// Faults returns the injected faults.
func (e *Emulator) Faults() Faults {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.faults
}

func (e *Emulator) setFaultsLocked(f Faults) error {
	for name, rate := range map[string]float64{
		"server_error_rate": f.ServerErrorRate, "lock_row_rate": f.LockRowRate, "drop_connection_rate": f.DropConnectionRate,
	} {
		if rate < 0 || rate > 1 {
			return fmt.Errorf("invalid %s %v: use a share from 0 to 1", name, rate)
		}
	}
	if f.Latency < 0 || time.Duration(f.Latency) > time.Minute {
		return fmt.Errorf("invalid latency %v: use 0 to 1m", time.Duration(f.Latency))
	}
	seed := f.RandomSeed
	if seed == 0 {
		seed = 1
	}
	e.faults = f
	e.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return nil
}

// roll reports whether an event with the given rate happens. Callers hold
// e.mu.
func (e *Emulator) roll(rate float64) bool {
	if rate <= 0 {
		return false
	}
	if rate >= 1 {
		return true
	}
	return e.rng.Float64() < rate
}

func (e *Emulator) rollLockFault() bool { return e.roll(e.faults.LockRowRate) }

// faultOutcome is what the fault layer decided for one API request.
type faultOutcome int

const (
	faultNone faultOutcome = iota
	faultServerError
	faultDrop
)

func (e *Emulator) pickFault() (time.Duration, faultOutcome) {
	e.mu.Lock()
	defer e.mu.Unlock()
	latency := time.Duration(e.faults.Latency)
	switch {
	case e.roll(e.faults.DropConnectionRate):
		return latency, faultDrop
	case e.roll(e.faults.ServerErrorRate):
		return latency, faultServerError
	}
	return latency, faultNone
}

// dropConnection closes the client's connection without a response.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		// HTTP/2 has no hijacking; abort the handler instead.
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// apiCounter counts API calls over a rolling 24 hours in one-minute
// buckets, as Salesforce's DailyApiRequests does.
type apiCounter struct {
	mu      sync.Mutex
	max     int
	buckets map[int64]int // minute since epoch → calls
	total   int64         // calls since start, never reset
}

func newAPICounter(max int) *apiCounter {
	return &apiCounter{max: max, buckets: map[int64]int{}}
}

// used returns the calls of the last 24 hours at now.
func (c *apiCounter) used(now time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.usedLocked(now)
}

func (c *apiCounter) usedLocked(now time.Time) int {
	minute := now.Unix() / 60
	n := 0
	for m, count := range c.buckets {
		if m <= minute-24*60 {
			delete(c.buckets, m)
			continue
		}
		n += count
	}
	return n
}

// take counts one call unless the quota is used up; it returns the usage
// after the call and whether the call is allowed.
func (c *apiCounter) take(now time.Time) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	used := c.usedLocked(now)
	if used >= c.max {
		return used, false
	}
	c.buckets[now.Unix()/60]++
	c.total++
	return used + 1, true
}

func (c *apiCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buckets = map[int64]int{}
}
