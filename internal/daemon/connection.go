package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
)

// FromConnection builds the engine of an opened connection and the
// Connection that schedules it. It reads the portal's contact properties
// and the org's Lead and Contact describe (one HubSpot and two Salesforce
// calls), so conversion rejects a value the target would reject before
// any write. webhookSecret is the HubSpot app's client secret, or empty
// to turn webhook triggers off.
//
// Before each cycle the connection's settings version is read from the
// store. When an admin changed the settings or mappings since, for example
// in the web UI, the engine is built again with them and the new interval
// applies from that cycle on.
func FromConnection(ctx context.Context, c *connection.Connection, logger *slog.Logger, webhookSecret string) (Connection, *engine.Engine, error) {
	logger = logger.With("connection", c.Name)
	rs := &reloadingSyncer{c: c, log: logger, version: c.Record.SettingsVersion, settings: c.Settings}
	e, err := rs.build(ctx, c.Settings, c.Mappings)
	if err != nil {
		return Connection{}, nil, err
	}
	rs.engine = e

	st, id := c.Store, c.Record.ID
	conn := Connection{
		Name:          c.Name,
		Syncer:        rs,
		Interval:      time.Duration(c.Settings.Interval),
		WebhookSecret: webhookSecret,
		PortalID:      c.Record.HubSpotPortalID,
		Budget: func() (int, int) {
			return c.HubSpot.Usage().Last.DailyRemaining, c.Salesforce.Usage().Remaining()
		},
		OpenErrors: func(ctx context.Context) (map[string]int64, error) {
			counts, err := st.CountErrorsByCategory(ctx, id)
			if err != nil {
				return nil, err
			}
			out := make(map[string]int64, len(counts))
			for c, n := range counts {
				out[string(c)] = n
			}
			return out, nil
		},
	}
	return conn, e, nil
}

// reloadingSyncer runs the engine of one connection and builds it again
// when the stored settings version changed.
type reloadingSyncer struct {
	c   *connection.Connection
	log *slog.Logger

	mu       sync.Mutex
	version  int64
	settings settings.Settings
	engine   *engine.Engine
}

// SyncOnce reloads the settings when they changed, then runs one cycle.
// A reload that fails is logged and the cycle runs with the settings it
// had, so a bad edit cannot stop the sync.
func (r *reloadingSyncer) SyncOnce(ctx context.Context) (engine.Result, error) {
	if err := r.reload(ctx); err != nil {
		r.log.Error("reload settings failed, syncing with the previous settings", "error", err)
	}
	r.mu.Lock()
	e := r.engine
	r.mu.Unlock()
	return e.SyncOnce(ctx)
}

// Interval returns the interval of the settings in use.
func (r *reloadingSyncer) Interval() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return time.Duration(r.settings.Interval)
}

func (r *reloadingSyncer) reload(ctx context.Context) error {
	rec, err := r.c.Store.GetConnection(ctx, r.c.Record.ID)
	if err != nil {
		return fmt.Errorf("read connection: %w", err)
	}
	r.mu.Lock()
	unchanged := rec.SettingsVersion == r.version
	r.mu.Unlock()
	if unchanged {
		return nil
	}

	s, err := connection.DecodeSettings(rec.Settings)
	if err != nil {
		return err
	}
	rows, err := r.c.Store.ListMappings(ctx, rec.ID)
	if err != nil {
		return fmt.Errorf("read mappings: %w", err)
	}
	ms, err := connection.MappingsFromRows(rows)
	if err != nil {
		return err
	}
	e, err := r.build(ctx, s, ms)
	if err != nil {
		return err
	}

	r.mu.Lock()
	r.version, r.settings, r.engine = rec.SettingsVersion, s, e
	r.mu.Unlock()
	r.log.Info("settings changed, engine rebuilt", "settings_version", rec.SettingsVersion, "interval", time.Duration(s.Interval).String())
	return nil
}

// build returns an engine for s and ms with the portal's and the org's
// field definitions.
func (r *reloadingSyncer) build(ctx context.Context, s settings.Settings, ms []mapping.Mapping) (*engine.Engine, error) {
	// The contact cycle syncs Lead and Contact mappings only; Account
	// mappings belong to the company sync.
	var contacts []mapping.Mapping
	for _, m := range ms {
		if _, ok := m.Field(mapping.ObjectAccount); !ok {
			contacts = append(contacts, m)
		}
	}
	synced, deferred := engine.ContactMappings(contacts)
	for _, m := range deferred {
		r.log.Debug("mapping not synced by the contact cycle yet", "mapping", m.ID)
	}
	synced, dropped, err := engine.LoadMetadata(ctx, r.c.HubSpot, r.c.Salesforce, synced)
	if err != nil {
		return nil, fmt.Errorf("load field definitions of connection %q: %w", r.c.Name, err)
	}
	for _, f := range dropped {
		r.log.Warn("mapped Salesforce field not in the org; records of that object skip it", "field", f)
	}

	e, err := engine.New(engine.Config{
		ConnectionID: r.c.Record.ID,
		Settings:     s,
		Mappings:     synced,
		HubSpot:      &engine.HubSpotClient{Client: r.c.HubSpot},
		Salesforce:   &engine.SalesforceClient{Client: r.c.Salesforce},
		Store:        r.c.Store,
		Logger:       r.log,
	})
	if err != nil {
		return nil, fmt.Errorf("build engine of connection %q: %w", r.c.Name, err)
	}
	return e, nil
}
