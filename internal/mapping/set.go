package mapping

import (
	"fmt"
	"slices"
)

// Set is the mappings of one object sync (contacts or companies) of one
// connection. It keeps the connector's constraints: each HubSpot property
// and each Salesforce field is in at most one mapping, default mappings
// cannot be deleted, and every rule is one the mapping allows. A Set is
// not safe for concurrent use.
type Set struct {
	mappings []Mapping
}

// NewSet returns a Set of ms, validated and checked for duplicates.
func NewSet(ms ...Mapping) (*Set, error) {
	s := &Set{}
	for _, m := range ms {
		if err := s.Add(m); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// NewContactSet returns a Set of the default contact mappings.
func NewContactSet() *Set {
	return mustSet(DefaultContactMappings())
}

// NewCompanySet returns a Set of the default company mappings.
func NewCompanySet() *Set {
	return mustSet(DefaultCompanyMappings())
}

func mustSet(ms []Mapping) *Set {
	s, err := NewSet(ms...)
	if err != nil {
		// The defaults are fixed, and a test checks they form a Set.
		panic(fmt.Sprintf("mapping: invalid default mappings: %v", err))
	}
	return s
}

// All returns a copy of the mappings in the order they were added.
func (s *Set) All() []Mapping {
	return slices.Clone(s.mappings)
}

// Get returns the mapping with id.
func (s *Set) Get(id string) (Mapping, bool) {
	i := s.index(id)
	if i < 0 {
		return Mapping{}, false
	}
	return s.mappings[i], true
}

// ByHubSpot returns the mapping of the HubSpot property name.
func (s *Set) ByHubSpot(name string) (Mapping, bool) {
	for _, m := range s.mappings {
		if m.HubSpot.Name == name {
			return m, true
		}
	}
	return Mapping{}, false
}

// ForObject returns the mappings that apply to a Salesforce object. A
// mapping whose field exists on another object only is left out, so
// records of object skip it without an error.
func (s *Set) ForObject(object string) []Mapping {
	var out []Mapping
	for _, m := range s.mappings {
		if _, ok := m.Field(object); ok {
			out = append(out, m)
		}
	}
	return out
}

// index returns the position of the mapping with id, or -1. The former
// ID of a renamed default finds the default under its current ID.
func (s *Set) index(id string) int {
	i := slices.IndexFunc(s.mappings, func(m Mapping) bool { return m.ID == id })
	if i < 0 && CurrentDefaultID(id) != id {
		current := CurrentDefaultID(id)
		i = slices.IndexFunc(s.mappings, func(m Mapping) bool { return m.ID == current && m.Default })
	}
	return i
}

// Add validates m and adds it. It rejects a HubSpot property or a
// Salesforce field that another mapping already uses, and a duplicate ID.
func (s *Set) Add(m Mapping) error {
	if m.ID == "" {
		m.ID = m.HubSpot.Name
	}
	if err := m.Validate(); err != nil {
		return err
	}

	for _, other := range s.mappings {
		if other.ID == m.ID {
			return &MappingError{Code: CodeAlreadyMapped, HubSpotProperty: m.HubSpot.Name, SalesforceField: m.salesforceNames(),
				Detail: fmt.Sprintf("a mapping with id %q already exists", m.ID)}
		}
		if other.HubSpot.Name == m.HubSpot.Name {
			return &MappingError{Code: CodeAlreadyMapped, HubSpotProperty: m.HubSpot.Name, SalesforceField: m.salesforceNames(),
				Detail: fmt.Sprintf("the HubSpot property is already mapped to %s, so edit that mapping instead", other.salesforceNames())}
		}
		for _, f := range m.Salesforce {
			if of, ok := other.Field(f.Object); ok && of.Name == f.Name {
				return &MappingError{Code: CodeAlreadyMapped, HubSpotProperty: m.HubSpot.Name, SalesforceField: f.Object + "." + f.Name,
					Detail: fmt.Sprintf("the Salesforce field is already mapped to HubSpot property %s, so edit that mapping instead", other.HubSpot.Name)}
			}
		}
	}

	s.mappings = append(s.mappings, m)
	return nil
}

// AddCustom adds a custom mapping of hs to the Salesforce field apiName on
// every object in describes (object name to its fields by API name) that
// has it. One mapping thus writes Leads and Contacts when both have the
// API name. It fails when no object has the field.
func (s *Set) AddCustom(hs HubSpotProperty, apiName string, rule Rule, describes map[string]map[string]SalesforceField) (Mapping, error) {
	m := Mapping{ID: "custom." + hs.Name, HubSpot: hs, Rule: rule, Kind: KindOrdinary}
	for _, object := range []string{ObjectLead, ObjectContact, ObjectAccount} {
		if f, ok := describes[object][apiName]; ok {
			f.Object = object
			m.Salesforce = append(m.Salesforce, f)
		}
	}
	if len(m.Salesforce) == 0 {
		return Mapping{}, &MappingError{Code: CodeNotFound, HubSpotProperty: hs.Name, SalesforceField: apiName,
			Detail: "no Salesforce object has a field with this API name, so check the name in Salesforce Setup"}
	}
	if err := s.Add(m); err != nil {
		return Mapping{}, err
	}
	return m, nil
}

// SetRule changes the rule of the mapping with id, if the mapping allows it.
func (s *Set) SetRule(id string, r Rule) error {
	i := s.index(id)
	if i < 0 {
		return &MappingError{Code: CodeNotFound, Detail: fmt.Sprintf("no mapping has id %q", id)}
	}
	m := s.mappings[i]
	if !slices.Contains(AllowedRules(m), r) {
		return &MappingError{Code: CodeRuleNotAllowed, HubSpotProperty: m.HubSpot.Name, SalesforceField: m.salesforceNames(),
			Detail: fmt.Sprintf("rule %q is not allowed here, use one of %s", r, joinRules(AllowedRules(m)))}
	}
	s.mappings[i].Rule = r
	return nil
}

// Remove deletes the custom mapping with id. Default mappings cannot be
// deleted, so set their rule to dont_sync where that is allowed.
func (s *Set) Remove(id string) error {
	i := s.index(id)
	if i < 0 {
		return &MappingError{Code: CodeNotFound, Detail: fmt.Sprintf("no mapping has id %q", id)}
	}
	m := s.mappings[i]
	if m.Default {
		return &MappingError{Code: CodeDefaultMapping, HubSpotProperty: m.HubSpot.Name, SalesforceField: m.salesforceNames(),
			Detail: "default mappings cannot be deleted, so set the rule to dont_sync where the mapping allows it"}
	}
	s.mappings = slices.Delete(s.mappings, i, i+1)
	return nil
}

// ApplyDescribe replaces the Salesforce field definitions of object with
// the org's describe (fields by API name), which brings picklist values,
// lengths and permissions. A mapped field the org lacks on object is
// dropped from that object, so its records skip the mapping silently. It
// returns the dropped fields as Object.Field.
func (s *Set) ApplyDescribe(object string, fields map[string]SalesforceField) []string {
	var dropped []string
	for i := range s.mappings {
		m := &s.mappings[i]
		j := slices.IndexFunc(m.Salesforce, func(f SalesforceField) bool { return f.Object == object })
		if j < 0 {
			continue
		}

		f, ok := fields[m.Salesforce[j].Name]
		if !ok {
			dropped = append(dropped, object+"."+m.Salesforce[j].Name)
			m.Salesforce = slices.Delete(slices.Clone(m.Salesforce), j, j+1)
			continue
		}
		f.Object = object
		m.Salesforce = slices.Clone(m.Salesforce)
		m.Salesforce[j] = f
	}
	return dropped
}

// ApplyHubSpotProperties replaces the HubSpot property definitions with
// the portal's (properties by name), which brings options and read-only
// flags. The kind and rule of each mapping stay as they are.
func (s *Set) ApplyHubSpotProperties(props map[string]HubSpotProperty) {
	for i := range s.mappings {
		if p, ok := props[s.mappings[i].HubSpot.Name]; ok {
			s.mappings[i].HubSpot = p
		}
	}
}
