package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/koppel-sync/koppel/internal/store"
)

const linkColumns = `id, connection_id, kind, hubspot_id, salesforce_id, salesforce_object, email, status, created_at, updated_at`

func scanLink(r rowScanner) (store.Link, error) {
	var l store.Link
	err := r.Scan(&l.ID, &l.ConnectionID, &l.Kind, &l.HubSpotID, &l.SalesforceID, &l.SalesforceObject,
		&l.Email, &l.Status, scanTime(&l.CreatedAt), scanTime(&l.UpdatedAt))
	return l, err
}

// NormalizeEmail trims and lower-cases an email, as links store it.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

func (o *ops) CreateLink(ctx context.Context, l store.Link, runID int64) (store.Link, error) {
	if err := l.Kind.ValidateObject(l.SalesforceObject); err != nil {
		return store.Link{}, fmt.Errorf("create link: %w", err)
	}
	if l.HubSpotID == "" || l.SalesforceID == "" {
		return store.Link{}, fmt.Errorf("create link: %w: HubSpot id %q and Salesforce id %q must both be set", store.ErrInvalid, l.HubSpotID, l.SalesforceID)
	}

	var created store.Link
	err := o.write(ctx, func(o *ops) error {
		now := o.stamp()
		row := o.queryRow(ctx, `INSERT INTO links (connection_id, kind, hubspot_id, salesforce_id, salesforce_object, email, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+linkColumns,
			l.ConnectionID, string(l.Kind), l.HubSpotID, l.SalesforceID, string(l.SalesforceObject),
			NormalizeEmail(l.Email), string(store.LinkActive), o.d.tv(now), o.d.tv(now))
		var err error
		created, err = scanLink(row)
		if err != nil {
			return o.fail(err, "create link in connection %d from HubSpot %s %s to Salesforce %s %s",
				l.ConnectionID, l.Kind, l.HubSpotID, l.SalesforceObject, l.SalesforceID)
		}

		return o.addLinkEvent(ctx, store.LinkEvent{
			LinkID:              created.ID,
			At:                  now,
			Event:               store.LinkCreated,
			NewHubSpotID:        created.HubSpotID,
			NewSalesforceID:     created.SalesforceID,
			NewSalesforceObject: created.SalesforceObject,
			RunID:               runID,
		})
	})
	return created, err
}

func (o *ops) addLinkEvent(ctx context.Context, e store.LinkEvent) error {
	_, err := o.exec(ctx, `INSERT INTO link_events (link_id, at, event, old_hubspot_id, new_hubspot_id,
			old_salesforce_id, old_salesforce_object, new_salesforce_id, new_salesforce_object, run_id, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.LinkID, o.d.tv(e.At), string(e.Event), e.OldHubSpotID, e.NewHubSpotID,
		e.OldSalesforceID, string(e.OldSalesforceObject), e.NewSalesforceID, string(e.NewSalesforceObject), nullID(e.RunID), e.Note)
	if err != nil {
		return o.fail(err, "add %s event to link %d", e.Event, e.LinkID)
	}
	return nil
}

func (o *ops) GetLink(ctx context.Context, id int64) (store.Link, error) {
	l, err := scanLink(o.queryRow(ctx, `SELECT `+linkColumns+` FROM links WHERE id = ?`, id))
	if err != nil {
		return store.Link{}, o.fail(err, "get link %d", id)
	}
	return l, nil
}

func (o *ops) GetLinkByHubSpotID(ctx context.Context, connectionID int64, kind store.LinkKind, hubspotID string) (store.Link, error) {
	l, err := scanLink(o.queryRow(ctx, `SELECT `+linkColumns+` FROM links WHERE connection_id = ? AND hubspot_id = ? AND kind = ?`,
		connectionID, hubspotID, string(kind)))
	if err != nil {
		return store.Link{}, o.fail(err, "get link of HubSpot %s %s in connection %d", kind, hubspotID, connectionID)
	}
	return l, nil
}

func (o *ops) GetLinkBySalesforceID(ctx context.Context, connectionID int64, salesforceID string) (store.Link, error) {
	l, err := scanLink(o.queryRow(ctx, `SELECT `+linkColumns+` FROM links WHERE connection_id = ? AND salesforce_id = ?`,
		connectionID, salesforceID))
	if err != nil {
		return store.Link{}, o.fail(err, "get link of Salesforce record %s in connection %d", salesforceID, connectionID)
	}
	return l, nil
}

// linkFilter builds the WHERE clause shared by ListLinks and CountLinks.
func linkFilter(q store.LinkQuery) (string, []any, error) {
	where := []string{"connection_id = ?"}
	args := []any{q.ConnectionID}

	if q.Kind != "" {
		if err := q.Kind.Validate(); err != nil {
			return "", nil, err
		}
		where = append(where, "kind = ?")
		args = append(args, string(q.Kind))
	}
	if q.Status != "" {
		if err := q.Status.Validate(); err != nil {
			return "", nil, err
		}
		where = append(where, "status = ?")
		args = append(args, string(q.Status))
	}
	if email := NormalizeEmail(q.Email); email != "" {
		where = append(where, "email = ?")
		args = append(args, email)
	}
	if q.RecordID != "" {
		// A plain OR of the two columns makes SQLite scan every link of
		// the connection; this form uses each side's unique index.
		where = append(where, `id IN (SELECT id FROM links WHERE connection_id = ? AND hubspot_id = ?
			UNION ALL SELECT id FROM links WHERE connection_id = ? AND salesforce_id = ?)`)
		args = append(args, q.ConnectionID, q.RecordID, q.ConnectionID, q.RecordID)
	}
	return strings.Join(where, " AND "), args, nil
}

func (o *ops) ListLinks(ctx context.Context, q store.LinkQuery) ([]store.Link, error) {
	where, args, err := linkFilter(q)
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	after, limit, err := pageArgs(q.Page)
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}

	args = append(args, after, limit)
	ls, err := queryAll(ctx, o, scanLink, `SELECT `+linkColumns+` FROM links WHERE `+where+` AND id > ? ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, o.fail(err, "list links of connection %d", q.ConnectionID)
	}
	return ls, nil
}

func (o *ops) CountLinks(ctx context.Context, q store.LinkQuery) (int64, error) {
	where, args, err := linkFilter(q)
	if err != nil {
		return 0, fmt.Errorf("count links: %w", err)
	}

	var n int64
	if err := o.queryRow(ctx, `SELECT COUNT(*) FROM links WHERE `+where, args...).Scan(&n); err != nil {
		return 0, o.fail(err, "count links of connection %d", q.ConnectionID)
	}
	return n, nil
}

func (o *ops) Relink(ctx context.Context, r store.Relink) (store.Link, error) {
	if err := r.Event.Validate(); err != nil {
		return store.Link{}, fmt.Errorf("relink link %d: %w", r.LinkID, err)
	}
	if r.Event == store.LinkCreated {
		return store.Link{}, fmt.Errorf("relink link %d: %w: event %q is written by CreateLink only", r.LinkID, store.ErrInvalid, r.Event)
	}
	if r.Status != "" {
		if err := r.Status.Validate(); err != nil {
			return store.Link{}, fmt.Errorf("relink link %d: %w", r.LinkID, err)
		}
	}
	if (r.SalesforceID == "") != (r.SalesforceObject == "") {
		return store.Link{}, fmt.Errorf("relink link %d: %w: set both Salesforce id %q and object %q, or neither", r.LinkID, store.ErrInvalid, r.SalesforceID, r.SalesforceObject)
	}

	var updated store.Link
	err := o.write(ctx, func(o *ops) error {
		old, err := o.GetLink(ctx, r.LinkID)
		if err != nil {
			return fmt.Errorf("relink: %w", err)
		}

		next := old
		if r.HubSpotID != "" {
			next.HubSpotID = r.HubSpotID
		}
		if r.SalesforceID != "" {
			if err := old.Kind.ValidateObject(r.SalesforceObject); err != nil {
				return fmt.Errorf("relink link %d: %w", r.LinkID, err)
			}
			next.SalesforceID = r.SalesforceID
			next.SalesforceObject = r.SalesforceObject
		}
		if r.Email != "" {
			next.Email = NormalizeEmail(r.Email)
		}
		if r.Status != "" {
			next.Status = r.Status
		}

		now := o.stamp()
		row := o.queryRow(ctx, `UPDATE links SET hubspot_id = ?, salesforce_id = ?, salesforce_object = ?, email = ?, status = ?, updated_at = ?
			WHERE id = ? RETURNING `+linkColumns,
			next.HubSpotID, next.SalesforceID, string(next.SalesforceObject), next.Email, string(next.Status), o.d.tv(now), r.LinkID)
		updated, err = scanLink(row)
		if err != nil {
			return o.fail(err, "relink link %d to HubSpot %s, Salesforce %s %s", r.LinkID, next.HubSpotID, next.SalesforceObject, next.SalesforceID)
		}

		return o.addLinkEvent(ctx, store.LinkEvent{
			LinkID:              r.LinkID,
			At:                  now,
			Event:               r.Event,
			OldHubSpotID:        old.HubSpotID,
			NewHubSpotID:        updated.HubSpotID,
			OldSalesforceID:     old.SalesforceID,
			OldSalesforceObject: old.SalesforceObject,
			NewSalesforceID:     updated.SalesforceID,
			NewSalesforceObject: updated.SalesforceObject,
			RunID:               r.RunID,
			Note:                r.Note,
		})
	})
	return updated, err
}

const linkEventColumns = `id, link_id, at, event, old_hubspot_id, new_hubspot_id, old_salesforce_id, old_salesforce_object,
	new_salesforce_id, new_salesforce_object, run_id, note`

func scanLinkEvent(r rowScanner) (store.LinkEvent, error) {
	var e store.LinkEvent
	err := r.Scan(&e.ID, &e.LinkID, scanTime(&e.At), &e.Event, &e.OldHubSpotID, &e.NewHubSpotID, &e.OldSalesforceID,
		&e.OldSalesforceObject, &e.NewSalesforceID, &e.NewSalesforceObject, scanID(&e.RunID), &e.Note)
	return e, err
}

func (o *ops) LinkHistory(ctx context.Context, linkID int64) ([]store.LinkEvent, error) {
	es, err := queryAll(ctx, o, scanLinkEvent, `SELECT `+linkEventColumns+` FROM link_events WHERE link_id = ? ORDER BY id`, linkID)
	if err != nil {
		return nil, o.fail(err, "list history of link %d", linkID)
	}
	if len(es) == 0 {
		// Every link has a created event, so no events means no link.
		return nil, fmt.Errorf("list history of link %d: %w", linkID, store.ErrNotFound)
	}
	return es, nil
}
