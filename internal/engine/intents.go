package engine

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

// recoverIntents settles the creation intents a stopped run left pending.
// For each it looks the email up on the target: a record found there is
// the one the stopped run created, and it is linked to its source; with
// none found the create never happened and the intent is abandoned, so
// the source record is created when it is read again.
func (e *Engine) recoverIntents(ctx context.Context, a *applier) error {
	st := e.cfg.Store
	pending, err := st.ListPendingIntents(ctx, e.cfg.ConnectionID)
	if err != nil {
		return fmt.Errorf("list pending creation intents: %w", err)
	}

	for _, in := range pending {
		if err := e.recoverIntent(ctx, a, in); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) recoverIntent(ctx context.Context, a *applier, in store.Intent) error {
	st := e.cfg.Store
	target := Side(in.TargetSide)

	var found []Record
	var err error
	if target == HubSpot {
		found, err = e.cfg.HubSpot.ReadByEmails(ctx, []string{in.Key}, e.hubspotProps())
	} else {
		found, err = e.cfg.Salesforce.ReadByEmails(ctx, []string{in.Key}, e.salesforceFieldSets())
	}
	if err != nil {
		return fmt.Errorf("look up record of creation intent %d: %w", in.ID, err)
	}

	var created *Record
	for i := range found {
		r := &found[i]
		if in.CreatedID != "" && r.ID != in.CreatedID || target == Salesforce && string(r.Object) != in.Object {
			continue
		}
		link, err := e.linkOf(ctx, r.Ref)
		if err != nil {
			return err
		}
		if link == nil {
			created = r
			break
		}
	}

	if created == nil {
		if _, err := st.FinishIntent(ctx, in.ID, store.IntentAbandoned, ""); err != nil {
			return fmt.Errorf("abandon creation intent %d: %w", in.ID, err)
		}
		e.log.Debug("abandoned creation intent without a record", "intent_id", in.ID, "target", target)
		return nil
	}

	it := Item{Action: ActionCreate, Email: in.Key, ReasonCode: "intent_recovered",
		Reason: "A previous run created this record and stopped before linking it; the record was found by email and linked."}
	if target == HubSpot {
		it.Origin = Salesforce
		it.HubSpot = created.Ref
		obj, err := e.salesforceObjectOf(ctx, in.SourceID)
		if err != nil {
			return err
		}
		it.Salesforce = Ref{Side: Salesforce, Object: obj, ID: in.SourceID}
	} else {
		it.Origin = HubSpot
		it.HubSpot = Ref{Side: HubSpot, Object: HubSpotContact, ID: in.SourceID}
		it.Salesforce = created.Ref
	}

	err = st.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.FinishIntent(ctx, in.ID, store.IntentDone, created.ID); err != nil {
			return fmt.Errorf("finish creation intent %d: %w", in.ID, err)
		}
		return a.createLink(ctx, tx, &it)
	})
	if err != nil {
		return err
	}
	e.log.Info("linked record of an interrupted create", "intent_id", in.ID, "hubspot_id", it.HubSpot.ID, "salesforce_id", it.Salesforce.ID)
	return nil
}

// salesforceObjectOf tells a Lead id from a Contact id by its key prefix,
// which Salesforce fixes per object: 00Q for Lead, 003 for Contact.
func (e *Engine) salesforceObjectOf(ctx context.Context, id string) (Object, error) {
	switch {
	case len(id) >= 3 && id[:3] == "00Q":
		return Lead, nil
	case len(id) >= 3 && id[:3] == "003":
		return Contact, nil
	}
	return "", fmt.Errorf("recover creation intent: source id %q is neither a Lead (00Q) nor a Contact (003)", id)
}
