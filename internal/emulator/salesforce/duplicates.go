package salesforce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// duplicateRuleSetting is one value of duplicate_rules in a seed file:
// true, false, or an object naming the fields the rule matches on.
type duplicateRuleSetting struct {
	on     bool
	fields []string
}

func (d *duplicateRuleSetting) UnmarshalJSON(b []byte) error {
	var on bool
	if err := json.Unmarshal(b, &on); err == nil {
		d.on = on
		return nil
	}
	var rule struct {
		MatchFields []string `json:"match_fields"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rule); err != nil {
		return fmt.Errorf("invalid duplicate rule %s: use true, false or {\"match_fields\": [\"FirstName\", \"LastName\", \"Company\"]}", b)
	}
	if len(rule.MatchFields) == 0 {
		return fmt.Errorf("invalid duplicate rule %s: match_fields needs at least one field", b)
	}
	d.on, d.fields = true, rule.MatchFields
	return nil
}

func (d duplicateRuleSetting) MarshalJSON() ([]byte, error) {
	if len(d.fields) == 0 {
		return json.Marshal(d.on)
	}
	return json.Marshal(map[string][]string{"match_fields": d.fields})
}

// configJSON is Config with duplicate_rules in its seed-file form.
type configJSON struct {
	*plainConfig
	DuplicateRules map[string]duplicateRuleSetting `json:"duplicate_rules,omitempty"`
}

// plainConfig is Config without its JSON methods.
type plainConfig Config

// UnmarshalJSON decodes a configuration, rejecting unknown keys. A
// duplicate_rules value is true, false or {"match_fields": [...]}.
func (c *Config) UnmarshalJSON(b []byte) error {
	aux := configJSON{plainConfig: (*plainConfig)(c)}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	c.DuplicateRules, c.DuplicateRuleFields = nil, nil
	for object, rule := range aux.DuplicateRules {
		if c.DuplicateRules == nil {
			c.DuplicateRules = map[string]bool{}
		}
		c.DuplicateRules[object] = rule.on
		if len(rule.fields) > 0 {
			if c.DuplicateRuleFields == nil {
				c.DuplicateRuleFields = map[string][]string{}
			}
			c.DuplicateRuleFields[object] = rule.fields
		}
	}
	return nil
}

// MarshalJSON writes the configuration in the seed-file form, so a seed
// written from Go keeps the fields its duplicate rules match on.
func (c Config) MarshalJSON() ([]byte, error) {
	aux := configJSON{plainConfig: (*plainConfig)(&c)}
	for object, on := range c.DuplicateRules {
		if aux.DuplicateRules == nil {
			aux.DuplicateRules = map[string]duplicateRuleSetting{}
		}
		aux.DuplicateRules[object] = duplicateRuleSetting{on: on, fields: c.DuplicateRuleFields[object]}
	}
	return json.Marshal(aux)
}

// checkDuplicateRules validates the duplicate rules and stores their
// match fields under the canonical object and field names.
func (e *Emulator) checkDuplicateRules() error {
	c := &e.cfg
	rules := map[string]bool{}
	for name, on := range c.DuplicateRules {
		o := e.schema.object(name)
		if o == nil || (o.Name != "Lead" && o.Name != "Contact" && o.Name != "Account") {
			return fmt.Errorf("duplicate rule for %q: only Lead, Contact and Account have one", name)
		}
		rules[o.Name] = on
	}
	e.duplicateFields = map[string][]string{}
	for name, fields := range c.DuplicateRuleFields {
		o := e.schema.object(name)
		if o == nil || !rules[o.Name] {
			return fmt.Errorf("duplicate rule fields for %q: switch the rule on in duplicate_rules first", name)
		}
		if len(fields) == 0 {
			return fmt.Errorf("duplicate rule for %s: match_fields needs at least one field", o.Name)
		}
		for _, field := range fields {
			f := o.field(field)
			if f == nil {
				return fmt.Errorf("duplicate rule for %s: unknown match field %q", o.Name, field)
			}
			e.duplicateFields[o.Name] = append(e.duplicateFields[o.Name], f.Name)
		}
	}
	e.duplicateRules = rules
	return nil
}

// duplicateMatchFields returns the fields the duplicate rule of o matches
// on: the configured ones, or Email (Account: Name).
func (e *Emulator) duplicateMatchFields(o *objectDef) []string {
	if fields := e.duplicateFields[o.Name]; len(fields) > 0 {
		return fields
	}
	if o.Name == "Account" {
		return []string{"Name"}
	}
	return []string{"Email"}
}

// findDuplicateLocked returns a live record whose match fields all equal
// those of values, ignoring case and converted leads. A blank match field
// in values matches nothing.
func (e *Emulator) findDuplicateLocked(o *objectDef, values map[string]any, selfID string) *record {
	fields := e.duplicateMatchFields(o)
	for _, name := range fields {
		if isBlank(values[name]) {
			return nil
		}
	}
	for _, other := range e.byObject[o.Name] {
		if other.deleted || other.id == selfID || other.get("IsConverted") == true {
			continue
		}
		same := true
		for _, name := range fields {
			if !sameMatchValue(other.get(name), values[name]) {
				same = false
				break
			}
		}
		if same {
			return other
		}
	}
	return nil
}

func isBlank(v any) bool {
	s, isString := v.(string)
	return v == nil || (isString && strings.TrimSpace(s) == "")
}

func sameMatchValue(a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok {
		return strings.EqualFold(strings.TrimSpace(as), strings.TrimSpace(bs))
	}
	return a == b
}

func duplicatesDetected(o *objectDef, dup *record) *apiError {
	ruleName := "Standard_" + o.Name + "_Duplicate_Rule"
	return &apiError{
		Status: http.StatusBadRequest, Code: "DUPLICATES_DETECTED",
		Message: "Use one of these records?", Fields: []string{},
		Extra: map[string]any{"duplicateResult": map[string]any{
			"allowSave":               false,
			"duplicateRule":           ruleName,
			"duplicateRuleEntityType": o.Name,
			"errorMessage":            "You're creating a duplicate record. We recommend you use an existing record instead.",
			"matchResults": []map[string]any{{
				"entityType": o.Name, "errors": []any{}, "matchEngine": "ExactMatchEngine",
				"matchRecords": []map[string]any{{
					"additionalInformation": []any{}, "fieldDiffs": []any{}, "matchConfidence": 100,
					"record": map[string]any{"attributes": map[string]any{"type": o.Name, "url": "/services/data/v66.0/sobjects/" + o.Name + "/" + dup.id}, "Id": dup.id},
				}},
				"rule": "Standard_" + o.Name + "_Match_Rule_v1_0", "size": 1, "success": true,
			}},
		}},
	}
}
