package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// Cursor sources, one per object read for changes.
const (
	SourceHubSpotContacts   = "hubspot/contacts"
	SourceSalesforceLead    = "salesforce/Lead"
	SourceSalesforceContact = "salesforce/Contact"
)

// maxRetriesPerCycle bounds how many parked records one cycle retries, so
// a backlog of errors cannot crowd out new changes.
const maxRetriesPerCycle = 1000

// Result summarizes one cycle.
type Result struct {
	RunID  int64           `json:"run_id"`
	Status store.RunStatus `json:"status"`

	// Counts holds the number of items per outcome: created, linked,
	// updated_hubspot, updated_salesforce, skipped and failed.
	Counts map[string]int64 `json:"counts"`

	// APICallsHubSpot and APICallsSalesforce count the calls the cycle
	// made to each side.
	APICallsHubSpot    int64 `json:"api_calls_hubspot"`
	APICallsSalesforce int64 `json:"api_calls_salesforce"`
}

// source is one stream of changes and its cursor.
type source struct {
	name   string
	side   Side
	object Object
}

// Leads are read before Contacts, so a converted Lead moves its link to
// the new Contact before that Contact is read as an unlinked record.
var sources = []source{
	{SourceSalesforceLead, Salesforce, Lead},
	{SourceSalesforceContact, Salesforce, Contact},
	{SourceHubSpotContacts, HubSpot, HubSpotContact},
}

// SyncOnce runs one cycle. It settles pending creation intents, then
// reads the changes of every source since its cursor and resolves, plans
// and applies them page by page. Each cursor moves after its page is
// committed. Last, it retries the parked records that are due.
func (e *Engine) SyncOnce(ctx context.Context) (Result, error) {
	e.cycle.Lock()
	defer e.cycle.Unlock()

	st := e.cfg.Store
	hsCalls, sfCalls := e.cfg.HubSpot.Calls(), e.cfg.Salesforce.Calls()

	run, err := st.StartRun(ctx, store.Run{ConnectionID: e.cfg.ConnectionID, Kind: store.RunSync, Status: store.RunRunning})
	if err != nil {
		return Result{}, fmt.Errorf("start run: %w", err)
	}
	a := newApplier(e, run.ID)
	log := e.log.With("run_id", run.ID)

	pauseRetries, err := e.checkAllocation(ctx)
	if err == nil {
		err = e.recoverIntents(ctx, a)
	}
	var entered []string
	if err == nil {
		entered, err = e.beforeRead(ctx)
	}
	if err == nil {
		err = e.afterIntents(ctx, a)
	}
	if err == nil {
		err = e.readSources(ctx, func(origin Side, page []Record, commit func(store.Tx) error) error {
			if err := e.beforeResolve(ctx, origin, page); err != nil {
				return err
			}
			pairs, err := e.resolve(ctx, origin, page)
			if err != nil {
				return err
			}
			plan, err := e.planPairs(ctx, pairs)
			if err != nil {
				return err
			}
			if err := a.apply(ctx, &plan); err != nil {
				return err
			}
			return st.InTx(ctx, commit)
		})
	}
	if err == nil {
		err = e.afterRead(ctx, a, entered)
	}
	if err == nil && !pauseRetries {
		err = e.retryDue(ctx, a)
	}

	err = pauseError(err)
	res := Result{RunID: run.ID, Counts: a.counts,
		APICallsHubSpot:    e.cfg.HubSpot.Calls() - hsCalls,
		APICallsSalesforce: e.cfg.Salesforce.Calls() - sfCalls,
	}
	res.Status = store.RunSucceeded
	switch {
	case errors.Is(err, ErrPaused):
		res.Status = store.RunPartial
	case err != nil:
		res.Status = store.RunFailed
	case a.counts["failed"] > 0:
		res.Status = store.RunPartial
	}
	if ctx.Err() != nil {
		res.Status = store.RunCanceled
	}

	msg := ""
	if err != nil {
		msg = err.Error()
	}
	// The run's end is recorded even when the cycle's context ended.
	finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, ferr := st.FinishRun(finishCtx, run.ID, store.RunResult{
		Status: res.Status, Counts: res.Counts, Error: msg,
		APICallsHubSpot: res.APICallsHubSpot, APICallsSalesforce: res.APICallsSalesforce,
	}); ferr != nil && err == nil {
		err = fmt.Errorf("finish run: %w", ferr)
	}

	if a.counts["created"]+a.counts["linked"]+a.counts["updated_hubspot"]+a.counts["updated_salesforce"]+a.counts["failed"] > 0 {
		log.Info("sync cycle finished", "status", res.Status, "created", a.counts["created"], "linked", a.counts["linked"],
			"updated_hubspot", a.counts["updated_hubspot"], "updated_salesforce", a.counts["updated_salesforce"],
			"failed", a.counts["failed"], "api_calls_hubspot", res.APICallsHubSpot, "api_calls_salesforce", res.APICallsSalesforce)
	} else {
		log.Debug("sync cycle found nothing to do", "status", res.Status)
	}
	return res, err
}

// readSources reads every source from its cursor, minus the overlap
// window, and hands each page to fn with a commit function that advances
// the cursor past the page. fn runs commit after the page's writes are
// durable.
func (e *Engine) readSources(ctx context.Context, fn func(origin Side, page []Record, commit func(store.Tx) error) error) error {
	overlap := time.Duration(e.cfg.Settings.OverlapWindow)
	for _, src := range sources {
		cur, err := e.cfg.Store.GetCursor(ctx, e.cfg.ConnectionID, src.name)
		fresh := errors.Is(err, store.ErrNotFound)
		if fresh && src.side == Salesforce && e.cfg.Settings.ExistingSalesforceByImport {
			// With existing_salesforce_by_import, installing creates no
			// HubSpot contacts: older Salesforce records come by import.
			cur, err = e.startCursor(ctx, src.name)
		} else if fresh {
			cur, err, fresh = store.Cursor{ConnectionID: e.cfg.ConnectionID, Source: src.name}, nil, false
		}
		if err != nil {
			return fmt.Errorf("read cursor %s: %w", src.name, err)
		}
		since := time.Time{}
		if !cur.Timestamp.IsZero() && !fresh {
			since = cur.Timestamp.Add(-overlap)
		} else if fresh {
			since = cur.Timestamp
		}

		onPage := func(page []Record) error {
			next := cur
			for _, r := range page {
				if r.Modified.After(next.Timestamp) || r.Modified.Equal(next.Timestamp) && r.ID > next.ID {
					next.Timestamp, next.ID = r.Modified, r.ID
				}
			}
			commit := func(tx store.Tx) error {
				if err := tx.PutCursor(ctx, next); err != nil {
					return fmt.Errorf("advance cursor %s: %w", src.name, err)
				}
				cur = next
				return nil
			}
			return fn(src.side, page, commit)
		}

		if src.side == HubSpot {
			err = e.cfg.HubSpot.ReadChanged(ctx, since, e.hubspotProps(), onPage)
		} else {
			err = e.cfg.Salesforce.ReadChanged(ctx, src.object, since, e.salesforceFields(src.object), onPage)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// retryDue reads the parked records whose retry time has come and syncs
// them again as if they had changed.
func (e *Engine) retryDue(ctx context.Context, a *applier) error {
	due, err := e.cfg.Store.ListErrorsDue(ctx, e.cfg.ConnectionID, e.now(), maxRetriesPerCycle)
	if err != nil {
		return fmt.Errorf("list errors due for retry: %w", err)
	}
	if len(due) == 0 {
		return nil
	}

	byObject := map[Ref][]string{}
	for _, se := range due {
		a.attempts[string(se.Side)+"/"+se.RecordID] = se.Attempts
		key := Ref{Side: Side(se.Side), Object: Object(se.Object)}
		byObject[key] = append(byObject[key], se.RecordID)
	}

	for key, ids := range byObject {
		page, err := e.readByIDs(ctx, key, ids)
		if err != nil {
			return err
		}
		if err := e.resolveVanished(ctx, key.Side, ids, page); err != nil {
			return err
		}
		pairs, err := e.resolve(ctx, key.Side, page)
		if err != nil {
			return err
		}
		plan, err := e.planPairs(ctx, pairs)
		if err != nil {
			return err
		}
		if err := a.apply(ctx, &plan); err != nil {
			return err
		}
	}
	return nil
}

// resolveVanished closes the errors of parked records that no longer
// exist: with no record there is nothing left to retry.
func (e *Engine) resolveVanished(ctx context.Context, side Side, ids []string, found []Record) error {
	present := map[string]bool{}
	for _, r := range found {
		present[r.ID] = true
	}
	for _, id := range ids {
		if present[id] {
			continue
		}
		if _, err := e.cfg.Store.ResolveRecordErrors(ctx, e.cfg.ConnectionID, store.Side(side), id); err != nil {
			return fmt.Errorf("resolve errors of vanished %s record %s: %w", side, id, err)
		}
	}
	return nil
}

// pauseError adds ErrPaused to an error that reports an exhausted API
// quota on either side, wherever in the cycle it came from, so the run
// ends as paused rather than failed.
func pauseError(err error) error {
	if err == nil || errors.Is(err, ErrPaused) {
		return err
	}
	var he *hubspot.Error
	if salesforce.ClassOf(err) == salesforce.ClassPause ||
		errors.As(err, &he) && he.Status == 429 && he.PolicyName == hubspot.PolicyDaily {
		return fmt.Errorf("%w: %w", ErrPaused, err)
	}
	return err
}
