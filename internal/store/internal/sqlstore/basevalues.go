package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/koppel-sync/koppel/internal/store"
)

// maxInParams bounds the ids bound in one IN list, below SQLite's default
// limit of 32766 host parameters and PostgreSQL's 65535.
const maxInParams = 500

func (o *ops) PutBaseValues(ctx context.Context, vs []store.BaseValue) error {
	for _, v := range vs {
		if v.Field == "" {
			return fmt.Errorf("put base values: %w: link %d has a value with an empty field name", store.ErrInvalid, v.LinkID)
		}
	}
	if len(vs) == 0 {
		return nil
	}

	// One statement may not upsert a key twice on PostgreSQL, so keep
	// only the last value given for each link and field.
	type key struct {
		link  int64
		field string
	}
	last := make(map[key]int, len(vs))
	for i, v := range vs {
		last[key{v.LinkID, v.Field}] = i
	}

	now := o.stamp()
	rows := make([][]any, 0, len(last))
	for i, v := range vs {
		if last[key{v.LinkID, v.Field}] != i {
			continue
		}
		at := now
		if !v.SyncedAt.IsZero() {
			at = v.SyncedAt
		}
		rows = append(rows, []any{v.LinkID, v.Field, v.Value, nullID(v.RunID), o.d.tv(at)})
	}

	return o.write(ctx, func(o *ops) error {
		err := o.insertRows(ctx, `INSERT INTO base_values (link_id, field, value, run_id, synced_at)`,
			`ON CONFLICT (link_id, field) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, synced_at = excluded.synced_at`,
			rows)
		if err != nil {
			return o.fail(err, "put %d base values", len(rows))
		}
		return nil
	})
}

func scanBaseValue(r rowScanner) (store.BaseValue, error) {
	var v store.BaseValue
	err := r.Scan(&v.LinkID, &v.Field, &v.Value, scanID(&v.RunID), scanTime(&v.SyncedAt))
	return v, err
}

func (o *ops) ListBaseValues(ctx context.Context, linkIDs []int64) ([]store.BaseValue, error) {
	var out []store.BaseValue
	for len(linkIDs) > 0 {
		chunk := linkIDs[:min(len(linkIDs), maxInParams)]
		linkIDs = linkIDs[len(chunk):]

		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		marks := strings.Repeat("?, ", len(chunk)-1) + "?"
		vs, err := queryAll(ctx, o, scanBaseValue, `SELECT link_id, field, value, run_id, synced_at FROM base_values
			WHERE link_id IN (`+marks+`) ORDER BY link_id, field`, args...)
		if err != nil {
			return nil, o.fail(err, "list base values")
		}
		out = append(out, vs...)
	}
	return out, nil
}

func (o *ops) DeleteBaseValues(ctx context.Context, linkID int64, fields ...string) error {
	if len(fields) == 0 {
		if _, err := o.exec(ctx, `DELETE FROM base_values WHERE link_id = ?`, linkID); err != nil {
			return o.fail(err, "delete base values of link %d", linkID)
		}
		return nil
	}

	return o.write(ctx, func(o *ops) error {
		for _, f := range fields {
			if _, err := o.exec(ctx, `DELETE FROM base_values WHERE link_id = ? AND field = ?`, linkID, f); err != nil {
				return o.fail(err, "delete base value of link %d field %s", linkID, f)
			}
		}
		return nil
	})
}
