package connection

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// Schema holds the field definitions of both systems that custom mappings
// are checked against.
type Schema struct {
	// Salesforce maps an object (Lead, Contact, Account) to its fields by
	// API name.
	Salesforce map[string]map[string]mapping.SalesforceField
	// HubSpotContacts and HubSpotCompanies hold the properties by name.
	HubSpotContacts  map[string]mapping.HubSpotProperty
	HubSpotCompanies map[string]mapping.HubSpotProperty
}

// FetchSchema reads the describe of every Salesforce object and the HubSpot
// properties of every object type that ms write. That is one describe per
// object and one properties read per type.
func (c *Connection) FetchSchema(ctx context.Context, ms []mapping.Mapping) (Schema, error) {
	s := Schema{Salesforce: map[string]map[string]mapping.SalesforceField{}}
	var objects []string
	contacts, companies := false, false
	for _, m := range ms {
		for _, object := range m.Objects() {
			if !slices.Contains(objects, object) {
				objects = append(objects, object)
			}
		}
		if isCompanyMapping(m) {
			companies = true
		} else {
			contacts = true
		}
	}

	for _, object := range objects {
		fields, err := describeFields(ctx, c.Salesforce, object)
		if err != nil {
			return s, err
		}
		s.Salesforce[object] = fields
	}

	var err error
	if contacts {
		if s.HubSpotContacts, err = c.hubspotProperties(ctx, hubspot.Contacts); err != nil {
			return s, err
		}
	}
	if companies {
		if s.HubSpotCompanies, err = c.hubspotProperties(ctx, hubspot.Companies); err != nil {
			return s, err
		}
	}
	return s, nil
}

// describeFields returns the fields of one Salesforce object by API name.
func describeFields(ctx context.Context, sf *salesforce.Client, object string) (map[string]mapping.SalesforceField, error) {
	d, err := sf.Describe(ctx, object)
	if err != nil {
		return nil, fmt.Errorf("describe Salesforce %s: %w", object, err)
	}
	// The mapping package reads the describe's wire form, so the typed
	// result goes back to JSON once.
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encode %s describe: %w", object, err)
	}
	return mapping.SalesforceFieldsFromDescribe(raw)
}

func (c *Connection) hubspotProperties(ctx context.Context, t hubspot.ObjectType) (map[string]mapping.HubSpotProperty, error) {
	props, err := c.HubSpot.Properties(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("read HubSpot %s properties: %w", t, err)
	}
	out := make(map[string]mapping.HubSpotProperty, len(props))
	for _, p := range props {
		raw, err := json.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encode HubSpot property %s: %w", p.Name, err)
		}
		hp, err := mapping.HubSpotPropertyFromJSON(raw)
		if err != nil {
			return nil, err
		}
		out[hp.Name] = hp
	}
	return out, nil
}

// CustomMappings returns the custom mappings of ms.
func CustomMappings(ms []mapping.Mapping) []mapping.Mapping {
	var out []mapping.Mapping
	for _, m := range ms {
		if !m.Default {
			out = append(out, m)
		}
	}
	return out
}

// CheckCustomMappings checks that each custom mapping of d names a HubSpot
// property and Salesforce fields that exist in schema, with types the
// connector allows to pair. Paths point into d.Mappings.
func (d Document) CheckCustomMappings(ms []mapping.Mapping, schema Schema) []Problem {
	index := map[string]int{}
	for i, dm := range d.Mappings {
		index[dm.ID] = i
	}

	var problems []Problem
	for _, m := range CustomMappings(ms) {
		path := fmt.Sprintf("mappings[%d]", index[m.ID])
		props := schema.HubSpotContacts
		kind := "contacts"
		if isCompanyMapping(m) {
			props, kind = schema.HubSpotCompanies, "companies"
		}
		hs, ok := props[m.HubSpot.Name]
		if !ok {
			problems = append(problems, newProblem(path+".hubspot", m.HubSpot.Name, i18n.HintMappingPropertyMissing, i18n.Data{"Kind": kind}))
			continue
		}
		for _, f := range m.Salesforce {
			sf, ok := schema.Salesforce[f.Object][f.Name]
			if !ok {
				problems = append(problems, newProblem(path+".salesforce", f.Object+"."+f.Name, i18n.HintMappingFieldMissing, i18n.Data{"Object": f.Object}))
				continue
			}
			sf.Object = f.Object
			if err := mapping.CheckCompatible(hs, sf); err != nil {
				problems = append(problems, incompatible(path+".salesforce", hs, sf, err))
			}
		}
	}
	return problems
}

// incompatible returns the problem of a pair CheckCompatible rejected,
// with a translated hint for its two rejection codes.
func incompatible(path string, hs mapping.HubSpotProperty, sf mapping.SalesforceField, err error) Problem {
	value := sf.Object + "." + sf.Name
	var me *mapping.MappingError
	if errors.As(err, &me) {
		switch me.Code {
		case mapping.CodeUserProperty:
			return newProblem(path, value, i18n.HintMappingUserProperty, nil)
		case mapping.CodeIncompatibleTypes:
			return newProblem(path, value, i18n.HintMappingIncompatible,
				i18n.Data{"FieldType": hs.FieldType, "HubSpotType": hs.Type, "SalesforceType": sf.Type})
		}
		return Problem{Path: path, Value: value, Hint: me.Detail}
	}
	return Problem{Path: path, Value: value, Hint: err.Error()}
}
