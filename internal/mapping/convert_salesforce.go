package mapping

import (
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"
)

// sfDateTime is the layout of the datetimes koppel writes to Salesforce:
// UTC with milliseconds and a Z, as in 2025-01-09T10:00:00.000Z.
// Salesforce returns the same instant as 2025-01-09T10:00:00.000+0000.
const sfDateTime = "2006-01-02T15:04:05.000Z"

// FromSalesforce converts a value decoded from a Salesforce JSON record,
// ideally with json.Decoder.UseNumber so numbers arrive as json.Number
// and keep every digit. JSON null is [Null]. A field missing from the
// record is not converted at all, because the caller uses [Absent].
func (c Converter) FromSalesforce(f SalesforceField, raw any) (Value, error) {
	if raw == nil {
		return Null(), nil
	}

	switch f.Type {
	case "string", "textarea", "email", "phone", "url", "picklist", "combobox",
		"reference", "id", "encryptedstring":
		s, ok := raw.(string)
		if !ok {
			return Value{}, sfTypeError(f, raw, "text")
		}
		return Text(s), nil

	case "multipicklist":
		s, ok := raw.(string)
		if !ok {
			return Value{}, sfTypeError(f, raw, "text")
		}
		return splitOptions(s), nil

	case "boolean":
		b, ok := raw.(bool)
		if !ok {
			return Value{}, salesforceError(f, CodeInvalidBool, fmt.Sprint(raw), "Salesforce checkbox values must be JSON true or false")
		}
		return Bool(b), nil

	case "int", "double", "currency", "percent":
		return salesforceNumber(f, raw)

	case "date":
		s, ok := raw.(string)
		if !ok {
			return Value{}, salesforceError(f, CodeInvalidDate, fmt.Sprint(raw), "Salesforce dates must be strings as YYYY-MM-DD")
		}
		d, err := ParseDate(s)
		if err != nil {
			return Value{}, salesforceError(f, CodeInvalidDate, s, "Salesforce dates must be existing dates as YYYY-MM-DD")
		}
		return DateValue(d), nil

	case "datetime":
		s, ok := raw.(string)
		if !ok {
			return Value{}, salesforceError(f, CodeInvalidDateTime, fmt.Sprint(raw), "Salesforce datetimes must be strings")
		}
		t, err := ParseSalesforceDateTime(s)
		if err != nil {
			return Value{}, salesforceError(f, CodeInvalidDateTime, s, err.Error())
		}
		return DateTime(t), nil
	}

	return Value{}, salesforceError(f, CodeUnsupportedType, fmt.Sprint(raw),
		fmt.Sprintf("koppel cannot sync Salesforce fields of type %q", f.Type))
}

func sfTypeError(f SalesforceField, raw any, want string) error {
	return salesforceError(f, CodeTypeMismatch, fmt.Sprint(raw),
		fmt.Sprintf("Salesforce %s fields hold %s, got JSON %T", f.Type, want, raw))
}

func salesforceNumber(f SalesforceField, raw any) (Value, error) {
	var s string
	switch n := raw.(type) {
	case json.Number:
		s = n.String()
	case string:
		s = n
	case float64:
		// The shortest decimal that reads back as the same float64. The
		// float itself may already have lost digits, so decode with
		// json.Decoder.UseNumber to avoid that.
		s = strconv.FormatFloat(n, 'g', -1, 64)
	case int:
		s = strconv.Itoa(n)
	case int64:
		s = strconv.FormatInt(n, 10)
	default:
		return Value{}, salesforceError(f, CodeInvalidNumber, fmt.Sprint(raw),
			fmt.Sprintf("Salesforce %s fields hold JSON numbers, got %T", f.Type, raw))
	}

	v, err := Number(s)
	if err != nil {
		return Value{}, salesforceError(f, CodeInvalidNumber, s, "not a finite decimal number")
	}
	return v, nil
}

// ParseSalesforceDateTime parses a datetime as Salesforce REST writes it,
// 2025-01-09T10:00:00.000+0000, or as RFC 3339 with Z or +hh:mm. It
// rejects instants finer than a millisecond, which Salesforce cannot
// store, instead of truncating them.
func ParseSalesforceDateTime(s string) (time.Time, error) {
	t, err := parseISODateTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expected a datetime such as 2025-01-09T10:00:00.000+0000")
	}
	return t, nil
}

// FormatSalesforceDateTime writes t in UTC with milliseconds, as
// Salesforce accepts it.
func FormatSalesforceDateTime(t time.Time) string {
	return t.UTC().Format(sfDateTime)
}

// ToSalesforce converts v to the JSON value Salesforce expects for f:
// string, bool, json.Number, or nil to clear. A blank value clears the
// field, except a checkbox, which Salesforce never stores as null, so it
// becomes false. A blank value for a required field is an error.
func (c Converter) ToSalesforce(f SalesforceField, v Value) (any, error) {
	if v.Kind() == KindAbsent {
		return nil, fmt.Errorf("convert for Salesforce field %s.%s: %w", f.Object, f.Name, ErrAbsent)
	}
	if v.IsBlank() {
		return salesforceBlank(f, v)
	}

	switch f.Type {
	case "string", "textarea", "phone", "url", "combobox", "encryptedstring":
		return salesforceText(f, v)

	case "email":
		s, err := salesforceText(f, v)
		if err != nil {
			return nil, err
		}
		if err := checkEmail(s); err != nil {
			return nil, salesforceError(f, CodeInvalidEmail, s, err.Error())
		}
		return s, nil

	case "picklist":
		s, err := salesforceText(f, v)
		if err != nil {
			return nil, err
		}
		if err := checkPicklist(f, s); err != nil {
			return nil, err
		}
		return s, nil

	case "reference", "id":
		s, err := salesforceText(f, v)
		if err != nil {
			return nil, err
		}
		if !isSalesforceID(s) {
			return nil, salesforceError(f, CodeInvalidText, s, "Salesforce ids have 15 or 18 letters and digits")
		}
		return s, nil

	case "multipicklist":
		return salesforceMulti(f, v)

	case "boolean":
		if v.Kind() != KindBool {
			return nil, salesforceError(f, CodeInvalidBool, v.String(), "Salesforce checkboxes take true or false only")
		}
		return v.Bool(), nil

	case "int":
		return salesforceInt(f, v)

	case "double", "currency", "percent":
		return salesforceDecimal(f, v)

	case "date":
		if v.Kind() != KindDate {
			return nil, salesforceError(f, CodeInvalidDate, v.String(),
				"Salesforce date fields take dates only, because a date and time would lose its time")
		}
		return v.Date().String(), nil

	case "datetime":
		switch v.Kind() {
		case KindDateTime:
			return FormatSalesforceDateTime(v.Time()), nil
		case KindDate:
			// Midnight in the connection's time zone is the instant whose
			// date in that zone is the same calendar date, so the value
			// reads back as the date it came from.
			return FormatSalesforceDateTime(v.Date().In(c.location())), nil
		}
		return nil, salesforceError(f, CodeInvalidDateTime, v.String(), "Salesforce datetime fields take dates and datetimes only")
	}

	return nil, salesforceError(f, CodeUnsupportedType, v.String(),
		fmt.Sprintf("koppel cannot write Salesforce fields of type %q", f.Type))
}

func salesforceBlank(f SalesforceField, v Value) (any, error) {
	if f.Type == "boolean" {
		return false, nil
	}
	if !f.Nillable {
		return nil, salesforceError(f, CodeRequired, v.String(),
			"Salesforce requires a value in this field, so fill the HubSpot property or choose a rule that does not write Salesforce")
	}
	return nil, nil
}

func salesforceText(f SalesforceField, v Value) (string, error) {
	var s string
	switch v.Kind() {
	case KindText:
		s = v.Text()
	case KindNumber:
		s = v.NumberString()
	default:
		return "", salesforceError(f, CodeTypeMismatch, v.String(),
			fmt.Sprintf("a %s value does not fit Salesforce type %q", v.Kind(), f.Type))
	}
	return s, checkLength(f, s)
}

func checkLength(f SalesforceField, s string) error {
	if f.Length <= 0 {
		return nil
	}
	if n := utf8.RuneCountInString(s); n > f.Length {
		return salesforceError(f, CodeTooLong, s,
			fmt.Sprintf("%d characters is more than the field's maximum of %d, so shorten the value or lengthen the field in Salesforce", n, f.Length))
	}
	return nil
}

// checkEmail accepts a bare address such as ada@example.com, using
// net/mail's RFC 5322 parser. It rejects display names and comments,
// quoted local parts and bracketed domains, which RFC 5322 allows but
// Salesforce email fields do not.
func checkEmail(s string) error {
	const want = "Salesforce expects a bare address such as ada@example.com"
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return fmt.Errorf("not a valid email address, and %s", want)
	}

	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if strings.HasPrefix(local, `"`) || strings.HasPrefix(domain, "[") {
		return fmt.Errorf("quoted names and bracketed domains are not accepted, and %s", want)
	}
	if !strings.Contains(domain, ".") {
		return fmt.Errorf("the domain has no dot, and %s", want)
	}
	return nil
}

// checkPicklist accepts any value when the active values are unknown,
// as in a default mapping before the describe is applied.
func checkPicklist(f SalesforceField, option string) error {
	if !f.RestrictedPicklist || len(f.Picklist) == 0 || containsOption(f.Picklist, option) {
		return nil
	}
	return salesforceError(f, CodePicklistNotAllowed, option,
		"not an active value of this restricted picklist, so add the value in Salesforce or correct the HubSpot value")
}

func salesforceMulti(f SalesforceField, v Value) (any, error) {
	var opts []string
	switch v.Kind() {
	case KindMulti:
		opts = v.Options()
	case KindText:
		opts = splitOptions(v.Text()).Options()
	default:
		return nil, salesforceError(f, CodeTypeMismatch, v.String(), "Salesforce multi-select picklists take option values only")
	}

	for _, o := range opts {
		if err := checkPicklist(f, o); err != nil {
			return nil, err
		}
	}
	s := joinOptions(opts)
	return s, checkLength(f, s)
}

func isSalesforceID(s string) bool {
	if len(s) != 15 && len(s) != 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func salesforceDecimalOf(f SalesforceField, v Value) (*apd.Decimal, error) {
	n, ok := asNumber(v)
	if !ok {
		return nil, salesforceError(f, CodeInvalidNumber, v.String(),
			fmt.Sprintf("Salesforce %s fields take numbers only", f.Type))
	}
	return n.Decimal(), nil
}

// digitsOf returns the digits before and after the decimal point of a
// reduced decimal, so 120 gives (3, 0) and 0.05 gives (0, 2).
func digitsOf(d *apd.Decimal) (integer, fraction int64) {
	var r apd.Decimal
	r.Reduce(d)
	if r.IsZero() {
		return 0, 0
	}
	exp := int64(r.Exponent)
	if exp < 0 {
		fraction = -exp
	}
	integer = r.NumDigits() + exp
	if integer < 0 {
		integer = 0
	}
	return integer, fraction
}

func salesforceInt(f SalesforceField, v Value) (any, error) {
	d, err := salesforceDecimalOf(f, v)
	if err != nil {
		return nil, err
	}

	integer, fraction := digitsOf(d)
	if fraction > 0 {
		return nil, salesforceError(f, CodeFractionalIntoInt, d.Text('f'),
			"Salesforce whole-number fields cannot hold a fraction and koppel does not round, so correct the value or map a decimal field")
	}
	if f.Digits > 0 && integer > int64(f.Digits) {
		return nil, salesforceError(f, CodeNumberOutOfRange, d.Text('f'),
			fmt.Sprintf("the field holds at most %d digits", f.Digits))
	}

	// Salesforce int fields are 32-bit (SOAP type xsd:int).
	i, err := d.Int64()
	if err != nil || i > math.MaxInt32 || i < math.MinInt32 {
		return nil, salesforceError(f, CodeNumberOutOfRange, d.Text('f'),
			"Salesforce whole-number fields hold values from -2147483648 to 2147483647")
	}
	return json.Number(strconv.FormatInt(i, 10)), nil
}

func salesforceDecimal(f SalesforceField, v Value) (any, error) {
	d, err := salesforceDecimalOf(f, v)
	if err != nil {
		return nil, err
	}
	text := v.NumberString()
	if text == "" {
		text = d.Text('f')
	}

	integer, fraction := digitsOf(d)
	if f.Precision > 0 {
		if fraction > int64(f.Scale) {
			return nil, salesforceError(f, CodeTooManyDecimals, text,
				fmt.Sprintf("the field keeps %d decimal places and koppel does not round, so correct the value or raise the field's decimal places", f.Scale))
		}
		if integer > int64(f.Precision-f.Scale) {
			return nil, salesforceError(f, CodeNumberOutOfRange, text,
				fmt.Sprintf("the field holds at most %d digits before the decimal point", f.Precision-f.Scale))
		}
	}
	return json.Number(text), nil
}
