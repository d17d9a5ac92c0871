package sqlstore

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

func (o *ops) AddListMembers(ctx context.Context, connectionID int64, listID string, contactIDs []string) error {
	if listID == "" {
		return fmt.Errorf("add list members in connection %d: %w: list id is empty", connectionID, store.ErrInvalid)
	}
	if len(contactIDs) == 0 {
		return nil
	}

	now := o.d.tv(o.stamp())
	rows := make([][]any, 0, len(contactIDs))
	for _, id := range contactIDs {
		rows = append(rows, []any{connectionID, listID, id, now})
	}

	return o.write(ctx, func(o *ops) error {
		err := o.insertRows(ctx, `INSERT INTO list_members (connection_id, list_id, contact_id, first_seen)`,
			`ON CONFLICT (connection_id, list_id, contact_id) DO NOTHING`, rows)
		if err != nil {
			return o.fail(err, "add %d contacts to list %s in connection %d", len(rows), listID, connectionID)
		}
		return nil
	})
}

func (o *ops) RemoveListMembers(ctx context.Context, connectionID int64, listID string, contactIDs []string) error {
	if len(contactIDs) == 0 {
		return nil
	}

	return o.write(ctx, func(o *ops) error {
		for _, id := range contactIDs {
			_, err := o.exec(ctx, `DELETE FROM list_members WHERE connection_id = ? AND list_id = ? AND contact_id = ?`, connectionID, listID, id)
			if err != nil {
				return o.fail(err, "remove contact %s from list %s in connection %d", id, listID, connectionID)
			}
		}
		return nil
	})
}

func (o *ops) IsListMember(ctx context.Context, connectionID int64, listID, contactID string) (bool, error) {
	var n int
	err := o.queryRow(ctx, `SELECT COUNT(*) FROM list_members WHERE connection_id = ? AND list_id = ? AND contact_id = ?`,
		connectionID, listID, contactID).Scan(&n)
	if err != nil {
		return false, o.fail(err, "check contact %s in list %s of connection %d", contactID, listID, connectionID)
	}
	return n > 0, nil
}

func (o *ops) ListListMembers(ctx context.Context, connectionID int64, listID string, afterContactID string, limit int) ([]store.ListMember, error) {
	size, err := store.Page{Limit: limit}.Size()
	if err != nil {
		return nil, fmt.Errorf("list members of list %s: %w", listID, err)
	}

	ms, err := queryAll(ctx, o, scanListMember, `SELECT connection_id, list_id, contact_id, first_seen FROM list_members
		WHERE connection_id = ? AND list_id = ? AND contact_id > ? ORDER BY contact_id LIMIT ?`,
		connectionID, listID, afterContactID, size)
	if err != nil {
		return nil, o.fail(err, "list members of list %s in connection %d", listID, connectionID)
	}
	return ms, nil
}

func (o *ops) ClearList(ctx context.Context, connectionID int64, listID string) error {
	if _, err := o.exec(ctx, `DELETE FROM list_members WHERE connection_id = ? AND list_id = ?`, connectionID, listID); err != nil {
		return o.fail(err, "clear list %s in connection %d", listID, connectionID)
	}
	return nil
}

func scanListMember(r rowScanner) (store.ListMember, error) {
	var m store.ListMember
	err := r.Scan(&m.ConnectionID, &m.ListID, &m.ContactID, scanTime(&m.FirstSeen))
	return m, err
}
