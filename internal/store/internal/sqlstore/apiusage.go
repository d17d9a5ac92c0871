package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

func (o *ops) AddAPIUsage(ctx context.Context, u store.APIUsage) error {
	if err := u.Side.Validate(); err != nil {
		return fmt.Errorf("add API usage: %w", err)
	}
	if u.Used < 0 || u.Limit < 0 {
		return fmt.Errorf("add API usage: %w: used %d and limit %d must not be negative", store.ErrInvalid, u.Used, u.Limit)
	}
	at := u.At
	if at.IsZero() {
		at = o.stamp()
	}

	_, err := o.exec(ctx, `INSERT INTO api_usage (connection_id, side, at, used, limit_value) VALUES (?, ?, ?, ?, ?)`,
		u.ConnectionID, string(u.Side), o.d.tv(at), u.Used, u.Limit)
	if err != nil {
		return o.fail(err, "add %s API usage to connection %d", u.Side, u.ConnectionID)
	}
	return nil
}

func (o *ops) ListAPIUsage(ctx context.Context, connectionID int64, side store.Side, from, to time.Time) ([]store.APIUsage, error) {
	us, err := queryAll(ctx, o, scanAPIUsage, `SELECT connection_id, side, at, used, limit_value FROM api_usage
		WHERE connection_id = ? AND side = ? AND at >= ? AND at < ? ORDER BY at, id`,
		connectionID, string(side), o.d.tv(from), o.d.tv(to))
	if err != nil {
		return nil, o.fail(err, "list %s API usage of connection %d", side, connectionID)
	}
	return us, nil
}

func (o *ops) DeleteAPIUsageBefore(ctx context.Context, before time.Time) (int64, error) {
	res, err := o.exec(ctx, `DELETE FROM api_usage WHERE at < ?`, o.d.tv(before))
	if err != nil {
		return 0, o.fail(err, "delete API usage before %s", before.Format(time.RFC3339))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, o.fail(err, "delete API usage before %s", before.Format(time.RFC3339))
	}
	return n, nil
}

func scanAPIUsage(r rowScanner) (store.APIUsage, error) {
	var u store.APIUsage
	err := r.Scan(&u.ConnectionID, &u.Side, scanTime(&u.At), &u.Used, &u.Limit)
	return u, err
}
