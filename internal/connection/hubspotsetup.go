package connection

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// PropertySetup is the report of EnsureHubSpotProperties: the properties
// it created or extended in the portal, and the problems it left.
type PropertySetup struct {
	// Created lists the properties koppel created, as "contacts.leadsource".
	Created []string `json:"created"`

	// OptionsAdded lists the dropdowns to which koppel added Salesforce
	// picklist values as options.
	OptionsAdded []AddedOptions `json:"options_added"`

	// Problems lists properties that a default mapping names but that
	// cannot hold its Salesforce values. Records that carry such a value
	// park until the property is fixed or the mapping set to dont_sync.
	Problems []PropertyProblem `json:"problems"`
}

// AddedOptions is the options koppel added to one HubSpot dropdown.
type AddedOptions struct {
	Property string   `json:"property"`         // such as "contacts.rating"
	Field    string   `json:"salesforce_field"` // such as "Lead.Rating"
	Values   []string `json:"values"`
}

// PropertyProblem is a HubSpot property that does not fit its mapping.
type PropertyProblem struct {
	Property string `json:"property"` // such as "contacts.rating"
	Mapping  string `json:"mapping"`
	Field    string `json:"salesforce_field"` // such as "Lead.Rating"

	// Have is the property's type and field type in the portal, empty when
	// the property is missing; Want is the type the mapping needs.
	Have string `json:"have"`
	Want string `json:"want"`
}

// campaignsProperty holds the names of a contact's Salesforce campaigns,
// readable next to the ids in salesforcecampaignids.
var campaignsProperty = hubspot.Property{
	Name: "salesforcecampaigns", Label: "Salesforce Campaigns", Type: "string", FieldType: "textarea",
	GroupName:   hubspot.KoppelGroup.Name,
	Description: "Names of the Salesforce campaigns this contact is a member of, separated by ';'.",
}

// hubspotSetup holds what EnsureHubSpotProperties needs: both clients, and
// the credentials for the one call the HubSpot client does not offer.
type hubspotSetup struct {
	hubspot    *hubspot.Client
	salesforce *salesforce.Client
	creds      *HubSpotCredentials
	httpClient *http.Client
	access     *atomic.Pointer[string]
}

// EnsureHubSpotProperties makes the portal ready for c's mappings: it
// creates koppel's property group and link properties, every property a
// default mapping names that the portal lacks, and the campaign names
// property, and it adds the active values of each mapped Salesforce
// picklist as options of its HubSpot dropdown. It never removes an option
// and never changes a property's type. It reads the org's describe for
// the picklist values.
func (c *Connection) EnsureHubSpotProperties(ctx context.Context) (PropertySetup, error) {
	s := hubspotSetup{hubspot: c.HubSpot, salesforce: c.Salesforce, creds: c.hubspotCreds, httpClient: c.httpClient, access: c.hubspotAccess}
	return s.run(ctx, c.Mappings)
}

func (s hubspotSetup) run(ctx context.Context, ms []mapping.Mapping) (PropertySetup, error) {
	result := PropertySetup{Created: []string{}, OptionsAdded: []AddedOptions{}, Problems: []PropertyProblem{}}

	created, err := s.hubspot.EnsureKoppelProperties(ctx)
	result.Created = append(result.Created, created...)
	if err != nil {
		return result, fmt.Errorf("create koppel's HubSpot properties: %w", err)
	}

	picklists, err := s.picklistValues(ctx, ms)
	if err != nil {
		return result, err
	}

	for _, t := range []hubspot.ObjectType{hubspot.Contacts, hubspot.Companies} {
		props, err := s.hubspot.Properties(ctx, t)
		if err != nil {
			return result, fmt.Errorf("read HubSpot %s properties: %w", t, err)
		}
		byName := make(map[string]hubspot.Property, len(props))
		for _, p := range props {
			byName[p.Name] = p
		}

		for _, m := range ms {
			if !m.Default || isCompanyMapping(m) != (t == hubspot.Companies) {
				continue
			}
			if err := s.ensureMapped(ctx, t, m, byName, picklists, &result); err != nil {
				return result, err
			}
		}
		if t == hubspot.Contacts {
			if _, ok := byName[campaignsProperty.Name]; !ok {
				if _, err := s.hubspot.CreateProperty(ctx, t, campaignsProperty); err != nil {
					return result, fmt.Errorf("create HubSpot %s property %s: %w", t, campaignsProperty.Name, err)
				}
				result.Created = append(result.Created, string(t)+"."+campaignsProperty.Name)
			}
		}
	}
	return result, nil
}

// ensureMapped creates or extends the property of default mapping m.
func (s hubspotSetup) ensureMapped(ctx context.Context, t hubspot.ObjectType, m mapping.Mapping, byName map[string]hubspot.Property,
	picklists map[string][]hubspot.PropertyOption, result *PropertySetup) error {
	// The owner and the opt-out are HubSpot's own properties, which every
	// account has and whose values koppel translates.
	if m.Kind == mapping.KindOwner || m.Kind == mapping.KindOptOut {
		return nil
	}
	want := m.HubSpot
	key := string(t) + "." + want.Name
	options := mappedOptions(m, picklists)

	have, exists := byName[want.Name]
	if !exists {
		if want.HubSpotDefined {
			result.Problems = append(result.Problems, problem(key, m, "", want))
			return nil
		}
		if want.Type == "enumeration" && len(options) == 0 {
			// HubSpot requires options on a dropdown, and the org returned
			// no active picklist value to create them from.
			result.Problems = append(result.Problems, problem(key, m, "", want))
			return nil
		}
		p := hubspot.Property{
			Name: want.Name, Label: want.Label, Type: want.Type, FieldType: want.FieldType,
			GroupName: hubspot.KoppelGroup.Name, Description: "Synced by koppel with Salesforce " + fieldList(m) + ".",
		}
		for i, o := range options {
			o.DisplayOrder = i
			p.Options = append(p.Options, o)
		}
		if _, err := s.hubspot.CreateProperty(ctx, t, p); err != nil {
			return fmt.Errorf("create HubSpot %s property %s: %w", t, want.Name, err)
		}
		result.Created = append(result.Created, key)
		return nil
	}

	if !fits(have, m) {
		result.Problems = append(result.Problems, problem(key, m, have.Type+"/"+have.FieldType, want))
		return nil
	}
	if have.Type != "enumeration" || len(options) == 0 {
		return nil
	}

	missing := missingOptions(have.Options, options)
	if len(missing) == 0 {
		return nil
	}
	merged := slices.Clone(have.Options)
	next := 0
	for _, o := range merged {
		next = max(next, o.DisplayOrder+1)
	}
	var values []string
	for i, o := range missing {
		o.DisplayOrder = next + i
		merged = append(merged, o)
		values = append(values, o.Value)
	}
	if err := s.updateOptions(ctx, t, want.Name, merged); err != nil {
		return fmt.Errorf("add options %s to HubSpot %s property %s: %w", strings.Join(values, ", "), t, want.Name, err)
	}
	result.OptionsAdded = append(result.OptionsAdded, AddedOptions{Property: key, Field: fieldList(m), Values: values})
	return nil
}

func problem(key string, m mapping.Mapping, have string, want mapping.HubSpotProperty) PropertyProblem {
	return PropertyProblem{Property: key, Mapping: m.ID, Field: fieldList(m), Have: have, Want: want.Type + "/" + want.FieldType}
}

func fieldList(m mapping.Mapping) string {
	names := make([]string, len(m.Salesforce))
	for i, f := range m.Salesforce {
		names[i] = f.Object + "." + f.Name
	}
	return strings.Join(names, ", ")
}

// fits reports whether the existing property have can serve mapping m:
// it is of the type m wants, or a text property, which holds any
// Salesforce value as text, or of a type HubSpot's connector pairs with
// each of m's Salesforce fields.
func fits(have hubspot.Property, m mapping.Mapping) bool {
	if canHold(have, m.HubSpot) {
		return true
	}
	if have.Type == "string" && (have.FieldType == "text" || have.FieldType == "textarea") {
		return true
	}
	raw, err := json.Marshal(have)
	if err != nil {
		return false
	}
	hp, err := mapping.HubSpotPropertyFromJSON(raw)
	if err != nil {
		return false
	}
	for _, f := range m.Salesforce {
		if mapping.CheckCompatible(hp, f) != nil {
			return false
		}
	}
	return true
}

// canHold reports whether an existing property have stores the values of
// a mapping that wants a property like want. A text property may show as
// a phone number, and a dropdown as radio buttons, because the stored
// value is the same.
func canHold(have hubspot.Property, want mapping.HubSpotProperty) bool {
	switch want.Type {
	case "string":
		return have.Type == "string" || have.Type == "phone_number"
	case "enumeration":
		multiple := want.FieldType == "checkbox"
		return have.Type == "enumeration" && (have.FieldType == "checkbox") == multiple
	default:
		return have.Type == want.Type
	}
}

// mappedOptions returns the active picklist values of m's Salesforce
// fields as HubSpot options, in the order of the first field that has
// each, when m maps a HubSpot dropdown to picklists.
func mappedOptions(m mapping.Mapping, picklists map[string][]hubspot.PropertyOption) []hubspot.PropertyOption {
	if m.HubSpot.Type != "enumeration" {
		return nil
	}
	var out []hubspot.PropertyOption
	for _, f := range m.Salesforce {
		for _, o := range picklists[f.Object+"."+f.Name] {
			if !hasOption(out, o.Value) {
				out = append(out, o)
			}
		}
	}
	return out
}

func missingOptions(have, want []hubspot.PropertyOption) []hubspot.PropertyOption {
	var missing []hubspot.PropertyOption
	for _, o := range want {
		if !hasOption(have, o.Value) {
			missing = append(missing, o)
		}
	}
	return missing
}

func hasOption(options []hubspot.PropertyOption, value string) bool {
	return slices.ContainsFunc(options, func(o hubspot.PropertyOption) bool { return o.Value == value })
}

// picklistValues reads the describe of each Salesforce object that a
// default dropdown mapping writes, once per object, and returns the
// active values of every picklist field as HubSpot options, keyed by
// "Object.Field". An option's label is the picklist value's label, which
// Salesforce returns in the integration user's language.
func (s hubspotSetup) picklistValues(ctx context.Context, ms []mapping.Mapping) (map[string][]hubspot.PropertyOption, error) {
	var objects []string
	for _, m := range ms {
		if !m.Default || m.HubSpot.Type != "enumeration" || m.Kind == mapping.KindOwner {
			continue
		}
		for _, object := range m.Objects() {
			if !slices.Contains(objects, object) {
				objects = append(objects, object)
			}
		}
	}

	out := map[string][]hubspot.PropertyOption{}
	for _, object := range objects {
		d, err := s.salesforce.Describe(ctx, object)
		if err != nil {
			return nil, fmt.Errorf("describe Salesforce %s: %w", object, err)
		}
		for _, f := range d.Fields {
			if f.Type != "picklist" && f.Type != "multipicklist" {
				continue
			}
			var options []hubspot.PropertyOption
			for _, pv := range f.PicklistValues {
				if !pv.Active {
					continue
				}
				label := pv.Label
				if label == "" {
					label = pv.Value
				}
				options = append(options, hubspot.PropertyOption{Label: label, Value: pv.Value})
			}
			out[object+"."+f.Name] = options
		}
	}
	return out, nil
}
