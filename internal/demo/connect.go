package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/daemon"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// inclusionListName is the HubSpot list whose members sync to Salesforce.
const inclusionListName = "koppel demo: sync to Salesforce"

// noEnv keeps the demo away from the environment's database URL and key,
// so it never writes into a real koppel installation.
func noEnv(string) string { return "" }

// connect stores the demo connection with the emulators' credentials, the
// default mappings and an inclusion list, then opens it the way koppel
// serve does and builds its engine.
func (d *demo) connect(ctx context.Context) error {
	dir, err := d.dataDir()
	if err != nil {
		return err
	}
	st, err := connection.OpenStore(ctx, dir, noEnv, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	box, err := secret.OpenWithEnv(dir, noEnv)
	if err != nil {
		return fmt.Errorf("open key: %w", err)
	}

	creds := d.ds.Credentials()
	sfCreds := connection.SalesforceCredentials{
		Auth: salesforce.AuthClientCredentials, LoginURL: d.emus.salesforceURL,
		ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret,
	}
	if _, _, err := connection.SaveCredentials(ctx, st, box, ConnectionName, store.Salesforce, sfCreds, ""); err != nil {
		return err
	}
	hsCreds := connection.HubSpotCredentials{BaseURL: d.emus.hubspotURL, AccessToken: creds.HubSpotToken}
	portal := strconv.FormatInt(d.emus.hubspot.PortalID(), 10)
	rec, _, err := connection.SaveCredentials(ctx, st, box, ConnectionName, store.HubSpot, hsCreds, portal)
	if err != nil {
		return err
	}

	hs, err := hubspot.New(hsCreds.Config())
	if err != nil {
		return err
	}
	list, err := createInclusionList(ctx, hs)
	if err != nil {
		return err
	}

	s, err := connection.DecodeSettings(rec.Settings)
	if err != nil {
		return err
	}
	s.InclusionListID = list.ListID
	s.Interval = settings.Duration(d.opts.Interval)
	if _, err := connection.Apply(ctx, st, rec, s, nil); err != nil {
		return err
	}
	d.p.println(d.opts.Progress, msgConnection, map[string]any{"Name": ConnectionName, "ListName": list.Name, "ListID": list.ListID})

	c, err := connection.OpenWith(ctx, dir, ConnectionName, connection.Options{Getenv: noEnv, Logger: d.log})
	if err != nil {
		return err
	}
	d.cleanup = append(d.cleanup, func() { c.Close() })
	d.conn = c

	// koppel connect prepares the portal the same way once both sides are
	// connected: koppel's link properties, the properties the default
	// mappings name, and the Salesforce picklist values as options.
	setup, err := c.EnsureHubSpotProperties(ctx)
	if err != nil {
		return fmt.Errorf("prepare the HubSpot properties: %w", err)
	}
	for _, pr := range setup.Problems {
		d.log.Warn("HubSpot property does not fit its mapping", "property", pr.Property, "mapping", pr.Mapping, "have", pr.Have, "want", pr.Want)
	}

	// TODO: let the engine apply settings.InclusionListID. Until it does,
	// every HubSpot contact with an email syncs, which is also what the
	// list's filter (email is known) selects.
	d.dconn, d.engine, err = daemon.FromConnection(ctx, c, d.log, d.emus.appSecret)
	return err
}

// createInclusionList creates the dynamic list of every contact with an
// email.
func createInclusionList(ctx context.Context, hs *hubspot.Client) (*hubspot.List, error) {
	filter := map[string]any{
		"filterBranchType": "OR", "filters": []any{},
		"filterBranches": []any{map[string]any{
			"filterBranchType": "AND", "filterBranches": []any{},
			"filters": []any{map[string]any{
				"filterType": "PROPERTY", "property": "email",
				"operation": map[string]any{"operationType": "ALL_PROPERTY", "operator": "IS_KNOWN"},
			}},
		}},
	}
	raw, err := json.Marshal(filter)
	if err != nil {
		return nil, err
	}
	list, err := hs.CreateList(ctx, hubspot.ListCreate{Name: inclusionListName, ObjectTypeID: "0-1", ProcessingType: "DYNAMIC", FilterBranch: raw})
	if err != nil {
		return nil, fmt.Errorf("create inclusion list: %w", err)
	}
	return list, nil
}
