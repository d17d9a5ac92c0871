package mapping

import (
	"encoding/json"
	"fmt"
)

// HubSpotProperty is the part of a HubSpot property definition (Properties
// API v3) that mapping and conversion need.
type HubSpotProperty struct {
	Name  string
	Label string

	// Type is the HubSpot data type: string, number, date, datetime,
	// enumeration, bool or phone_number.
	Type string

	// FieldType is the HubSpot form control of the property: text, textarea, html,
	// phonenumber, file, number, date, select, radio, checkbox (multiple
	// checkboxes), booleancheckbox or calculation_*.
	FieldType string

	// Options contains the internal values of an enumeration's options. The
	// labels do not take part in syncing.
	Options []string

	// ReadOnly is set when HubSpot rejects writes of the value, as for
	// calculated properties and hs_email_optout.
	ReadOnly       bool
	HubSpotDefined bool

	// IsUserType is set for properties whose values are HubSpot users or
	// owners. HubSpot does not let such custom properties be mapped.
	IsUserType bool

	// ReferencedObject is the referencedObjectType of the property, for
	// example OWNER for hubspot_owner_id.
	ReferencedObject string
}

// SalesforceField is the part of a Salesforce describe field that mapping
// and conversion need.
type SalesforceField struct {
	// Object is the sObject the field belongs to: Lead, Contact or Account.
	Object string
	Name   string
	Label  string

	// Type is the describe type: string, textarea, picklist,
	// multipicklist, combobox, boolean, int, double, currency, percent,
	// date, datetime, email, phone, url, reference, id and others.
	Type string

	// Length is the maximum number of characters of a text field, 0 when
	// unknown.
	Length int

	// Precision and Scale bound double, currency and percent fields: at
	// most Precision digits, Scale of them after the decimal point.
	// Precision 0 means unknown.
	Precision int
	Scale     int

	// Digits bounds an int field, 0 when unknown.
	Digits int

	RestrictedPicklist bool

	// Picklist holds the active picklist values' API names.
	Picklist []string

	ReferenceTo []string

	// Calculated is set for formula fields, which can only be read.
	Calculated        bool
	Createable        bool
	Updateable        bool
	Nillable          bool
	DefaultedOnCreate bool
}

// Writable reports whether a sync can write the field.
func (f SalesforceField) Writable() bool {
	return !f.Calculated && (f.Createable || f.Updateable)
}

type hubspotPropertyJSON struct {
	Name                 string `json:"name"`
	Label                string `json:"label"`
	Type                 string `json:"type"`
	FieldType            string `json:"fieldType"`
	Calculated           bool   `json:"calculated"`
	HubSpotDefined       bool   `json:"hubspotDefined"`
	ReferencedObjectType string `json:"referencedObjectType"`
	Options              []struct {
		Value  string `json:"value"`
		Hidden bool   `json:"hidden"`
	} `json:"options"`
	ModificationMetadata struct {
		ReadOnlyValue bool `json:"readOnlyValue"`
	} `json:"modificationMetadata"`
}

// HubSpotPropertyFromJSON builds a HubSpotProperty from one property object
// of the HubSpot Properties API v3 (GET /crm/v3/properties/{objectType}).
// Hidden options stay valid values because records may still hold them.
func HubSpotPropertyFromJSON(data []byte) (HubSpotProperty, error) {
	var raw hubspotPropertyJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return HubSpotProperty{}, fmt.Errorf("decode HubSpot property: %w", err)
	}
	if raw.Name == "" {
		return HubSpotProperty{}, fmt.Errorf("decode HubSpot property: missing \"name\"")
	}

	p := HubSpotProperty{
		Name:             raw.Name,
		Label:            raw.Label,
		Type:             raw.Type,
		FieldType:        raw.FieldType,
		ReadOnly:         raw.ModificationMetadata.ReadOnlyValue || raw.Calculated,
		HubSpotDefined:   raw.HubSpotDefined,
		ReferencedObject: raw.ReferencedObjectType,
	}
	for _, o := range raw.Options {
		p.Options = append(p.Options, o.Value)
	}

	// Owner and user properties carry a referenced object type. Their
	// values are HubSpot ids that Salesforce cannot resolve.
	switch raw.ReferencedObjectType {
	case "OWNER", "USER":
		p.IsUserType = true
	}
	return p, nil
}

type salesforceFieldJSON struct {
	Name               string   `json:"name"`
	Label              string   `json:"label"`
	Type               string   `json:"type"`
	Length             int      `json:"length"`
	Precision          int      `json:"precision"`
	Scale              int      `json:"scale"`
	Digits             int      `json:"digits"`
	RestrictedPicklist bool     `json:"restrictedPicklist"`
	ReferenceTo        []string `json:"referenceTo"`
	Calculated         bool     `json:"calculated"`
	Createable         *bool    `json:"createable"`
	Updateable         *bool    `json:"updateable"`
	Nillable           bool     `json:"nillable"`
	DefaultedOnCreate  bool     `json:"defaultedOnCreate"`
	PicklistValues     []struct {
		Value  string `json:"value"`
		Active bool   `json:"active"`
	} `json:"picklistValues"`
}

// SalesforceFieldFromJSON builds a SalesforceField of object from one
// element of the "fields" array of a Salesforce describe result.
// Trimmed describes without createable and updateable count as writable.
func SalesforceFieldFromJSON(object string, data []byte) (SalesforceField, error) {
	var raw salesforceFieldJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return SalesforceField{}, fmt.Errorf("decode Salesforce field of %s: %w", object, err)
	}
	if raw.Name == "" || raw.Type == "" {
		return SalesforceField{}, fmt.Errorf("decode Salesforce field of %s: missing \"name\" or \"type\"", object)
	}

	f := SalesforceField{
		Object:             object,
		Name:               raw.Name,
		Label:              raw.Label,
		Type:               raw.Type,
		Length:             raw.Length,
		Precision:          raw.Precision,
		Scale:              raw.Scale,
		Digits:             raw.Digits,
		RestrictedPicklist: raw.RestrictedPicklist,
		ReferenceTo:        raw.ReferenceTo,
		Calculated:         raw.Calculated,
		Createable:         raw.Createable == nil || *raw.Createable,
		Updateable:         raw.Updateable == nil || *raw.Updateable,
		Nillable:           raw.Nillable,
		DefaultedOnCreate:  raw.DefaultedOnCreate,
	}
	for _, pv := range raw.PicklistValues {
		if pv.Active {
			f.Picklist = append(f.Picklist, pv.Value)
		}
	}
	return f, nil
}

// SalesforceFieldsFromDescribe builds every field of one sObject describe
// result (GET /sobjects/{object}/describe), keyed by API name.
func SalesforceFieldsFromDescribe(data []byte) (map[string]SalesforceField, error) {
	var raw struct {
		Name   string            `json:"name"`
		Fields []json.RawMessage `json:"fields"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decode Salesforce describe: %w", err)
	}
	if raw.Name == "" {
		return nil, fmt.Errorf("decode Salesforce describe: missing object \"name\"")
	}

	fields := make(map[string]SalesforceField, len(raw.Fields))
	for _, fj := range raw.Fields {
		f, err := SalesforceFieldFromJSON(raw.Name, fj)
		if err != nil {
			return nil, err
		}
		fields[f.Name] = f
	}
	return fields, nil
}
