package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/internal/sqlstore"
	"github.com/koppel-sync/koppel/internal/store/postgres"
	"github.com/koppel-sync/koppel/internal/store/storetest"
)

// testURL returns the test database URL, or skips the test when none is
// set. With KOPPEL_REQUIRE_POSTGRES=1 a missing URL fails instead.
func testURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("KOPPEL_TEST_POSTGRES_URL")
	if url == "" {
		if os.Getenv("KOPPEL_REQUIRE_POSTGRES") == "1" {
			t.Fatal("KOPPEL_REQUIRE_POSTGRES=1 but KOPPEL_TEST_POSTGRES_URL is not set; run bash scripts/test or set the URL")
		}
		t.Skip("KOPPEL_TEST_POSTGRES_URL is not set; set it to a database the tests may create schemas in, or run bash scripts/test")
	}
	return url
}

// newSchema creates a schema with a random name, dropped when the test
// ends, and returns a connection configuration that uses it, so tests run
// in parallel on one database.
func newSchema(t testing.TB) (string, *pgx.ConnConfig) {
	t.Helper()
	url := testURL(t)

	schema, cfg, err := createSchema(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := dropSchema(url, schema); err != nil {
			t.Error(err)
		}
	})
	return schema, cfg
}

func createSchema(url string) (string, *pgx.ConnConfig, error) {
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", nil, fmt.Errorf("connect to the test database (KOPPEL_TEST_POSTGRES_URL): %w", err)
	}
	defer admin.Close(ctx)

	suffix := make([]byte, 6)
	rand.Read(suffix)
	schema := "koppel_test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("create schema %s: %w", schema, err)
	}

	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "", nil, fmt.Errorf("parse KOPPEL_TEST_POSTGRES_URL: %w", err)
	}
	cfg.RuntimeParams["search_path"] = schema
	// Tests need no durability, so commits need not wait for the WAL
	// flush.
	cfg.RuntimeParams["synchronous_commit"] = "off"
	return schema, cfg, nil
}

func dropSchema(url, schema string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect to drop schema %s: %w", schema, err)
	}
	defer conn.Close(ctx)

	if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
		return fmt.Errorf("drop schema %s: %w", schema, err)
	}
	return nil
}

// openSchema opens a store in a new schema.
func openSchema(t testing.TB, opts store.Options) *sqlstore.DB {
	t.Helper()
	schema, cfg := newSchema(t)

	s, err := postgres.OpenConfig(context.Background(), cfg, opts)
	if err != nil {
		t.Fatalf("open store in schema %s: %v", schema, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// schemaPool keeps migrated schemas that finished conformance tests
// emptied, because creating and migrating a schema costs more than most
// tests. TestMain drops them all at exit.
var schemaPool struct {
	mu   sync.Mutex
	free []*pgx.ConnConfig
	all  []string
}

// openPooled opens a store in an empty, migrated schema from the pool, or
// in a new one.
func openPooled(t *testing.T, opts store.Options) store.Store {
	t.Helper()
	url := testURL(t)

	schemaPool.mu.Lock()
	var cfg *pgx.ConnConfig
	if n := len(schemaPool.free); n > 0 {
		cfg, schemaPool.free = schemaPool.free[n-1], schemaPool.free[:n-1]
	}
	schemaPool.mu.Unlock()

	if cfg == nil {
		schema, created, err := createSchema(url)
		if err != nil {
			t.Fatal(err)
		}
		schemaPool.mu.Lock()
		schemaPool.all = append(schemaPool.all, schema)
		schemaPool.mu.Unlock()
		cfg = created
	}

	s, err := postgres.OpenConfig(context.Background(), cfg, opts)
	if err != nil {
		t.Fatalf("open store in schema %s: %v", cfg.RuntimeParams["search_path"], err)
	}
	t.Cleanup(func() {
		defer s.Close()

		// Every other table refers to connections or users, with ON
		// DELETE CASCADE, so these three statements empty the schema.
		_, err := s.SQL().Exec(`DELETE FROM connections; DELETE FROM users; DELETE FROM sign_in_attempts`)
		if err != nil {
			t.Errorf("empty schema %s: %v", cfg.RuntimeParams["search_path"], err)
			return
		}
		schemaPool.mu.Lock()
		schemaPool.free = append(schemaPool.free, cfg)
		schemaPool.mu.Unlock()
	})
	return s
}

func TestMain(m *testing.M) {
	code := m.Run()

	url := os.Getenv("KOPPEL_TEST_POSTGRES_URL")
	for _, schema := range schemaPool.all {
		if err := dropSchema(url, schema); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

func TestConformance(t *testing.T) {
	storetest.Run(t, openPooled)
}

func TestOpenByURL(t *testing.T) {
	ctx := context.Background()
	schema, _ := newSchema(t)

	// pgx passes unknown URL parameters to the server as runtime
	// parameters, so search_path selects the test schema.
	rawURL := testURL(t)
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	s, err := store.Open(ctx, rawURL+sep+"search_path="+schema, store.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()

	c, err := s.CreateConnection(ctx, store.Connection{Name: "acme"})
	if err != nil {
		t.Fatalf("create connection: %v", err)
	}
	if c.Name != "acme" {
		t.Errorf("name = %q, want acme", c.Name)
	}
}

func TestOpenInvalidURL(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://koppel:secret@[::1", store.Options{})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("error = %v, want ErrInvalid", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the password", err)
	}
}

func TestReopenAndSchemaTooNew(t *testing.T) {
	ctx := context.Background()
	schema, cfg := newSchema(t)

	s, err := postgres.OpenConfig(ctx, cfg, store.Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if _, err := s.CreateConnection(ctx, store.Connection{Name: "acme"}); err != nil {
		t.Fatalf("create connection: %v", err)
	}
	s.Close()

	s, err = postgres.OpenConfig(ctx, cfg, store.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := s.GetConnectionByName(ctx, "acme"); err != nil {
		t.Errorf("connection after reopen: %v", err)
	}
	var applied int
	if err := s.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatalf("count migrations: %v", err)
	}
	ms, _ := postgres.Migrations()
	if applied != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d (one per migration, none twice)", applied, len(ms))
	}

	// A newer koppel would have recorded a version this one lacks.
	if _, err := s.SQL().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 0)`); err != nil {
		t.Fatalf("record future migration: %v", err)
	}
	s.Close()

	_, err = postgres.OpenConfig(ctx, cfg, store.Options{})
	if !errors.Is(err, store.ErrSchemaTooNew) {
		t.Fatalf("open schema %s: error = %v, want ErrSchemaTooNew", schema, err)
	}
	if !strings.Contains(err.Error(), "9999") {
		t.Errorf("error %q does not name the database's version", err)
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(b *testing.B, opts store.Options) store.Store { return openSchema(b, opts) })
}
