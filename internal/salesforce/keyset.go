package salesforce

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Cursor is a position in a SystemModstamp, Id ordering. The zero Cursor
// is before every record.
type Cursor struct {
	Modstamp time.Time `json:"modstamp"`
	ID       string    `json:"id"`
}

// After reports whether c is later than other in (Modstamp, ID) order.
func (c Cursor) After(other Cursor) bool {
	if !c.Modstamp.Equal(other.Modstamp) {
		return c.Modstamp.After(other.Modstamp)
	}
	return c.ID > other.ID
}

// KeysetQuery reads the records of one object changed since a cursor, in
// SystemModstamp, Id order.
//
// Salesforce can commit a row with a SystemModstamp slightly before rows
// already read, so the query starts Overlap before the cursor and the
// caller sees some records again. Callers must treat records as
// idempotent updates.
type KeysetQuery struct {
	Object string
	// Fields to select; Id and SystemModstamp are added when missing.
	Fields []string
	// Where is an extra condition in SOQL, built with Quote, such as
	// "IsConverted = false". Empty for none.
	Where string
	// Since is where the previous read stopped.
	Since Cursor
	// Overlap is how far before Since.Modstamp to start again.
	// Default 0; the engine uses a few minutes.
	Overlap time.Duration
	// All reads with queryAll, so deleted records appear with IsDeleted.
	All bool
	// PageLimit caps each SOQL query with LIMIT and continues with a
	// keyset condition after the last row, so no query locator stays open
	// for long. 0 reads everything through nextRecordsUrl paging.
	PageLimit int
}

// SOQL returns the query for the first round, starting at from.
func (k KeysetQuery) soql(from Cursor, strict bool) string {
	fields := append([]string(nil), k.Fields...)
	fields = appendMissing(fields, "Id")
	fields = appendMissing(fields, "SystemModstamp")

	var where []string
	switch {
	case strict:
		where = append(where, fmt.Sprintf("(SystemModstamp > %s OR (SystemModstamp = %s AND Id > %s))",
			Quote(from.Modstamp), Quote(from.Modstamp), Quote(from.ID)))
	case !from.Modstamp.IsZero():
		where = append(where, "SystemModstamp >= "+Quote(from.Modstamp))
	}
	if k.Where != "" {
		where = append(where, "("+k.Where+")")
	}

	var b strings.Builder
	b.WriteString("SELECT ")
	b.WriteString(strings.Join(fields, ", "))
	b.WriteString(" FROM ")
	b.WriteString(k.Object)
	if len(where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(where, " AND "))
	}
	b.WriteString(" ORDER BY SystemModstamp ASC, Id ASC")
	if k.PageLimit > 0 {
		fmt.Fprintf(&b, " LIMIT %d", k.PageLimit)
	}
	return b.String()
}

// SOQL returns the first query ReadChanges sends, for logs and dry runs.
func (k KeysetQuery) SOQL() string {
	return k.soql(k.start(), false)
}

func (k KeysetQuery) start() Cursor {
	if k.Since.Modstamp.IsZero() {
		return Cursor{}
	}
	return Cursor{Modstamp: k.Since.Modstamp.Add(-k.Overlap)}
}

func appendMissing(fields []string, name string) []string {
	for _, f := range fields {
		if strings.EqualFold(f, name) {
			return fields
		}
	}
	return append(fields, name)
}

// ReadChanges calls fn for every record of k in (SystemModstamp, Id)
// order and returns the cursor of the last record read, or k.Since when
// there was none. Store that cursor only after fn's work is durable.
func (c *Client) ReadChanges(ctx context.Context, k KeysetQuery, fn func(Record) error) (Cursor, error) {
	if k.Object == "" {
		return k.Since, fmt.Errorf("read changes: missing object")
	}
	last := k.Since
	from := k.start()
	strict := false
	for {
		n := 0
		err := c.QueryPages(ctx, k.soql(from, strict), QueryOptions{All: k.All}, func(p *QueryPage) error {
			for _, r := range p.Records {
				n++
				cur, err := cursorOf(r)
				if err != nil {
					return err
				}
				if err := fn(r); err != nil {
					return err
				}
				if cur.After(last) {
					last = cur
				}
				from = cur
			}
			return nil
		})
		if err != nil {
			return last, err
		}
		if k.PageLimit == 0 || n < k.PageLimit {
			return last, nil
		}
		strict = true
	}
}

// cursorOf reads the keyset position of a record.
func cursorOf(r Record) (Cursor, error) {
	s, _ := r.Fields["SystemModstamp"].(string)
	t, err := ParseDateTime(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("read SystemModstamp of %s %s: %w", r.Type, r.ID, err)
	}
	return Cursor{Modstamp: t, ID: r.ID}, nil
}

// ParseDateTime parses a Salesforce datetime such as
// "2025-01-09T10:00:00.000+0000".
func ParseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05.000Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid datetime %q", s)
}
