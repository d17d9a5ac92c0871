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

	if observe {
		d.metrics.ObserveCycle(ConnectionName, metrics.Cycle{
			Status: string(res.Status), Counts: res.Counts,
			APICallsHubSpot: res.APICallsHubSpot, APICallsSalesforce: res.APICallsSalesforce,
			Duration: rep.Duration, ErrorCategory: rep.Category, End: rep.Start.Add(rep.Duration),
		})
	}

	handled := int64(0)
	for _, n := range res.Counts {
		handled += n
	}
	d.p.println(d.opts.Progress, msgCycle, map[string]any{
		"Cycle": d.stats.cycles, "Trigger": d.p.text("trigger."+string(rep.Trigger), nil), "Duration": rep.Duration.Round(time.Millisecond).String(),
		"Handled": handled - res.Counts["relinked"], "Written": writes(res), "Parked": res.Counts["failed"], "Conflicts": conflicts,
		"HubSpotCalls": res.APICallsHubSpot, "SalesforceCalls": res.APICallsSalesforce,
	})
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
