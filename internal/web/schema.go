package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"sort"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
)

// schema is the portal's contact properties and the org's Lead and
// Contact fields, as the mapping checks need them.
type schema struct {
	props  map[string]mapping.HubSpotProperty
	fields map[string]map[string]mapping.SalesforceField // object → API name → field
}

// loadSchema reads the definitions with one HubSpot and two Salesforce
// calls.
func loadSchema(ctx context.Context, c Clients) (schema, error) {
	sc := schema{props: map[string]mapping.HubSpotProperty{}, fields: map[string]map[string]mapping.SalesforceField{}}
	props, err := c.HubSpot.Properties(ctx, hubspot.Contacts)
	if err != nil {
		return sc, fmt.Errorf("read HubSpot contact properties: %w", err)
	}
	for _, p := range props {
		data, err := json.Marshal(p)
		if err != nil {
			return sc, fmt.Errorf("encode HubSpot property %s: %w", p.Name, err)
		}
		hp, err := mapping.HubSpotPropertyFromJSON(data)
		if err != nil {
			return sc, err
		}
		sc.props[hp.Name] = hp
	}
	for _, object := range []string{mapping.ObjectLead, mapping.ObjectContact} {
		d, err := c.Salesforce.Describe(ctx, object)
		if err != nil {
			return sc, fmt.Errorf("describe Salesforce %s: %w", object, err)
		}
		data, err := json.Marshal(d)
		if err != nil {
			return sc, fmt.Errorf("encode describe of %s: %w", object, err)
		}
		if sc.fields[object], err = mapping.SalesforceFieldsFromDescribe(data); err != nil {
			return sc, err
		}
	}
	return sc, nil
}

// apply replaces the definitions in ms with the portal's and the org's.
// A mapped field the org lacks is dropped from that object, as koppel
// sync does. A mapping left without fields is left out. Both are logged.
//
// NOTE: engine.LoadMetadata does the same after building a mapping.Set.
// That Set rejects custom mappings loaded from the store, because they
// carry no types yet, so the UI applies the definitions before any check.
func (sc schema) apply(ms []mapping.Mapping, log *slog.Logger) []mapping.Mapping {
	out := make([]mapping.Mapping, 0, len(ms))
	for _, m := range ms {
		if p, ok := sc.props[m.HubSpot.Name]; ok {
			m.HubSpot = p
		}
		var fields []mapping.SalesforceField
		for _, f := range m.Salesforce {
			byName, described := sc.fields[f.Object]
			if !described {
				fields = append(fields, f)
				continue
			}
			d, ok := byName[f.Name]
			if !ok {
				log.Debug("mapped Salesforce field not in the org; records of that object skip it", "field", f.Object+"."+f.Name)
				continue
			}
			d.Object = f.Object
			fields = append(fields, d)
		}
		if len(fields) == 0 {
			log.Warn("mapping left out: none of its Salesforce fields exist in the org", "mapping", m.ID)
			continue
		}
		m.Salesforce = fields
		out = append(out, m)
	}
	return out
}

// describe fills in the definitions of ms that the portal and the org
// have, for showing types and the rules a custom mapping allows. Unlike
// apply it keeps fields the org lacks.
func (sc schema) describe(ms []mapping.Mapping) []mapping.Mapping {
	out := slices.Clone(ms)
	for i := range out {
		m := &out[i]
		if p, ok := sc.props[m.HubSpot.Name]; ok && !isCompany(*m) {
			m.HubSpot = p
		}
		m.Salesforce = slices.Clone(m.Salesforce)
		for j, f := range m.Salesforce {
			if d, ok := sc.fields[f.Object][f.Name]; ok {
				d.Object = f.Object
				m.Salesforce[j] = d
			}
		}
	}
	return out
}

// propertyChoice is one HubSpot property on the add-mapping page.
type propertyChoice struct {
	Prop mapping.HubSpotProperty

	// Reason is empty when the property can be mapped, else a message
	// for people saying why not.
	Reason string
}

// fieldChoice is one Salesforce API name on the add-mapping page, with
// the objects that have it.
type fieldChoice struct {
	Name    string
	Label   string
	Objects []string
	Types   []string
	Reason  string
}

// propertyChoices lists the portal's contact properties, the mappable
// ones first.
func (sc schema) propertyChoices(l *loc, ms []mapping.Mapping) []propertyChoice {
	var out []propertyChoice
	for _, p := range sc.props {
		c := propertyChoice{Prop: p}
		switch {
		case slices.ContainsFunc(ms, func(m mapping.Mapping) bool { return m.HubSpot.Name == p.Name && !isCompany(m) }):
			c.Reason = l.T("addmap.already_mapped")
		case p.IsUserType:
			c.Reason = l.T("addmap.user_property")
		case !mappableType(p):
			c.Reason = l.T("addmap.type_not_mappable", "Type", p.FieldType)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Reason == "") != (out[j].Reason == "") {
			return out[i].Reason == ""
		}
		return out[i].Prop.Name < out[j].Prop.Name
	})
	return out
}

// mappableType reports whether any Salesforce type fits the property.
func mappableType(p mapping.HubSpotProperty) bool {
	for _, t := range []string{"string", "textarea", "picklist", "multipicklist", "boolean", "double", "date", "datetime", "phone"} {
		if mapping.CheckCompatible(p, mapping.SalesforceField{Object: mapping.ObjectLead, Name: "X", Type: t}) == nil {
			return true
		}
	}
	return false
}

// fieldChoices lists the Lead and Contact fields by API name for
// property p, the compatible ones first.
func (sc schema) fieldChoices(l *loc, p mapping.HubSpotProperty, ms []mapping.Mapping) []fieldChoice {
	byName := map[string]*fieldChoice{}
	for _, object := range []string{mapping.ObjectLead, mapping.ObjectContact} {
		for name, f := range sc.fields[object] {
			c := byName[name]
			if c == nil {
				c = &fieldChoice{Name: name, Label: f.Label}
				byName[name] = c
			}
			c.Objects = append(c.Objects, object)
			c.Types = append(c.Types, f.Type)
			if c.Reason != "" {
				continue
			}
			f.Object = object
			switch {
			case !f.Writable():
				c.Reason = l.T("addmap.read_only")
			case slices.ContainsFunc(ms, func(m mapping.Mapping) bool {
				g, ok := m.Field(object)
				return ok && g.Name == name
			}):
				c.Reason = l.T("addmap.field_mapped")
			default:
				if err := mapping.CheckCompatible(p, f); err != nil {
					c.Reason = l.T("addmap.incompatible", "HubSpotType", p.FieldType, "SalesforceType", f.Type)
				}
			}
		}
	}
	out := make([]fieldChoice, 0, len(byName))
	for _, c := range byName {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Reason == "") != (out[j].Reason == "") {
			return out[i].Reason == ""
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func isCompany(m mapping.Mapping) bool {
	_, ok := m.Field(mapping.ObjectAccount)
	return ok
}
