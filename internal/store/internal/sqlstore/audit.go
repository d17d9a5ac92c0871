package sqlstore

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

const auditColumns = `id, run_id, connection_id, link_id, hubspot_id, salesforce_id, field, old_value, new_value,
	direction, rule, reason_code, reason, conflict, at`

func scanAudit(r rowScanner) (store.AuditEntry, error) {
	var e store.AuditEntry
	err := r.Scan(&e.ID, scanID(&e.RunID), &e.ConnectionID, scanID(&e.LinkID), &e.HubSpotID, &e.SalesforceID, &e.Field,
		&e.OldValue, &e.NewValue, &e.Direction, &e.Rule, &e.ReasonCode, &e.Reason, &e.Conflict, scanTime(&e.At))
	return e, err
}

func (o *ops) AppendAudit(ctx context.Context, es []store.AuditEntry) error {
	for i, e := range es {
		if err := e.Direction.Validate(); err != nil {
			return fmt.Errorf("append audit entry %d (field %s): %w", i, e.Field, err)
		}
		if e.Field == "" {
			return fmt.Errorf("append audit entry %d: %w: field is empty", i, store.ErrInvalid)
		}
	}
	if len(es) == 0 {
		return nil
	}

	now := o.stamp()
	rows := make([][]any, 0, len(es))
	for _, e := range es {
		at := now
		if !e.At.IsZero() {
			at = e.At
		}
		rows = append(rows, []any{nullID(e.RunID), e.ConnectionID, nullID(e.LinkID), e.HubSpotID, e.SalesforceID, e.Field,
			e.OldValue, e.NewValue, string(e.Direction), e.Rule, e.ReasonCode, e.Reason, e.Conflict, o.d.tv(at)})
	}

	// Undo reads a run's entries by id, so ids must follow the order of es.
	// NOTE: both databases number the rows of one multi-row INSERT in
	// VALUES order in practice (the audit conformance test checks it),
	// but PostgreSQL does not document that order.
	return o.write(ctx, func(o *ops) error {
		err := o.insertRows(ctx, `INSERT INTO audit_log (run_id, connection_id, link_id, hubspot_id, salesforce_id, field, old_value, new_value,
				direction, rule, reason_code, reason, conflict, at)`, ``, rows)
		if err != nil {
			return o.fail(err, "append %d audit entries", len(rows))
		}
		return nil
	})
}

func (o *ops) ListAuditByLink(ctx context.Context, linkID int64, p store.Page) ([]store.AuditEntry, error) {
	after, limit, err := pageArgs(p)
	if err != nil {
		return nil, fmt.Errorf("list audit of link %d: %w", linkID, err)
	}

	query := `SELECT ` + auditColumns + ` FROM audit_log WHERE link_id = ?`
	args := []any{linkID}
	if after > 0 {
		query += ` AND id < ?`
		args = append(args, after)
	}
	args = append(args, limit)

	es, err := queryAll(ctx, o, scanAudit, query+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, o.fail(err, "list audit of link %d", linkID)
	}
	return es, nil
}

func (o *ops) ListAuditByRun(ctx context.Context, runID int64, p store.Page) ([]store.AuditEntry, error) {
	after, limit, err := pageArgs(p)
	if err != nil {
		return nil, fmt.Errorf("list audit of run %d: %w", runID, err)
	}

	es, err := queryAll(ctx, o, scanAudit, `SELECT `+auditColumns+` FROM audit_log WHERE run_id = ? AND id > ? ORDER BY id LIMIT ?`,
		runID, after, limit)
	if err != nil {
		return nil, o.fail(err, "list audit of run %d", runID)
	}
	return es, nil
}
