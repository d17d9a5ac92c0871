package web

import (
	"context"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/store"
)

// clientsTTL is how long ClientsFromDataDir reuses a connection's
// clients. Credentials replaced with koppel connect take effect after it.
const clientsTTL = 10 * time.Minute

// ClientsFromDataDir returns a Config.Clients function that builds a
// connection's clients from the credentials stored in dataDir, as koppel
// sync does, and reuses them for ten minutes.
//
// TODO: read the credentials through the store the UI already has once
// package connection can build clients without opening its own store.
func ClientsFromDataDir(dataDir string, opts connection.Options) func(context.Context, store.Connection) (Clients, error) {
	type entry struct {
		clients Clients
		built   time.Time
	}
	var mu sync.Mutex
	cache := map[string]entry{}
	now := opts.Now
	if now == nil {
		now = time.Now
	}

	return func(ctx context.Context, rec store.Connection) (Clients, error) {
		mu.Lock()
		e, ok := cache[rec.Name]
		mu.Unlock()
		if ok && now().Sub(e.built) < clientsTTL {
			return e.clients, nil
		}

		conn, err := connection.OpenWith(ctx, dataDir, rec.Name, opts)
		if err != nil {
			return Clients{}, err
		}
		// The clients do not use the store, so it can close at once.
		defer conn.Close()
		c := Clients{HubSpot: conn.HubSpot, Salesforce: conn.Salesforce}

		mu.Lock()
		cache[rec.Name] = entry{clients: c, built: now()}
		mu.Unlock()
		return c, nil
	}
}
