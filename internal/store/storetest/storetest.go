// Package storetest is the conformance suite every store.Store
// implementation passes. An implementation's test calls Run with a
// function that opens an empty, migrated store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, opts store.Options) store.Store { ... })
//	}
//
// Each subtest opens its own store and runs in parallel with the others.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Opener opens an empty, migrated store with opts and closes it when the
// test ends.
type Opener func(t *testing.T, opts store.Options) store.Store

// Run runs the conformance suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	t.Run("Connections", func(t *testing.T) { testConnections(t, open) })
	t.Run("Credentials", func(t *testing.T) { testCredentials(t, open) })
	t.Run("Mappings", func(t *testing.T) { testMappings(t, open) })
	t.Run("Links", func(t *testing.T) { testLinks(t, open) })
	t.Run("BaseValues", func(t *testing.T) { testBaseValues(t, open) })
	t.Run("Cursors", func(t *testing.T) { testCursors(t, open) })
	t.Run("Intents", func(t *testing.T) { testIntents(t, open) })
	t.Run("SyncErrors", func(t *testing.T) { testSyncErrors(t, open) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open) })
	t.Run("Runs", func(t *testing.T) { testRuns(t, open) })
	t.Run("Tombstones", func(t *testing.T) { testTombstones(t, open) })
	t.Run("Imports", func(t *testing.T) { testImports(t, open) })
	t.Run("APIUsage", func(t *testing.T) { testAPIUsage(t, open) })
	t.Run("ListMembers", func(t *testing.T) { testListMembers(t, open) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("SetupTokens", func(t *testing.T) { testSetupTokens(t, open) })
	t.Run("Transactions", func(t *testing.T) { testTransactions(t, open) })
}

// Clock is a settable clock for store.Options.Now.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// startTime has sub-millisecond digits and a non-UTC zone, so every test
// also checks that times come back in UTC truncated to milliseconds.
var startTime = time.Date(2026, 3, 2, 9, 30, 15, 123_456_789, time.FixedZone("CET", 3600))

// ms is startTime as the store keeps it.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// bundle is the starting point of most tests: a store with one connection.
type bundle struct {
	ctx   context.Context
	clock *Clock
	s     store.Store
	conn  store.Connection
}

func setup(t *testing.T, open Opener) *bundle {
	t.Helper()
	t.Parallel()

	clock := NewClock(startTime)
	s := open(t, store.Options{Now: clock.Now})
	ctx := context.Background()

	conn, err := s.CreateConnection(ctx, store.Connection{Name: "acme", Settings: json.RawMessage(`{"contacts":"create"}`)})
	if err != nil {
		t.Fatalf("create connection: %v", err)
	}
	return &bundle{ctx: ctx, clock: clock, s: s, conn: conn}
}

// run starts a run in the bundle's connection, for rows that refer to one.
func (b *bundle) run(t *testing.T) store.Run {
	t.Helper()
	r, err := b.s.StartRun(b.ctx, store.Run{ConnectionID: b.conn.ID, Kind: store.RunSync})
	if err != nil {
		t.Fatalf("start run: %v", err)
	}
	return r
}

// link creates a contact link to a Salesforce Lead.
func (b *bundle) link(t *testing.T, hubspotID, salesforceID, email string) store.Link {
	t.Helper()
	l, err := b.s.CreateLink(b.ctx, store.Link{
		ConnectionID: b.conn.ID, Kind: store.LinkContact,
		HubSpotID: hubspotID, SalesforceID: salesforceID, SalesforceObject: store.Lead, Email: email,
	}, 0)
	if err != nil {
		t.Fatalf("create link %s/%s: %v", hubspotID, salesforceID, err)
	}
	return l
}

func noErr(t *testing.T, err error, label string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected error: %v", label, err)
	}
}

func isErr(t *testing.T, err, target error, label string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error = %v, want one wrapping %q", label, err, target)
	}
}

func equal[T any](t *testing.T, got, want T, label string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", label, got, want)
	}
}

func jsonEqual(t *testing.T, got, want []byte, label string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: stored JSON %q does not parse: %v", label, got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: expected JSON %q does not parse: %v", label, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: got JSON %s, want %s", label, got, want)
	}
}

func ids[T any](rows []T, id func(T) int64) []int64 {
	out := []int64{}
	for _, r := range rows {
		out = append(out, id(r))
	}
	return out
}
