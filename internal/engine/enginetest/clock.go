package enginetest

import (
	"sync"
	"time"
)

// Clock is a manual clock shared by the emulators, the store and the
// engine. Every reading moves it one millisecond on, so two changes never
// share a timestamp unless a test sets them to, and the order of edits is
// the order of the test's steps.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at start.
func NewClock(start time.Time) *Clock { return &Clock{t: start.UTC()} }

// Now returns the current time and moves the clock by a millisecond.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
