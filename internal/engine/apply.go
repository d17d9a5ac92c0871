package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// ErrPaused ends a cycle early when a side reported an exhausted API
// quota. The cursors stay where the last committed page left them, so the
// next cycle continues from there.
var ErrPaused = errors.New("sync paused: API limit reached")

// applier applies the plans of one run. It keeps the run's counts and
// which side is paused.
type applier struct {
	e     *Engine
	runID int64

	counts map[string]int64

	// attempts holds the attempts of parked records that are due for a
	// retry in this run, keyed by side and record id, so the next retry
	// time grows with each failure.
	attempts map[string]int

	paused map[Side]bool

	// parked holds the records parked in this run, keyed like attempts.
	parked map[string]bool
}

func newApplier(e *Engine, runID int64) *applier {
	return &applier{e: e, runID: runID, counts: map[string]int64{}, attempts: map[string]int{}, paused: map[Side]bool{}, parked: map[string]bool{}}
}

// apply executes a plan. Each batch's links, base values and audit rows
// are committed once the target acknowledged it; failures are parked per
// record. It returns ErrPaused when a side ran out of API quota.
func (a *applier) apply(ctx context.Context, plan *Plan) error {
	var creates, updates []*Item
	for i := range plan.Items {
		it := &plan.Items[i]
		switch it.Action {
		case ActionCreate:
			creates = append(creates, it)
		case ActionLink, ActionUpdate:
			updates = append(updates, it)
		}
	}

	// What needs no write is committed first, in one transaction: moved
	// and new links, base values both sides agree on, skips and parks.
	err := a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		for i := range plan.Items {
			if err := a.commitUnwritten(ctx, tx, &plan.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	if err := a.applyCreates(ctx, creates); err != nil {
		return err
	}
	// Created records may still need an update, such as the new
	// Salesforce id mirrored into HubSpot.
	updates = append(updates, creates...)
	if err := a.applyUnsubscribes(ctx, updates); err != nil {
		return err
	}
	if err := a.applyPrimaryCompanies(ctx, updates); err != nil {
		return err
	}
	if err := a.applyUpdates(ctx, updates); err != nil {
		return err
	}
	if a.paused[HubSpot] || a.paused[Salesforce] {
		return ErrPaused
	}
	return nil
}

// commitUnwritten stores the part of an item that needs no write to
// either side.
func (a *applier) commitUnwritten(ctx context.Context, tx store.Tx, it *Item) error {
	if it.Relink != nil {
		if err := a.commitRelink(ctx, tx, it); err != nil {
			return err
		}
	}
	switch it.Action {
	case ActionSkip:
		return a.commitSkip(ctx, tx, it)
	case ActionPark:
		return a.park(ctx, tx, it, it.parkRef(), it.Failure)
	case ActionLink:
		if err := a.createLink(ctx, tx, it); err != nil {
			return err
		}
		return a.putBase(ctx, tx, it, "")
	case ActionUpdate:
		return a.putBase(ctx, tx, it, "")
	}
	return nil
}

// parkRef names the record a parked item is recorded on and retried
// from: the record on the side the value was for when it exists, else the
// record whose change led to the item.
func (it *Item) parkRef() Ref {
	if it.Failure != nil && it.Failure.Side == HubSpot && it.HubSpot.ID != "" {
		return it.HubSpot
	}
	if it.Failure != nil && it.Failure.Side == Salesforce && it.Salesforce.ID != "" {
		return it.Salesforce
	}
	return it.sourceRef()
}

// commitSkip stores what a skipped item still changes: base values of
// fields both sides agree on, and an audit row or sync error for reasons
// a person should see.
func (a *applier) commitSkip(ctx context.Context, tx store.Tx, it *Item) error {
	a.counts["skipped"]++
	if it.LinkID != 0 {
		if err := a.putBase(ctx, tx, it, ""); err != nil {
			return err
		}
	}

	switch it.ReasonCode {
	case ReasonNoEmail:
		if it.HubSpot.ID == "" {
			return nil
		}
		// A HubSpot contact without email is shown as a sync error,
		// because a person has to add the address for it to sync.
		_, err := tx.RecordError(ctx, store.SyncError{
			ConnectionID: a.e.cfg.ConnectionID, Side: store.HubSpot, Object: string(HubSpotContact),
			RecordID: it.HubSpot.ID, Category: store.ErrorPropertyValue, Code: "EMAIL_MISSING",
			Message: "the contact has no email address; add one in HubSpot so it can sync",
			Fields:  []string{"email"},
		})
		return err
	case ReasonInSync:
		return a.resolveErrors(ctx, tx, it.HubSpot, it.Salesforce)
	case ReasonDuplicateEmail, ReasonNotChosen:
		return tx.AppendAudit(ctx, []store.AuditEntry{a.choiceAudit(it)})
	}
	return nil
}

func (a *applier) choiceAudit(it *Item) store.AuditEntry {
	return store.AuditEntry{
		RunID: a.runID, ConnectionID: a.e.cfg.ConnectionID, LinkID: it.LinkID,
		HubSpotID: it.HubSpot.ID, SalesforceID: it.Salesforce.ID,
		Field: AuditFieldLink, Direction: store.ToHubSpot, Rule: "match", ReasonCode: it.ReasonCode, Reason: it.Reason,
	}
}

// AuditFieldLink is the field name of audit rows about the link itself
// rather than a field value: a match, a choice among duplicates, a move.
const AuditFieldLink = "_link"

// commitRelink moves the link to the item's Salesforce record and writes
// the link's history event and an audit row.
func (a *applier) commitRelink(ctx context.Context, tx store.Tx, it *Item) error {
	r := *it.Relink
	r.RunID = a.runID
	if _, err := tx.Relink(ctx, r); err != nil {
		return fmt.Errorf("relink link %d: %w", r.LinkID, err)
	}
	a.counts["relinked"]++
	return tx.AppendAudit(ctx, []store.AuditEntry{{
		RunID: a.runID, ConnectionID: a.e.cfg.ConnectionID, LinkID: it.LinkID,
		HubSpotID: it.HubSpot.ID, SalesforceID: it.Salesforce.ID, Field: AuditFieldLink,
		Direction: store.ToHubSpot, Rule: "match", ReasonCode: string(r.Event), Reason: r.Note,
	}})
}

func (a *applier) createLink(ctx context.Context, tx store.Tx, it *Item) error {
	l, err := tx.CreateLink(ctx, store.Link{
		ConnectionID: a.e.cfg.ConnectionID, Kind: store.LinkContact,
		HubSpotID: it.HubSpot.ID, SalesforceID: it.Salesforce.ID,
		SalesforceObject: store.SalesforceObject(it.Salesforce.Object),
		Email:            it.Email, Status: store.LinkActive,
	}, a.runID)
	if err != nil {
		return fmt.Errorf("link %s to %s: %w", it.HubSpot, it.Salesforce, err)
	}
	it.LinkID = l.ID
	a.counts["linked"]++

	entries := []store.AuditEntry{{
		RunID: a.runID, ConnectionID: a.e.cfg.ConnectionID, LinkID: l.ID,
		HubSpotID: it.HubSpot.ID, SalesforceID: it.Salesforce.ID, Field: AuditFieldLink,
		Direction: directionOf(it), Rule: "match", ReasonCode: it.ReasonCode, Reason: it.Reason,
	}}
	if it.Choice != "" {
		entries = append(entries, store.AuditEntry{
			RunID: a.runID, ConnectionID: a.e.cfg.ConnectionID, LinkID: l.ID,
			HubSpotID: it.HubSpot.ID, SalesforceID: it.Salesforce.ID, Field: AuditFieldLink,
			Direction: store.ToSalesforce, Rule: "match", ReasonCode: "duplicate_choice", Reason: it.Choice,
		})
	}
	return tx.AppendAudit(ctx, entries)
}

func directionOf(it *Item) store.Direction {
	if it.Action == ActionCreate && it.HubSpot.ID == "" || it.Origin == Salesforce {
		return store.ToHubSpot
	}
	return store.ToSalesforce
}

// putBase stores the base values and audit rows of the item's fields
// written in direction dir, or of the fields not written when dir is "".
func (a *applier) putBase(ctx context.Context, tx store.Tx, it *Item, dir store.Direction) error {
	now := a.e.now()
	var base []store.BaseValue
	var audit []store.AuditEntry
	for _, f := range it.Fields {
		if f.Direction != dir {
			continue
		}
		// A placeholder has no base: HubSpot still holds no value.
		if !f.Placeholder {
			base = append(base, store.BaseValue{LinkID: it.LinkID, Field: f.Field, Value: f.New.Encode(), RunID: a.runID, SyncedAt: now})
		}
		if dir == "" {
			continue
		}
		field := f.Field
		if field == "" {
			field = f.SalesforceField
		}
		audit = append(audit, store.AuditEntry{
			RunID: a.runID, ConnectionID: a.e.cfg.ConnectionID, LinkID: it.LinkID,
			HubSpotID: it.HubSpot.ID, SalesforceID: it.Salesforce.ID, Field: field,
			OldValue: f.Old.Encode(), NewValue: f.New.Encode(), Direction: dir,
			Rule: string(f.Rule), ReasonCode: f.ReasonCode, Reason: f.Reason, Conflict: f.Conflict,
		})
	}
	if len(base) > 0 {
		if err := tx.PutBaseValues(ctx, base); err != nil {
			return fmt.Errorf("store base values of link %d: %w", it.LinkID, err)
		}
	}
	if len(audit) > 0 {
		if err := tx.AppendAudit(ctx, audit); err != nil {
			return fmt.Errorf("append audit of link %d: %w", it.LinkID, err)
		}
	}
	return nil
}

// park records a failure as a sync error with its next retry time. A
// record read twice in one run, as when both sides changed, is recorded
// once.
func (a *applier) park(ctx context.Context, tx store.Tx, it *Item, ref Ref, f *Failure) error {
	key := string(ref.Side) + "/" + ref.ID
	if a.parked[key] {
		return nil
	}
	a.parked[key] = true
	a.counts["failed"]++
	attempts := a.attempts[key] + 1

	_, err := tx.RecordError(ctx, store.SyncError{
		ConnectionID: a.e.cfg.ConnectionID, Side: store.Side(ref.Side), Object: string(ref.Object), RecordID: ref.ID,
		LinkID: it.LinkID, Category: f.Category, Code: f.Code, Message: f.Message, Fields: f.Fields,
		NextRetryAt: a.e.now().Add(retryDelay(f, attempts)),
	})
	if err != nil {
		return fmt.Errorf("park %s: %w", ref, err)
	}
	a.e.log.Warn("parked record", "side", ref.Side, "object", ref.Object, "record_id", ref.ID,
		"category", f.Category, "code", f.Code, "attempt", attempts)
	return nil
}

// Retry delays of parked records. A transient failure or a rate limit is
// retried soon. A record a person has to fix waits longer, because each
// retry costs API calls and most need a change first. A change to the
// record itself is read by the next cycle without waiting.
const (
	retryTransient = 30 * time.Second
	retryOther     = 5 * time.Minute
	retryMax       = 24 * time.Hour
)

func retryDelay(f *Failure, attempts int) time.Duration {
	d := retryOther
	if f.Retry {
		d = retryTransient
	}
	for i := 1; i < attempts && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}

// resolveErrors closes the open sync errors of the records of an item
// that synced.
func (a *applier) resolveErrors(ctx context.Context, tx store.Tx, refs ...Ref) error {
	for _, ref := range refs {
		if ref.ID == "" {
			continue
		}
		if _, err := tx.ResolveRecordErrors(ctx, a.e.cfg.ConnectionID, store.Side(ref.Side), ref.ID); err != nil {
			return fmt.Errorf("resolve errors of %s: %w", ref, err)
		}
	}
	return nil
}

// callWithRetry runs a batch call, retrying a failure of the whole call
// that may pass, with a short backoff. Per-record failures are the
// caller's to handle.
func callWithRetry(ctx context.Context, call func() ([]WriteResult, error)) ([]WriteResult, error) {
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		res, err := call()
		if err != nil || attempt == 3 || !allRetryable(res) {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(delay):
		}
		delay *= 4
	}
}

// allRetryable reports whether every result failed the same transient way,
// which is how a failed call of a whole batch shows.
func allRetryable(res []WriteResult) bool {
	if len(res) == 0 {
		return false
	}
	return !slices.ContainsFunc(res, func(r WriteResult) bool { return r.Err == nil || !r.Err.Retry || r.Err.Pause })
}
