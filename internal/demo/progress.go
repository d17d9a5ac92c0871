package demo

import (
	"context"
	"time"

	"github.com/koppel-sync/koppel/internal/daemon"
	"github.com/koppel-sync/koppel/internal/metrics"
	"github.com/koppel-sync/koppel/internal/store"
)

// stats add up the cycles of a demo.
type stats struct {
	cycles        int
	counts        map[string]int64
	apiHubSpot    int64
	apiSalesforce int64
	conflicts     int64

	// convergedAfter is the time from the start of Run to the end of the
	// first quiet cycle.
	convergedAfter time.Duration
}

// record adds a finished cycle to the stats and prints its progress line.
// observe also reports it to the metrics, which the scheduler does itself
// for the cycles it runs.
func (d *demo) record(ctx context.Context, rep daemon.Report, observe bool) {
	res := rep.Result
	if d.stats.counts == nil {
		d.stats.counts = map[string]int64{}
	}
	d.stats.cycles++
	for k, n := range res.Counts {
		d.stats.counts[k] += n
	}
	d.stats.apiHubSpot += res.APICallsHubSpot
	d.stats.apiSalesforce += res.APICallsSalesforce
	conflicts := d.countConflicts(context.WithoutCancel(ctx), res.RunID)
	d.stats.conflicts += conflicts

	openErrors, err := d.openErrorCounts(context.WithoutCancel(ctx))
	if err != nil {
		d.log.Warn("count open sync errors failed", "error", err)
	}
	if observe {
		d.metrics.ObserveCycle(ConnectionName, metrics.Cycle{
			Status: string(res.Status), Counts: res.Counts,
			APICallsHubSpot: res.APICallsHubSpot, APICallsSalesforce: res.APICallsSalesforce,
			Duration: rep.Duration, ErrorCategory: rep.Category, End: rep.Start.Add(rep.Duration),
		})
		if err == nil {
			d.metrics.SetOpenErrors(ConnectionName, openErrors)
		}
	}

	// The line leaves out the engine's "skipped" count: most of it is
	// records re-read in the overlap window that had not changed.
	d.p.println(d.opts.Progress, msgCycle, map[string]any{
		"Cycle": d.stats.cycles, "Trigger": d.p.text("trigger."+string(rep.Trigger), nil), "Duration": seconds(rep.Duration, d.p.Lang()),
		"Written": writes(res), "OpenErrors": sum(openErrors), "Conflicts": conflicts,
		"HubSpotCalls": res.APICallsHubSpot, "SalesforceCalls": res.APICallsSalesforce,
	})
}

// openErrorCounts returns the connection's open sync errors per category:
// each parked record once, however often a cycle retried it. The web UI
// shows the same numbers.
func (d *demo) openErrorCounts(ctx context.Context) (map[string]int64, error) {
	counts, err := d.conn.Store.CountErrorsByCategory(ctx, d.conn.Record.ID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(counts))
	for c, n := range counts {
		out[string(c)] = n
	}
	return out, nil
}

func sum(counts map[string]int64) int64 {
	var n int64
	for _, c := range counts {
		n += c
	}
	return n
}

// countConflicts returns the audit rows of run that record a two-way
// conflict.
//
// TODO: read the count from engine.Result once the engine reports
// conflicts and records read per cycle; the audit scan costs a query per
// 1,000 rows.
func (d *demo) countConflicts(ctx context.Context, runID int64) int64 {
	if runID == 0 {
		return 0
	}
	var n int64
	page := store.Page{Limit: store.MaxPageSize}
	for {
		rows, err := d.conn.Store.ListAuditByRun(ctx, runID, page)
		if err != nil {
			d.log.Warn("count conflicts failed", "run_id", runID, "error", err)
			return n
		}
		for _, r := range rows {
			if r.Conflict {
				n++
			}
		}
		if len(rows) < page.Limit {
			return n
		}
		page.After = rows[len(rows)-1].ID
	}
}
