package sqlstore

import (
	"context"
	"fmt"

	"github.com/koppel-sync/koppel/internal/store"
)

const mappingColumns = `id, connection_id, hubspot_property, salesforce_field, objects, rule, is_default, kind`

func scanMapping(r rowScanner) (store.Mapping, error) {
	var m store.Mapping
	err := r.Scan(&m.ID, &m.ConnectionID, &m.HubSpotProperty, &m.SalesforceField, &m.Objects, &m.Rule, &m.IsDefault, &m.Kind)
	return m, err
}

func validateMapping(i int, m store.Mapping) error {
	if m.HubSpotProperty == "" || m.SalesforceField == "" {
		return fmt.Errorf("%w: mapping %d (%q to %q): HubSpot property and Salesforce field are required", store.ErrInvalid, i, m.HubSpotProperty, m.SalesforceField)
	}
	if m.Rule == "" {
		return fmt.Errorf("%w: mapping %d (%s to %s): rule is required", store.ErrInvalid, i, m.HubSpotProperty, m.SalesforceField)
	}
	if m.Kind == "" {
		return fmt.Errorf("%w: mapping %d (%s to %s): kind is required", store.ErrInvalid, i, m.HubSpotProperty, m.SalesforceField)
	}
	if err := m.Objects.Validate(); err != nil {
		return fmt.Errorf("mapping %d (%s to %s): %w", i, m.HubSpotProperty, m.SalesforceField, err)
	}
	return nil
}

func (o *ops) ReplaceMappings(ctx context.Context, connectionID int64, ms []store.Mapping) ([]store.Mapping, error) {
	for i, m := range ms {
		if err := validateMapping(i, m); err != nil {
			return nil, fmt.Errorf("replace mappings of connection %d: %w", connectionID, err)
		}
	}

	out := make([]store.Mapping, 0, len(ms))
	err := o.write(ctx, func(o *ops) error {
		// Lock and check the connection first, so an unknown connection
		// fails even when ms is empty.
		if _, err := o.GetConnection(ctx, connectionID); err != nil {
			return fmt.Errorf("replace mappings: %w", err)
		}

		if _, err := o.exec(ctx, `DELETE FROM mappings WHERE connection_id = ?`, connectionID); err != nil {
			return o.fail(err, "replace mappings of connection %d: delete", connectionID)
		}

		for i, m := range ms {
			row := o.queryRow(ctx, `INSERT INTO mappings (connection_id, hubspot_property, salesforce_field, objects, rule, is_default, kind)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING `+mappingColumns,
				connectionID, m.HubSpotProperty, m.SalesforceField, string(m.Objects), m.Rule, m.IsDefault, m.Kind)
			created, err := scanMapping(row)
			if err != nil {
				return o.fail(err, "replace mappings of connection %d: insert mapping %d (%s to %s on %s)",
					connectionID, i, m.HubSpotProperty, m.SalesforceField, m.Objects)
			}
			out = append(out, created)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (o *ops) ListMappings(ctx context.Context, connectionID int64) ([]store.Mapping, error) {
	ms, err := queryAll(ctx, o, scanMapping, `SELECT `+mappingColumns+` FROM mappings WHERE connection_id = ? ORDER BY id`, connectionID)
	if err != nil {
		return nil, o.fail(err, "list mappings of connection %d", connectionID)
	}
	return ms, nil
}
