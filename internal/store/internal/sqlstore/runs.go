package sqlstore

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

const runColumns = `id, connection_id, kind, undo_of, started_at, finished_at, status, counts,
	api_calls_hubspot, api_calls_salesforce, error`

func scanRun(r rowScanner) (store.Run, error) {
	var run store.Run
	err := r.Scan(&run.ID, &run.ConnectionID, &run.Kind, scanID(&run.UndoOf), scanTime(&run.StartedAt), scanTime(&run.FinishedAt),
		&run.Status, scanJSON(&run.Counts), &run.APICallsHubSpot, &run.APICallsSalesforce, &run.Error)
	return run, err
}

func countsText(counts map[string]int64) (string, error) {
	if counts == nil {
		return "{}", nil
	}
	return jsonText(counts)
}

func (o *ops) StartRun(ctx context.Context, r store.Run) (store.Run, error) {
	if err := r.Kind.Validate(); err != nil {
		return store.Run{}, fmt.Errorf("start run: %w", err)
	}
	if (r.Kind == store.RunUndo) != (r.UndoOf != 0) {
		return store.Run{}, fmt.Errorf("start %s run: %w: an undo run, and only an undo run, names the run it reverts (UndoOf %d)", r.Kind, store.ErrInvalid, r.UndoOf)
	}
	counts, err := countsText(r.Counts)
	if err != nil {
		return store.Run{}, fmt.Errorf("start run: encode counts: %w", err)
	}

	var started store.Run
	err = o.write(ctx, func(o *ops) error {
		row := o.queryRow(ctx, `INSERT INTO runs (connection_id, kind, undo_of, started_at, status, counts, api_calls_hubspot, api_calls_salesforce, error)
			VALUES (?, ?, ?, ?, ?, ?, 0, 0, '') RETURNING `+runColumns,
			r.ConnectionID, string(r.Kind), nullID(r.UndoOf), o.d.tv(o.stamp()), string(store.RunRunning), counts)
		var err error
		started, err = scanRun(row)
		if err != nil {
			return o.fail(err, "start %s run in connection %d", r.Kind, r.ConnectionID)
		}
		return nil
	})
	return started, err
}

func (o *ops) FinishRun(ctx context.Context, id int64, res store.RunResult) (store.Run, error) {
	if err := res.Status.Validate(); err != nil {
		return store.Run{}, fmt.Errorf("finish run %d: %w", id, err)
	}
	if res.Status == store.RunRunning {
		return store.Run{}, fmt.Errorf("finish run %d: %w: status %q is not an end state", id, store.ErrInvalid, res.Status)
	}
	counts, err := countsText(res.Counts)
	if err != nil {
		return store.Run{}, fmt.Errorf("finish run %d: encode counts: %w", id, err)
	}

	var finished store.Run
	err = o.write(ctx, func(o *ops) error {
		current, err := o.GetRun(ctx, id)
		if err != nil {
			return fmt.Errorf("finish run: %w", err)
		}
		if current.Status != store.RunRunning {
			return fmt.Errorf("finish run %d: %w: it already ended as %s", id, store.ErrConflict, current.Status)
		}

		row := o.queryRow(ctx, `UPDATE runs SET finished_at = ?, status = ?, counts = ?, api_calls_hubspot = ?, api_calls_salesforce = ?, error = ?
			WHERE id = ? RETURNING `+runColumns,
			o.d.tv(o.stamp()), string(res.Status), counts, res.APICallsHubSpot, res.APICallsSalesforce, res.Error, id)
		finished, err = scanRun(row)
		if err != nil {
			return o.fail(err, "finish run %d", id)
		}
		return nil
	})
	return finished, err
}

func (o *ops) GetRun(ctx context.Context, id int64) (store.Run, error) {
	r, err := scanRun(o.queryRow(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id))
	if err != nil {
		return store.Run{}, o.fail(err, "get run %d", id)
	}
	return r, nil
}

func (o *ops) ListRuns(ctx context.Context, connectionID int64, p store.Page) ([]store.Run, error) {
	after, limit, err := pageArgs(p)
	if err != nil {
		return nil, fmt.Errorf("list runs of connection %d: %w", connectionID, err)
	}

	query := `SELECT ` + runColumns + ` FROM runs WHERE connection_id = ?`
	args := []any{connectionID}
	if after > 0 {
		query += ` AND id < ?`
		args = append(args, after)
	}
	args = append(args, limit)

	rs, err := queryAll(ctx, o, scanRun, query+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, o.fail(err, "list runs of connection %d", connectionID)
	}
	return rs, nil
}
