package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

const errorColumns = `id, connection_id, side, object, record_id, link_id, category, code, message, fields,
	attempts, first_seen, last_seen, next_retry_at, resolved_at`

func scanError(r rowScanner) (store.SyncError, error) {
	var e store.SyncError
	err := r.Scan(&e.ID, &e.ConnectionID, &e.Side, &e.Object, &e.RecordID, scanID(&e.LinkID), &e.Category, &e.Code,
		&e.Message, scanJSON(&e.Fields), &e.Attempts, scanTime(&e.FirstSeen), scanTime(&e.LastSeen),
		scanTime(&e.NextRetryAt), scanTime(&e.ResolvedAt))
	return e, err
}

func (o *ops) RecordError(ctx context.Context, e store.SyncError) (store.SyncError, error) {
	if err := e.Side.Validate(); err != nil {
		return store.SyncError{}, fmt.Errorf("record error: %w", err)
	}
	if err := e.Category.Validate(); err != nil {
		return store.SyncError{}, fmt.Errorf("record error: %w", err)
	}
	if e.RecordID == "" {
		return store.SyncError{}, fmt.Errorf("record %s error on %s: %w: record id is empty", e.Category, e.Side, store.ErrInvalid)
	}
	fields := e.Fields
	if fields == nil {
		fields = []string{}
	}
	fieldsText, err := jsonText(fields)
	if err != nil {
		return store.SyncError{}, fmt.Errorf("record error: encode fields: %w", err)
	}

	var saved store.SyncError
	err = o.write(ctx, func(o *ops) error {
		// A repeat of an open error counts one more attempt; a resolved
		// error that recurs starts over, so Attempts and FirstSeen
		// describe the current episode.
		now := o.d.tv(o.stamp())
		row := o.queryRow(ctx, `INSERT INTO sync_errors (connection_id, side, object, record_id, link_id, category, code, message, fields,
				attempts, first_seen, last_seen, next_retry_at, resolved_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, NULL)
			ON CONFLICT (connection_id, side, record_id, category) DO UPDATE SET
				object = excluded.object,
				link_id = COALESCE(excluded.link_id, sync_errors.link_id),
				code = excluded.code,
				message = excluded.message,
				fields = excluded.fields,
				attempts = CASE WHEN sync_errors.resolved_at IS NULL THEN sync_errors.attempts + 1 ELSE 1 END,
				first_seen = CASE WHEN sync_errors.resolved_at IS NULL THEN sync_errors.first_seen ELSE excluded.first_seen END,
				last_seen = excluded.last_seen,
				next_retry_at = excluded.next_retry_at,
				resolved_at = NULL
			RETURNING `+errorColumns,
			e.ConnectionID, string(e.Side), e.Object, e.RecordID, nullID(e.LinkID), string(e.Category), e.Code, e.Message, fieldsText,
			now, now, o.d.ntv(e.NextRetryAt))
		var err error
		saved, err = scanError(row)
		if err != nil {
			return o.fail(err, "record %s error for %s %s %s in connection %d", e.Category, e.Side, e.Object, e.RecordID, e.ConnectionID)
		}
		return nil
	})
	return saved, err
}

func (o *ops) GetError(ctx context.Context, id int64) (store.SyncError, error) {
	e, err := scanError(o.queryRow(ctx, `SELECT `+errorColumns+` FROM sync_errors WHERE id = ?`, id))
	if err != nil {
		return store.SyncError{}, o.fail(err, "get error %d", id)
	}
	return e, nil
}

func (o *ops) ListErrors(ctx context.Context, q store.ErrorQuery) ([]store.SyncError, error) {
	after, limit, err := pageArgs(q.Page)
	if err != nil {
		return nil, fmt.Errorf("list errors: %w", err)
	}

	where := "connection_id = ?"
	args := []any{q.ConnectionID}
	if q.Category != "" {
		if err := q.Category.Validate(); err != nil {
			return nil, fmt.Errorf("list errors: %w", err)
		}
		where += " AND category = ?"
		args = append(args, string(q.Category))
	}
	if q.LinkID != 0 {
		where += " AND link_id = ?"
		args = append(args, q.LinkID)
	}
	if q.RecordID != "" {
		where += " AND record_id = ?"
		args = append(args, q.RecordID)
	}
	if !q.IncludeResolved {
		// Written exactly as the partial indexes' predicate, so both
		// planners use them.
		where += " AND resolved_at IS NULL"
	}
	if after > 0 {
		where += " AND id < ?"
		args = append(args, after)
	}
	args = append(args, limit)

	es, err := queryAll(ctx, o, scanError, `SELECT `+errorColumns+` FROM sync_errors WHERE `+where+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, o.fail(err, "list errors of connection %d", q.ConnectionID)
	}
	return es, nil
}

func (o *ops) CountErrorsByCategory(ctx context.Context, connectionID int64) (map[store.ErrorCategory]int64, error) {
	rows, err := o.query(ctx, `SELECT category, COUNT(*) FROM sync_errors WHERE connection_id = ? AND resolved_at IS NULL GROUP BY category`, connectionID)
	if err != nil {
		return nil, o.fail(err, "count errors of connection %d", connectionID)
	}
	defer rows.Close()

	counts := map[store.ErrorCategory]int64{}
	for rows.Next() {
		var category store.ErrorCategory
		var n int64
		if err := rows.Scan(&category, &n); err != nil {
			return nil, o.fail(err, "count errors of connection %d", connectionID)
		}
		counts[category] = n
	}
	if err := rows.Err(); err != nil {
		return nil, o.fail(err, "count errors of connection %d", connectionID)
	}
	return counts, nil
}

func (o *ops) ListErrorsDue(ctx context.Context, connectionID int64, now time.Time, limit int) ([]store.SyncError, error) {
	size, err := store.Page{Limit: limit}.Size()
	if err != nil {
		return nil, fmt.Errorf("list errors due: %w", err)
	}

	es, err := queryAll(ctx, o, scanError, `SELECT `+errorColumns+` FROM sync_errors
		WHERE connection_id = ? AND resolved_at IS NULL AND next_retry_at IS NOT NULL AND next_retry_at <= ?
		ORDER BY next_retry_at, id LIMIT ?`,
		connectionID, o.d.tv(now), size)
	if err != nil {
		return nil, o.fail(err, "list errors due in connection %d", connectionID)
	}
	return es, nil
}

func (o *ops) ResolveError(ctx context.Context, id int64) error {
	res, err := o.exec(ctx, `UPDATE sync_errors SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL`, o.d.tv(o.stamp()), id)
	return o.affected(res, err, "resolve open error %d", id)
}

func (o *ops) SetErrorNextRetry(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("set next retry of error %d: %w: time is zero", id, store.ErrInvalid)
	}
	res, err := o.exec(ctx, `UPDATE sync_errors SET next_retry_at = ? WHERE id = ? AND resolved_at IS NULL`, o.d.tv(at), id)
	return o.affected(res, err, "set next retry of open error %d", id)
}

func (o *ops) ResolveRecordErrors(ctx context.Context, connectionID int64, side store.Side, recordID string) (int64, error) {
	res, err := o.exec(ctx, `UPDATE sync_errors SET resolved_at = ?
		WHERE connection_id = ? AND side = ? AND record_id = ? AND resolved_at IS NULL`,
		o.d.tv(o.stamp()), connectionID, string(side), recordID)
	if err != nil {
		return 0, o.fail(err, "resolve errors of %s record %s in connection %d", side, recordID, connectionID)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, o.fail(err, "resolve errors of %s record %s in connection %d", side, recordID, connectionID)
	}
	return n, nil
}
