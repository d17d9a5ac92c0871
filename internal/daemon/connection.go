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
// Connection that schedules it. webhookSecret is the HubSpot app's client
// secret, or empty to turn webhook triggers off.
func FromConnection(c *connection.Connection, logger *slog.Logger, webhookSecret string) (Connection, *engine.Engine, error) {
	// The contact cycle syncs Lead and Contact mappings only; Account
	// mappings belong to the company sync.
	var contacts []mapping.Mapping
	for _, m := range c.Mappings {
		if _, ok := m.Field(mapping.ObjectAccount); !ok {
			contacts = append(contacts, m)
		}
	}
	synced, _ := engine.ContactMappings(contacts)

	e, err := engine.New(engine.Config{
		ConnectionID: c.Record.ID,
		Settings:     c.Settings,
		Mappings:     synced,
		HubSpot:      &engine.HubSpotClient{Client: c.HubSpot},
		Salesforce:   &engine.SalesforceClient{Client: c.Salesforce},
		Store:        c.Store,
		Logger:       logger.With("connection", c.Name),
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
