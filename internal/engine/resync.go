package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// ResyncOptions names what a manual resync pushes through the rules: the
// members of a HubSpot list, or one record by HubSpot id, Salesforce id
// or email.
type ResyncOptions struct {
	ListID string
	Record string
}

// Resync syncs the list's members or the record now, as if they had
// changed. It is how a new mapping is back-filled. The inclusion list
// still applies. Resyncing one record also lifts its tombstone: a record
// whose counterpart was deleted gets a new one.
func (e *Engine) Resync(ctx context.Context, opts ResyncOptions) (Result, error) {
	if (opts.ListID == "") == (opts.Record == "") {
		return Result{}, fmt.Errorf("resync: name either a list or a record")
	}
	st := e.cfg.Store
	run, err := st.StartRun(ctx, store.Run{ConnectionID: e.cfg.ConnectionID, Kind: store.RunResync, Status: store.RunRunning})
	if err != nil {
		return Result{}, fmt.Errorf("start resync run: %w", err)
	}
	a := newApplier(e, run.ID)
	hsCalls, sfCalls := e.cfg.HubSpot.Calls(), e.cfg.Salesforce.Calls()

	err = e.loadOwners(ctx)
	if err == nil {
		if opts.ListID != "" {
			err = e.resyncList(ctx, a, opts.ListID)
		} else {
			err = e.resyncRecord(ctx, a, opts.Record)
		}
	}

	res := Result{RunID: run.ID, Counts: a.counts, Status: store.RunSucceeded,
		APICallsHubSpot: e.cfg.HubSpot.Calls() - hsCalls, APICallsSalesforce: e.cfg.Salesforce.Calls() - sfCalls}
	msg := ""
	switch {
	case err != nil:
		res.Status, msg = store.RunFailed, err.Error()
	case a.counts["failed"] > 0:
		res.Status = store.RunPartial
	}
	finishCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, ferr := st.FinishRun(finishCtx, run.ID, store.RunResult{Status: res.Status, Counts: a.counts, Error: msg,
		APICallsHubSpot: res.APICallsHubSpot, APICallsSalesforce: res.APICallsSalesforce}); ferr != nil && err == nil {
		err = fmt.Errorf("finish resync run: %w", ferr)
	}
	return res, err
}

func (e *Engine) resyncList(ctx context.Context, a *applier, listID string) error {
	x, err := e.hubspotExtras()
	if err != nil {
		return err
	}
	var batch []string
	err = x.ListMembers(ctx, listID, func(id string, _ time.Time) error {
		batch = append(batch, id)
		if len(batch) < MaxHubSpotBatch {
			return nil
		}
		err := e.syncIDs(ctx, a, Ref{Side: HubSpot, Object: HubSpotContact}, batch)
		batch = nil
		return err
	})
	if err != nil {
		return err
	}
	return e.syncIDs(ctx, a, Ref{Side: HubSpot, Object: HubSpotContact}, batch)
}

// ErrRecordNotFound is returned when a resync names a record that
// neither side has.
var ErrRecordNotFound = errors.New("record not found")

func (e *Engine) resyncRecord(ctx context.Context, a *applier, key string) error {
	ref, err := e.findRecord(ctx, key)
	if err != nil {
		return err
	}
	link, err := e.linkOf(ctx, ref)
	if err != nil {
		return err
	}
	if link != nil && link.Status == store.LinkTombstoned {
		return e.revive(ctx, a, ref, link)
	}
	return e.syncIDs(ctx, a, Ref{Side: ref.Side, Object: ref.Object}, []string{ref.ID})
}

// findRecord turns a HubSpot id, a Salesforce id or an email into a
// record reference.
func (e *Engine) findRecord(ctx context.Context, key string) (Ref, error) {
	key = strings.TrimSpace(key)
	if strings.Contains(key, "@") {
		got, err := e.cfg.HubSpot.ReadByEmails(ctx, []string{NormalizeEmail(key)}, []string{"email"})
		if err != nil {
			return Ref{}, err
		}
		if len(got) > 0 {
			return got[0].Ref, nil
		}
		sf, err := e.cfg.Salesforce.ReadByEmails(ctx, []string{NormalizeEmail(key)}, map[Object][]string{})
		if err != nil {
			return Ref{}, err
		}
		if len(sf) > 0 {
			return sf[0].Ref, nil
		}
		return Ref{}, fmt.Errorf("resync %s: %w on either side; check the address", key, ErrRecordNotFound)
	}
	switch {
	case strings.HasPrefix(key, "00Q"):
		return Ref{Side: Salesforce, Object: Lead, ID: key}, nil
	case strings.HasPrefix(key, "003"):
		return Ref{Side: Salesforce, Object: Contact, ID: key}, nil
	case strings.Trim(key, "0123456789") == "" && key != "":
		return Ref{Side: HubSpot, Object: HubSpotContact, ID: key}, nil
	}
	return Ref{}, fmt.Errorf("resync %q: not an email, a HubSpot contact id (digits) or a Salesforce Lead (00Q...) or Contact (003...) id", key)
}

// revive lifts the tombstone of a link. When both records exist the link
// becomes active; when the counterpart was deleted, a new one is created
// from the surviving record and the link moves to it.
func (e *Engine) revive(ctx context.Context, a *applier, ref Ref, link *store.Link) error {
	hsRef := Ref{Side: HubSpot, Object: HubSpotContact, ID: link.HubSpotID}
	sfRef := Ref{Side: Salesforce, Object: Object(link.SalesforceObject), ID: link.SalesforceID}
	hs, err := e.readByIDs(ctx, hsRef, []string{hsRef.ID})
	if err != nil {
		return err
	}
	sf, err := e.readByIDs(ctx, sfRef, []string{sfRef.ID})
	if err != nil {
		return err
	}
	if len(hs) == 0 && len(sf) == 0 {
		return fmt.Errorf("resync %s: both linked records are deleted; restore one first", ref.ID)
	}

	r := store.Relink{LinkID: link.ID, Event: store.LinkRestored, Status: store.LinkActive, RunID: a.runID,
		Note: "An admin resynced the record; the tombstone was lifted."}
	survivor := hsRef
	if len(hs) == 0 || len(sf) == 0 {
		pair := Pair{Origin: HubSpot, Email: link.Email}
		if len(hs) > 0 {
			pair.HubSpot = &hs[0]
		} else {
			pair.Origin, pair.Salesforce, survivor = Salesforce, &sf[0], sfRef
		}
		it := e.planner.PlanPair(&pair)
		if it.Action != ActionCreate {
			return fmt.Errorf("resync %s: cannot recreate the deleted counterpart: %s", ref.ID, it.Reason)
		}
		var res []WriteResult
		if pair.HubSpot != nil {
			res, err = e.cfg.Salesforce.Create(ctx, it.Salesforce.Object, []map[string]any{it.ToSalesforce})
			r.SalesforceID, r.SalesforceObject = "", store.SalesforceObject(it.Salesforce.Object)
		} else {
			res, err = e.cfg.HubSpot.Create(ctx, []map[string]string{it.ToHubSpot})
		}
		if err != nil {
			return fmt.Errorf("resync %s: recreate counterpart: %w", ref.ID, err)
		}
		if res[0].Err != nil {
			return a.parkNow(ctx, &it, survivor, res[0].Err)
		}
		if pair.HubSpot != nil {
			r.SalesforceID = res[0].ID
		} else {
			r.HubSpotID = res[0].ID
		}
		r.Event, r.Note = store.LinkRelinked, "An admin resynced the record; its deleted counterpart was created again."
		a.counts["created"]++
	}

	err = e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Relink(ctx, r); err != nil {
			return fmt.Errorf("revive link %d: %w", link.ID, err)
		}
		if err := tx.DeleteBaseValues(ctx, link.ID); err != nil {
			return err
		}
		for _, t := range []Ref{hsRef, sfRef} {
			if err := tx.DeleteTombstone(ctx, e.cfg.ConnectionID, store.Side(t.Side), t.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("remove tombstone of %s: %w", t, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return e.syncIDs(ctx, a, Ref{Side: survivor.Side, Object: survivor.Object}, []string{survivor.ID})
}
