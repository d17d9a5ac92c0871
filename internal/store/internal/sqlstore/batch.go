package sqlstore

import (
	"context"
	"strings"
)

// maxBatchParams bounds the parameters of one multi-row INSERT, well below
// SQLite's default limit of 32766 host parameters and PostgreSQL's 65535.
const maxBatchParams = 2000

// insertRows inserts rows with as few statements as the parameter limit
// allows, because one round trip per row dominates a batch commit on
// PostgreSQL. The statement is head, then "VALUES (?, ...), (?, ...)",
// then tail (such as an ON CONFLICT clause). Every row has the same
// number of values.
func (o *ops) insertRows(ctx context.Context, head, tail string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	perStatement := max(1, maxBatchParams/width)
	tuple := "(" + strings.Repeat("?, ", width-1) + "?)"

	for len(rows) > 0 {
		chunk := rows[:min(len(rows), perStatement)]
		rows = rows[len(chunk):]

		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, len(chunk)*width)
		for i, row := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, row...)
		}
		b.WriteString(" ")
		b.WriteString(tail)

		if _, err := o.exec(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
