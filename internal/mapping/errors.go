package mapping

import (
	"errors"
	"fmt"
	"strings"
)

// Codes of a [PropertyValueError]. They are stable: the CLI and UI
// translate messages by code.
const (
	CodePicklistNotAllowed = "PICKLIST_NOT_ALLOWED"
	CodeTooLong            = "TOO_LONG"
	CodeFractionalIntoInt  = "FRACTIONAL_INTO_INT"
	CodeTooManyDecimals    = "TOO_MANY_DECIMALS"
	CodeNumberOutOfRange   = "NUMBER_OUT_OF_RANGE"
	CodeInvalidEmail       = "INVALID_EMAIL"
	CodeInvalidNumber      = "INVALID_NUMBER"
	CodeInvalidDate        = "INVALID_DATE"
	CodeInvalidDateTime    = "INVALID_DATETIME"
	CodeInvalidBool        = "INVALID_BOOL"
	CodeInvalidOption      = "INVALID_OPTION"
	CodeInvalidText        = "INVALID_TEXT"
	CodeRequired           = "REQUIRED"
	CodeTypeMismatch       = "TYPE_MISMATCH"
	CodeUnsupportedType    = "UNSUPPORTED_TYPE"
)

// PropertyValueError reports a value that cannot be converted or written
// without losing or changing it. The engine parks the record with the
// error category "property value" and shows Value to the admin.
type PropertyValueError struct {
	Code string

	// HubSpotProperty and SalesforceField name the fields on each side;
	// one of them is empty when the conversion saw one side only.
	// [Converter] methods that take a [Mapping] fill both.
	HubSpotProperty  string
	SalesforceObject string
	SalesforceField  string

	// Value is the offending value as text, safe to show to an admin.
	Value string

	// Detail is an English explanation of the problem and its fix.
	Detail string
}

func (e *PropertyValueError) Error() string {
	var fields []string
	if e.HubSpotProperty != "" {
		fields = append(fields, "HubSpot property "+e.HubSpotProperty)
	}
	if e.SalesforceField != "" {
		name := e.SalesforceField
		if e.SalesforceObject != "" {
			name = e.SalesforceObject + "." + name
		}
		fields = append(fields, "Salesforce field "+name)
	}
	return fmt.Sprintf("invalid value %q for %s: %s (%s)",
		truncateForMessage(e.Value), strings.Join(fields, " and "), e.Detail, e.Code)
}

// IsPropertyValueError reports whether err is or wraps a
// [*PropertyValueError] and returns it.
func IsPropertyValueError(err error) (*PropertyValueError, bool) {
	var pve *PropertyValueError
	ok := errors.As(err, &pve)
	return pve, ok
}

func hubspotError(p HubSpotProperty, code, value, detail string) *PropertyValueError {
	return &PropertyValueError{Code: code, HubSpotProperty: p.Name, Value: value, Detail: detail}
}

func salesforceError(f SalesforceField, code, value, detail string) *PropertyValueError {
	return &PropertyValueError{
		Code:             code,
		SalesforceObject: f.Object,
		SalesforceField:  f.Name,
		Value:            value,
		Detail:           detail,
	}
}

// withMapping fills the side of err's field that the conversion did not
// know, so the message names both sides of m.
func withMapping(err error, m Mapping, sf SalesforceField) error {
	pve, ok := IsPropertyValueError(err)
	if !ok {
		return err
	}
	out := *pve
	if out.HubSpotProperty == "" {
		out.HubSpotProperty = m.HubSpot.Name
	}
	if out.SalesforceField == "" {
		out.SalesforceObject = sf.Object
		out.SalesforceField = sf.Name
	}
	return &out
}

// MappingError reports a mapping that cannot be added or changed. Its
// message names both sides and the rejected value.
type MappingError struct {
	Code            string
	HubSpotProperty string
	SalesforceField string
	Detail          string
}

// Codes of a [MappingError].
const (
	CodeIncompatibleTypes = "INCOMPATIBLE_TYPES"
	CodeUserProperty      = "USER_PROPERTY"
	CodeAlreadyMapped     = "ALREADY_MAPPED"
	CodeDefaultMapping    = "DEFAULT_MAPPING"
	CodeRuleNotAllowed    = "RULE_NOT_ALLOWED"
	CodeInvalidMapping    = "INVALID_MAPPING"
	CodeNotFound          = "NOT_FOUND"
)

func (e *MappingError) Error() string {
	return fmt.Sprintf("map HubSpot property %s to Salesforce field %s: %s (%s)",
		orNone(e.HubSpotProperty), orNone(e.SalesforceField), e.Detail, e.Code)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
