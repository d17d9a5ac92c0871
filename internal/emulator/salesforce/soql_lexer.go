package salesforce

import (
	"fmt"
	"strings"
)

// tokenKind classifies a SOQL token.
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokString
	tokNumber
	tokDate     // 2025-01-31
	tokDateTime // 2025-01-31T10:00:00Z
	tokPunct    // ( ) , . : and operators
)

type token struct {
	kind tokenKind
	text string // identifier, operator, or the literal's source text
	val  string // unescaped string value
	pos  int    // byte offset in the query
}

func (t token) describe() string {
	if t.kind == tokEOF {
		return "<EOF>"
	}
	return t.text
}

// soqlError is a query error that points at a position of the query.
type soqlError struct {
	code string // MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE
	pos  int
	msg  string
}

func (e *soqlError) Error() string { return e.code + ": " + e.msg }

// message renders the error as Salesforce does: the query line, a caret
// under the position, the row and column, and the reason.
func (e *soqlError) message(query string) string {
	row, col := 1, 1
	lineStart := 0
	for i := 0; i < e.pos && i < len(query); i++ {
		if query[i] == '\n' {
			row++
			col = 1
			lineStart = i + 1
		} else {
			col++
		}
	}
	line := query[lineStart:]
	if nl := strings.IndexByte(line, '\n'); nl >= 0 {
		line = line[:nl]
	}
	return fmt.Sprintf("\n%s\n%s^\nERROR at Row:%d:Column:%d\n%s", line, strings.Repeat(" ", col-1), row, col, e.msg)
}

func malformed(pos int, format string, args ...any) *soqlError {
	return &soqlError{code: "MALFORMED_QUERY", pos: pos, msg: fmt.Sprintf(format, args...)}
}

// lex splits a query into tokens.
func lex(q string) ([]token, *soqlError) {
	var toks []token
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isIdentStart(c):
			start := i
			for i < len(q) && isIdentPart(q[i]) {
				i++
			}
			toks = append(toks, token{kind: tokIdent, text: q[start:i], pos: start})
		case c >= '0' && c <= '9':
			t, next, err := lexNumberOrDate(q, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		case c == '\'':
			t, next, err := lexString(q, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		case c == '!' || c == '<' || c == '>':
			if i+1 < len(q) && (q[i+1] == '=' || (c == '<' && q[i+1] == '>')) {
				toks = append(toks, token{kind: tokPunct, text: q[i : i+2], pos: i})
				i += 2
				continue
			}
			if c == '!' {
				return nil, malformed(i, "unexpected token: '!'")
			}
			toks = append(toks, token{kind: tokPunct, text: string(c), pos: i})
			i++
		case strings.IndexByte("(),.=:-+", c) >= 0:
			toks = append(toks, token{kind: tokPunct, text: string(c), pos: i})
			i++
		default:
			return nil, malformed(i, "unexpected token: '%c'", rune(c))
		}
	}
	toks = append(toks, token{kind: tokEOF, pos: len(q)})
	return toks, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentPart(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

func lexNumberOrDate(q string, i int) (token, int, *soqlError) {
	start := i
	for i < len(q) && q[i] >= '0' && q[i] <= '9' {
		i++
	}
	if i-start == 4 && i < len(q) && q[i] == '-' {
		// A date or datetime literal: take everything up to a delimiter.
		for i < len(q) && strings.IndexByte(" \t\r\n(),", q[i]) < 0 {
			i++
		}
		text := q[start:i]
		if _, ok := parseDateLiteral(text); ok {
			return token{kind: tokDate, text: text, pos: start}, i, nil
		}
		if _, ok := parseDateTimeLiteral(text); ok {
			return token{kind: tokDateTime, text: text, pos: start}, i, nil
		}
		return token{}, 0, malformed(start, "line 1:%d no viable alternative at character '%s'", start, text)
	}
	if i < len(q) && q[i] == '.' {
		i++
		for i < len(q) && q[i] >= '0' && q[i] <= '9' {
			i++
		}
	}
	if i < len(q) && isIdentStart(q[i]) {
		return token{}, 0, malformed(i, "unexpected token: '%s'", q[start:i+1])
	}
	return token{kind: tokNumber, text: q[start:i], pos: start}, i, nil
}

func lexString(q string, i int) (token, int, *soqlError) {
	start := i
	i++
	var b strings.Builder
	for i < len(q) {
		c := q[i]
		switch c {
		case '\'':
			return token{kind: tokString, text: q[start : i+1], val: b.String(), pos: start}, i + 1, nil
		case '\\':
			if i+1 >= len(q) {
				return token{}, 0, malformed(i, "Invalid string literal: unterminated escape")
			}
			esc := q[i+1]
			switch esc {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case '\'', '"', '\\':
				b.WriteByte(esc)
			case '%', '_':
				// Kept escaped: only LIKE gives them meaning.
				b.WriteByte('\\')
				b.WriteByte(esc)
			default:
				return token{}, 0, malformed(i, "Invalid string literal '%s'. Illegal character sequence '\\%c' in string literal.", q[start:min(len(q), i+2)], rune(esc))
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return token{}, 0, malformed(start, "line 1:%d mismatched character '<EOF>' expecting '''", len(q))
}
