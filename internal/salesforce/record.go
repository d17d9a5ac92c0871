package salesforce

import (
	"encoding/json"
	"path"
	"sort"
)

// Record is one sObject record as a field map.
//
// Field values are nil, string, bool, json.Number, or *Record for a parent
// relationship such as Account in "SELECT Account.Name FROM Contact".
// Dates and datetimes stay strings as Salesforce sends them
// ("2025-01-31", "2025-01-09T10:00:00.000+0000").
type Record struct {
	// Type is the sObject name from attributes.type, such as "Contact".
	Type string
	// ID is the 18-character record id, when known.
	ID string
	// Fields holds the record's fields, Id included when selected.
	Fields map[string]any
}

// String returns the field value as a string, or "" when it is null or
// not a string.
func (r *Record) String(field string) string {
	s, _ := r.Fields[field].(string)
	return s
}

// Bool returns the field value as a bool; false when null.
func (r *Record) Bool(field string) bool {
	b, _ := r.Fields[field].(bool)
	return b
}

// Parent returns the nested parent record of a relationship, or nil.
func (r *Record) Parent(relationship string) *Record {
	p, _ := r.Fields[relationship].(*Record)
	return p
}

// MarshalJSON writes the record in Salesforce's shape, with attributes.
// For writes, the Id field is taken from Fields only.
func (r Record) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(r.Fields)+1)
	for k, v := range r.Fields {
		m[k] = v
	}
	if r.Type != "" {
		m["attributes"] = map[string]string{"type": r.Type}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads a record with attributes, keeping numbers exact.
func (r *Record) UnmarshalJSON(data []byte) error {
	var m map[string]any
	if err := decodeJSON(data, &m); err != nil {
		return err
	}
	*r = *recordFromMap(m)
	return nil
}

// recordFromMap converts a decoded JSON object into a Record, turning
// nested objects with attributes into parent Records.
func recordFromMap(m map[string]any) *Record {
	r := &Record{Fields: make(map[string]any, len(m))}
	if attrs, ok := m["attributes"].(map[string]any); ok {
		r.Type, _ = attrs["type"].(string)
		if u, ok := attrs["url"].(string); ok {
			r.ID = path.Base(u)
		}
	}
	for k, v := range m {
		if k == "attributes" {
			continue
		}
		if nested, ok := v.(map[string]any); ok {
			if _, isRecord := nested["attributes"]; isRecord {
				v = recordFromMap(nested)
			}
		}
		r.Fields[k] = v
	}
	if id, ok := r.Fields["Id"].(string); ok && id != "" {
		r.ID = id
	}
	return r
}

// FieldNames returns the record's field names in sorted order.
func (r *Record) FieldNames() []string {
	names := make([]string, 0, len(r.Fields))
	for k := range r.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
