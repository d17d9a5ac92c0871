package daemon

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
)

func TestEngineCycleLineDropped(t *testing.T) {
	var buf bytes.Buffer
	base := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	log := slog.New(withoutCycleLines(base.With("connection", "acme").Handler())).With("run_id", 7)

	log.Info("sync cycle finished", "created", 3)
	log.Debug("sync cycle found nothing to do")
	log.Warn("parked record", "record_id", "0031")

	out := buf.String()
	if strings.Contains(out, "sync cycle finished") || strings.Contains(out, "found nothing to do") {
		t.Errorf("engine's end-of-cycle line passed the filter:\n%s", out)
	}
	if !strings.Contains(out, `msg="parked record"`) {
		t.Errorf("other engine line was dropped:\n%s", out)
	}
	if !strings.Contains(out, "connection=acme") || !strings.Contains(out, "run_id=7") {
		t.Errorf("attributes lost behind the filter:\n%s", out)
	}
}

// TestCycleLoggedOnce checks that a cycle that wrote logs one INFO line
// with its counts, and a quiet cycle logs no INFO line.
func TestCycleLoggedOnce(t *testing.T) {
	f := setup(t, nil)
	f.syncer.outcomes = []outcome{{res: engine.Result{Counts: map[string]int64{"created": 2, "skipped": 5}}}, {}}
	f.start(t)

	f.nextReport(t)
	f.waitTimer(t)
	f.clock.Advance(30 * time.Second)
	f.nextReport(t)
	f.waitTimer(t)

	var info []string
	for _, line := range strings.Split(f.logs.String(), "\n") {
		if strings.Contains(line, "level=INFO") && strings.Contains(line, "sync cycle") {
			info = append(info, line)
		}
	}
	if len(info) != 1 {
		t.Fatalf("%d INFO lines about cycles, want 1 for the cycle that wrote:\n%s", len(info), strings.Join(info, "\n"))
	}
	if !strings.Contains(info[0], "created=2") || !strings.Contains(info[0], "trigger=start") {
		t.Errorf("cycle line lacks its counts or trigger: %s", info[0])
	}
}
