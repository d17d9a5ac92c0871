package store

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options configures a store.
type Options struct {
	// Now returns the current time; the store stamps rows with it.
	// Default: time.Now. Tests inject a fixed clock.
	Now func() time.Time
}

// Clock returns Options.Now, or time.Now when it is nil.
func (o Options) Clock() func() time.Time {
	if o.Now == nil {
		return time.Now
	}
	return o.Now
}

// Opener opens a store from a URL of the scheme it was registered for.
type Opener func(ctx context.Context, url string, opts Options) (Store, error)

var (
	openersMu sync.RWMutex
	openers   = map[string]Opener{}
)

// Register makes an implementation available to Open under a URL scheme.
// Implementations call it from init.
func Register(scheme string, open Opener) {
	openersMu.Lock()
	defer openersMu.Unlock()

	if _, dup := openers[scheme]; dup {
		panic("store: Register called twice for scheme " + scheme)
	}
	openers[scheme] = open
}

// Open opens the store at rawURL and applies pending schema migrations.
// The scheme picks the implementation: "sqlite:///var/lib/koppel/koppel.db"
// or a plain file path opens SQLite, "postgres://..." or "postgresql://..."
// opens PostgreSQL.
func Open(ctx context.Context, rawURL string, opts Options) (Store, error) {
	scheme := "sqlite"
	if i := strings.Index(rawURL, "://"); i > 0 {
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, fmt.Errorf("open store: %w: parse URL: %v", ErrInvalid, err)
		}
		scheme = u.Scheme
	}
	if scheme == "postgresql" {
		scheme = "postgres"
	}

	openersMu.RLock()
	open, ok := openers[scheme]
	openersMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("open store: %w: unknown scheme %q: use one of %v (is the implementation imported?)", ErrInvalid, scheme, schemes())
	}
	return open(ctx, rawURL, opts)
}

func schemes() []string {
	openersMu.RLock()
	defer openersMu.RUnlock()

	var names []string
	for name := range openers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
