package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads files named NNNN_name.sql from the root of fsys,
// ordered by number. Numbers must start at 1 and have no gaps, so that a
// missing file fails the tests instead of leaving a schema half built.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}

	var ms []Migration
	for _, name := range names {
		number, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(number)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("load migration %s: name must be NNNN_description.sql with NNNN > 0", name)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: version, Name: strings.TrimSuffix(path.Base(name), ".sql"), SQL: string(body)})
	}

	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("load migrations: expected version %d, found %s", i+1, m.Name)
		}
	}
	return ms, nil
}

// Migrate applies the migrations that db lacks, all in one transaction,
// and records each in schema_migrations. A database that already has a
// version this binary does not know fails with store.ErrSchemaTooNew.
func Migrate(ctx context.Context, db *sql.DB, d *Dialect, ms []Migration, now time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()

	if d.LockMigrations != "" {
		if _, err := tx.ExecContext(ctx, d.LockMigrations); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
	}

	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at BIGINT NOT NULL
	)`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}

	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}

	latest := len(ms)
	if current > latest {
		return fmt.Errorf("migrate: %w: the %s database is at schema version %d, this koppel knows up to %d; run a koppel at least as new as the one that last opened it",
			store.ErrSchemaTooNew, d.Name, current, latest)
	}

	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate: apply %s: %w", m.Name, err)
		}
		record := d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`)
		if _, err := tx.ExecContext(ctx, record, m.Version, m.Name, MillisUTC(now).UnixMilli()); err != nil {
			return fmt.Errorf("migrate: record %s: %w", m.Name, err)
		}
	}

	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}
