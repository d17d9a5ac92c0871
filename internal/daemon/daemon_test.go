package daemon

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/metrics"
	"github.com/koppel-sync/koppel/internal/store"
)

// fakeClock is a Clock that moves only when the test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
	added  chan struct{}
}

type fakeTimer struct {
	clock *fakeClock
	at    time.Time
	c     chan time.Time
	done  bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), added: make(chan struct{}, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) NewTimer(d time.Duration) Timer {
	c.mu.Lock()
	t := &fakeTimer{clock: c, at: c.now.Add(d), c: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	c.added <- struct{}{}
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.clock.mu.Lock()
	defer t.clock.mu.Unlock()
	was := !t.done
	t.done = true
	return was
}

// Advance moves the clock and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for _, t := range c.timers {
		if !t.done && !t.at.After(c.now) {
			t.done = true
			t.c <- c.now
		}
	}
}

// pending returns the durations until the active timers fire.
func (c *fakeClock) pending() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []time.Duration
	for _, t := range c.timers {
		if !t.done {
			out = append(out, t.at.Sub(c.now))
		}
	}
	return out
}

// fakeSyncer returns the queued outcomes in order, then successes that
// wrote nothing. block, when set, holds each cycle until it is closed or
// the cycle's context ends.
type fakeSyncer struct {
	mu       sync.Mutex
	outcomes []outcome
	calls    int
	block    chan struct{}
	started  chan struct{}
}

type outcome struct {
	res engine.Result
	err error
}

func (f *fakeSyncer) SyncOnce(ctx context.Context) (engine.Result, error) {
	f.mu.Lock()
	f.calls++
	var o outcome
	if len(f.outcomes) > 0 {
		o, f.outcomes = f.outcomes[0], f.outcomes[1:]
	}
	block, started := f.block, f.started
	f.mu.Unlock()

	if started != nil {
		started <- struct{}{}
	}
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return engine.Result{Status: store.RunCanceled}, ctx.Err()
		}
	}
	if o.res.Status == "" {
		o.res.Status = store.RunSucceeded
	}
	return o.res, o.err
}

type fixture struct {
	clock   *fakeClock
	syncer  *fakeSyncer
	metrics *metrics.Metrics
	logs    *syncBuffer
	reports chan Report
	daemon  *Daemon
	cancel  context.CancelFunc
	done    chan struct{}
	runErr  error
}

// syncBuffer is a bytes.Buffer safe for the daemon's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const testSecret = "hs-app-secret-3f9a1c"

func setup(t *testing.T, edit func(*Config)) *fixture {
	t.Helper()
	f := &fixture{
		clock: newFakeClock(), syncer: &fakeSyncer{}, metrics: metrics.New(),
		logs: &syncBuffer{}, reports: make(chan Report, 100), done: make(chan struct{}),
	}
	cfg := Config{
		Connections: []Connection{{Name: "acme", Syncer: f.syncer, Interval: 30 * time.Second, WebhookSecret: testSecret, PortalID: "4000001"}},
		Logger:      slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Metrics:     f.metrics,
		Clock:       f.clock,
		OnCycle:     func(r Report) { f.reports <- r },
	}
	if edit != nil {
		edit(&cfg)
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	f.daemon = d
	return f
}

func (f *fixture) start(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	go func() {
		f.runErr = f.daemon.Run(ctx)
		close(f.done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-f.done:
		case <-time.After(5 * time.Second):
			t.Error("daemon did not stop within 5s")
		}
	})
}

func (f *fixture) nextReport(t *testing.T) Report {
	t.Helper()
	select {
	case r := <-f.reports:
		return r
	case <-time.After(5 * time.Second):
		t.Fatal("no cycle within 5s")
		return Report{}
	}
}

// waitTimer waits until the scheduler has set its next timer.
func (f *fixture) waitTimer(t *testing.T) {
	t.Helper()
	select {
	case <-f.clock.added:
	case <-time.After(5 * time.Second):
		t.Fatal("scheduler set no timer within 5s")
	}
}

func (f *fixture) noReport(t *testing.T) {
	t.Helper()
	select {
	case r := <-f.reports:
		t.Fatalf("unexpected cycle with trigger %s", r.Trigger)
	case <-time.After(50 * time.Millisecond):
	}
}

func TestSchedulerRunsAtStartAndEveryInterval(t *testing.T) {
	f := setup(t, nil)
	f.start(t)

	if r := f.nextReport(t); r.Trigger != TriggerStart {
		t.Errorf("first cycle trigger = %s, want start", r.Trigger)
	}
	f.waitTimer(t)
	f.clock.Advance(29 * time.Second)
	f.noReport(t)

	f.clock.Advance(time.Second)
	if r := f.nextReport(t); r.Trigger != TriggerInterval {
		t.Errorf("second cycle trigger = %s, want interval", r.Trigger)
	}
}

func TestSchedulerBacksOffAfterFailures(t *testing.T) {
	transient := &url503{}
	f := setup(t, func(c *Config) { c.MinBackoff = time.Second; c.MaxBackoff = 4 * time.Second })
	f.syncer.outcomes = []outcome{{err: transient}, {err: transient}, {err: transient}, {err: transient}, {}}
	f.start(t)

	wantWaits := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}
	for i, want := range wantWaits {
		r := f.nextReport(t)
		if r.Err == nil || r.Failures != i+1 {
			t.Fatalf("cycle %d: err %v, failures %d; want failure %d", i+1, r.Err, r.Failures, i+1)
		}
		if r.NextIn != want {
			t.Errorf("cycle %d: next in %s, want %s", i+1, r.NextIn, want)
		}
		f.waitTimer(t)
		f.clock.Advance(want)
	}
	r := f.nextReport(t)
	if r.Err != nil || r.Trigger != TriggerRetry || r.NextIn != 30*time.Second {
		t.Errorf("recovery cycle: err %v, trigger %s, next in %s; want success by retry, next in 30s", r.Err, r.Trigger, r.NextIn)
	}
	if !strings.Contains(f.logs.String(), "sync recovered") {
		t.Errorf("no recovery log line in:\n%s", f.logs)
	}
}

// url503 is a transient failure as the HubSpot client reports it.
type url503 struct{}

func (*url503) Error() string { return "read changed HubSpot contacts: 503 Service Unavailable" }
func (*url503) Unwrap() error { return &hubspot.Error{Status: http.StatusServiceUnavailable} }

func TestSchedulerWaitsIntervalWhenPaused(t *testing.T) {
	f := setup(t, func(c *Config) { c.MinBackoff = time.Second })
	f.syncer.outcomes = []outcome{{res: engine.Result{Status: store.RunPartial}, err: engine.ErrPaused}}
	f.start(t)

	r := f.nextReport(t)
	if r.Category != CategoryAPILimit {
		t.Errorf("category = %q, want %q", r.Category, CategoryAPILimit)
	}
	if r.NextIn != 30*time.Second {
		t.Errorf("next in %s after an exhausted quota, want the 30s interval", r.NextIn)
	}
}

func TestRepeatedErrorLoggedOncePerInterval(t *testing.T) {
	boom := errors.New("open store: disk I/O error")
	f := setup(t, func(c *Config) {
		c.MinBackoff, c.MaxBackoff, c.ErrorLogInterval = time.Second, time.Second, time.Minute
	})
	for range 5 {
		f.syncer.outcomes = append(f.syncer.outcomes, outcome{err: boom})
	}
	f.start(t)

	for range 5 {
		f.nextReport(t)
		f.waitTimer(t)
		f.clock.Advance(time.Second)
	}
	f.nextReport(t)
	if n := strings.Count(f.logs.String(), `level=ERROR msg="sync cycle failed"`); n != 1 {
		t.Errorf("%d ERROR lines for 5 identical failures within a minute, want 1:\n%s", n, f.logs)
	}
	if n := strings.Count(f.logs.String(), `msg="sync cycle failed again"`); n != 4 {
		t.Errorf("%d DEBUG repeat lines, want 4", n)
	}
}

func TestErrorLogCountsRepeats(t *testing.T) {
	l := errorLog{interval: time.Minute}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if log, _ := l.note("boom", at); !log {
		t.Fatal("first error not logged")
	}
	for i := 1; i <= 3; i++ {
		if log, _ := l.note("boom", at.Add(time.Duration(i)*time.Second)); log {
			t.Fatalf("repeat %d logged", i)
		}
	}
	log, repeats := l.note("boom", at.Add(61*time.Second))
	if !log || repeats != 3 {
		t.Errorf("after a minute: log %v, repeats %d; want true, 3", log, repeats)
	}
	if log, _ := l.note("other", at.Add(62*time.Second)); !log {
		t.Error("a different error was not logged")
	}
}

func TestShutdownLetsCycleFinish(t *testing.T) {
	f := setup(t, func(c *Config) { c.ShutdownGrace = 10 * time.Second })
	f.syncer.block = make(chan struct{})
	f.syncer.started = make(chan struct{}, 1)
	f.start(t)

	<-f.syncer.started
	f.cancel()
	f.waitTimer(t) // the grace timer
	close(f.syncer.block)

	r := f.nextReport(t)
	if r.Err != nil {
		t.Errorf("cycle within the grace period ended with %v, want success", r.Err)
	}
	<-f.done
	if f.runErr != nil {
		t.Errorf("Run: %v", f.runErr)
	}
}

func TestShutdownCancelsCycleAfterGrace(t *testing.T) {
	f := setup(t, func(c *Config) { c.ShutdownGrace = 10 * time.Second })
	f.syncer.block = make(chan struct{})
	f.syncer.started = make(chan struct{}, 1)
	f.start(t)

	<-f.syncer.started
	f.cancel()
	f.waitTimer(t)
	f.clock.Advance(10 * time.Second)

	r := f.nextReport(t)
	if !errors.Is(r.Err, context.Canceled) {
		t.Errorf("cycle past the grace period ended with %v, want context.Canceled", r.Err)
	}
	<-f.done
	if f.runErr != nil {
		t.Errorf("Run: %v", f.runErr)
	}
	if !strings.Contains(f.logs.String(), "cancelling it") {
		t.Errorf("no log line about the cancelled cycle:\n%s", f.logs)
	}
}

func TestMetricsAfterCycle(t *testing.T) {
	f := setup(t, func(c *Config) {
		c.Connections[0].Budget = func() (int, int) { return 240000, 14500 }
		c.Connections[0].OpenErrors = func(context.Context) (map[string]int64, error) {
			return map[string]int64{"property_value": 3}, nil
		}
	})
	f.syncer.outcomes = []outcome{{res: engine.Result{
		Counts:          map[string]int64{"created": 4, "updated_hubspot": 2, "failed": 3},
		APICallsHubSpot: 7, APICallsSalesforce: 5,
	}}}
	f.start(t)
	f.nextReport(t)

	rec := httptest.NewRecorder()
	f.metrics.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`koppel_sync_cycles_total{connection="acme",status="succeeded"} 1`,
		`koppel_sync_records_total{connection="acme",outcome="created"} 4`,
		`koppel_sync_records_total{connection="acme",outcome="failed"} 3`,
		`koppel_api_calls_total{connection="acme",side="hubspot"} 7`,
		`koppel_api_calls_total{connection="acme",side="salesforce"} 5`,
		`koppel_api_remaining{connection="acme",side="salesforce"} 14500`,
		`koppel_sync_errors_open{category="property_value",connection="acme"} 3`,
		`koppel_sync_cycle_duration_seconds_count{connection="acme"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestNewRejectsDuplicateConnection(t *testing.T) {
	s := &fakeSyncer{}
	_, err := New(Config{Connections: []Connection{{Name: "a", Syncer: s}, {Name: "a", Syncer: s}}})
	if err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("New with a duplicate name: %v, want an error naming it", err)
	}
}
