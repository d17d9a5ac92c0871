// Package postgres implements store.Store on PostgreSQL through pgx, for
// installations that run several koppel processes or already operate
// PostgreSQL.
//
// Importing the package registers it with store.Open for "postgres://" and
// "postgresql://" URLs.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// MaxOpenConns bounds the pool. A sync cycle needs one connection at a
// time and the web UI a few more.
const MaxOpenConns = 10

func init() {
	open := func(ctx context.Context, rawURL string, opts store.Options) (store.Store, error) {
		return Open(ctx, rawURL, opts)
	}
	store.Register("postgres", open)
}

// PostgreSQL error codes, from the "PostgreSQL Error Codes" appendix.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// migrationLockKey is the advisory lock that serializes migrations of
// processes starting at once; the value is arbitrary but fixed.
const migrationLockKey = 7_206_553_331

var dialect = &sqlstore.Dialect{
	Name:           "postgres",
	NumberedParams: true,
	TimeValue:      func(t time.Time) any { return t },
	IsUniqueViolation: func(err error) bool {
		return pgCode(err) == uniqueViolation
	},
	IsForeignKeyViolation: func(err error) bool {
		return pgCode(err) == foreignKeyViolation
	},
	LockMigrations: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Open connects to the database at a libpq URL or keyword/value string and
// migrates it. Messages never include the URL, because it may hold a
// password.
func Open(ctx context.Context, connString string, opts store.Options) (*sqlstore.DB, error) {
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		// pgx already redacts the password in parse errors.
		return nil, fmt.Errorf("open postgres store: %w: %v", store.ErrInvalid, err)
	}
	return OpenConfig(ctx, cfg, opts)
}

// OpenConfig is Open with a parsed configuration, for callers that set
// runtime parameters such as search_path.
//
// TODO: River, the job queue that lets several koppel serve processes share
// connections, attaches here by running its migrations and client on the
// same database.
func OpenConfig(ctx context.Context, cfg *pgx.ConnConfig, opts store.Options) (*sqlstore.DB, error) {
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(MaxOpenConns)
	db.SetMaxIdleConns(MaxOpenConns)
	db.SetConnMaxIdleTime(5 * time.Minute)

	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres store on %s/%s: %w", cfg.Host, cfg.Database, err)
	}

	if err := migrate(ctx, db, opts); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres store on %s/%s: %w", cfg.Host, cfg.Database, err)
	}
	return sqlstore.New(db, dialect, opts), nil
}

func migrate(ctx context.Context, db *sql.DB, opts store.Options) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	return sqlstore.Migrate(ctx, db, dialect, ms, opts.Clock()())
}

// Migrations returns the embedded schema migrations.
func Migrations() ([]sqlstore.Migration, error) {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return sqlstore.LoadMigrations(sub)
}
