package salesforce

import (
	"encoding/json"
	"sort"
	"strconv"
	"unicode/utf8"
)

// orderedObject is a JSON object that keeps its keys in insertion order,
// so records come out with attributes first and fields in SELECT order as
// Salesforce writes them.
type orderedObject struct {
	keys   []string
	values []any
}

func (o *orderedObject) set(k string, v any) {
	o.keys = append(o.keys, k)
	o.values = append(o.values, v)
}

func (o *orderedObject) MarshalJSON() ([]byte, error) {
	return o.appendJSON(nil)
}

func (o *orderedObject) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	for i, k := range o.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendJSONValue(b, o.values[i]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONValue writes the value types records hold without going
// through reflection, which dominates the cost of large query pages.
func appendJSONValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case json.Number:
		return append(b, x...), nil
	case *orderedObject:
		if x == nil {
			return append(b, "null"...), nil
		}
		return x.appendJSON(b)
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, x[k])
		}
		return append(b, '}'), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, data...), nil
}

// appendJSONString quotes s as encoding/json does with HTML escaping
// off: quotes, backslashes and control characters escaped, invalid
// UTF-8 replaced, and U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func attributes(version string, r *record) map[string]string {
	return map[string]string{"type": r.obj.Name, "url": "/services/data/v" + version + "/sobjects/" + r.obj.Name + "/" + r.id}
}

// renderField returns the JSON value of one field of r, compound address
// fields included.
func (e *Emulator) renderField(r *record, f *fieldDef) any {
	if f.Type == "address" {
		prefix := f.Name[:len(f.Name)-len("Address")]
		parts := map[string]string{"street": "Street", "city": "City", "state": "State", "postalCode": "PostalCode",
			"country": "Country", "latitude": "Latitude", "longitude": "Longitude", "geocodeAccuracy": "GeocodeAccuracy"}
		out := map[string]any{}
		empty := true
		for key, suffix := range parts {
			sub := r.obj.field(prefix + suffix)
			v := wireValue(sub, r.get(prefix+suffix))
			if v != nil {
				empty = false
			}
			out[key] = v
		}
		out["stateCode"], out["countryCode"] = nil, nil
		if empty {
			return nil
		}
		return out
	}
	return wireValue(f, r.get(f.Name))
}

// renderRecord writes all fields of r in describe order.
func (e *Emulator) renderRecord(version string, r *record, fields []*fieldDef) *orderedObject {
	out := &orderedObject{}
	out.set("attributes", attributes(version, r))
	if fields == nil {
		fields = r.obj.Fields
	}
	for _, f := range fields {
		out.set(f.Name, e.renderField(r, f))
	}
	return out
}
