package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// LoadMetadata replaces the property and field definitions in ms with
// the portal's and the org's: HubSpot's contact properties (options,
// read-only flags) and the describe of Lead and Contact (picklist values,
// lengths, permissions). Conversion then rejects a value the target
// would reject before any write is sent. It costs one HubSpot call and
// two Salesforce calls. It also returns the mapped Salesforce fields the
// org lacks, as Object.Field, which records of that object skip.
func LoadMetadata(ctx context.Context, hs *hubspot.Client, sf *salesforce.Client, ms []mapping.Mapping) ([]mapping.Mapping, []string, error) {
	set, err := mapping.NewSet(ms...)
	if err != nil {
		return nil, nil, fmt.Errorf("load metadata: %w", err)
	}

	props, err := hs.Properties(ctx, hubspot.Contacts)
	if err != nil {
		return nil, nil, fmt.Errorf("read HubSpot contact properties: %w", err)
	}
	byName := make(map[string]mapping.HubSpotProperty, len(props))
	for _, p := range props {
		data, err := json.Marshal(p)
		if err != nil {
			return nil, nil, fmt.Errorf("encode HubSpot property %s: %w", p.Name, err)
		}
		hp, err := mapping.HubSpotPropertyFromJSON(data)
		if err != nil {
			return nil, nil, err
		}
		byName[hp.Name] = hp
	}
	set.ApplyHubSpotProperties(byName)

	var dropped []string
	for _, object := range []Object{Lead, Contact} {
		d, err := sf.Describe(ctx, string(object))
		if err != nil {
			return nil, nil, fmt.Errorf("describe Salesforce %s: %w", object, err)
		}
		data, err := json.Marshal(d)
		if err != nil {
			return nil, nil, fmt.Errorf("encode describe of %s: %w", object, err)
		}
		fields, err := mapping.SalesforceFieldsFromDescribe(data)
		if err != nil {
			return nil, nil, err
		}
		dropped = append(dropped, set.ApplyDescribe(string(object), fields)...)
	}
	return set.All(), dropped, nil
}
