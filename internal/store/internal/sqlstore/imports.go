package sqlstore

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

func (o *ops) PutImportProgress(ctx context.Context, p store.ImportProgress) error {
	if err := p.Object.Validate(); err != nil {
		return fmt.Errorf("put import progress of run %d: %w", p.RunID, err)
	}
	counts, err := countsText(p.Counts)
	if err != nil {
		return fmt.Errorf("put import progress of run %d: encode counts: %w", p.RunID, err)
	}

	_, err = o.exec(ctx, `INSERT INTO import_progress (run_id, object, last_salesforce_id, counts, done, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (run_id, object) DO UPDATE SET last_salesforce_id = excluded.last_salesforce_id, counts = excluded.counts,
			done = excluded.done, updated_at = excluded.updated_at`,
		p.RunID, string(p.Object), p.LastSalesforceID, counts, p.Done, o.d.tv(o.stamp()))
	if err != nil {
		return o.fail(err, "put import progress of run %d %s", p.RunID, p.Object)
	}
	return nil
}

func (o *ops) ListImportProgress(ctx context.Context, runID int64) ([]store.ImportProgress, error) {
	ps, err := queryAll(ctx, o, scanImportProgress, `SELECT run_id, object, last_salesforce_id, counts, done, updated_at FROM import_progress
		WHERE run_id = ? ORDER BY object`, runID)
	if err != nil {
		return nil, o.fail(err, "list import progress of run %d", runID)
	}
	return ps, nil
}

func scanImportProgress(r rowScanner) (store.ImportProgress, error) {
	var p store.ImportProgress
	err := r.Scan(&p.RunID, &p.Object, &p.LastSalesforceID, scanJSON(&p.Counts), &p.Done, scanTime(&p.UpdatedAt))
	return p, err
}
