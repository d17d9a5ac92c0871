package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
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
	ctx := context.Background()
	url := testURL(t)

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to the test database (KOPPEL_TEST_POSTGRES_URL): %v", err)
	}
	defer admin.Close(ctx)

	suffix := make([]byte, 6)
	rand.Read(suffix)
	schema := "koppel_test_" + hex.EncodeToString(suffix)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Errorf("connect to drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})

	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatalf("parse KOPPEL_TEST_POSTGRES_URL: %v", err)
	}
	cfg.RuntimeParams["search_path"] = schema
	// Tests need no durability, so commits need not wait for the WAL
	// flush.
	cfg.RuntimeParams["synchronous_commit"] = "off"
	return schema, cfg
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

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, opts store.Options) store.Store { return openSchema(t, opts) })
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
