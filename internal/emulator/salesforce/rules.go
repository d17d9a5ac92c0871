package salesforce

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"unicode/utf8"
)

var ruleOperators = map[string]bool{"blank": true, "not_blank": true, "equals": true, "not_equals": true, "matches": true, "max_length": true}

func (e *Emulator) checkValidationRule(r ValidationRule) error {
	o := e.schema.object(r.Object)
	if o == nil {
		return fmt.Errorf("unknown object %q", r.Object)
	}
	if o.field(r.Field) == nil {
		return fmt.Errorf("unknown field %s.%s", o.Name, r.Field)
	}
	if r.ErrorField != "" && o.field(r.ErrorField) == nil {
		return fmt.Errorf("unknown error_field %s.%s", o.Name, r.ErrorField)
	}
	if !ruleOperators[r.Operator] {
		return fmt.Errorf("unknown operator %q: use blank, not_blank, equals, not_equals, matches or max_length", r.Operator)
	}
	if r.Operator == "matches" {
		if _, err := regexp.Compile(r.Value); err != nil {
			return fmt.Errorf("invalid regular expression %q: %w", r.Value, err)
		}
	}
	if r.Operator == "max_length" {
		if _, err := strconv.Atoi(r.Value); err != nil {
			return fmt.Errorf("max_length needs a whole number value, not %q", r.Value)
		}
	}
	if r.Message == "" {
		return errors.New("missing message")
	}
	return nil
}

// runValidationRule returns FIELD_CUSTOM_VALIDATION_EXCEPTION when the
// rule's condition holds for values.
func (e *Emulator) runValidationRule(o *objectDef, rule ValidationRule, values map[string]any) *apiError {
	if rule.Active != nil && !*rule.Active {
		return nil
	}
	if e.schema.object(rule.Object) != o {
		return nil
	}
	f := o.field(rule.Field)
	v := values[f.Name]
	text := ""
	if v != nil {
		text = fmt.Sprint(wireValue(f, v))
	}

	fires := false
	switch rule.Operator {
	case "blank":
		fires = v == nil
	case "not_blank":
		fires = v != nil
	case "equals":
		fires = text == rule.Value
	case "not_equals":
		fires = text != rule.Value
	case "matches":
		fires = v != nil && regexp.MustCompile(rule.Value).MatchString(text)
	case "max_length":
		n, _ := strconv.Atoi(rule.Value)
		fires = utf8.RuneCountInString(text) > n
	}
	if !fires {
		return nil
	}
	err := &apiError{Status: http.StatusBadRequest, Code: "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message: rule.Message, Fields: []string{}}
	if rule.ErrorField != "" {
		err.Fields = []string{o.field(rule.ErrorField).Name}
	}
	return err
}
