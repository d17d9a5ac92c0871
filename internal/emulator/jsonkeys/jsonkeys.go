package jsonkeys

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// FieldNames returns the JSON names of the fields of the struct that v
// points to, or nil when v is not a pointer to a struct.
func FieldNames(v any) []string {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	return structFieldNames(t.Elem())
}

func structFieldNames(t reflect.Type) []string {
	var names []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		// encoding/json lifts the fields of an untagged embedded struct.
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			names = append(names, structFieldNames(f.Type)...)
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// Unknown returns the top-level keys of the JSON object in data that
// are not in allowed, sorted. A body that is no JSON object has none.
func Unknown(data []byte, allowed []string) []string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return nil
	}
	var out []string
	for k := range obj {
		if !slices.Contains(allowed, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Quote formats keys as a comma-separated list of quoted strings.
func Quote(keys []string) string {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = `"` + k + `"`
	}
	return strings.Join(quoted, ", ")
}
