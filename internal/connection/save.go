package connection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// SaveCredentials seals creds (a SalesforceCredentials or
// HubSpotCredentials) and stores them for side of connection name in one
// transaction. It creates the connection with the default settings and
// mappings when it does not exist yet. accountID, when not empty, is
// stored as the connection's Salesforce org id or HubSpot portal id. It
// returns the connection and whether it was created.
func SaveCredentials(ctx context.Context, st store.Store, box *secret.Box, name string, side store.Side, creds any, accountID string) (store.Connection, bool, error) {
	if err := side.Validate(); err != nil {
		return store.Connection{}, false, err
	}
	ciphertext, err := seal(box, name, side, creds)
	if err != nil {
		return store.Connection{}, false, err
	}

	var rec store.Connection
	created := false
	err = st.InTx(ctx, func(tx store.Tx) error {
		rec, err = tx.GetConnectionByName(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			rec, err = createConnection(ctx, tx, name)
			created = err == nil
		}
		if err != nil {
			return err
		}

		if accountID != "" {
			if side == store.Salesforce {
				rec.SalesforceOrgID = accountID
			} else {
				rec.HubSpotPortalID = accountID
			}
			if rec, err = tx.UpdateConnection(ctx, rec); err != nil {
				return err
			}
		}
		return tx.PutCredential(ctx, store.Credential{ConnectionID: rec.ID, Side: side, Ciphertext: ciphertext})
	})
	if err != nil {
		return store.Connection{}, false, fmt.Errorf("save %s credentials of connection %q: %w", side, name, err)
	}
	return rec, created, nil
}

// createConnection stores a new connection with the default settings
// written out, so a later change of koppel's defaults does not change an
// existing connection's behavior unnoticed.
func createConnection(ctx context.Context, tx store.Tx, name string) (store.Connection, error) {
	raw, err := json.Marshal(settings.Default())
	if err != nil {
		return store.Connection{}, fmt.Errorf("encode default settings: %w", err)
	}
	rec, err := tx.CreateConnection(ctx, store.Connection{Name: name, Settings: raw})
	if err != nil {
		return store.Connection{}, err
	}
	defaults, err := MappingsFromRows(nil)
	if err != nil {
		return store.Connection{}, err
	}
	if _, err := tx.ReplaceMappings(ctx, rec.ID, MappingRows(rec.ID, defaults)); err != nil {
		return store.Connection{}, fmt.Errorf("store default mappings: %w", err)
	}
	return rec, nil
}

// Apply stores s, and ms when ms is not nil, for the connection rec in one
// transaction. It fails with store.ErrConflict when the stored settings
// version is no longer rec.SettingsVersion, so an edit made in between is
// never overwritten.
func Apply(ctx context.Context, st store.Store, rec store.Connection, s settings.Settings, ms []mapping.Mapping) (store.Connection, error) {
	raw, err := json.Marshal(s)
	if err != nil {
		return store.Connection{}, fmt.Errorf("encode settings: %w", err)
	}

	var updated store.Connection
	err = st.InTx(ctx, func(tx store.Tx) error {
		updated, err = tx.UpdateSettings(ctx, rec.ID, rec.SettingsVersion, raw)
		if err != nil {
			return err
		}
		if ms == nil {
			return nil
		}
		_, err = tx.ReplaceMappings(ctx, rec.ID, MappingRows(rec.ID, ms))
		return err
	})
	if err != nil {
		return store.Connection{}, fmt.Errorf("save settings of connection %q: %w", rec.Name, err)
	}
	return updated, nil
}
