package sqlstore

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

const intentColumns = `id, connection_id, target_side, object, record_key, source_id, state, created_id, created_at, updated_at`

func scanIntent(r rowScanner) (store.Intent, error) {
	var i store.Intent
	err := r.Scan(&i.ID, &i.ConnectionID, &i.TargetSide, &i.Object, &i.Key, &i.SourceID, &i.State, &i.CreatedID,
		scanTime(&i.CreatedAt), scanTime(&i.UpdatedAt))
	return i, err
}

func (o *ops) CreateIntent(ctx context.Context, i store.Intent) (store.Intent, error) {
	if err := i.TargetSide.Validate(); err != nil {
		return store.Intent{}, fmt.Errorf("create intent: %w", err)
	}
	if i.Object == "" || i.Key == "" {
		return store.Intent{}, fmt.Errorf("create intent: %w: object %q and key %q must both be set", store.ErrInvalid, i.Object, i.Key)
	}

	var created store.Intent
	err := o.write(ctx, func(o *ops) error {
		now := o.stamp()
		row := o.queryRow(ctx, `INSERT INTO intents (connection_id, target_side, object, record_key, source_id, state, created_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, '', ?, ?) RETURNING `+intentColumns,
			i.ConnectionID, string(i.TargetSide), i.Object, i.Key, i.SourceID, string(store.IntentPending), o.d.tv(now), o.d.tv(now))
		var err error
		created, err = scanIntent(row)
		if err != nil {
			return o.fail(err, "create intent to create %s %s %q in connection %d", i.TargetSide, i.Object, i.Key, i.ConnectionID)
		}
		return nil
	})
	return created, err
}

func (o *ops) GetIntent(ctx context.Context, id int64) (store.Intent, error) {
	i, err := scanIntent(o.queryRow(ctx, `SELECT `+intentColumns+` FROM intents WHERE id = ?`, id))
	if err != nil {
		return store.Intent{}, o.fail(err, "get intent %d", id)
	}
	return i, nil
}

func (o *ops) SetIntentCreatedID(ctx context.Context, id int64, createdID string) (store.Intent, error) {
	if createdID == "" {
		return store.Intent{}, fmt.Errorf("set created id of intent %d: %w: created id is empty", id, store.ErrInvalid)
	}
	return o.updatePendingIntent(ctx, id, store.IntentPending, createdID)
}

func (o *ops) FinishIntent(ctx context.Context, id int64, state store.IntentState, createdID string) (store.Intent, error) {
	if state != store.IntentDone && state != store.IntentAbandoned {
		return store.Intent{}, fmt.Errorf("finish intent %d: %w: state %q: use %q or %q", id, store.ErrInvalid, state, store.IntentDone, store.IntentAbandoned)
	}
	return o.updatePendingIntent(ctx, id, state, createdID)
}

// updatePendingIntent sets the state of a pending intent and, when
// createdID is set, its created id.
func (o *ops) updatePendingIntent(ctx context.Context, id int64, state store.IntentState, createdID string) (store.Intent, error) {
	var updated store.Intent
	err := o.write(ctx, func(o *ops) error {
		current, err := o.GetIntent(ctx, id)
		if err != nil {
			return fmt.Errorf("update intent: %w", err)
		}
		if current.State != store.IntentPending {
			return fmt.Errorf("update intent %d: %w: it is %s, only a pending intent can change", id, store.ErrConflict, current.State)
		}
		if createdID == "" {
			createdID = current.CreatedID
		}

		row := o.queryRow(ctx, `UPDATE intents SET state = ?, created_id = ?, updated_at = ? WHERE id = ? RETURNING `+intentColumns,
			string(state), createdID, o.d.tv(o.stamp()), id)
		updated, err = scanIntent(row)
		if err != nil {
			return o.fail(err, "update intent %d", id)
		}
		return nil
	})
	return updated, err
}

func (o *ops) ListPendingIntents(ctx context.Context, connectionID int64) ([]store.Intent, error) {
	is, err := queryAll(ctx, o, scanIntent, `SELECT `+intentColumns+` FROM intents WHERE connection_id = ? AND state = ? ORDER BY id`,
		connectionID, string(store.IntentPending))
	if err != nil {
		return nil, o.fail(err, "list pending intents of connection %d", connectionID)
	}
	return is, nil
}
