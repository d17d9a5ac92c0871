package sqlstore

import (
	"strconv"
	"strings"
	"time"
)

// Dialect describes what differs between the supported databases.
type Dialect struct {
	// Name is "sqlite" or "postgres"; messages use it.
	Name string

	// NumberedParams rewrites each ? placeholder to $1, $2, ... as
	// PostgreSQL expects.
	NumberedParams bool

	// TimeValue turns a UTC, millisecond-truncated time into the value
	// bound for a time column.
	TimeValue func(t time.Time) any

	// IsUniqueViolation and IsForeignKeyViolation classify driver errors.
	IsUniqueViolation     func(err error) bool
	IsForeignKeyViolation func(err error) bool

	// LockMigrations, when set, runs first in the migration transaction so
	// that two processes starting at once do not migrate twice.
	LockMigrations string
}

// rebind rewrites placeholders for the dialect. The queries in this package
// contain no ? inside string literals, so a plain scan is enough.
func (d *Dialect) rebind(query string) string {
	if !d.NumberedParams || !strings.Contains(query, "?") {
		return query
	}

	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// MillisUTC normalizes t to the precision and zone the store keeps.
func MillisUTC(t time.Time) time.Time {
	return t.UTC().Truncate(time.Millisecond)
}

// tv returns the bound value for a time column.
func (d *Dialect) tv(t time.Time) any {
	return d.TimeValue(MillisUTC(t))
}

// ntv returns the bound value for a nullable time column: NULL for the zero
// time.
func (d *Dialect) ntv(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.tv(t)
}
