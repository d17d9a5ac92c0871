package sqlite_test

import (
	"context"
	"path/filepath"
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
