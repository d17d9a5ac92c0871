package salesforce

import (
	"strconv"
	"strings"
	"time"
)

// The SOQL subset: SELECT of fields, one-level parent fields (Account.Name)
// or COUNT(); FROM one object; WHERE with = != <> < > <= >= IN, NOT IN,
// LIKE, AND, OR, NOT and parentheses; ORDER BY fields with ASC/DESC and
// NULLS FIRST/LAST; LIMIT; OFFSET. Literals: strings, numbers, true,
// false, null, dates, datetimes, and the date literals TODAY, YESTERDAY,
// TOMORROW, LAST_N_DAYS:n and NEXT_N_DAYS:n.

type soqlQuery struct {
	fields    []fieldPath
	count     bool
	object    string
	objectPos int
	where     condition
	orderBy   []orderItem
	limit     int // -1 when absent
	offset    int // -1 when absent
}

type fieldPath struct {
	parts []string // one name, or relationship and field
	pos   int
}

func (p fieldPath) String() string { return strings.Join(p.parts, ".") }

type orderItem struct {
	path       fieldPath
	desc       bool
	nullsLast  bool
	nullsGiven bool
}

// condition is a WHERE expression: *logicalCond, *notCond or *compareCond.
type condition interface{ isCondition() }

type logicalCond struct {
	and   bool
	items []condition
}

type notCond struct{ inner condition }

type compareCond struct {
	path   fieldPath
	op     string // = != < > <= >= IN NOT IN LIKE
	values []literal
	opPos  int
}

func (*logicalCond) isCondition() {}
func (*notCond) isCondition()     {}
func (*compareCond) isCondition() {}

type literalKind int

const (
	litString literalKind = iota
	litNumber
	litBool
	litNull
	litDate
	litDateTime
	litDateRange // TODAY, LAST_N_DAYS:n: a half-open range of days
)

type literal struct {
	kind literalKind
	text string
	str  string
	num  float64
	bool bool
	date string    // litDate
	time time.Time // litDateTime
	fn   string    // litDateRange
	n    int       // litDateRange argument
	pos  int
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) isKeyword(word string) bool {
	t := p.peek()
	return t.kind == tokIdent && strings.EqualFold(t.text, word)
}

func (p *parser) acceptKeyword(word string) bool {
	if p.isKeyword(word) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectKeyword(word string) *soqlError {
	if !p.acceptKeyword(word) {
		t := p.peek()
		return malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	return nil
}

func (p *parser) isPunct(s string) bool {
	t := p.peek()
	return t.kind == tokPunct && t.text == s
}

func (p *parser) expectPunct(s string) *soqlError {
	if !p.isPunct(s) {
		t := p.peek()
		return malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	p.i++
	return nil
}

func quoteToken(t token) string {
	if t.kind == tokEOF {
		return "<EOF>"
	}
	return "'" + t.text + "'"
}

var reservedWords = map[string]bool{
	"select": true, "from": true, "where": true, "and": true, "or": true, "not": true, "in": true,
	"like": true, "order": true, "by": true, "limit": true, "offset": true, "asc": true, "desc": true,
	"nulls": true, "null": true, "true": true, "false": true, "group": true, "having": true,
}

// parseSOQL parses a query of the subset.
func parseSOQL(q string) (*soqlQuery, *soqlError) {
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	out := &soqlQuery{limit: -1, offset: -1}

	if err := p.expectKeyword("SELECT"); err != nil {
		return nil, err
	}
	if err := p.parseSelectList(out); err != nil {
		return nil, err
	}
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	t := p.next()
	if t.kind != tokIdent || reservedWords[strings.ToLower(t.text)] {
		return nil, malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	out.object, out.objectPos = t.text, t.pos

	if p.acceptKeyword("WHERE") {
		c, err := p.parseCondition()
		if err != nil {
			return nil, err
		}
		out.where = c
	}
	if p.acceptKeyword("ORDER") {
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		if err := p.parseOrderBy(out); err != nil {
			return nil, err
		}
	}
	if p.acceptKeyword("LIMIT") {
		n, err := p.parseCount()
		if err != nil {
			return nil, err
		}
		out.limit = n
	}
	if p.acceptKeyword("OFFSET") {
		n, err := p.parseCount()
		if err != nil {
			return nil, err
		}
		if n > 2000 {
			return nil, &soqlError{code: "NUMBER_OUTSIDE_VALID_RANGE", pos: p.toks[p.i-1].pos, msg: "Maximum SOQL offset allowed is 2000"}
		}
		out.offset = n
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	return out, nil
}

func (p *parser) parseCount() (int, *soqlError) {
	t := p.next()
	if t.kind != tokNumber || strings.Contains(t.text, ".") {
		return 0, malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	n, err := strconv.Atoi(t.text)
	if err != nil || n < 0 {
		return 0, malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	return n, nil
}

func (p *parser) parseSelectList(out *soqlQuery) *soqlError {
	if p.isKeyword("COUNT") && p.toks[p.i+1].kind == tokPunct && p.toks[p.i+1].text == "(" {
		p.i += 2
		if !p.isPunct(")") {
			t := p.peek()
			return malformed(t.pos, "COUNT(field) is not supported by the emulator; use COUNT()")
		}
		p.i++
		out.count = true
		return nil
	}
	for {
		path, err := p.parsePath()
		if err != nil {
			return err
		}
		out.fields = append(out.fields, path)
		if !p.isPunct(",") {
			return nil
		}
		p.i++
	}
}

func (p *parser) parsePath() (fieldPath, *soqlError) {
	t := p.next()
	if t.kind != tokIdent || reservedWords[strings.ToLower(t.text)] {
		return fieldPath{}, malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	path := fieldPath{parts: []string{t.text}, pos: t.pos}
	for p.isPunct(".") {
		p.i++
		t := p.next()
		if t.kind != tokIdent {
			return fieldPath{}, malformed(t.pos, "unexpected token: %s", quoteToken(t))
		}
		path.parts = append(path.parts, t.text)
	}
	if p.isPunct("(") {
		return fieldPath{}, malformed(p.peek().pos, "functions other than COUNT() are not supported by the emulator: %s(", path)
	}
	return path, nil
}

// parseCondition parses OR-joined or AND-joined terms. SOQL rejects AND
// and OR mixed at one level without parentheses.
func (p *parser) parseCondition() (condition, *soqlError) {
	first, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	var group *logicalCond
	for p.isKeyword("AND") || p.isKeyword("OR") {
		t := p.next()
		isAnd := strings.EqualFold(t.text, "AND")
		if group == nil {
			group = &logicalCond{and: isAnd, items: []condition{first}}
		} else if group.and != isAnd {
			return nil, malformed(t.pos, "unexpected token: '%s'", t.text)
		}
		c, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		group.items = append(group.items, c)
	}
	if group == nil {
		return first, nil
	}
	return group, nil
}

func (p *parser) parseUnary() (condition, *soqlError) {
	if p.acceptKeyword("NOT") {
		c, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &notCond{inner: c}, nil
	}
	if p.isPunct("(") {
		p.i++
		c, err := p.parseCondition()
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		return c, nil
	}
	return p.parseComparison()
}

func (p *parser) parseComparison() (condition, *soqlError) {
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	c := &compareCond{path: path, opPos: t.pos}
	switch {
	case t.kind == tokPunct && (t.text == "=" || t.text == "!=" || t.text == "<>" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">="):
		p.i++
		c.op = t.text
		if c.op == "<>" {
			c.op = "!="
		}
		v, err := p.parseLiteral()
		if err != nil {
			return nil, err
		}
		c.values = []literal{v}
	case p.isKeyword("LIKE"):
		p.i++
		c.op = "LIKE"
		v, err := p.parseLiteral()
		if err != nil {
			return nil, err
		}
		if v.kind != litString {
			return nil, malformed(v.pos, "invalid LIKE pattern: %s; use a quoted string", v.text)
		}
		c.values = []literal{v}
	case p.isKeyword("IN"):
		p.i++
		c.op = "IN"
		if c.values, err = p.parseList(); err != nil {
			return nil, err
		}
	case p.isKeyword("NOT") && p.toks[p.i+1].kind == tokIdent && strings.EqualFold(p.toks[p.i+1].text, "IN"):
		p.i += 2
		c.op = "NOT IN"
		if c.values, err = p.parseList(); err != nil {
			return nil, err
		}
	default:
		return nil, malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	return c, nil
}

func (p *parser) parseList() ([]literal, *soqlError) {
	if err := p.expectPunct("("); err != nil {
		return nil, err
	}
	var out []literal
	for {
		v, err := p.parseLiteral()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		if p.isPunct(")") {
			p.i++
			return out, nil
		}
		if err := p.expectPunct(","); err != nil {
			return nil, err
		}
	}
}

var dateRangeFunctions = map[string]bool{"TODAY": true, "YESTERDAY": true, "TOMORROW": true}
var dateRangeNFunctions = map[string]bool{"LAST_N_DAYS": true, "NEXT_N_DAYS": true}

func (p *parser) parseLiteral() (literal, *soqlError) {
	t := p.next()
	lit := literal{text: t.text, pos: t.pos}
	switch t.kind {
	case tokString:
		lit.kind, lit.str = litString, t.val
	case tokNumber:
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return lit, malformed(t.pos, "unexpected token: %s", quoteToken(t))
		}
		lit.kind, lit.num = litNumber, n
	case tokPunct:
		if t.text != "-" && t.text != "+" {
			return lit, malformed(t.pos, "unexpected token: %s", quoteToken(t))
		}
		n := p.next()
		if n.kind != tokNumber {
			return lit, malformed(n.pos, "unexpected token: %s", quoteToken(n))
		}
		v, _ := strconv.ParseFloat(n.text, 64)
		if t.text == "-" {
			v = -v
		}
		lit.kind, lit.num, lit.text = litNumber, v, t.text+n.text
	case tokDate:
		d, _ := parseDateLiteral(t.text)
		lit.kind, lit.date = litDate, d
	case tokDateTime:
		dt, _ := parseDateTimeLiteral(t.text)
		lit.kind, lit.time = litDateTime, dt
	case tokIdent:
		word := strings.ToUpper(t.text)
		switch {
		case word == "NULL":
			lit.kind = litNull
		case word == "TRUE" || word == "FALSE":
			lit.kind, lit.bool = litBool, word == "TRUE"
		case dateRangeFunctions[word]:
			lit.kind, lit.fn = litDateRange, word
		case dateRangeNFunctions[word]:
			if err := p.expectPunct(":"); err != nil {
				return lit, err
			}
			n := p.next()
			v, err := strconv.Atoi(n.text)
			if n.kind != tokNumber || err != nil || v < 0 {
				return lit, malformed(n.pos, "unexpected token: %s", quoteToken(n))
			}
			lit.kind, lit.fn, lit.n, lit.text = litDateRange, word, v, word+":"+n.text
		default:
			return lit, malformed(t.pos, "unexpected token: %s", quoteToken(t))
		}
	default:
		return lit, malformed(t.pos, "unexpected token: %s", quoteToken(t))
	}
	return lit, nil
}

func parseDateLiteral(s string) (string, bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

func parseDateTimeLiteral(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999Z07:00", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func (p *parser) parseOrderBy(out *soqlQuery) *soqlError {
	for {
		path, err := p.parsePath()
		if err != nil {
			return err
		}
		item := orderItem{path: path}
		if p.acceptKeyword("DESC") {
			item.desc = true
		} else {
			p.acceptKeyword("ASC")
		}
		if p.acceptKeyword("NULLS") {
			switch {
			case p.acceptKeyword("FIRST"):
			case p.acceptKeyword("LAST"):
				item.nullsLast = true
			default:
				t := p.peek()
				return malformed(t.pos, "unexpected token: %s", quoteToken(t))
			}
			item.nullsGiven = true
		}
		out.orderBy = append(out.orderBy, item)
		if !p.isPunct(",") {
			return nil
		}
		p.i++
	}
}
