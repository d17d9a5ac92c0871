package mapping

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// Kind is the canonical type of a [Value].
type Kind uint8

const (
	// KindAbsent marks a value that was not sent at all, as opposed to a
	// value sent empty. It is the zero Kind, so the zero Value is absent.
	KindAbsent Kind = iota
	KindNull
	KindText
	// KindNumber is an exact decimal, stored in canonical form.
	KindNumber
	KindBool
	// KindDate is a calendar date without a time zone.
	KindDate
	// KindDateTime is an instant in UTC with millisecond precision.
	KindDateTime
	// KindMulti is a set of option values, sorted and without duplicates.
	KindMulti
)

var kindNames = [...]string{
	KindAbsent:   "absent",
	KindNull:     "null",
	KindText:     "text",
	KindNumber:   "number",
	KindBool:     "bool",
	KindDate:     "date",
	KindDateTime: "datetime",
	KindMulti:    "multi",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Value is one field value in canonical form. Values are immutable and
// safe to copy. Compare them with [Value.Equal], not ==.
type Value struct {
	kind Kind

	// str is the text, or the canonical decimal string of a number.
	str  string
	b    bool
	date Date
	t    time.Time
	opts []string
}

// Absent returns the value of a field that was not sent.
func Absent() Value { return Value{} }

// Null returns the value of a field that was sent without a value.
func Null() Value { return Value{kind: KindNull} }

// Text returns a text value. The empty string is a text value distinct
// from [Null], although both are blank.
func Text(s string) Value { return Value{kind: KindText, str: s} }

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{kind: KindBool, b: b} }

// DateValue returns a calendar date value.
func DateValue(d Date) Value { return Value{kind: KindDate, date: d} }

// DateTime returns an instant value in UTC. Both HubSpot and Salesforce
// store milliseconds, so t is truncated to the millisecond. The parsers in
// this package reject input finer than that instead of truncating it.
func DateTime(t time.Time) Value {
	return Value{kind: KindDateTime, t: t.UTC().Truncate(time.Millisecond)}
}

// Multi returns a set of option values, sorted and without duplicates.
// Empty option values are dropped, because neither HubSpot nor Salesforce
// can store them.
func Multi(options ...string) Value {
	opts := make([]string, 0, len(options))
	for _, o := range options {
		if o != "" {
			opts = append(opts, o)
		}
	}
	slices.Sort(opts)
	return Value{kind: KindMulti, opts: slices.Compact(opts)}
}

// maxNumberDigits bounds the digits of a number in plain notation, so a
// string such as "1e999999999" cannot make a value of a gigabyte. Both
// systems store far fewer digits: Salesforce numbers have at most 18.
const maxNumberDigits = 400

// Number parses an exact decimal such as "12.50", "-3" or "1.5e3" and
// returns it in canonical form: plain notation, no trailing zeros after
// the decimal point, no negative zero. NaN and infinities are rejected.
func Number(s string) (Value, error) {
	// Checking the length first keeps apd from working on a coefficient
	// of many thousand digits.
	if len(s) > maxNumberDigits+16 {
		return Value{}, fmt.Errorf("parse number %q: more than %d digits", truncateForMessage(s), maxNumberDigits)
	}

	d, _, err := apd.NewFromString(s)
	if err != nil || d.Form != apd.Finite {
		return Value{}, fmt.Errorf("parse number %q: not a finite decimal within the supported range", truncateForMessage(s))
	}
	return numberFromDecimal(d, s)
}

// NumberFromDecimal returns the canonical number value of d.
func NumberFromDecimal(d *apd.Decimal) (Value, error) {
	if d == nil || d.Form != apd.Finite {
		return Value{}, fmt.Errorf("convert decimal %v: not a finite decimal", d)
	}
	return numberFromDecimal(d, d.String())
}

func numberFromDecimal(d *apd.Decimal, original string) (Value, error) {
	var r apd.Decimal
	r.Reduce(d)

	// Plain notation of coefficient c and exponent e has about
	// digits(c)+|e| characters.
	width := r.NumDigits() + int64(abs32(r.Exponent))
	if width > maxNumberDigits {
		return Value{}, fmt.Errorf("parse number %q: more than %d digits", truncateForMessage(original), maxNumberDigits)
	}

	if r.IsZero() {
		return Value{kind: KindNumber, str: "0"}, nil
	}
	return Value{kind: KindNumber, str: r.Text('f')}, nil
}

func abs32(x int32) int64 {
	if x < 0 {
		return -int64(x)
	}
	return int64(x)
}

// Kind returns the canonical type of v.
func (v Value) Kind() Kind { return v.kind }

// Text returns the text of a text value, or "" for any other kind.
func (v Value) Text() string {
	if v.kind != KindText {
		return ""
	}
	return v.str
}

// NumberString returns the canonical decimal string of a number value,
// or "" for any other kind.
func (v Value) NumberString() string {
	if v.kind != KindNumber {
		return ""
	}
	return v.str
}

// Decimal returns a new decimal equal to a number value, or nil for any
// other kind.
func (v Value) Decimal() *apd.Decimal {
	if v.kind != KindNumber {
		return nil
	}
	d, _, err := apd.NewFromString(v.str)
	if err != nil {
		// The string was produced by apd itself.
		panic(fmt.Sprintf("mapping: canonical number %q does not parse: %v", v.str, err))
	}
	return d
}

// Bool returns the boolean of a bool value, or false for any other kind.
func (v Value) Bool() bool { return v.kind == KindBool && v.b }

// Date returns the date of a date value, or the zero Date.
func (v Value) Date() Date {
	if v.kind != KindDate {
		return Date{}
	}
	return v.date
}

// Time returns the instant of a datetime value, or the zero time.
func (v Value) Time() time.Time {
	if v.kind != KindDateTime {
		return time.Time{}
	}
	return v.t
}

// Options returns a copy of the option values of a multi value, sorted.
func (v Value) Options() []string {
	if v.kind != KindMulti {
		return nil
	}
	return slices.Clone(v.opts)
}

// IsBlank reports whether v holds no value: absent, null, empty text or
// an empty option set. A false boolean and the number 0 are values.
func (v Value) IsBlank() bool {
	switch v.kind {
	case KindAbsent, KindNull:
		return true
	case KindText:
		return v.str == ""
	case KindMulti:
		return len(v.opts) == 0
	}
	return false
}

// Equal reports whether v and w are the same canonical value. It is
// strict about kinds: Null, Text("") and Absent differ from each other.
// Numbers compare by value ("1.50" equals "1.5") because both are stored
// in canonical form.
func (v Value) Equal(w Value) bool {
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case KindText, KindNumber:
		return v.str == w.str
	case KindBool:
		return v.b == w.b
	case KindDate:
		return v.date == w.date
	case KindDateTime:
		return v.t.Equal(w.t)
	case KindMulti:
		return slices.Equal(v.opts, w.opts)
	}
	return true
}

// String returns v for logs and messages, for example `"Acme"`, 12.5,
// true, 2025-01-31, 2025-01-09T10:00:00.000Z or [a b].
func (v Value) String() string {
	switch v.kind {
	case KindText:
		return fmt.Sprintf("%q", v.str)
	case KindNumber:
		return v.str
	case KindBool:
		return fmt.Sprint(v.b)
	case KindDate:
		return v.date.String()
	case KindDateTime:
		return v.t.Format(isoMillis)
	case KindMulti:
		return fmt.Sprint(v.opts)
	}
	return v.kind.String()
}

// isoMillis is ISO 8601 in UTC with exactly three fractional digits, the
// form both HubSpot and Salesforce accept.
const isoMillis = "2006-01-02T15:04:05.000Z07:00"

// MarshalText encodes v for storage as a base value. The encoding is a
// kind tag, a colon and the payload, for example "n:12.5" or
// "d:2025-01-31". [Value.UnmarshalText] restores an equal value.
func (v Value) MarshalText() ([]byte, error) {
	switch v.kind {
	case KindAbsent:
		return []byte("absent"), nil
	case KindNull:
		return []byte("null"), nil
	case KindText:
		return []byte("t:" + v.str), nil
	case KindNumber:
		return []byte("n:" + v.str), nil
	case KindBool:
		return fmt.Appendf(nil, "b:%t", v.b), nil
	case KindDate:
		return []byte("d:" + v.date.String()), nil
	case KindDateTime:
		return []byte("dt:" + v.t.Format(isoMillis)), nil
	case KindMulti:
		// JSON keeps option values that contain ";" or any other byte intact.
		opts, err := json.Marshal(v.opts)
		if err != nil {
			return nil, fmt.Errorf("encode options: %w", err)
		}
		return append([]byte("m:"), opts...), nil
	}
	return nil, fmt.Errorf("encode value: unknown kind %d", v.kind)
}

// UnmarshalText decodes the encoding of [Value.MarshalText].
func (v *Value) UnmarshalText(b []byte) error {
	s := string(b)
	switch s {
	case "absent":
		*v = Absent()
		return nil
	case "null":
		*v = Null()
		return nil
	}

	tag, payload, ok := strings.Cut(s, ":")
	if !ok {
		return fmt.Errorf("decode value %q: missing kind tag such as \"t:\" or \"n:\"", truncateForMessage(s))
	}
	switch tag {
	case "t":
		*v = Text(payload)
		return nil
	case "n":
		n, err := Number(payload)
		if err != nil {
			return fmt.Errorf("decode value: %w", err)
		}
		*v = n
		return nil
	case "b":
		switch payload {
		case "true":
			*v = Bool(true)
			return nil
		case "false":
			*v = Bool(false)
			return nil
		}
		return fmt.Errorf("decode value %q: bool must be true or false", truncateForMessage(s))
	case "d":
		d, err := ParseDate(payload)
		if err != nil {
			return fmt.Errorf("decode value: %w", err)
		}
		*v = DateValue(d)
		return nil
	case "dt":
		t, err := time.Parse(isoMillis, payload)
		if err != nil {
			return fmt.Errorf("decode value %q: %w", truncateForMessage(s), err)
		}
		*v = DateTime(t)
		return nil
	case "m":
		var opts []string
		if err := json.Unmarshal([]byte(payload), &opts); err != nil {
			return fmt.Errorf("decode value %q: %w", truncateForMessage(s), err)
		}
		*v = Multi(opts...)
		return nil
	}
	return fmt.Errorf("decode value %q: unknown kind tag %q", truncateForMessage(s), tag)
}

// Encode returns the storage encoding of v as a string.
func (v Value) Encode() string {
	b, err := v.MarshalText()
	if err != nil {
		// Every Kind constant has an encoding, so only a Value built
		// outside this package's constructors can get here.
		panic(err)
	}
	return string(b)
}

// DecodeValue decodes the storage encoding of [Value.Encode].
func DecodeValue(s string) (Value, error) {
	var v Value
	err := v.UnmarshalText([]byte(s))
	return v, err
}

// truncateForMessage shortens s so an error message stays readable.
func truncateForMessage(s string) string {
	const limit = 80
	r := []rune(s)
	if len(r) <= limit {
		return s
	}
	return string(r[:limit]) + "…"
}
