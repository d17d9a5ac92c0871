package mapping

import "testing"

func TestDefaultsFormValidSets(t *testing.T) {
	for name, ms := range map[string][]Mapping{
		"contact": DefaultContactMappings(),
		"company": DefaultCompanyMappings(),
	} {
		if _, err := NewSet(ms...); err != nil {
			t.Errorf("%s defaults: %v", name, err)
		}
	}
}
