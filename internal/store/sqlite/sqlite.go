// Package sqlite implements store.Store on SQLite, koppel's embedded
// default: one database file in the data directory, written in WAL mode
// through the pure-Go driver modernc.org/sqlite, so koppel needs neither
// cgo nor another service.
//
// Importing the package registers it with store.Open for "sqlite://" URLs
// and plain file paths.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// BusyTimeout is how long a statement waits for another connection's write
// lock before it fails with SQLITE_BUSY.
const BusyTimeout = 5 * time.Second

func init() {
	store.Register("sqlite", func(ctx context.Context, rawURL string, opts store.Options) (store.Store, error) {
		path, err := PathFromURL(rawURL)
		if err != nil {
			return nil, err
		}
		return Open(ctx, path, opts)
	})
}

// PathFromURL returns the file path of "sqlite:///abs/path.db",
// "sqlite://rel/path.db" or a plain path.
func PathFromURL(rawURL string) (string, error) {
	if !strings.Contains(rawURL, "://") {
		if rawURL == "" {
			return "", fmt.Errorf("open sqlite store: %w: empty path; pass a file path such as /var/lib/koppel/koppel.db", store.ErrInvalid)
		}
		return rawURL, nil
	}

	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("open sqlite store: %w: parse URL: %v", store.ErrInvalid, err)
	}
	if u.Scheme != "sqlite" {
		return "", fmt.Errorf("open sqlite store: %w: scheme %q: use sqlite:///path/to/koppel.db", store.ErrInvalid, u.Scheme)
	}
	path := u.Host + u.Path
	if path == "" {
		return "", fmt.Errorf("open sqlite store: %w: URL %q has no path; use sqlite:///path/to/koppel.db", store.ErrInvalid, rawURL)
	}
	return path, nil
}

var dialect = &sqlstore.Dialect{
	Name:      "sqlite",
	TimeValue: func(t time.Time) any { return t.UnixMilli() },
	IsUniqueViolation: func(err error) bool {
		code, ok := errorCode(err)
		return ok && (code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	IsForeignKeyViolation: func(err error) bool {
		code, ok := errorCode(err)
		return ok && code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	},
}

func errorCode(err error) (int, bool) {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code(), true
	}
	return 0, false
}

// Open opens or creates the database file at path and migrates it. A new
// file is created readable by its owner only, because it contains
// credential ciphertext and password hashes; SQLite gives the -wal and
// -shm files the same permissions.
func Open(ctx context.Context, path string, opts store.Options) (*sqlstore.DB, error) {
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}

	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}

	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}

	if err := migrate(ctx, db, opts); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite store %s: %w", path, err)
	}
	return sqlstore.New(db, dialect, opts), nil
}

// createPrivate creates an empty file at path with mode 0600 unless a file
// exists there.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// dsn builds the driver's connection string, whose pragmas apply to every
// pooled connection. WAL lets readers run beside the one writer. With WAL,
// synchronous=NORMAL loses at most the last commits in a power loss and
// never corrupts the file. SQLite turns foreign keys off unless asked.
// _txlock=immediate takes the write lock at BEGIN, so two transactions
// cannot deadlock while both try to upgrade a read lock.
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")

	// SQLite decodes the path of a file: URI, so escape what would end it
	// early or be decoded.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + q.Encode()
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
