package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

const cursorColumns = `connection_id, source, position_at, position_id, extra, updated_at`

func scanCursor(r rowScanner) (store.Cursor, error) {
	var c store.Cursor
	err := r.Scan(&c.ConnectionID, &c.Source, scanTime(&c.Timestamp), &c.ID, scanRawJSON(&c.Extra), scanTime(&c.UpdatedAt))
	return c, err
}

func (o *ops) GetCursor(ctx context.Context, connectionID int64, source string) (store.Cursor, error) {
	c, err := scanCursor(o.queryRow(ctx, `SELECT `+cursorColumns+` FROM cursors WHERE connection_id = ? AND source = ?`, connectionID, source))
	if err != nil {
		return store.Cursor{}, o.fail(err, "get cursor %s of connection %d", source, connectionID)
	}
	return c, nil
}

func (o *ops) PutCursor(ctx context.Context, c store.Cursor) error {
	if c.Source == "" {
		return fmt.Errorf("put cursor of connection %d: %w: source is empty", c.ConnectionID, store.ErrInvalid)
	}
	var extra any
	if len(c.Extra) > 0 {
		if !json.Valid(c.Extra) {
			return fmt.Errorf("put cursor %s of connection %d: %w: extra is not valid JSON", c.Source, c.ConnectionID, store.ErrInvalid)
		}
		extra = string(c.Extra)
	}

	_, err := o.exec(ctx, `INSERT INTO cursors (connection_id, source, position_at, position_id, extra, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (connection_id, source) DO UPDATE SET position_at = excluded.position_at, position_id = excluded.position_id,
			extra = excluded.extra, updated_at = excluded.updated_at`,
		c.ConnectionID, c.Source, o.d.tv(c.Timestamp), c.ID, extra, o.d.tv(o.stamp()))
	if err != nil {
		return o.fail(err, "put cursor %s of connection %d", c.Source, c.ConnectionID)
	}
	return nil
}

func (o *ops) ListCursors(ctx context.Context, connectionID int64) ([]store.Cursor, error) {
	cs, err := queryAll(ctx, o, scanCursor, `SELECT `+cursorColumns+` FROM cursors WHERE connection_id = ? ORDER BY source`, connectionID)
	if err != nil {
		return nil, o.fail(err, "list cursors of connection %d", connectionID)
	}
	return cs, nil
}

func (o *ops) DeleteCursor(ctx context.Context, connectionID int64, source string) error {
	res, err := o.exec(ctx, `DELETE FROM cursors WHERE connection_id = ? AND source = ?`, connectionID, source)
	return o.affected(res, err, "delete cursor %s of connection %d", source, connectionID)
}
