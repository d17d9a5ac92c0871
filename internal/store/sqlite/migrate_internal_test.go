package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/internal/sqlstore"
)

// TestUpgradeFromFirstSchema opens a database that only has migration 1,
// as a first release would have left it, and checks that Open brings it
// to the latest schema without losing rows.
func TestUpgradeFromFirstSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "koppel.db")

	ms, err := Migrations()
	if err != nil {
		t.Fatalf("load migrations: %v", err)
	}
	if len(ms) < 2 {
		t.Skip("only one migration; nothing to upgrade")
	}

	old, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	if err := sqlstore.Migrate(ctx, old, dialect, ms[:1], time.Now()); err != nil {
		t.Fatalf("migrate to version 1: %v", err)
	}
	if _, err := old.Exec(`INSERT INTO connections (name, settings, settings_version, created_at, updated_at) VALUES ('acme', '{}', 1, 0, 0)`); err != nil {
		t.Fatalf("insert connection: %v", err)
	}
	old.Close()

	s, err := Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatalf("open and upgrade: %v", err)
	}
	defer s.Close()

	if _, err := s.GetConnectionByName(ctx, "acme"); err != nil {
		t.Errorf("connection after upgrade: %v", err)
	}
	var version int
	if err := s.SQL().QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&version); err != nil {
		t.Fatalf("read version: %v", err)
	}
	if version != len(ms) {
		t.Errorf("schema version = %d, want %d", version, len(ms))
	}
	var indexes int
	if err := s.SQL().QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'links_status'`).Scan(&indexes); err != nil {
		t.Fatalf("look up index: %v", err)
	}
	if indexes != 1 {
		t.Errorf("index links_status missing after upgrade")
	}
}
