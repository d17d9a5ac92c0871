package sqlstore

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

func (o *ops) PutTombstone(ctx context.Context, t store.Tombstone) error {
	if err := t.Side.Validate(); err != nil {
		return fmt.Errorf("put tombstone: %w", err)
	}
	if t.RecordID == "" {
		return fmt.Errorf("put tombstone on %s: %w: record id is empty", t.Side, store.ErrInvalid)
	}
	at := t.DeletedAt
	if at.IsZero() {
		at = o.stamp()
	}

	_, err := o.exec(ctx, `INSERT INTO tombstones (connection_id, side, record_id, object, link_id, deleted_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, side, record_id) DO UPDATE SET object = excluded.object, link_id = excluded.link_id, deleted_at = excluded.deleted_at`,
		t.ConnectionID, string(t.Side), t.RecordID, t.Object, nullID(t.LinkID), o.d.tv(at))
	if err != nil {
		return o.fail(err, "put tombstone for %s %s %s in connection %d", t.Side, t.Object, t.RecordID, t.ConnectionID)
	}
	return nil
}

func (o *ops) GetTombstone(ctx context.Context, connectionID int64, side store.Side, recordID string) (store.Tombstone, error) {
	t := store.Tombstone{ConnectionID: connectionID, Side: side, RecordID: recordID}
	err := o.queryRow(ctx, `SELECT object, link_id, deleted_at FROM tombstones WHERE connection_id = ? AND side = ? AND record_id = ?`,
		connectionID, string(side), recordID).Scan(&t.Object, scanID(&t.LinkID), scanTime(&t.DeletedAt))
	if err != nil {
		return store.Tombstone{}, o.fail(err, "get tombstone for %s %s in connection %d", side, recordID, connectionID)
	}
	return t, nil
}

func (o *ops) ListTombstones(ctx context.Context, connectionID int64, side store.Side, afterRecordID string, limit int) ([]store.Tombstone, error) {
	if err := side.Validate(); err != nil {
		return nil, fmt.Errorf("list tombstones: %w", err)
	}
	size, err := store.Page{Limit: limit}.Size()
	if err != nil {
		return nil, fmt.Errorf("list tombstones: %w", err)
	}

	ts, err := queryAll(ctx, o, scanTombstone, `SELECT connection_id, side, record_id, object, link_id, deleted_at FROM tombstones
		WHERE connection_id = ? AND side = ? AND record_id > ? ORDER BY record_id LIMIT ?`,
		connectionID, string(side), afterRecordID, size)
	if err != nil {
		return nil, o.fail(err, "list %s tombstones of connection %d", side, connectionID)
	}
	return ts, nil
}

func scanTombstone(r rowScanner) (store.Tombstone, error) {
	var t store.Tombstone
	err := r.Scan(&t.ConnectionID, &t.Side, &t.RecordID, &t.Object, scanID(&t.LinkID), scanTime(&t.DeletedAt))
	return t, err
}

func (o *ops) DeleteTombstone(ctx context.Context, connectionID int64, side store.Side, recordID string) error {
	res, err := o.exec(ctx, `DELETE FROM tombstones WHERE connection_id = ? AND side = ? AND record_id = ?`, connectionID, string(side), recordID)
	return o.affected(res, err, "delete tombstone for %s %s in connection %d", side, recordID, connectionID)
}
