package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// Cursors of the deleted-records reads.
const (
	sourceDeletedLead    = "salesforce/Lead/deleted"
	sourceDeletedContact = "salesforce/Contact/deleted"
)

// syncDeletions follows records deleted on either side since the last
// cycle, whether or not the contact is in the inclusion list. A merge
// loser in Salesforce moves its link to the master. Any other deletion
// tombstones the link and, when the delete setting is delete, deletes the
// linked record on the other side.
func (e *Engine) syncDeletions(ctx context.Context, a *applier) error {
	if sx, ok := e.cfg.Salesforce.(SalesforceExtras); ok {
		for _, src := range []struct {
			name   string
			object Object
		}{{sourceDeletedLead, Lead}, {sourceDeletedContact, Contact}} {
			cur, err := e.startCursor(ctx, src.name)
			if err != nil {
				return err
			}
			err = sx.ReadDeleted(ctx, src.object, e.sinceOf(cur), func(page []Record) error {
				for i := range page {
					if err := e.followSalesforceDeletion(ctx, a, &page[i]); err != nil {
						return err
					}
					if page[i].Modified.After(cur.Timestamp) {
						cur.Timestamp, cur.ID = page[i].Modified, ""
					}
				}
				return e.cfg.Store.PutCursor(ctx, cur)
			})
			if err != nil {
				return err
			}
		}
	}

	hx, ok := e.cfg.HubSpot.(HubSpotExtras)
	if !ok {
		return nil
	}
	return hx.ReadArchived(ctx, []string{"email"}, func(page []Record) error {
		for i := range page {
			if err := e.followHubSpotDeletion(ctx, a, &page[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// activeLink returns the active link of a record, or nil.
func (e *Engine) activeLink(ctx context.Context, ref Ref) (*store.Link, error) {
	l, err := e.linkOf(ctx, ref)
	if err != nil || l == nil || l.Status != store.LinkActive {
		return nil, err
	}
	return l, nil
}

func (e *Engine) followSalesforceDeletion(ctx context.Context, a *applier, rec *Record) error {
	link, err := e.activeLink(ctx, rec.Ref)
	if err == nil && link == nil && rec.Object == Contact {
		link, err = e.convertedLeadLink(ctx, rec.ID)
	}
	if err != nil || link == nil {
		return err
	}
	log := e.log.With("object", rec.Object, "record_id", rec.ID, "link_id", link.ID)

	if rec.MasterRecordID != "" {
		return e.followSalesforceMerge(ctx, a, rec, link)
	}

	deleteContact := e.cfg.Settings.HubSpotOnSalesforceDelete == settings.DeleteDelete
	if deleteContact {
		hx, err := e.hubspotExtras()
		if err != nil {
			return err
		}
		if err := hx.Archive(ctx, []string{link.HubSpotID}); err != nil {
			f := hubspotFailure(err)
			return a.parkNow(ctx, &Item{LinkID: link.ID}, Ref{Side: HubSpot, Object: HubSpotContact, ID: link.HubSpotID}, f)
		}
	}
	note := fmt.Sprintf("Salesforce %s %s was deleted; the HubSpot contact was kept.", rec.Object, rec.ID)
	if deleteContact {
		note = fmt.Sprintf("Salesforce %s %s was deleted, and the setting deletes the HubSpot contact too.", rec.Object, rec.ID)
	}
	if err := a.tombstone(ctx, link, rec.Ref, deleteContact, note); err != nil {
		return err
	}
	log.Debug("followed Salesforce deletion", "hubspot_deleted", deleteContact)
	return nil
}

// convertedLeadLink returns the active link of the Lead that was converted
// to a Contact, for a Contact deleted before the link moved to it.
func (e *Engine) convertedLeadLink(ctx context.Context, contactID string) (*store.Link, error) {
	sc, ok := e.cfg.Salesforce.(*SalesforceClient)
	if !ok {
		return nil, nil
	}
	q, err := sc.Client.Query(ctx, "SELECT Id FROM Lead WHERE ConvertedContactId = "+salesforce.Quote(contactID), salesforce.QueryOptions{})
	if err != nil {
		return nil, fmt.Errorf("look up the Lead converted to Contact %s: %w", contactID, err)
	}
	for _, r := range q.Records {
		if l, err := e.activeLink(ctx, Ref{Side: Salesforce, Object: Lead, ID: r.ID}); err != nil || l != nil {
			return l, err
		}
	}
	return nil, nil
}

// followSalesforceMerge moves the link of a merge loser to the master.
// When the master is linked to another HubSpot contact already, the
// loser's link is tombstoned instead and the master keeps its own.
func (e *Engine) followSalesforceMerge(ctx context.Context, a *applier, rec *Record, link *store.Link) error {
	masterRef := Ref{Side: Salesforce, Object: rec.Object, ID: rec.MasterRecordID}
	other, err := e.linkOf(ctx, masterRef)
	if err != nil {
		return err
	}
	if other != nil {
		note := fmt.Sprintf("Salesforce %s %s was merged into %s, which is linked to HubSpot contact %s.", rec.Object, rec.ID, rec.MasterRecordID, other.HubSpotID)
		return a.relinkLink(ctx, store.Relink{LinkID: link.ID, Event: store.LinkMerged, Status: store.LinkTombstoned, Note: note}, link.HubSpotID, rec.ID)
	}

	note := fmt.Sprintf("Salesforce %s %s was merged into %s; the HubSpot contact now syncs with %s.", rec.Object, rec.ID, rec.MasterRecordID, rec.MasterRecordID)
	err = a.relinkLink(ctx, store.Relink{LinkID: link.ID, Event: store.LinkMerged,
		SalesforceID: rec.MasterRecordID, SalesforceObject: store.SalesforceObject(rec.Object), Note: note}, link.HubSpotID, rec.MasterRecordID)
	if err != nil {
		return err
	}
	// The values of the master may differ from the loser's; the master is
	// synced now, and its id replaces the loser's in HubSpot.
	if err := e.cfg.Store.DeleteBaseValues(ctx, link.ID); err != nil {
		return fmt.Errorf("reset base values of link %d: %w", link.ID, err)
	}
	return e.syncIDs(ctx, a, masterRef, []string{rec.MasterRecordID})
}

func (e *Engine) followHubSpotDeletion(ctx context.Context, a *applier, rec *Record) error {
	link, err := e.activeLink(ctx, rec.Ref)
	if err != nil || link == nil {
		return err
	}

	deleteRecord := e.cfg.Settings.SalesforceOnHubSpotDelete == settings.DeleteDelete
	if deleteRecord {
		sx, err := e.salesforceExtras()
		if err != nil {
			return err
		}
		res, err := sx.Delete(ctx, []string{link.SalesforceID})
		if err != nil {
			return fmt.Errorf("delete Salesforce record %s: %w", link.SalesforceID, err)
		}
		if f := res[0].Err; f != nil && !f.Deleted {
			return a.parkNow(ctx, &Item{LinkID: link.ID}, Ref{Side: Salesforce, Object: Object(link.SalesforceObject), ID: link.SalesforceID}, f)
		}
	}
	note := fmt.Sprintf("HubSpot contact %s was deleted; the Salesforce %s was kept.", rec.ID, link.SalesforceObject)
	if deleteRecord {
		note = fmt.Sprintf("HubSpot contact %s was deleted, and the setting deletes the Salesforce %s too.", rec.ID, link.SalesforceObject)
	}
	return a.tombstone(ctx, link, rec.Ref, deleteRecord, note)
}

// tombstone marks a link deleted and remembers the deleted record, and the
// other record too when koppel deleted it, so that a later change on the
// other side does not recreate the record. An admin resync lifts it.
func (a *applier) tombstone(ctx context.Context, link *store.Link, deleted Ref, both bool, note string) error {
	e := a.e
	now := e.now()
	other := Ref{Side: HubSpot, Object: HubSpotContact, ID: link.HubSpotID}
	if deleted.Side == HubSpot {
		other = Ref{Side: Salesforce, Object: Object(link.SalesforceObject), ID: link.SalesforceID}
	}
	err := e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Relink(ctx, store.Relink{LinkID: link.ID, Event: store.LinkDeleted, Status: store.LinkTombstoned, RunID: a.runID, Note: note}); err != nil {
			return fmt.Errorf("tombstone link %d: %w", link.ID, err)
		}
		refs := []Ref{deleted}
		if both {
			refs = append(refs, other)
		}
		for _, r := range refs {
			if err := tx.PutTombstone(ctx, store.Tombstone{ConnectionID: e.cfg.ConnectionID, Side: store.Side(r.Side), Object: string(r.Object),
				RecordID: r.ID, LinkID: link.ID, DeletedAt: now}); err != nil {
				return fmt.Errorf("store tombstone of %s: %w", r, err)
			}
		}
		if _, err := tx.ResolveRecordErrors(ctx, e.cfg.ConnectionID, store.Side(deleted.Side), deleted.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, []store.AuditEntry{{
			RunID: a.runID, ConnectionID: e.cfg.ConnectionID, LinkID: link.ID, HubSpotID: link.HubSpotID, SalesforceID: link.SalesforceID,
			Field: AuditFieldLink, Direction: writeDirection(deleted.Side.Other()), Rule: "delete", ReasonCode: string(store.LinkDeleted), Reason: note,
		}})
	})
	if err != nil {
		return err
	}
	a.counts["deleted"]++
	if both {
		a.counts["deleted_"+string(deleted.Side.Other())]++
	}
	return nil
}

// relinkLink applies a relink with an audit row in one transaction.
func (a *applier) relinkLink(ctx context.Context, r store.Relink, hubspotID, salesforceID string) error {
	r.RunID = a.runID
	err := a.e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Relink(ctx, r); err != nil {
			return fmt.Errorf("relink link %d: %w", r.LinkID, err)
		}
		return tx.AppendAudit(ctx, []store.AuditEntry{{
			RunID: a.runID, ConnectionID: a.e.cfg.ConnectionID, LinkID: r.LinkID, HubSpotID: hubspotID, SalesforceID: salesforceID,
			Field: AuditFieldLink, Direction: store.ToHubSpot, Rule: "match", ReasonCode: string(r.Event), Reason: r.Note,
		}})
	})
	if err != nil {
		return err
	}
	a.counts["relinked"]++
	return nil
}

// beforeResolve updates the links of a page before resolve looks them up.
// It writes to the store, so the dry run leaves it out.
// A HubSpot contact that absorbed another in a merge takes over or drops
// the absorbed one's link. A record back from the recycle bin, or
// restored in HubSpot, revives its link when its counterpart exists.
func (e *Engine) beforeResolve(ctx context.Context, origin Side, page []Record) error {
	for i := range page {
		rec := &page[i]
		if rec.Deleted {
			continue
		}
		if origin == HubSpot {
			if err := e.followHubSpotMerge(ctx, rec); err != nil {
				return err
			}
		}
		if err := e.followRestore(ctx, rec); err != nil {
			return err
		}
	}
	return nil
}

// PropMergedObjectIDs lists the contacts HubSpot merged into a contact.
const PropMergedObjectIDs = "hs_merged_object_ids"

func (e *Engine) followHubSpotMerge(ctx context.Context, rec *Record) error {
	merged := splitMulti(rec.HubSpotProps[PropMergedObjectIDs])
	if len(merged) == 0 {
		return nil
	}
	own, err := e.linkOf(ctx, rec.Ref)
	if err != nil {
		return err
	}
	for _, id := range merged {
		absorbed, err := e.activeLink(ctx, Ref{Side: HubSpot, Object: HubSpotContact, ID: id})
		if err != nil {
			return err
		}
		if absorbed == nil {
			continue
		}
		r := store.Relink{LinkID: absorbed.ID, Event: store.LinkMerged}
		if own == nil {
			r.HubSpotID = rec.ID
			r.Email = rec.Email
			r.Note = fmt.Sprintf("HubSpot contact %s was merged into %s, which now syncs with Salesforce %s.", id, rec.ID, absorbed.SalesforceID)
		} else {
			r.Status = store.LinkTombstoned
			r.Note = fmt.Sprintf("HubSpot contact %s was merged into %s, which keeps its own link.", id, rec.ID)
		}
		l, err := e.cfg.Store.Relink(ctx, r)
		if err != nil {
			return fmt.Errorf("follow HubSpot merge of %s: %w", id, err)
		}
		if own == nil {
			own = &l
		}
		e.log.Debug("followed HubSpot merge", "record_id", rec.ID, "merged_id", id, "link_id", absorbed.ID)
	}
	return nil
}

// followRestore revives the tombstoned link of a record that exists again
// when the record on the other side exists too.
func (e *Engine) followRestore(ctx context.Context, rec *Record) error {
	link, err := e.linkOf(ctx, rec.Ref)
	if err != nil || link == nil || link.Status != store.LinkTombstoned {
		return err
	}
	_, err = e.cfg.Store.GetTombstone(ctx, e.cfg.ConnectionID, store.Side(rec.Side), rec.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read tombstone of %s: %w", rec.Ref, err)
	}

	other := Ref{Side: HubSpot, Object: HubSpotContact, ID: link.HubSpotID}
	if rec.Side == HubSpot {
		other = Ref{Side: Salesforce, Object: Object(link.SalesforceObject), ID: link.SalesforceID}
	}
	got, err := e.readByIDs(ctx, other, []string{other.ID})
	if err != nil {
		return err
	}
	if len(got) == 0 || got[0].Deleted {
		return nil
	}
	return e.cfg.Store.InTx(ctx, func(tx store.Tx) error {
		if _, err := tx.Relink(ctx, store.Relink{LinkID: link.ID, Event: store.LinkRestored, Status: store.LinkActive,
			Note: fmt.Sprintf("%s was restored; the link is active again.", rec.Ref)}); err != nil {
			return fmt.Errorf("restore link %d: %w", link.ID, err)
		}
		for _, r := range []Ref{rec.Ref, other} {
			if err := tx.DeleteTombstone(ctx, e.cfg.ConnectionID, store.Side(r.Side), r.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("remove tombstone of %s: %w", r, err)
			}
		}
		return nil
	})
}

func splitMulti(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ';' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
