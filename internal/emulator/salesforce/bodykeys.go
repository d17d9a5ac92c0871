package salesforce

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// jsonFieldNames returns the JSON names of the fields of the struct that v
// points to, or nil when v is not a pointer to a struct.
func jsonFieldNames(v any) []string {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for f := range t.Elem().Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// unknownKeys returns the top-level keys of the JSON object in data that
// are not in allowed, sorted. A body that is no JSON object has none.
func unknownKeys(data []byte, allowed []string) []string {
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

// quoteKeys writes keys as a comma-separated list of JSON strings.
func quoteKeys(keys []string) string {
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = `"` + k + `"`
	}
	return strings.Join(quoted, ", ")
}
