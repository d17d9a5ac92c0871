package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/koppel-sync/koppel/internal/store"
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

// openSchema opens a store in a new schema with a random name, dropped
// when the test ends, so tests run in parallel on one database.
func openSchema(t testing.TB, opts store.Options) store.Store {
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

	s, err := postgres.OpenConfig(ctx, cfg, opts)
	if err != nil {
		t.Fatalf("open store in schema %s: %v", schema, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, opts store.Options) store.Store { return openSchema(t, opts) })
}
