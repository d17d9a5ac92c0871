package mapping

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Converter converts values between the HubSpot and Salesforce wire
// formats and [Value]. The zero Converter uses UTC.
type Converter struct {
	// Location is the connection's time zone. It decides the calendar
	// date of a Salesforce datetime written to a HubSpot date property,
	// and the midnight a HubSpot date becomes in a Salesforce datetime
	// field. Nil means UTC.
	Location *time.Location
}

func (c Converter) location() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// ErrObjectNotMapped reports a conversion for a Salesforce object the
// mapping does not apply to. The engine skips such a field without an
// error, because a field that exists on Lead only is not synced for a
// Contact.
var ErrObjectNotMapped = errors.New("mapping does not apply to this Salesforce object")

// ErrAbsent reports an attempt to write a value that was never sent.
var ErrAbsent = errors.New("absent value cannot be written, so pass Null to clear a field")

// FromHubSpot converts a HubSpot property value with the zero Converter.
func FromHubSpot(p HubSpotProperty, raw string, present bool) (Value, error) {
	return Converter{}.FromHubSpot(p, raw, present)
}

// ToHubSpot converts v for a HubSpot property with the zero Converter.
func ToHubSpot(p HubSpotProperty, v Value) (string, error) {
	return Converter{}.ToHubSpot(p, v)
}

// FromSalesforce converts a Salesforce field value with the zero Converter.
func FromSalesforce(f SalesforceField, raw any) (Value, error) {
	return Converter{}.FromSalesforce(f, raw)
}

// ToSalesforce converts v for a Salesforce field with the zero Converter.
func ToSalesforce(f SalesforceField, v Value) (any, error) {
	return Converter{}.ToSalesforce(f, v)
}

// MappedFromHubSpot converts a HubSpot value of m. Errors name the
// HubSpot property and m's field on object.
func (c Converter) MappedFromHubSpot(m Mapping, object, raw string, present bool) (Value, error) {
	f, ok := m.Field(object)
	if !ok {
		return Value{}, fmt.Errorf("convert %s for %s: %w", m.HubSpot.Name, object, ErrObjectNotMapped)
	}
	v, err := c.FromHubSpot(m.HubSpot, raw, present)
	return v, withMapping(err, m, f)
}

// MappedFromSalesforce converts a Salesforce value of m's field on object.
func (c Converter) MappedFromSalesforce(m Mapping, object string, raw any) (Value, error) {
	f, ok := m.Field(object)
	if !ok {
		return Value{}, fmt.Errorf("convert %s for %s: %w", m.HubSpot.Name, object, ErrObjectNotMapped)
	}
	v, err := c.FromSalesforce(f, raw)
	return v, withMapping(err, m, f)
}

// MappedToHubSpot converts v for m's HubSpot property.
func (c Converter) MappedToHubSpot(m Mapping, object string, v Value) (string, error) {
	f, ok := m.Field(object)
	if !ok {
		return "", fmt.Errorf("convert %s for %s: %w", m.HubSpot.Name, object, ErrObjectNotMapped)
	}
	s, err := c.ToHubSpot(m.HubSpot, v)
	return s, withMapping(err, m, f)
}

// MappedToSalesforce converts v for m's field on object.
func (c Converter) MappedToSalesforce(m Mapping, object string, v Value) (any, error) {
	f, ok := m.Field(object)
	if !ok {
		return nil, fmt.Errorf("convert %s for %s: %w", m.HubSpot.Name, object, ErrObjectNotMapped)
	}
	out, err := c.ToSalesforce(f, v)
	return out, withMapping(err, m, f)
}

// splitOptions splits a ";"-joined multi-select value. Empty tokens, as in
// "a;;b" or a trailing ";", carry no option and are dropped by [Multi].
func splitOptions(s string) Value {
	return Multi(strings.Split(s, ";")...)
}

func joinOptions(opts []string) string {
	return strings.Join(opts, ";")
}

func containsOption(options []string, v string) bool {
	return slices.Contains(options, v)
}
