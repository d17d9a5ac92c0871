package engine

import (
	"context"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// budgetWindow is the rolling window of Salesforce's daily API limit and of
// the allocation an admin gives koppel within it.
const budgetWindow = 24 * time.Hour

// ErrAllocationUsed pauses a cycle because koppel used the Salesforce API
// calls allocated to it in the last 24 hours. It wraps ErrPaused.
var ErrAllocationUsed = fmt.Errorf("%w: Salesforce API allocation used", ErrPaused)

// salesforceCallsUsed returns the Salesforce API calls koppel's runs of this
// connection made in the last 24 hours, as recorded with each finished run.
func (e *Engine) salesforceCallsUsed(ctx context.Context) (int64, error) {
	since := e.now().Add(-budgetWindow)

	var used int64
	page := store.Page{Limit: store.MaxPageSize}
	for {
		runs, err := e.cfg.Store.ListRuns(ctx, e.cfg.ConnectionID, page)
		if err != nil {
			return 0, fmt.Errorf("list runs for the API allocation: %w", err)
		}
		for _, r := range runs {
			// Runs come newest first, so the first one older than the
			// window ends the sum.
			if r.StartedAt.Before(since) {
				return used, nil
			}
			used += r.APICallsSalesforce
		}
		if len(runs) < store.MaxPageSize {
			return used, nil
		}
		page.After = runs[len(runs)-1].ID
	}
}

// checkAllocation returns ErrAllocationUsed when koppel used its Salesforce
// allocation, and reports whether automatic retries must wait because the
// calls used passed the settings' retry_pause_at_percent of it, as HubSpot's
// connector stops retrying above 75% of its allocation.
//
// NOTE: the check runs before a cycle, so one cycle can go past the
// allocation by the calls it makes itself.
func (e *Engine) checkAllocation(ctx context.Context) (pauseRetries bool, err error) {
	allocation := int64(e.cfg.Settings.SalesforceAPIAllocation)
	if allocation <= 0 {
		return false, nil
	}

	used, err := e.salesforceCallsUsed(ctx)
	if err != nil {
		return false, err
	}
	if used >= allocation {
		return true, fmt.Errorf("%w: %d of %d calls in the last 24 hours; the cycle waits until older calls leave the window, or raise salesforce_api_allocation",
			ErrAllocationUsed, used, allocation)
	}

	threshold := allocation * int64(e.cfg.Settings.RetryPauseAtPercent) / 100
	if used > threshold {
		e.log.Debug("automatic retries wait: Salesforce API allocation mostly used",
			"calls_used", used, "allocation", allocation, "retry_pause_at_percent", e.cfg.Settings.RetryPauseAtPercent)
		return true, nil
	}
	return false, nil
}
