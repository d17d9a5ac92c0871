package enginetest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/store/sqlite"
)

// Start is the time the clock of every Env starts at.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Options change what Setup builds.
type Options struct {
	// Settings change the defaults before the engine is built.
	Settings func(*settings.Settings)

	// Mappings replace the default contact mappings.
	Mappings []mapping.Mapping

	// SalesforceSeed and HubSpotSeed fill the emulators.
	SalesforceSeed *sfemu.Seed
	HubSpotSeed    *hsemu.Seed

	// PageSize is the engine's page size on both sides; 0 keeps the
	// adapters' defaults.
	PageSize int

	// StorePath puts the SQLite file here instead of a temporary directory.
	StorePath string

	// Logger receives the engine's logs; default discards them.
	Logger *slog.Logger

	// External points the engine at emulators that run elsewhere, such as
	// `koppel emulate` processes, instead of starting them in the test.
	// The methods that act on the emulators directly are then unusable.
	External *External
}

// External is a pair of emulators outside the test process.
type External struct {
	HubSpotURL   string
	HubSpotToken string

	SalesforceURL          string
	SalesforceClientID     string
	SalesforceClientSecret string
}

// Env is a running test environment.
type Env struct {
	Clock *Clock

	HubSpotEmulator    *hsemu.Emulator
	SalesforceEmulator *sfemu.Emulator
	HubSpotURL         string
	SalesforceURL      string

	HubSpot    *hubspot.Client
	Salesforce *salesforce.Client

	Store        store.Store
	ConnectionID int64
	Settings     settings.Settings
	Mappings     []mapping.Mapping
	Engine       *engine.Engine

	opts Options
}

// Setup starts both emulators, the store and an engine for t, and stops
// them when t ends.
func Setup(t testing.TB, opts Options) *Env {
	t.Helper()
	ctx := context.Background()
	clock := NewClock(Start)
	env := &Env{Clock: clock, opts: opts}

	if opts.External != nil {
		env.setupExternal(t, opts.External)
	} else {
		env.setupEmulators(t)
	}
	if _, err := env.HubSpot.EnsureKoppelProperties(ctx); err != nil {
		t.Fatalf("create koppel's HubSpot properties: %v", err)
	}

	path := opts.StorePath
	if path == "" {
		path = filepath.Join(t.TempDir(), "koppel.db")
	}
	var err error
	env.Store, err = sqlite.Open(ctx, path, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { env.Store.Close() })

	env.Settings = settings.Default()
	if opts.Settings != nil {
		opts.Settings(&env.Settings)
	}
	env.Mappings = opts.Mappings
	if env.Mappings == nil {
		env.Mappings = DefaultMappings(t)
	}

	conn, err := env.Store.GetConnectionByName(ctx, "default")
	if err != nil {
		conn, err = env.Store.CreateConnection(ctx, store.Connection{Name: "default"})
	}
	if err != nil {
		t.Fatalf("create connection: %v", err)
	}
	env.ConnectionID = conn.ID

	env.Rebuild(t)
	return env
}

// setupEmulators starts both emulators over httptest on env's clock and
// points the clients at them.
func (env *Env) setupEmulators(t testing.TB) {
	t.Helper()
	clock, opts := env.Clock, env.opts
	hs, err := hsemu.New(opts.HubSpotSeed, hsemu.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("start HubSpot emulator: %v", err)
	}
	t.Cleanup(hs.Close)
	hsSrv := httptest.NewServer(hs.Handler())
	t.Cleanup(hsSrv.Close)

	sf, err := sfemu.New(opts.SalesforceSeed, sfemu.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("start Salesforce emulator: %v", err)
	}
	sfSrv := httptest.NewServer(sf)
	t.Cleanup(sfSrv.Close)

	env.HubSpotEmulator, env.SalesforceEmulator = hs, sf
	env.HubSpotURL, env.SalesforceURL = hsSrv.URL, sfSrv.URL

	// Client-side pacing is off: the emulator enforces no rate limit unless
	// a test sets one, and pacing against the manual clock would only make
	// the tests slow.
	env.HubSpot, err = hubspot.New(hubspot.Config{BaseURL: hsSrv.URL, AccessToken: "enginetest", Now: clock.Now,
		RetryBaseDelay: time.Millisecond, RateLimit: hubspot.RateLimitConfig{Disabled: true}})
	if err != nil {
		t.Fatalf("create HubSpot client: %v", err)
	}
	env.Salesforce, err = salesforce.New(salesforce.Config{
		Auth: salesforce.AuthAccessToken, AccessToken: sf.IssueAccessToken(), InstanceURL: sfSrv.URL, LoginURL: sfSrv.URL,
		Now: clock.Now, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("create Salesforce client: %v", err)
	}
}

// setupExternal points the clients at emulators outside the process. Their
// clocks are their own, so env's clock only stamps the store.
func (env *Env) setupExternal(t testing.TB, ext *External) {
	t.Helper()
	var err error
	env.HubSpotURL, env.SalesforceURL = ext.HubSpotURL, ext.SalesforceURL
	env.HubSpot, err = hubspot.New(hubspot.Config{BaseURL: ext.HubSpotURL, AccessToken: ext.HubSpotToken,
		RateLimit: hubspot.RateLimitConfig{Disabled: true}})
	if err != nil {
		t.Fatalf("create HubSpot client: %v", err)
	}
	env.Salesforce, err = salesforce.New(salesforce.Config{
		Auth: salesforce.AuthClientCredentials, LoginURL: ext.SalesforceURL,
		ClientID: ext.SalesforceClientID, ClientSecret: ext.SalesforceClientSecret,
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("create Salesforce client: %v", err)
	}
}

// DefaultMappings returns the default contact mappings the contact cycle
// syncs, with Lead Status set to don't sync. The HubSpot emulator's Lead
// Status options (NEW, OPEN, ...) share no value with Salesforce's Lead
// Status picklist ("Open - Not Contacted", ...). So every new Lead would
// park with a property value error, as in a portal whose options were not
// aligned.
func DefaultMappings(t testing.TB) []mapping.Mapping {
	t.Helper()
	synced, _ := engine.ContactMappings(mapping.DefaultContactMappings())
	set, err := mapping.NewSet(synced...)
	if err != nil {
		t.Fatalf("default mappings: %v", err)
	}
	if err := set.SetRule("contact.hs_lead_status", mapping.DontSync); err != nil {
		t.Fatalf("default mappings: %v", err)
	}
	return set.All()
}

// Rebuild makes a new Engine from env's settings and mappings, as after
// an admin changed them. It loads the portal's and the org's field
// definitions first, as a real connection does.
func (env *Env) Rebuild(t testing.TB) {
	t.Helper()
	logger := env.opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ms, _, err := engine.LoadMetadata(context.Background(), env.HubSpot, env.Salesforce, env.Mappings)
	if err != nil {
		t.Fatalf("load field definitions: %v", err)
	}
	e, err := engine.New(engine.Config{
		ConnectionID: env.ConnectionID, Settings: env.Settings, Mappings: ms,
		HubSpot:    &engine.HubSpotClient{Client: env.HubSpot, PageSize: env.opts.PageSize},
		Salesforce: &engine.SalesforceClient{Client: env.Salesforce, PageSize: env.opts.PageSize},
		Store:      env.Store, Logger: logger, Now: env.Clock.Now,
	})
	if err != nil {
		t.Fatalf("create engine: %v", err)
	}
	env.Engine = e
}

// Sync advances the clock by a minute, as between two polls, and runs one
// cycle. A cycle error fails the test.
func (env *Env) Sync(t testing.TB) engine.Result {
	t.Helper()
	env.Clock.Advance(time.Minute)
	res, err := env.Engine.SyncOnce(context.Background())
	if err != nil {
		t.Fatalf("sync cycle %d: %v", res.RunID, err)
	}
	return res
}

// SyncUntilQuiet runs cycles until one writes nothing, at most max, and
// returns how many ran.
func (env *Env) SyncUntilQuiet(t testing.TB, max int) int {
	t.Helper()
	for i := 1; i <= max; i++ {
		res := env.Sync(t)
		if Writes(res) == 0 {
			return i
		}
	}
	t.Fatalf("still writing after %d cycles", max)
	return max
}

// Writes returns the number of records a cycle created, linked or updated.
func Writes(res engine.Result) int64 {
	return res.Counts["created"] + res.Counts["linked"] + res.Counts["updated_hubspot"] + res.Counts["updated_salesforce"]
}

// Plan returns the items the next cycle would apply that write something.
func (env *Env) Plan(t testing.TB) []engine.Item {
	t.Helper()
	var items []engine.Item
	err := env.Engine.PlanNext(context.Background(), func(it *engine.Item) error {
		if it.Writes() || it.Action == engine.ActionLink || it.Action == engine.ActionPark {
			items = append(items, *it)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return items
}

// CreateContact creates a HubSpot contact as a person would.
func (env *Env) CreateContact(t testing.TB, props map[string]string) string {
	t.Helper()
	r, err := env.HubSpotEmulator.CreateRecord("contacts", props)
	if err != nil {
		t.Fatalf("create HubSpot contact: %v", err)
	}
	return r.ID
}

// UpdateContact edits a HubSpot contact as a person would; "" clears.
func (env *Env) UpdateContact(t testing.TB, id string, props map[string]string) {
	t.Helper()
	if _, err := env.HubSpotEmulator.UpdateRecord("contacts", id, props); err != nil {
		t.Fatalf("update HubSpot contact %s: %v", id, err)
	}
}

// Contact returns a HubSpot contact's properties; it fails when absent.
func (env *Env) Contact(t testing.TB, id string) map[string]string {
	t.Helper()
	r, ok := env.HubSpotEmulator.Get("contacts", id)
	if !ok {
		t.Fatalf("HubSpot contact %s not found", id)
	}
	return r.Properties
}

// ContactsByEmail returns the ids of live HubSpot contacts with the email.
func (env *Env) ContactsByEmail(t testing.TB, email string) []string {
	t.Helper()
	res, err := env.HubSpot.BatchRead(context.Background(), hubspot.Contacts, []string{email}, hubspot.BatchReadOptions{IDProperty: "email"})
	if err != nil {
		t.Fatalf("read HubSpot contact by email: %v", err)
	}
	var ids []string
	for _, r := range res {
		if r.Err == nil && r.Object != nil {
			ids = append(ids, r.Object.ID)
		}
	}
	return ids
}

// CreateRecord creates a Salesforce record as a person would.
func (env *Env) CreateRecord(t testing.TB, object string, fields map[string]any) string {
	t.Helper()
	id, err := env.SalesforceEmulator.Create(object, fields)
	if err != nil {
		t.Fatalf("create Salesforce %s: %v", object, err)
	}
	return id
}

// UpdateRecord edits a Salesforce record as a person would; nil clears.
func (env *Env) UpdateRecord(t testing.TB, id string, fields map[string]any) {
	t.Helper()
	if err := env.SalesforceEmulator.Update(id, fields); err != nil {
		t.Fatalf("update Salesforce record %s: %v", id, err)
	}
}

// Record returns a Salesforce record's fields; it fails when absent.
func (env *Env) Record(t testing.TB, id string) map[string]any {
	t.Helper()
	f, err := env.SalesforceEmulator.Get(id)
	if err != nil {
		t.Fatalf("read Salesforce record %s: %v", id, err)
	}
	return f
}

// RecordsByEmail returns the ids of live Salesforce records of object with
// the email.
func (env *Env) RecordsByEmail(t testing.TB, object, email string) []string {
	t.Helper()
	soql := fmt.Sprintf("SELECT Id FROM %s WHERE Email = %s", object, salesforce.Quote(email))
	var ids []string
	for r, err := range env.Salesforce.Records(context.Background(), soql, salesforce.QueryOptions{}) {
		if err != nil {
			t.Fatalf("query Salesforce %s by email: %v", object, err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// Link returns the stored link of a record id on either side, or nil.
func (env *Env) Link(t testing.TB, id string) *store.Link {
	t.Helper()
	ls, err := env.Store.ListLinks(context.Background(), store.LinkQuery{ConnectionID: env.ConnectionID, RecordID: id})
	if err != nil {
		t.Fatalf("list links: %v", err)
	}
	if len(ls) == 0 {
		return nil
	}
	return &ls[0]
}

// OpenErrors returns the open sync errors of the connection.
func (env *Env) OpenErrors(t testing.TB) []store.SyncError {
	t.Helper()
	es, err := env.Store.ListErrors(context.Background(), store.ErrorQuery{ConnectionID: env.ConnectionID, Page: store.Page{Limit: store.MaxPageSize}})
	if err != nil {
		t.Fatalf("list errors: %v", err)
	}
	return es
}

// Str returns a Salesforce field as text: "" for null.
func Str(v any) string {
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

// Audit returns the newest audit rows of a link.
func (env *Env) Audit(t testing.TB, linkID int64) []store.AuditEntry {
	t.Helper()
	rows, err := env.Store.ListAuditByLink(context.Background(), linkID, store.Page{Limit: store.MaxPageSize})
	if err != nil {
		t.Fatalf("list audit: %v", err)
	}
	return rows
}
