package connection

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/koppel-sync/koppel/internal/store"
	// The two store implementations register themselves with store.Open.
	_ "github.com/koppel-sync/koppel/internal/store/postgres"
	_ "github.com/koppel-sync/koppel/internal/store/sqlite"
)

// EnvDatabaseURL is the environment variable that points koppel at a
// PostgreSQL database instead of the SQLite file in the data directory.
const EnvDatabaseURL = "KOPPEL_DATABASE_URL"

// DatabaseFile is the SQLite file inside the data directory.
const DatabaseFile = "koppel.db"

// StoreURL returns the store koppel uses for dataDir: KOPPEL_DATABASE_URL
// when getenv reports it, else the SQLite file in dataDir.
func StoreURL(dataDir string, getenv func(string) string) string {
	if u := getenv(EnvDatabaseURL); u != "" {
		return u
	}
	return filepath.Join(dataDir, DatabaseFile)
}

// OpenStore opens the store of dataDir, creating the directory (mode 0700)
// for SQLite when it is missing.
func OpenStore(ctx context.Context, dataDir string, getenv func(string) string, opts store.Options) (store.Store, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	url := StoreURL(dataDir, getenv)
	if getenv(EnvDatabaseURL) == "" {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	st, err := store.Open(ctx, url, opts)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}
