package daemon

import (
	"context"
	"log/slog"
)

// engineCycleMessages are the engine's own end-of-cycle log lines. The
// scheduler logs each cycle once with its trigger, run id and counts, so
// the engine's lines would repeat it.
var engineCycleMessages = map[string]bool{
	"sync cycle finished":            true,
	"sync cycle found nothing to do": true,
}

// withoutCycleLines wraps h so that it drops the engine's end-of-cycle
// lines and passes every other record on.
//
// TODO: drop this filter once engine.Config can turn the engine's
// end-of-cycle line off, because a renamed message would slip through.
func withoutCycleLines(h slog.Handler) slog.Handler { return cycleLineFilter{h} }

type cycleLineFilter struct{ next slog.Handler }

func (f cycleLineFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return f.next.Enabled(ctx, l)
}

func (f cycleLineFilter) Handle(ctx context.Context, r slog.Record) error {
	if engineCycleMessages[r.Message] {
		return nil
	}
	return f.next.Handle(ctx, r)
}

func (f cycleLineFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return cycleLineFilter{f.next.WithAttrs(attrs)}
}

func (f cycleLineFilter) WithGroup(name string) slog.Handler {
	return cycleLineFilter{f.next.WithGroup(name)}
}
