package salesforce

import "strings"

// multipicklistValue checks the ";"-separated values of a multipicklist
// and returns them in their picklist spelling, without blanks and
// repeats. A restricted multipicklist rejects a value that is not in its
// list. The values keep the order they were given in.
func (f *fieldDef) multipicklistValue(s string) (any, *apiError) {
	var values []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ";") {
		v := strings.TrimSpace(part)
		if v == "" {
			continue
		}
		if canonical, ok := f.picklistValue(v); ok {
			v = canonical
		} else if f.RestrictedPicklist {
			return nil, fieldError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", f.Name, "%s: bad value for restricted picklist field: %s", f.Label, v)
		}
		if seen[strings.ToLower(v)] {
			continue
		}
		seen[strings.ToLower(v)] = true
		values = append(values, v)
	}
	if len(values) == 0 {
		return nil, nil
	}
	return strings.Join(values, ";"), nil
}
