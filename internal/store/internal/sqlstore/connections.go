package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/koppel-sync/koppel/internal/store"
)

const connectionColumns = `id, name, hubspot_portal_id, salesforce_org_id, settings, settings_version, created_at, updated_at`

func scanConnection(r rowScanner) (store.Connection, error) {
	var c store.Connection
	err := r.Scan(&c.ID, &c.Name, &c.HubSpotPortalID, &c.SalesforceOrgID, scanRawJSON(&c.Settings),
		&c.SettingsVersion, scanTime(&c.CreatedAt), scanTime(&c.UpdatedAt))
	return c, err
}

// settingsText validates a settings document; empty means "{}".
func settingsText(settings []byte) (string, error) {
	if len(settings) == 0 {
		return "{}", nil
	}
	if !json.Valid(settings) {
		return "", fmt.Errorf("%w: settings are not valid JSON", store.ErrInvalid)
	}
	return string(settings), nil
}

func validateConnectionName(name string) error {
	if strings.TrimSpace(name) == "" || name != strings.TrimSpace(name) {
		return fmt.Errorf("%w: connection name %q: use a non-empty name without leading or trailing spaces", store.ErrInvalid, name)
	}
	return nil
}

func (o *ops) CreateConnection(ctx context.Context, c store.Connection) (store.Connection, error) {
	if err := validateConnectionName(c.Name); err != nil {
		return store.Connection{}, fmt.Errorf("create connection: %w", err)
	}
	settings, err := settingsText(c.Settings)
	if err != nil {
		return store.Connection{}, fmt.Errorf("create connection %q: %w", c.Name, err)
	}

	now := o.stamp()
	row := o.queryRow(ctx, `INSERT INTO connections (name, hubspot_portal_id, salesforce_org_id, settings, settings_version, created_at, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING `+connectionColumns,
		c.Name, c.HubSpotPortalID, c.SalesforceOrgID, settings, o.d.tv(now), o.d.tv(now))
	created, err := scanConnection(row)
	if err != nil {
		return store.Connection{}, o.fail(err, "create connection %q", c.Name)
	}
	return created, nil
}

func (o *ops) GetConnection(ctx context.Context, id int64) (store.Connection, error) {
	c, err := scanConnection(o.queryRow(ctx, `SELECT `+connectionColumns+` FROM connections WHERE id = ?`, id))
	if err != nil {
		return store.Connection{}, o.fail(err, "get connection %d", id)
	}
	return c, nil
}

func (o *ops) GetConnectionByName(ctx context.Context, name string) (store.Connection, error) {
	c, err := scanConnection(o.queryRow(ctx, `SELECT `+connectionColumns+` FROM connections WHERE name = ?`, name))
	if err != nil {
		return store.Connection{}, o.fail(err, "get connection %q", name)
	}
	return c, nil
}

func (o *ops) ListConnections(ctx context.Context) ([]store.Connection, error) {
	cs, err := queryAll(ctx, o, scanConnection, `SELECT `+connectionColumns+` FROM connections ORDER BY name`)
	if err != nil {
		return nil, o.fail(err, "list connections")
	}
	return cs, nil
}

func (o *ops) UpdateConnection(ctx context.Context, c store.Connection) (store.Connection, error) {
	if err := validateConnectionName(c.Name); err != nil {
		return store.Connection{}, fmt.Errorf("update connection %d: %w", c.ID, err)
	}

	row := o.queryRow(ctx, `UPDATE connections SET name = ?, hubspot_portal_id = ?, salesforce_org_id = ?, updated_at = ?
		WHERE id = ? RETURNING `+connectionColumns,
		c.Name, c.HubSpotPortalID, c.SalesforceOrgID, o.d.tv(o.stamp()), c.ID)
	updated, err := scanConnection(row)
	if err != nil {
		return store.Connection{}, o.fail(err, "update connection %d", c.ID)
	}
	return updated, nil
}

func (o *ops) UpdateSettings(ctx context.Context, id int64, version int64, settings []byte) (store.Connection, error) {
	text, err := settingsText(settings)
	if err != nil {
		return store.Connection{}, fmt.Errorf("update settings of connection %d: %w", id, err)
	}

	var updated store.Connection
	err = o.write(ctx, func(o *ops) error {
		row := o.queryRow(ctx, `UPDATE connections SET settings = ?, settings_version = settings_version + 1, updated_at = ?
			WHERE id = ? AND settings_version = ? RETURNING `+connectionColumns,
			text, o.d.tv(o.stamp()), id, version)
		var err error
		updated, err = scanConnection(row)
		if err == nil {
			return nil
		}
		if o.classify(err) != store.ErrNotFound {
			return o.fail(err, "update settings of connection %d", id)
		}

		// No row matched: tell a missing connection from a stale version.
		current, getErr := o.GetConnection(ctx, id)
		if getErr != nil {
			return fmt.Errorf("update settings: %w", getErr)
		}
		return fmt.Errorf("update settings of connection %d: %w: stored version is %d, the update was based on %d; reload the settings and apply again",
			id, store.ErrConflict, current.SettingsVersion, version)
	})
	return updated, err
}

func (o *ops) DeleteConnection(ctx context.Context, id int64) error {
	res, err := o.exec(ctx, `DELETE FROM connections WHERE id = ?`, id)
	return o.affected(res, err, "delete connection %d", id)
}

func (o *ops) PutCredential(ctx context.Context, c store.Credential) error {
	if err := c.Side.Validate(); err != nil {
		return fmt.Errorf("put credential: %w", err)
	}
	if len(c.Ciphertext) == 0 {
		return fmt.Errorf("put credential for connection %d %s: %w: ciphertext is empty", c.ConnectionID, c.Side, store.ErrInvalid)
	}

	_, err := o.exec(ctx, `INSERT INTO credentials (connection_id, side, ciphertext, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (connection_id, side) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
		c.ConnectionID, string(c.Side), c.Ciphertext, o.d.tv(o.stamp()))
	if err != nil {
		return o.fail(err, "put credential for connection %d %s", c.ConnectionID, c.Side)
	}
	return nil
}

func (o *ops) GetCredential(ctx context.Context, connectionID int64, side store.Side) (store.Credential, error) {
	c := store.Credential{ConnectionID: connectionID, Side: side}
	err := o.queryRow(ctx, `SELECT ciphertext, updated_at FROM credentials WHERE connection_id = ? AND side = ?`,
		connectionID, string(side)).Scan(&c.Ciphertext, scanTime(&c.UpdatedAt))
	if err != nil {
		return store.Credential{}, o.fail(err, "get credential for connection %d %s", connectionID, side)
	}
	return c, nil
}

func (o *ops) DeleteCredential(ctx context.Context, connectionID int64, side store.Side) error {
	res, err := o.exec(ctx, `DELETE FROM credentials WHERE connection_id = ? AND side = ?`, connectionID, string(side))
	return o.affected(res, err, "delete credential for connection %d %s", connectionID, side)
}
