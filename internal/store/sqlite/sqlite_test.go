package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/sqlite"
	"github.com/koppel-sync/koppel/internal/store/storetest"
)

func openTemp(t testing.TB, opts store.Options) store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "koppel.db")
	s, err := sqlite.Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, opts store.Options) store.Store { return openTemp(t, opts) })
}

func TestOpenByURL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	for _, rawURL := range []string{"sqlite://" + filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")} {
		s, err := store.Open(ctx, rawURL, store.Options{})
		if err != nil {
			t.Fatalf("open %s: %v", rawURL, err)
		}
		if _, err := s.CreateConnection(ctx, store.Connection{Name: "acme"}); err != nil {
			t.Errorf("write to %s: %v", rawURL, err)
		}
		s.Close()
	}
}

func TestPathFromURL(t *testing.T) {
	cases := []struct {
		url, want string
		valid     bool
	}{
		{"sqlite:///var/lib/koppel/koppel.db", "/var/lib/koppel/koppel.db", true},
		{"sqlite://data/koppel.db", "data/koppel.db", true},
		{"koppel.db", "koppel.db", true},
		{"", "", false},
		{"sqlite://", "", false},
		{"postgres://db/koppel", "", false},
	}
	for _, c := range cases {
		got, err := sqlite.PathFromURL(c.url)
		if c.valid != (err == nil) {
			t.Errorf("%q: error = %v, want valid %v", c.url, err, c.valid)
			continue
		}
		if got != c.want {
			t.Errorf("%q: path = %q, want %q", c.url, got, c.want)
		}
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koppel.db")

	s, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if _, err := s.CreateConnection(ctx, store.Connection{Name: "acme"}); err != nil {
		t.Fatalf("create connection: %v", err)
	}
	s.Close()

	s, err = sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.GetConnectionByName(ctx, "acme"); err != nil {
		t.Errorf("connection after reopen: %v", err)
	}

	var applied int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatalf("count migrations: %v", err)
	}
	ms, _ := sqlite.Migrations()
	if applied != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d (one per migration, none twice)", applied, len(ms))
	}

	var mode string
	if err := s.SQL().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatalf("read journal mode: %v", err)
	}
	if mode != "wal" {
		t.Errorf("journal mode = %q, want wal", mode)
	}
}

func TestNewFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "koppel.db")
	s, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()

	for _, name := range []string{path, path + "-wal"} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatalf("stat: %v", err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(name), mode)
		}
	}
}

func TestSchemaTooNew(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koppel.db")

	s, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	// A newer koppel would have recorded a version this one lacks.
	if _, err := s.SQL().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 0)`); err != nil {
		t.Fatalf("record future migration: %v", err)
	}
	s.Close()

	_, err = sqlite.Open(ctx, path, store.Options{})
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("error = %v, want ErrSchemaTooNew", err)
	}
	if !strings.Contains(err.Error(), "9999") {
		t.Errorf("error %q does not name the database's version", err)
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data 100% ok?#")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "koppel.db")

	s, err := sqlite.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer s.Close()

	// Open creates an empty file at path before SQLite opens it, so only
	// a schema in the file proves SQLite used the same path.
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if info.Size() == 0 {
		t.Errorf("%s is empty: SQLite wrote the database somewhere else", path)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-dir", "koppel.db")
	_, err := sqlite.Open(context.Background(), path, store.Options{})
	if err == nil {
		t.Fatal("open succeeded in a missing directory")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the path", err)
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, opts store.Options) store.Store { return openTemp(b, opts) })
}
