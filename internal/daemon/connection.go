package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/mapping"
)

// FromConnection builds the engine of an opened connection and the
// Connection that schedules it. It reads the portal's contact properties
// and the org's Lead and Contact describe (one HubSpot and two Salesforce
// calls), so conversion rejects a value the target would reject before
// any write. webhookSecret is the HubSpot app's client secret, or empty
// to turn webhook triggers off.
func FromConnection(ctx context.Context, c *connection.Connection, logger *slog.Logger, webhookSecret string) (Connection, *engine.Engine, error) {
	logger = logger.With("connection", c.Name)

	// The contact cycle syncs Lead and Contact mappings only; Account
	// mappings belong to the company sync.
	var contacts []mapping.Mapping
	for _, m := range c.Mappings {
		if _, ok := m.Field(mapping.ObjectAccount); !ok {
			contacts = append(contacts, m)
		}
	}
	synced, deferred := engine.ContactMappings(contacts)
	for _, m := range deferred {
		logger.Debug("mapping not synced by the contact cycle yet", "mapping", m.ID)
	}
	synced, dropped, err := engine.LoadMetadata(ctx, c.HubSpot, c.Salesforce, synced)
	if err != nil {
		return Connection{}, nil, fmt.Errorf("load field definitions of connection %q: %w", c.Name, err)
	}
	for _, f := range dropped {
		logger.Warn("mapped Salesforce field not in the org; records of that object skip it", "field", f)
	}

	e, err := engine.New(engine.Config{
		ConnectionID: c.Record.ID,
		Settings:     c.Settings,
		Mappings:     synced,
		HubSpot:      &engine.HubSpotClient{Client: c.HubSpot},
		Salesforce:   &engine.SalesforceClient{Client: c.Salesforce},
		Store:        c.Store,
		Logger:       logger,
	})
	if err != nil {
		return Connection{}, nil, fmt.Errorf("build engine of connection %q: %w", c.Name, err)
	}

	st, id := c.Store, c.Record.ID
	conn := Connection{
		Name:          c.Name,
		Syncer:        e,
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
