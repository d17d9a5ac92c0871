package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// DB is a store.Store on a database/sql pool.
type DB struct {
	*ops
	db *sql.DB
}

var _ store.Store = (*DB)(nil)

// New returns a store on db, which must already be migrated. The store
// closes db on Close.
func New(db *sql.DB, d *Dialect, opts store.Options) *DB {
	return &DB{
		ops: &ops{db: db, d: d, now: opts.Clock()},
		db:  db,
	}
}

// SQL returns the underlying pool, for tests and benchmarks.
func (s *DB) SQL() *sql.DB { return s.db }

// Close closes the pool.
func (s *DB) Close() error { return s.db.Close() }

// InTx runs fn in a transaction; see store.Store.
func (s *DB) InTx(ctx context.Context, fn func(tx store.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}

	committed := false
	defer func() {
		if !committed {
			// A rollback error adds nothing: the transaction is gone
			// either way, and fn's error is the one to report.
			_ = tx.Rollback()
		}
	}()

	if err := fn(&ops{tx: tx, d: s.d, now: s.now}); err != nil {
		return err
	}

	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	committed = true
	return nil
}

// querier is the query interface common to *sql.DB and *sql.Tx.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ops implements every store.Tx method, either on the pool (db set) or in
// a transaction (tx set).
type ops struct {
	db  *sql.DB
	tx  *sql.Tx
	d   *Dialect
	now func() time.Time
}

func (o *ops) q() querier {
	if o.tx != nil {
		return o.tx
	}
	return o.db
}

func (o *ops) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return o.q().ExecContext(ctx, o.d.rebind(query), args...)
}

func (o *ops) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return o.q().QueryContext(ctx, o.d.rebind(query), args...)
}

func (o *ops) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return o.q().QueryRowContext(ctx, o.d.rebind(query), args...)
}

// stamp returns the current time as the store keeps it.
func (o *ops) stamp() time.Time {
	return MillisUTC(o.now())
}

// write runs fn atomically. On the pool it opens a transaction. Inside a
// caller's transaction it uses a savepoint, so a failed operation (for
// example a unique violation the caller handles) leaves the transaction
// usable on PostgreSQL, which otherwise aborts the whole transaction on
// the first error, exactly as on SQLite.
func (o *ops) write(ctx context.Context, fn func(o *ops) error) error {
	if o.tx != nil {
		if _, err := o.tx.ExecContext(ctx, "SAVEPOINT koppel_op"); err != nil {
			return fmt.Errorf("create savepoint: %w", err)
		}
		if err := fn(o); err != nil {
			if _, rbErr := o.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT koppel_op"); rbErr != nil {
				return errors.Join(err, fmt.Errorf("roll back to savepoint: %w", rbErr))
			}
			return err
		}
		if _, err := o.tx.ExecContext(ctx, "RELEASE SAVEPOINT koppel_op"); err != nil {
			return fmt.Errorf("release savepoint: %w", err)
		}
		return nil
	}

	tx, err := o.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	// Rolling back after a commit is a no-op; it matters when fn fails
	// or panics, because an open SQLite transaction keeps the write lock.
	defer func() { _ = tx.Rollback() }()

	if err := fn(&ops{tx: tx, d: o.d, now: o.now}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	return nil
}

// classify maps a driver error to a store sentinel, or returns nil.
func (o *ops) classify(err error) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.ErrNotFound
	case o.d.IsUniqueViolation(err):
		return store.ErrConflict
	case o.d.IsForeignKeyViolation(err):
		return store.ErrNotFound
	}
	return nil
}

// fail wraps err with what failed. Known driver errors become store
// sentinels, with detail after them for people.
func (o *ops) fail(err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	switch sentinel := o.classify(err); {
	case sentinel == nil:
		return fmt.Errorf("%s: %w", what, err)
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s: %w", what, sentinel)
	default:
		return fmt.Errorf("%s: %w: %v", what, sentinel, err)
	}
}

// affected wraps an exec result, turning "no row changed" into an
// ErrNotFound error.
func (o *ops) affected(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return o.fail(err, format, args...)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return o.fail(err, format, args...)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), store.ErrNotFound)
	}
	return nil
}

// pageArgs validates p and returns its cursor and size.
func pageArgs(p store.Page) (after int64, limit int, err error) {
	if err := p.Validate(); err != nil {
		return 0, 0, err
	}
	limit, _ = p.Size()
	return p.After, limit, nil
}

// queryAll runs a query and reads every row with scan.
func queryAll[T any](ctx context.Context, o *ops, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := o.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
