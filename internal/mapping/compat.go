package mapping

import (
	"fmt"
	"slices"
	"strings"
)

// compatibleTypes lists the Salesforce field types each HubSpot field type
// can map to. The first seven rows are the table in HubSpot's "Map HubSpot
// properties to Salesforce fields" article. The email, phone, url,
// currency, percent and combobox entries are needed by the default
// mappings or are the same kind of value under another name.
var compatibleTypes = map[string][]string{
	"select":          {"picklist", "reference", "combobox"},
	"radio":           {"picklist", "reference", "combobox"},
	"checkbox":        {"multipicklist"},
	"booleancheckbox": {"boolean"},
	"number":          {"double", "int", "currency", "percent"},
	"text":            {"string", "textarea", "email", "phone", "url", "combobox"},
	"phonenumber":     {"phone", "string"},
	"textarea":        {"textarea"},
	"date":            {"date", "datetime"},

	// HubSpot shows date and datetime properties with the date picker.
	// A datetime holds an instant, which fits a Salesforce datetime only.
	"datetime": {"datetime"},
}

// hubspotFieldType returns the row of compatibleTypes for p. Calculated
// properties count as the field type of their data type.
func hubspotFieldType(p HubSpotProperty) string {
	if p.Type == "datetime" {
		return "datetime"
	}

	ft := p.FieldType
	if ft == "" || strings.HasPrefix(ft, "calculation_") {
		switch p.Type {
		case "number":
			return "number"
		case "bool":
			return "booleancheckbox"
		case "date":
			return "date"
		case "string":
			return "text"
		case "phone_number":
			return "phonenumber"
		case "enumeration":
			return "select"
		}
	}
	return ft
}

// CheckCompatible reports whether a value of hs can sync with f. It
// rejects HubSpot user properties and pairs HubSpot's connector does not
// allow, with a [*MappingError] naming both sides and both types.
func CheckCompatible(hs HubSpotProperty, f SalesforceField) error {
	sfName := f.Object + "." + f.Name
	if hs.IsUserType {
		return &MappingError{
			Code:            CodeUserProperty,
			HubSpotProperty: hs.Name,
			SalesforceField: sfName,
			Detail:          "HubSpot user properties cannot be mapped, so map a text or dropdown property instead",
		}
	}

	ft := hubspotFieldType(hs)
	allowed, known := compatibleTypes[ft]
	if !known {
		return &MappingError{
			Code:            CodeIncompatibleTypes,
			HubSpotProperty: hs.Name,
			SalesforceField: sfName,
			Detail:          fmt.Sprintf("HubSpot field type %q cannot be mapped to any Salesforce field", hs.FieldType),
		}
	}
	if !slices.Contains(allowed, f.Type) {
		return &MappingError{
			Code:            CodeIncompatibleTypes,
			HubSpotProperty: hs.Name,
			SalesforceField: sfName,
			Detail: fmt.Sprintf("HubSpot field type %q does not fit Salesforce type %q, so choose a Salesforce field of type %s",
				ft, f.Type, strings.Join(allowed, ", ")),
		}
	}
	return nil
}
