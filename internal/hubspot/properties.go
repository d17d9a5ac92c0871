package hubspot

import (
	"context"
	"fmt"
	"time"
)

// Property is a property definition.
type Property struct {
	Name                 string                `json:"name"`
	Label                string                `json:"label"`
	Type                 string                `json:"type"`      // string, number, date, datetime, enumeration, bool, phone_number
	FieldType            string                `json:"fieldType"` // text, select, checkbox, booleancheckbox, …
	Description          string                `json:"description,omitempty"`
	GroupName            string                `json:"groupName"`
	Options              []PropertyOption      `json:"options,omitempty"`
	DisplayOrder         int                   `json:"displayOrder,omitempty"`
	HasUniqueValue       bool                  `json:"hasUniqueValue,omitempty"`
	Hidden               bool                  `json:"hidden,omitempty"`
	FormField            bool                  `json:"formField,omitempty"`
	Calculated           bool                  `json:"calculated,omitempty"`
	HubspotDefined       bool                  `json:"hubspotDefined,omitempty"`
	Archived             bool                  `json:"archived,omitempty"`
	ModificationMetadata *ModificationMetadata `json:"modificationMetadata,omitempty"`
	CreatedAt            *time.Time            `json:"createdAt,omitempty"`
	UpdatedAt            *time.Time            `json:"updatedAt,omitempty"`
}

// ReadOnly reports whether the property's value cannot be written.
func (p Property) ReadOnly() bool {
	return p.ModificationMetadata != nil && p.ModificationMetadata.ReadOnlyValue
}

// ModificationMetadata is what may be changed about a property.
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// PropertyOption is an allowed value of an enumeration property.
type PropertyOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// PropertyGroup groups properties in the HubSpot UI.
type PropertyGroup struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder,omitempty"`
}

// Properties returns every property definition of an object type.
func (c *Client) Properties(ctx context.Context, t ObjectType) ([]Property, error) {
	var w struct {
		Results []Property `json:"results"`
	}
	if _, err := c.do(ctx, request{method: "GET", path: "/crm/v3/properties/" + string(t)}, &w); err != nil {
		return nil, err
	}
	return w.Results, nil
}

// Property returns one property definition.
func (c *Client) Property(ctx context.Context, t ObjectType, name string) (*Property, error) {
	var p Property
	if _, err := c.do(ctx, request{method: "GET", path: "/crm/v3/properties/" + string(t) + "/" + pathEscape(name)}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// CreateProperty creates a custom property.
func (c *Client) CreateProperty(ctx context.Context, t ObjectType, p Property) (*Property, error) {
	var out Property
	if _, err := c.do(ctx, request{method: "POST", path: "/crm/v3/properties/" + string(t), body: p}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PropertyGroups returns the property groups of an object type.
func (c *Client) PropertyGroups(ctx context.Context, t ObjectType) ([]PropertyGroup, error) {
	var w struct {
		Results []PropertyGroup `json:"results"`
	}
	if _, err := c.do(ctx, request{method: "GET", path: "/crm/v3/properties/" + string(t) + "/groups"}, &w); err != nil {
		return nil, err
	}
	return w.Results, nil
}

// CreatePropertyGroup creates a property group.
func (c *Client) CreatePropertyGroup(ctx context.Context, t ObjectType, g PropertyGroup) error {
	_, err := c.do(ctx, request{method: "POST", path: "/crm/v3/properties/" + string(t) + "/groups", body: g}, nil)
	return err
}

// KoppelGroup is the property group that holds koppel's properties.
var KoppelGroup = PropertyGroup{Name: "koppel", Label: "Salesforce (koppel)"}

// KoppelProperties returns the properties koppel keeps on an object type
// to mirror its links to Salesforce.
func KoppelProperties(t ObjectType) []Property {
	text := func(name, label, desc string) Property {
		return Property{Name: name, Label: label, Type: "string", FieldType: "text", GroupName: KoppelGroup.Name, Description: desc}
	}
	// Salesforce ids are unique so HubSpot rejects a second record linked
	// to the same Salesforce record, and so batch upsert can use them.
	uniqueID := func(name, label, desc string) Property {
		p := text(name, label, desc)
		p.HasUniqueValue = true
		return p
	}
	synced := Property{Name: "salesforcelastsynctime", Label: "Salesforce last sync time", Type: "datetime", FieldType: "date",
		GroupName: KoppelGroup.Name, Description: "When koppel last synced this record with Salesforce."}
	if t == Companies {
		return []Property{
			uniqueID("salesforceaccountid", "Salesforce Account ID", "Id of the linked Salesforce Account."),
			synced,
		}
	}
	return []Property{
		uniqueID("salesforceleadid", "Salesforce Lead ID", "Id of the linked Salesforce Lead."),
		uniqueID("salesforcecontactid", "Salesforce Contact ID", "Id of the linked Salesforce Contact."),
		{Name: "salesforceobjecttype", Label: "Salesforce object type", Type: "enumeration", FieldType: "select", GroupName: KoppelGroup.Name,
			Description: "Whether the linked Salesforce record is a Lead or a Contact.",
			Options:     []PropertyOption{{Label: "Lead", Value: "LEAD"}, {Label: "Contact", Value: "CONTACT", DisplayOrder: 1}}},
		text("salesforcecampaignids", "Salesforce campaign ids", "Ids of the Salesforce campaigns this contact is a member of, separated by ';'."),
		text("salesforcecampaignnames", "Salesforce campaign names", "Names of the Salesforce campaigns this contact is a member of, separated by ';'."),
		synced,
	}
}

// EnsureKoppelProperties creates the koppel property group and the
// properties of KoppelProperties that are missing on contacts and
// companies. It returns the names it created as "type.name". An existing
// property with another type is reported as an error, not changed.
func (c *Client) EnsureKoppelProperties(ctx context.Context) ([]string, error) {
	var created []string
	for _, t := range []ObjectType{Contacts, Companies} {
		groups, err := c.PropertyGroups(ctx, t)
		if err != nil {
			return created, fmt.Errorf("read %s property groups: %w", t, err)
		}
		hasGroup := false
		for _, g := range groups {
			hasGroup = hasGroup || g.Name == KoppelGroup.Name
		}
		if !hasGroup {
			if err := c.CreatePropertyGroup(ctx, t, KoppelGroup); err != nil {
				return created, fmt.Errorf("create %s property group %s: %w", t, KoppelGroup.Name, err)
			}
		}

		existing, err := c.Properties(ctx, t)
		if err != nil {
			return created, fmt.Errorf("read %s properties: %w", t, err)
		}
		byName := map[string]Property{}
		for _, p := range existing {
			byName[p.Name] = p
		}
		for _, want := range KoppelProperties(t) {
			if have, ok := byName[want.Name]; ok {
				if have.Type != want.Type {
					return created, fmt.Errorf("%s property %s exists with type %s, koppel needs %s; rename or archive it in HubSpot", t, want.Name, have.Type, want.Type)
				}
				continue
			}
			if _, err := c.CreateProperty(ctx, t, want); err != nil {
				return created, fmt.Errorf("create %s property %s: %w", t, want.Name, err)
			}
			created = append(created, string(t)+"."+want.Name)
		}
	}
	return created, nil
}

// PropertyUpdate changes a property definition. Nil fields keep their
// value, and a non-nil Options replaces every option, as HubSpot's PATCH
// does.
type PropertyUpdate struct {
	Label       *string          `json:"label,omitempty"`
	Description *string          `json:"description,omitempty"`
	GroupName   *string          `json:"groupName,omitempty"`
	Options     []PropertyOption `json:"options,omitempty"`
	Hidden      *bool            `json:"hidden,omitempty"`
}

// UpdateProperty changes a property definition.
func (c *Client) UpdateProperty(ctx context.Context, t ObjectType, name string, u PropertyUpdate) (*Property, error) {
	var out Property
	path := "/crm/v3/properties/" + string(t) + "/" + pathEscape(name)
	if _, err := c.do(ctx, request{method: "PATCH", path: path, body: u}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AddPropertyOptions adds the options whose value an enumeration property
// lacks, after the existing ones, and keeps the rest unchanged. It sends
// no update when every value is already there.
func (c *Client) AddPropertyOptions(ctx context.Context, t ObjectType, name string, options ...PropertyOption) (*Property, error) {
	p, err := c.Property(ctx, t, name)
	if err != nil {
		return nil, err
	}
	if p.Type != "enumeration" {
		return nil, fmt.Errorf("add options to %s property %s: it has type %s, and only enumeration properties have options", t, name, p.Type)
	}
	have := map[string]bool{}
	next := 0
	for _, o := range p.Options {
		have[o.Value] = true
		next = max(next, o.DisplayOrder+1)
	}
	merged := append([]PropertyOption{}, p.Options...)
	for _, o := range options {
		if have[o.Value] {
			continue
		}
		have[o.Value] = true
		if o.DisplayOrder == 0 {
			o.DisplayOrder = next
		}
		next = max(next, o.DisplayOrder+1)
		merged = append(merged, o)
	}
	if len(merged) == len(p.Options) {
		return p, nil
	}
	return c.UpdateProperty(ctx, t, name, PropertyUpdate{Options: merged})
}
