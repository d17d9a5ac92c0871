package salesforce

import (
	"bytes"
	"encoding/json"
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
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.values[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
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
