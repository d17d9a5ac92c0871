package bench

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/store"
)

// connectionName returns a name no earlier run used, because a
// PostgreSQL store outlives the run.
func connectionName() string {
	return "bench-" + strconv.FormatInt(time.Now().UnixNano(), 36)
}

// connect stores a connection to both emulators with the default
// settings and mappings in dataDir (or the PostgreSQL database of
// storeURL), prepares the HubSpot properties as koppel connect does, and
// builds the engine. Without pacing, the HubSpot client does not keep to
// the default limits of 100 calls per 10 seconds and 5 searches per
// second, so the run measures koppel and not the limit of one HubSpot
// plan. The emulator enforces no per-10-seconds limit either way.
func connect(ctx context.Context, dataDir, storeURL string, pacing bool, ds *generate.Dataset, emus *emulators, clk *clock, log *slog.Logger) (*connection.Connection, *engine.Engine, error) {
	getenv := func(name string) string {
		if name == connection.EnvDatabaseURL {
			return storeURL
		}
		return ""
	}
	name := connectionName()

	if err := saveConnection(ctx, dataDir, getenv, name, ds, emus); err != nil {
		return nil, nil, err
	}

	c, err := connection.OpenWith(ctx, dataDir, name, connection.Options{Getenv: getenv, Logger: log, Now: clk.Now})
	if err != nil {
		return nil, nil, fmt.Errorf("open connection: %w", err)
	}
	if !pacing {
		// Clients of one account share one limiter, keyed by URL and token
		// unless AccountKey is set, so the unpaced client needs its own key.
		c.HubSpot, err = hubspot.New(hubspot.Config{
			BaseURL: emus.hubspotURL, AccessToken: ds.Credentials().HubSpotToken, Logger: log, Now: clk.Now,
			RateLimit: hubspot.RateLimitConfig{Disabled: true, AccountKey: "koppel-bench-unpaced-" + name},
		})
		if err != nil {
			c.Close()
			return nil, nil, fmt.Errorf("create HubSpot client: %w", err)
		}
	}

	setup, err := c.EnsureHubSpotProperties(ctx)
	if err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("prepare HubSpot properties: %w", err)
	}
	for _, pr := range setup.Problems {
		log.Warn("HubSpot property does not fit its mapping", "property", pr.Property, "mapping", pr.Mapping, "have", pr.Have, "want", pr.Want)
	}

	e, err := buildEngine(ctx, c, clk, log)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return c, e, nil
}

// saveConnection stores the emulators' credentials under name, which
// creates the connection with the default settings and mappings.
func saveConnection(ctx context.Context, dataDir string, getenv func(string) string, name string, ds *generate.Dataset, emus *emulators) error {
	st, err := connection.OpenStore(ctx, dataDir, getenv, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	box, err := secret.OpenWithEnv(dataDir, getenv)
	if err != nil {
		return fmt.Errorf("open key: %w", err)
	}

	creds := ds.Credentials()
	sf := connection.SalesforceCredentials{
		Auth: salesforce.AuthClientCredentials, LoginURL: emus.salesforceURL,
		ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret,
	}
	if _, _, err := connection.SaveCredentials(ctx, st, box, name, store.Salesforce, sf, ""); err != nil {
		return err
	}
	hs := connection.HubSpotCredentials{BaseURL: emus.hubspotURL, AccessToken: creds.HubSpotToken}
	portal := strconv.FormatInt(emus.hubspot.PortalID(), 10)
	if _, _, err := connection.SaveCredentials(ctx, st, box, name, store.HubSpot, hs, portal); err != nil {
		return err
	}
	return nil
}

// buildEngine builds the engine the way koppel serve does: the contact
// mappings the contact cycle syncs, checked against the portal's and the
// org's field definitions.
func buildEngine(ctx context.Context, c *connection.Connection, clk *clock, log *slog.Logger) (*engine.Engine, error) {
	var contacts []mapping.Mapping
	for _, m := range c.Mappings {
		if _, ok := m.Field(mapping.ObjectAccount); !ok {
			contacts = append(contacts, m)
		}
	}
	synced, _ := engine.ContactMappings(contacts)
	synced, dropped, err := engine.LoadMetadata(ctx, c.HubSpot, c.Salesforce, synced)
	if err != nil {
		return nil, fmt.Errorf("load field definitions: %w", err)
	}
	for _, f := range dropped {
		log.Warn("mapped Salesforce field not in the org; records of that object skip it", "field", f)
	}
	e, err := engine.New(engine.Config{
		ConnectionID: c.Record.ID, Settings: c.Settings, Mappings: synced,
		HubSpot:    &engine.HubSpotClient{Client: c.HubSpot},
		Salesforce: &engine.SalesforceClient{Client: c.Salesforce},
		Store:      c.Store, Logger: log, Now: clk.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("build engine: %w", err)
	}
	return e, nil
}
