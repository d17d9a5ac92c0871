package daemon

import (
	"context"
	"log/slog"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/metrics"
)

// scheduler runs the cycles of one connection, one at a time.
type scheduler struct {
	d   *Daemon
	c   Connection
	log *slog.Logger

	// triggers holds at most one pending request for an early cycle, so
	// a burst of webhooks leads to one cycle.
	triggers chan Trigger

	errs errorLog
}

func newScheduler(d *Daemon, c Connection) *scheduler {
	return &scheduler{
		d: d, c: c,
		log:      d.log.With("connection", c.Name),
		triggers: make(chan Trigger, 1),
		errs:     errorLog{interval: d.cfg.ErrorLogInterval},
	}
}

func (s *scheduler) trigger(t Trigger) {
	select {
	case s.triggers <- t:
	default:
	}
}

// run runs cycles until ctx ends: the first at once, then after each
// interval or trigger, or after a backoff when the last cycle failed.
func (s *scheduler) run(ctx context.Context) {
	clock := s.d.cfg.Clock
	next := TriggerStart
	var wait time.Duration
	failures := 0

	for {
		if wait > 0 {
			// While cycles fail, a webhook does not cut the backoff
			// short: the change it reports is read by the next try.
			var triggers <-chan Trigger
			if failures == 0 {
				triggers = s.triggers
			}
			timer := clock.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C():
			case t := <-triggers:
				timer.Stop()
				next = t
			}
		}
		if ctx.Err() != nil {
			return
		}

		// A trigger that arrived before this cycle reads the changes is
		// covered by it.
		select {
		case <-s.triggers:
		default:
		}

		rep := s.cycle(ctx, next, failures)
		if ctx.Err() != nil {
			return
		}
		failures = rep.Failures
		wait = rep.NextIn
		next = TriggerInterval
		if failures > 0 {
			next = TriggerRetry
		}
	}
}

// cycle runs one cycle and reports it to the log, the metrics and
// OnCycle. failures is the number of failed cycles before this one.
func (s *scheduler) cycle(ctx context.Context, trig Trigger, failures int) Report {
	clock := s.d.cfg.Clock

	// The cycle's context outlives ctx by the grace period, so a shutdown
	// lets the batch in progress commit instead of abandoning it.
	cycleCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stopGrace := context.AfterFunc(ctx, func() {
		s.log.Info("shutdown requested, waiting for the sync cycle in progress", "grace", s.d.cfg.ShutdownGrace.String())
		t := clock.NewTimer(s.d.cfg.ShutdownGrace)
		select {
		case <-t.C():
			s.log.Warn("sync cycle still running after the grace period, cancelling it", "grace", s.d.cfg.ShutdownGrace.String())
			cancel()
		case <-cycleCtx.Done():
			t.Stop()
		}
	})
	defer stopGrace()

	start := clock.Now()
	res, err := s.c.Syncer.SyncOnce(cycleCtx)
	end := clock.Now()

	rep := Report{
		Connection: s.c.Name, Trigger: trig, Start: start, Duration: end.Sub(start),
		Result: res, Err: err, Category: Category(err),
	}
	// A syncer that reloads its settings reports the interval in use.
	if iv, ok := s.c.Syncer.(interface{ Interval() time.Duration }); ok && iv.Interval() > 0 {
		s.c.Interval = iv.Interval()
	}
	if err != nil {
		rep.Failures = failures + 1
		rep.NextIn = s.backoff(rep.Failures, rep.Category)
	} else {
		rep.NextIn = s.c.Interval
	}

	s.observe(ctx, rep)
	s.logCycle(ctx, rep, failures)
	if s.d.cfg.OnCycle != nil {
		s.d.cfg.OnCycle(rep)
	}
	return rep
}

// backoff returns the wait after the given number of failed cycles in a
// row: MinBackoff doubled per failure up to MaxBackoff, and at least the
// interval when the failure was an exhausted quota or a credentials
// problem, which a quick retry cannot fix.
func (s *scheduler) backoff(failures int, category string) time.Duration {
	cfg := s.d.cfg
	b := cfg.MinBackoff
	for i := 1; i < failures && b < cfg.MaxBackoff; i++ {
		b *= 2
	}
	b = min(b, cfg.MaxBackoff)
	if waitsForQuota(category) {
		b = max(b, s.c.Interval)
	}
	return b
}

func (s *scheduler) observe(ctx context.Context, rep Report) {
	m := s.d.cfg.Metrics
	if m == nil {
		return
	}
	m.ObserveCycle(s.c.Name, metrics.Cycle{
		Status: string(rep.Result.Status), Counts: rep.Result.Counts,
		APICallsHubSpot: rep.Result.APICallsHubSpot, APICallsSalesforce: rep.Result.APICallsSalesforce,
		Duration: rep.Duration, ErrorCategory: rep.Category, End: rep.Start.Add(rep.Duration),
	})
	if s.c.Budget != nil {
		hs, sf := s.c.Budget()
		m.SetAPIRemaining(s.c.Name, metrics.SideHubSpot, hs)
		m.SetAPIRemaining(s.c.Name, metrics.SideSalesforce, sf)
	}
	if s.c.OpenErrors != nil && (handled(rep.Result) > 0 || rep.Trigger == TriggerStart) {
		byCategory, err := s.c.OpenErrors(context.WithoutCancel(ctx))
		if err != nil {
			s.log.Warn("count open sync errors failed", "error", err)
			return
		}
		m.SetOpenErrors(s.c.Name, byCategory)
	}
}

func (s *scheduler) logCycle(ctx context.Context, rep Report, failuresBefore int) {
	attrs := []any{"run_id", rep.Result.RunID, "trigger", string(rep.Trigger), "duration", rep.Duration.Round(time.Millisecond).String()}

	if rep.Err != nil {
		if ctx.Err() != nil {
			s.log.Info("sync cycle ended by shutdown", append(attrs, "status", string(rep.Result.Status), "error", rep.Err)...)
			return
		}
		log, repeats := s.errs.note(rep.Err.Error(), rep.Start)
		attrs = append(attrs, "category", rep.Category, "failures", rep.Failures, "next_try_in", rep.NextIn.String(), "error", rep.Err)
		if !log {
			s.log.Debug("sync cycle failed again", attrs...)
			return
		}
		if repeats > 0 {
			attrs = append(attrs, "repeats_not_logged", repeats)
		}
		s.log.Error("sync cycle failed", attrs...)
		return
	}

	if failuresBefore > 0 {
		s.errs.reset()
		s.log.Info("sync recovered", append(attrs, "failed_cycles", failuresBefore)...)
		return
	}
	if writes(rep.Result) > 0 {
		s.log.Info("sync cycle done", append(attrs, "status", string(rep.Result.Status))...)
		return
	}
	s.log.Debug("sync cycle done, nothing to write", attrs...)
}

// writes returns the records a cycle created, linked, updated or parked.
func writes(r engine.Result) int64 {
	c := r.Counts
	return c["created"] + c["linked"] + c["relinked"] + c["updated_hubspot"] + c["updated_salesforce"] + c["failed"]
}

// handled returns every record a cycle planned, skips included.
func handled(r engine.Result) int64 {
	return writes(r) + r.Counts["skipped"]
}

// errorLog limits how often one repeating error is logged.
type errorLog struct {
	interval time.Duration
	last     string
	lastAt   time.Time
	repeats  int
}

// note records an occurrence of the error msg at now. It returns whether
// to log it, and how many occurrences since the last logged one were not
// logged.
func (l *errorLog) note(msg string, now time.Time) (log bool, repeats int) {
	if msg == l.last && now.Sub(l.lastAt) < l.interval {
		l.repeats++
		return false, 0
	}
	repeats = l.repeats
	if msg != l.last {
		repeats = 0
	}
	l.last, l.lastAt, l.repeats = msg, now, 0
	return true, repeats
}

func (l *errorLog) reset() { *l = errorLog{interval: l.interval} }
