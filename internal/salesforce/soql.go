package salesforce

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a Salesforce date literal (a calendar day, no zone).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Quote formats v as a SOQL literal. It is the one place where values
// enter SOQL text, so call sites never concatenate user data:
//
//   - string: single-quoted, with backslash, quote, and control
//     characters escaped
//   - time.Time: an unquoted UTC datetime (2025-01-09T10:00:00Z)
//   - Date: an unquoted date (2025-01-31)
//   - bool, integers, floats, json.Number: as written
//   - nil: null
//   - []string: a parenthesized list for IN, each element quoted
//
// It panics on any other type, because that is a programming error.
func Quote(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "'" + escapeString(x, false) + "'"
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	case Date:
		return fmt.Sprintf("%04d-%02d-%02d", x.Year, int(x.Month), x.Day)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		if _, err := x.Float64(); err != nil {
			panic(fmt.Sprintf("salesforce.Quote: %q is not a number", string(x)))
		}
		return string(x)
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = Quote(s)
		}
		return "(" + strings.Join(parts, ",") + ")"
	default:
		panic(fmt.Sprintf("salesforce.Quote: unsupported type %T", v))
	}
}

// QuoteLike formats s as a quoted LIKE pattern that matches s literally:
// besides what Quote escapes, it escapes the wildcards % and _. Add your
// own unescaped wildcards around it with QuoteLikeAffix.
func QuoteLike(s string) string {
	return "'" + escapeString(s, true) + "'"
}

// QuoteLikeAffix formats a LIKE pattern of prefix wildcard, the literal s,
// and suffix wildcard, such as QuoteLikeAffix("", "ada", "%") for
// 'ada%'. prefix and suffix may only hold % and _.
func QuoteLikeAffix(prefix, s, suffix string) string {
	if strings.Trim(prefix+suffix, "%_") != "" {
		panic("salesforce.QuoteLikeAffix: prefix and suffix may hold only % and _")
	}
	return "'" + prefix + escapeString(s, true) + suffix + "'"
}

func escapeString(s string, like bool) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '%', '_':
			if like {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
