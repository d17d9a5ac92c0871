package bench

import (
	"sync/atomic"
	"time"
)

// clock is the wall clock plus an offset that the run moves forward
// between the phases. Emulators, store and engine share it, so the
// incremental cycle starts well past the overlap window of the initial
// sync, as a cycle minutes later does, and does not re-read its writes.
type clock struct {
	offset atomic.Int64
}

func (c *clock) Now() time.Time {
	return time.Now().Add(time.Duration(c.offset.Load()))
}

func (c *clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }
