package salesforce

import (
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Stored values are nil, string (text, ids, picklists and dates as
// YYYY-MM-DD), bool, float64 (all numbers) and time.Time (datetimes, UTC,
// millisecond precision).

const wireDateTime = "2006-01-02T15:04:05.000-0700"

// emailPattern is close to what Salesforce accepts: a local part, @, and
// a domain with at least one dot.
var emailPattern = regexp.MustCompile(`^[A-Za-z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`)

// parseDateTime reads the datetime forms Salesforce accepts in JSON.
func parseDateTime(s string) (time.Time, bool) {
	for _, layout := range []string{wireDateTime, "2006-01-02T15:04:05.000Z07:00", time.RFC3339Nano, "2006-01-02T15:04:05-0700", "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Truncate(time.Millisecond), true
		}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

func parseDate(s string) (string, bool) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.Format("2006-01-02"), true
	}
	if t, ok := parseDateTime(s); ok {
		return t.Format("2006-01-02"), true
	}
	return "", false
}

// coerce converts a JSON input value to the stored form of field f, or
// returns the error Salesforce gives for it.
func (e *Emulator) coerce(o *objectDef, f *fieldDef, v any) (any, *apiError) {
	if v == nil {
		if f.Type == "boolean" {
			return false, nil
		}
		return nil, nil
	}
	badType := func() *apiError {
		return fieldError("INVALID_TYPE_ON_FIELD_IN_RECORD", f.Name, "%s: value not of required type: %v", f.Label, v)
	}

	switch {
	case f.isIDLike():
		s, ok := v.(string)
		if !ok {
			return nil, badType()
		}
		if s == "" {
			return nil, nil
		}
		id, ok := normalizeID(s)
		if !ok {
			return nil, fieldError("MALFORMED_ID", f.Name, "%s: id value of incorrect type: %s", f.Label, s)
		}
		return e.checkReference(f, id)

	case f.isText():
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case json.Number:
			s = x.String()
		case float64:
			s = strconv.FormatFloat(x, 'f', -1, 64)
		case int:
			s = strconv.Itoa(x)
		case bool:
			s = strconv.FormatBool(x)
		default:
			return nil, badType()
		}
		if s == "" {
			return nil, nil
		}
		if f.Length > 0 && utf8.RuneCountInString(s) > f.Length {
			return nil, fieldError("STRING_TOO_LONG", f.Name, "%s: data value too large: %s (max length=%d)", f.Label, truncateForMessage(s), f.Length)
		}
		if f.Type == "email" && !emailPattern.MatchString(s) {
			return nil, fieldError("INVALID_EMAIL_ADDRESS", f.Name, "%s: invalid email address: %s", f.Label, s)
		}
		if f.Type == "multipicklist" {
			return f.multipicklistValue(s)
		}
		if f.Type == "picklist" && len(f.Picklist) > 0 {
			if canonical, ok := f.picklistValue(s); ok {
				s = canonical
			} else if f.RestrictedPicklist {
				return nil, fieldError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", f.Name, "%s: bad value for restricted picklist field: %s", f.Label, s)
			}
		}
		return s, nil

	case f.Type == "boolean":
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return b, nil
			}
		}
		return nil, badType()

	case f.isNumber():
		var n float64
		switch x := v.(type) {
		case json.Number:
			p, err := strconv.ParseFloat(x.String(), 64)
			if err != nil {
				return nil, badType()
			}
			n = p
		case float64:
			n = x
		case float32:
			n = float64(x)
		case int:
			n = float64(x)
		case int64:
			n = float64(x)
		case int32:
			n = float64(x)
		case string:
			p, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			if err != nil {
				return nil, badType()
			}
			n = p
		default:
			return nil, badType()
		}
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, badType()
		}
		digits := f.Precision - f.Scale
		if f.Type == "int" {
			if n != math.Trunc(n) {
				return nil, badType()
			}
			digits = f.Digits
		}
		if digits > 0 && math.Abs(n) >= math.Pow(10, float64(digits)) {
			return nil, fieldError("NUMBER_OUTSIDE_VALID_RANGE", f.Name, "%s: value outside of valid range on numeric field: %v", f.Label, v)
		}
		if f.Scale > 0 || f.Type == "currency" || f.Type == "percent" {
			p := math.Pow(10, float64(f.Scale))
			n = math.Round(n*p) / p
		}
		return n, nil

	case f.Type == "date":
		s, ok := v.(string)
		if !ok {
			return nil, badType()
		}
		if s == "" {
			return nil, nil
		}
		d, ok := parseDate(s)
		if !ok {
			return nil, fieldError("INVALID_TYPE_ON_FIELD_IN_RECORD", f.Name, "%s: value not of required type: %s", f.Label, s)
		}
		return d, nil

	case f.Type == "datetime":
		s, ok := v.(string)
		if !ok {
			return nil, badType()
		}
		if s == "" {
			return nil, nil
		}
		t, ok := parseDateTime(s)
		if !ok {
			return nil, fieldError("INVALID_TYPE_ON_FIELD_IN_RECORD", f.Name, "%s: value not of required type: %s", f.Label, s)
		}
		return t, nil
	}
	return nil, fieldError("INVALID_FIELD_FOR_INSERT_UPDATE", f.Name, "Unable to create/update fields: %s.", f.Name)
}

func truncateForMessage(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "..."
}

// checkReference verifies that id points to a live record of one of the
// field's target objects. Targets the emulator does not hold (Group,
// Profile, Individual) accept any well-formed id.
func (e *Emulator) checkReference(f *fieldDef, id string) (any, *apiError) {
	if f.Type == "id" {
		return id, nil
	}
	emulated := false
	for _, target := range f.ReferenceTo {
		o := e.schema.object(target)
		if o == nil {
			continue
		}
		emulated = true
		if id[:3] == o.KeyPrefix {
			r := e.records[id]
			if r == nil || r.deleted {
				return nil, fieldError("INVALID_CROSS_REFERENCE_KEY", f.Name, "invalid cross reference id: %s %s not found among the live %s records", f.Name, id, o.Name)
			}
			return id, nil
		}
	}
	if emulated && len(f.ReferenceTo) == 1 {
		return nil, fieldError("FIELD_INTEGRITY_EXCEPTION", f.Name, "%s: id value of incorrect type: %s", f.Label, id)
	}
	return id, nil
}

// wireValue converts a stored value of f to its JSON form.
func wireValue(f *fieldDef, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		return x.UTC().Format(wireDateTime)
	case float64:
		if f != nil && f.Type == "int" {
			return json.Number(strconv.FormatInt(int64(x), 10))
		}
		return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return v
}

// decodeBody decodes a JSON request body into a map, keeping numbers
// exact, and returns Salesforce's JSON_PARSER_ERROR for malformed input.
func decodeBody(r *http.Request, out any) *apiError {
	body := http.MaxBytesReader(nil, r.Body, 32<<20)
	data, err := readAll(body)
	if err != nil {
		return newError(http.StatusRequestEntityTooLarge, "JSON_PARSER_ERROR", "request body too large or unreadable: %v", err)
	}
	aerr := decodeJSONBytes(data, out)
	if aerr != nil {
		aerr.Message += mediaTypeHint(r)
	}
	return aerr
}

// mediaTypeHint explains a body that failed to parse when the request did
// not say it was JSON, such as a curl -d form body or a text/plain fetch.
func mediaTypeHint(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err == nil && (mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")) {
		return ""
	}
	return fmt.Sprintf(" (the request has Content-Type %s; send a JSON body with Content-Type: application/json)", ct)
}

func decodeJSONBytes(data []byte, out any) *apiError {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return jsonParserError(data, err)
	}
	if dec.More() {
		return newError(http.StatusBadRequest, "JSON_PARSER_ERROR", "Unexpected content after the JSON value")
	}
	return nil
}

func jsonParserError(data []byte, err error) *apiError {
	offset := int64(len(data))
	switch x := err.(type) {
	case *json.SyntaxError:
		offset = x.Offset
	case *json.UnmarshalTypeError:
		offset = x.Offset
		return newError(http.StatusBadRequest, "JSON_PARSER_ERROR",
			"Cannot deserialize instance of %s from %s value at [line:%d, column:%d]", goTypeName(x.Type.String()), x.Value, lineOf(data, offset), columnOf(data, offset))
	}
	if len(data) == 0 {
		return newError(http.StatusBadRequest, "JSON_PARSER_ERROR", "The HTTP entity body is required, but this request has no entity body.")
	}
	return newError(http.StatusBadRequest, "JSON_PARSER_ERROR", "%s at [line:%d, column:%d]", strings.TrimPrefix(err.Error(), "json: "), lineOf(data, offset), columnOf(data, offset))
}

func goTypeName(t string) string {
	switch {
	case strings.HasPrefix(t, "map["):
		return "object"
	case strings.HasPrefix(t, "[]"):
		return "array"
	}
	return t
}

func lineOf(data []byte, offset int64) int {
	return strings.Count(string(data[:min(int(offset), len(data))]), "\n") + 1
}

func columnOf(data []byte, offset int64) int {
	s := string(data[:min(int(offset), len(data))])
	return len(s) - strings.LastIndexByte(s, '\n')
}
