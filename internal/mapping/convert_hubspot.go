package mapping

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxHubSpotTextLength is the most characters HubSpot stores in one
// property value, per HubSpot's properties documentation.
const maxHubSpotTextLength = 65536

// FromHubSpot converts the string HubSpot sends for property p. A property
// missing from the response (present false) is [Absent]. HubSpot cannot
// hold an empty string apart from no value, so "" is [Null].
//
// Date properties accept YYYY-MM-DD or epoch milliseconds at midnight
// UTC. Datetime properties accept epoch milliseconds or ISO 8601.
// Options are not checked on read: HubSpot validated them when they were
// written, and a hidden option may still be held by old records.
func (c Converter) FromHubSpot(p HubSpotProperty, raw string, present bool) (Value, error) {
	if !present {
		return Absent(), nil
	}
	if raw == "" {
		return Null(), nil
	}

	switch p.Type {
	case "number":
		v, err := Number(raw)
		if err != nil {
			return Value{}, hubspotError(p, CodeInvalidNumber, raw,
				"HubSpot number values must be decimal strings such as 12.5")
		}
		return v, nil

	case "bool":
		return parseHubSpotBool(p, raw)

	case "date":
		d, err := parseHubSpotDate(raw)
		if err != nil {
			return Value{}, hubspotError(p, CodeInvalidDate, raw, err.Error())
		}
		return DateValue(d), nil

	case "datetime":
		t, err := parseHubSpotDateTime(raw)
		if err != nil {
			return Value{}, hubspotError(p, CodeInvalidDateTime, raw, err.Error())
		}
		return DateTime(t), nil

	case "enumeration":
		switch p.FieldType {
		case "checkbox":
			return splitOptions(raw), nil
		case "booleancheckbox":
			return parseHubSpotBool(p, raw)
		}
		return Text(raw), nil
	}

	// string, phone_number and types HubSpot may add later carry text.
	return Text(raw), nil
}

func parseHubSpotBool(p HubSpotProperty, raw string) (Value, error) {
	switch raw {
	case "true":
		return Bool(true), nil
	case "false":
		return Bool(false), nil
	}
	return Value{}, hubspotError(p, CodeInvalidBool, raw, `HubSpot checkbox values must be "true" or "false"`)
}

// parseHubSpotDate parses a HubSpot date value: YYYY-MM-DD, epoch
// milliseconds, or an ISO 8601 datetime, the last two only at midnight
// UTC, because any other instant would name a different day in some
// time zone.
func parseHubSpotDate(raw string) (Date, error) {
	if isEpochMillis(raw) {
		t, err := parseEpochMillis(raw)
		if err != nil {
			return Date{}, err
		}
		if !isMidnightUTC(t) {
			return Date{}, fmt.Errorf("epoch milliseconds %s are %s, not midnight UTC as HubSpot date values are",
				raw, t.Format(isoMillis))
		}
		return DateOf(t), nil
	}

	if len(raw) == len(time.DateOnly) {
		d, err := ParseDate(raw)
		if err != nil {
			return Date{}, fmt.Errorf("expected YYYY-MM-DD or epoch milliseconds at midnight UTC")
		}
		return d, nil
	}

	t, err := parseISODateTime(raw)
	if err != nil {
		return Date{}, fmt.Errorf("expected YYYY-MM-DD or epoch milliseconds at midnight UTC")
	}
	if !isMidnightUTC(t) {
		return Date{}, fmt.Errorf("%s is not midnight UTC as HubSpot date values are", raw)
	}
	return DateOf(t), nil
}

// parseHubSpotDateTime parses epoch milliseconds or ISO 8601.
func parseHubSpotDateTime(raw string) (time.Time, error) {
	if isEpochMillis(raw) {
		return parseEpochMillis(raw)
	}
	t, err := parseISODateTime(raw)
	if err != nil {
		return time.Time{}, fmt.Errorf("expected epoch milliseconds or ISO 8601 such as 2025-01-09T10:00:00.000Z")
	}
	return t, nil
}

func isEpochMillis(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	return true
}

// maxEpochMillis is the end of year 9999 UTC, the last instant ISO 8601
// with four year digits can write.
const maxEpochMillis = 253402300799999

func parseEpochMillis(s string) (time.Time, error) {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil || ms > maxEpochMillis || ms < minEpochMillis {
		return time.Time{}, fmt.Errorf("epoch milliseconds %s are outside the years 1 to 9999", truncateForMessage(s))
	}
	return time.UnixMilli(ms).UTC(), nil
}

// minEpochMillis is 0001-01-01T00:00:00Z.
const minEpochMillis = -62135596800000

func isMidnightUTC(t time.Time) bool {
	t = t.UTC()
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// parseISODateTime parses ISO 8601 with a zone (Z, +hh:mm or +hhmm) and
// up to nine fractional digits, and rejects instants finer than a
// millisecond instead of truncating them. Go's parser accepts a
// fractional second after the seconds even when the layout has none.
func parseISODateTime(s string) (time.Time, error) {
	var t time.Time
	var err error
	for _, layout := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700"} {
		t, err = time.Parse(layout, s)
		if err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, err
	}
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		return time.Time{}, fmt.Errorf("%s is more precise than milliseconds", s)
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, fmt.Errorf("%s is outside the years 1 to 9999", s)
	}
	return t.UTC(), nil
}

// ToHubSpot converts v to the string HubSpot expects for p. [Null] and
// other blank values become "", which clears the property. Date values
// are written as epoch milliseconds at midnight UTC, and datetimes as ISO 8601
// in UTC. Dropdown, radio and checkbox values must be options of p when
// p lists options.
func (c Converter) ToHubSpot(p HubSpotProperty, v Value) (string, error) {
	if v.Kind() == KindAbsent {
		return "", fmt.Errorf("convert for HubSpot property %s: %w", p.Name, ErrAbsent)
	}
	if v.IsBlank() {
		return "", nil
	}

	switch p.Type {
	case "number":
		n, ok := asNumber(v)
		if !ok {
			return "", hubspotError(p, CodeInvalidNumber, v.String(), "HubSpot number properties take decimal numbers only")
		}
		return n.str, nil

	case "bool":
		return hubspotBool(p, v)

	case "date":
		var d Date
		switch v.Kind() {
		case KindDate:
			d = v.Date()
		case KindDateTime:
			// A HubSpot date is a calendar date, so an instant becomes
			// the date it has in the connection's time zone.
			d = DateOf(v.Time().In(c.location()))
		default:
			return "", hubspotError(p, CodeInvalidDate, v.String(), "HubSpot date properties take dates only")
		}
		return strconv.FormatInt(d.In(time.UTC).UnixMilli(), 10), nil

	case "datetime":
		if v.Kind() != KindDateTime {
			return "", hubspotError(p, CodeInvalidDateTime, v.String(),
				"HubSpot datetime properties take date and time values only, so map a date to a HubSpot date property")
		}
		return v.Time().Format(isoMillis), nil

	case "enumeration":
		return hubspotOptions(p, v)
	}

	return hubspotText(p, v)
}

func hubspotBool(p HubSpotProperty, v Value) (string, error) {
	if v.Kind() != KindBool {
		return "", hubspotError(p, CodeInvalidBool, v.String(), "HubSpot checkbox properties take true or false only")
	}
	return strconv.FormatBool(v.Bool()), nil
}

func hubspotOptions(p HubSpotProperty, v Value) (string, error) {
	if p.FieldType == "booleancheckbox" {
		return hubspotBool(p, v)
	}

	var opts []string
	switch v.Kind() {
	case KindMulti:
		opts = v.Options()
	case KindText:
		opts = []string{v.Text()}
	default:
		return "", hubspotError(p, CodeInvalidOption, v.String(), "HubSpot dropdown and checkbox properties take option values only")
	}

	if p.FieldType != "checkbox" && len(opts) > 1 {
		return "", hubspotError(p, CodeInvalidOption, v.String(),
			"a single-select HubSpot property takes one option, so map a multiple checkboxes property instead")
	}
	if len(p.Options) > 0 {
		for _, o := range opts {
			if !containsOption(p.Options, o) {
				return "", hubspotError(p, CodeInvalidOption, o,
					"not an option of the HubSpot property, so add it as an option in HubSpot or correct the Salesforce value")
			}
		}
	}
	return joinOptions(opts), nil
}

func hubspotText(p HubSpotProperty, v Value) (string, error) {
	var s string
	switch v.Kind() {
	case KindText:
		s = v.Text()
	case KindNumber:
		s = v.NumberString()
	default:
		return "", hubspotError(p, CodeTypeMismatch, v.String(),
			fmt.Sprintf("a %s value does not fit HubSpot property type %q", v.Kind(), p.Type))
	}

	if n := utf8.RuneCountInString(s); n > maxHubSpotTextLength {
		return "", hubspotError(p, CodeTooLong, s,
			fmt.Sprintf("%d characters is more than the %d HubSpot stores in a property", n, maxHubSpotTextLength))
	}
	return s, nil
}

// asNumber returns v as a number, parsing text that holds one. Some
// default HubSpot properties, such as the contact's annualrevenue, are
// text while the Salesforce field is a number.
func asNumber(v Value) (Value, bool) {
	switch v.Kind() {
	case KindNumber:
		return v, true
	case KindText:
		n, err := Number(v.Text())
		if err != nil {
			return Value{}, false
		}
		return n, true
	}
	return Value{}, false
}
