package hubspot

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var decimalPattern = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// validate checks every value against its property definition and returns
// the values in HubSpot's stored form: dates as YYYY-MM-DD, datetimes as
// ISO-8601 UTC with milliseconds, bools lower-case, multi-checkbox values
// joined by ';'. An empty string clears a property.
func (e *Emulator) validate(s *objectStore, props map[string]string, src source) (map[string]string, *apiError) {
	out := make(map[string]string, len(props))
	var errs []propertyError
	for name, raw := range props {
		p, ok := s.props[name]
		if !ok || p.Archived {
			errs = append(errs, propertyError{name, "PROPERTY_DOESNT_EXIST", fmt.Sprintf("Property \"%s\" does not exist", name)})
			continue
		}
		if p.ModificationMetadata != nil && p.ModificationMetadata.ReadOnlyValue && !src.trusted {
			errs = append(errs, propertyError{name, "READ_ONLY_VALUE", fmt.Sprintf("\"%s\" is a read only property; its value cannot be set.", name)})
			continue
		}
		v, pe := e.normalizeValue(p, raw)
		if pe != nil {
			errs = append(errs, *pe)
			continue
		}
		out[name] = v
	}
	if len(errs) > 0 {
		sortPropertyErrors(errs)
		return nil, propertyErrors(errs)
	}
	if s.name == "contacts" {
		if v, ok := out["email"]; ok && v != "" && !validEmail(v) {
			return nil, propertyErrors([]propertyError{{"email", "INVALID_EMAIL", fmt.Sprintf("Email address %s is invalid", v)}})
		}
	}
	return out, nil
}

func sortPropertyErrors(errs []propertyError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].name < errs[j-1].name; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

func validEmail(v string) bool {
	a, err := mail.ParseAddress(v)
	return err == nil && a.Address == strings.TrimSpace(v) && strings.Contains(v, "@")
}

func (e *Emulator) normalizeValue(p *Property, raw string) (string, *propertyError) {
	if raw == "" {
		return "", nil
	}
	switch p.Type {
	case "number":
		v := strings.TrimSpace(raw)
		if !decimalPattern.MatchString(v) {
			code := "INVALID_DECIMAL"
			if p.integerOnly {
				code = "INVALID_INTEGER"
			}
			return "", &propertyError{p.Name, code, fmt.Sprintf("%s was not a valid number.", raw)}
		}
		if p.integerOnly {
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return "", &propertyError{p.Name, "INVALID_INTEGER", fmt.Sprintf("%s was not a valid long.", raw)}
			}
		}
		return v, nil

	case "bool":
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "true":
			return "true", nil
		case "false":
			return "false", nil
		}
		return "", &propertyError{p.Name, "INVALID_OPTION", fmt.Sprintf("%s was not one of the allowed options: [label: \"Yes\" value: \"true\", label: \"No\" value: \"false\"]", raw)}

	case "enumeration":
		return e.normalizeEnum(p, raw)

	case "date":
		t, err := parseWireTime(raw)
		if err != nil {
			return "", &propertyError{p.Name, "INVALID_DATE", fmt.Sprintf("%s is not a valid date; use YYYY-MM-DD or epoch milliseconds at midnight UTC", raw)}
		}
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			return "", &propertyError{p.Name, "INVALID_DATE", fmt.Sprintf("%s is at %s UTC, not midnight!", raw, t.Format("15:04:05.000"))}
		}
		return t.Format("2006-01-02"), nil

	case "datetime":
		t, err := parseWireTime(raw)
		if err != nil {
			return "", &propertyError{p.Name, "INVALID_DATETIME", fmt.Sprintf("%s is not a valid datetime; use ISO-8601 or epoch milliseconds", raw)}
		}
		return formatTime(t), nil
	}
	return raw, nil
}

func (e *Emulator) normalizeEnum(p *Property, raw string) (string, *propertyError) {
	if p.Name == "hubspot_owner_id" {
		v := strings.TrimSpace(raw)
		for _, o := range e.owners {
			if o.ID == v && !o.Archived {
				return v, nil
			}
		}
		return "", &propertyError{p.Name, "INVALID_OWNER_ID", fmt.Sprintf("%s is not a valid owner id", raw)}
	}
	if len(p.Options) == 0 {
		return raw, nil
	}
	allowed := func(v string) bool {
		for _, o := range p.Options {
			if o.Value == v {
				return true
			}
		}
		return false
	}
	parts := []string{raw}
	if p.FieldType == "checkbox" {
		parts = splitMulti(raw)
	}
	for _, v := range parts {
		if !allowed(v) {
			return "", &propertyError{p.Name, "INVALID_OPTION", fmt.Sprintf("%s was not one of the allowed options: [%s]", v, optionList(p))}
		}
	}
	return joinMulti(parts), nil
}

func optionList(p *Property) string {
	var b strings.Builder
	for i, o := range p.Options {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "label: %q value: %q", o.Label, o.Value)
	}
	return b.String()
}

// parseWireTime reads the time formats HubSpot accepts on write: epoch
// milliseconds, YYYY-MM-DD and ISO-8601 with or without fractional seconds.
func parseWireTime(raw string) (time.Time, error) {
	v := strings.TrimSpace(raw)
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q", raw)
}

// timeMillis converts a stored date or datetime value to epoch ms.
func timeMillis(v string) (int64, bool) {
	if ms, ok := storedMillis(v); ok {
		return ms, true
	}
	t, err := parseWireTime(v)
	if err != nil {
		return 0, false
	}
	return t.UnixMilli(), true
}

// storedMillis parses the stored datetime form 2006-01-02T15:04:05.000Z
// without time.Parse, because search filters and sorts read it for every
// record on every page.
func storedMillis(v string) (int64, bool) {
	if len(v) != 24 || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' || v[19] != '.' || v[23] != 'Z' {
		return 0, false
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := v[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	var parts [7]int
	bounds := [7][2]int{{0, 4}, {5, 7}, {8, 10}, {11, 13}, {14, 16}, {17, 19}, {20, 23}}
	for i, b := range bounds {
		n, ok := num(b[0], b[1])
		if !ok {
			return 0, false
		}
		parts[i] = n
	}
	t := time.Date(parts[0], time.Month(parts[1]), parts[2], parts[3], parts[4], parts[5], parts[6]*int(time.Millisecond), time.UTC)
	return t.UnixMilli(), true
}
