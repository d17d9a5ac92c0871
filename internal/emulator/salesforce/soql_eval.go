package salesforce

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// resolvedField is a field path bound to the schema.
type resolvedField struct {
	rel    *fieldDef  // the reference field for a parent path, else nil
	target *objectDef // the parent object
	f      *fieldDef
	path   fieldPath
}

// compiledQuery is a query bound to the schema, ready to run.
type compiledQuery struct {
	q      *soqlQuery
	obj    *objectDef
	fields []resolvedField
	where  func(*record) bool
	order  []compiledOrder
}

type compiledOrder struct {
	field      resolvedField
	desc       bool
	nullsFirst bool
}

const noColumnHint = "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."

// compile binds q to the schema, checking names and literal types.
func (e *Emulator) compile(q *soqlQuery, now time.Time) (*compiledQuery, *soqlError) {
	o := e.schema.object(q.object)
	if o == nil {
		return nil, &soqlError{code: "INVALID_TYPE", pos: q.objectPos, msg: fmt.Sprintf("sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", q.object)}
	}
	c := &compiledQuery{q: q, obj: o}
	seen := map[string]bool{}
	for _, p := range q.fields {
		rf, err := e.resolve(o, p)
		if err != nil {
			return nil, err
		}
		key := strings.ToLower(p.String())
		if seen[key] {
			return nil, malformed(p.pos, "duplicate field selected: %s", p)
		}
		seen[key] = true
		c.fields = append(c.fields, rf)
	}
	if q.where != nil {
		w, err := e.compileCondition(o, q.where, now)
		if err != nil {
			return nil, err
		}
		c.where = w
	}
	for _, item := range q.orderBy {
		rf, err := e.resolve(o, item.path)
		if err != nil {
			return nil, err
		}
		if !rf.f.Sortable && rf.f.Type != "id" {
			return nil, &soqlError{code: "INVALID_FIELD", pos: item.path.pos, msg: fmt.Sprintf("field '%s' can not be sorted in a query call", rf.f.Name)}
		}
		nullsFirst := !item.desc
		if item.nullsGiven {
			nullsFirst = !item.nullsLast
		}
		c.order = append(c.order, compiledOrder{field: rf, desc: item.desc, nullsFirst: nullsFirst})
	}
	return c, nil
}

func (e *Emulator) resolve(o *objectDef, p fieldPath) (resolvedField, *soqlError) {
	parts := p.parts
	if len(parts) == 2 && strings.EqualFold(parts[0], o.Name) && o.relationship(parts[0]) == nil {
		parts = parts[1:]
	}
	switch len(parts) {
	case 1:
		f := o.field(parts[0])
		if f == nil {
			return resolvedField{}, &soqlError{code: "INVALID_FIELD", pos: p.pos, msg: fmt.Sprintf("No such column '%s' on entity '%s'. %s", parts[0], o.Name, noColumnHint)}
		}
		return resolvedField{f: f, path: p}, nil
	case 2:
		rel := o.relationship(parts[0])
		if rel == nil {
			return resolvedField{}, &soqlError{code: "INVALID_FIELD", pos: p.pos, msg: fmt.Sprintf("Didn't understand relationship '%s' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.", parts[0])}
		}
		var target *objectDef
		for _, name := range rel.ReferenceTo {
			if t := e.schema.object(name); t != nil {
				target = t
				break
			}
		}
		if target == nil {
			// TODO: the emulator holds no Group, Profile or Individual
			// records, so their relationship paths cannot be read.
			return resolvedField{}, &soqlError{code: "INVALID_FIELD", pos: p.pos, msg: fmt.Sprintf("relationship '%s' points to %s, which the emulator does not hold", parts[0], strings.Join(rel.ReferenceTo, ", "))}
		}
		f := target.field(parts[1])
		if f == nil {
			return resolvedField{}, &soqlError{code: "INVALID_FIELD", pos: p.pos, msg: fmt.Sprintf("No such column '%s' on entity '%s'. %s", parts[1], target.Name, noColumnHint)}
		}
		return resolvedField{rel: rel, target: target, f: f, path: p}, nil
	default:
		return resolvedField{}, &soqlError{code: "INVALID_FIELD", pos: p.pos, msg: fmt.Sprintf("field path %s has more than one relationship; the emulator supports one level", p)}
	}
}

// value reads the stored value of rf from r, following the parent
// relationship when there is one.
func (e *Emulator) value(r *record, rf resolvedField) any {
	if rf.rel == nil {
		return r.get(rf.f.Name)
	}
	parent := e.parent(r, rf)
	if parent == nil {
		return nil
	}
	return parent.get(rf.f.Name)
}

func (e *Emulator) parent(r *record, rf resolvedField) *record {
	id, _ := r.get(rf.rel.Name).(string)
	if id == "" {
		return nil
	}
	p := e.records[id]
	if p == nil || p.obj != rf.target {
		return nil
	}
	return p
}

func (e *Emulator) compileCondition(o *objectDef, c condition, now time.Time) (func(*record) bool, *soqlError) {
	switch x := c.(type) {
	case *logicalCond:
		parts := make([]func(*record) bool, len(x.items))
		for i, item := range x.items {
			f, err := e.compileCondition(o, item, now)
			if err != nil {
				return nil, err
			}
			parts[i] = f
		}
		if x.and {
			return func(r *record) bool {
				for _, p := range parts {
					if !p(r) {
						return false
					}
				}
				return true
			}, nil
		}
		return func(r *record) bool {
			for _, p := range parts {
				if p(r) {
					return true
				}
			}
			return false
		}, nil
	case *notCond:
		inner, err := e.compileCondition(o, x.inner, now)
		if err != nil {
			return nil, err
		}
		return func(r *record) bool { return !inner(r) }, nil
	case *compareCond:
		return e.compileComparison(o, x, now)
	}
	return nil, malformed(0, "unsupported condition")
}

// operand is a literal converted to the stored form of a field's type.
type operand struct {
	null       bool
	value      any       // string, bool, float64, time.Time
	start, end time.Time // a date range, for TODAY and friends
	isRange    bool
}

func (e *Emulator) compileComparison(o *objectDef, c *compareCond, now time.Time) (func(*record) bool, *soqlError) {
	rf, err := e.resolve(o, c.path)
	if err != nil {
		return nil, err
	}
	f := rf.f
	if !f.Filterable && f.Type != "id" {
		return nil, &soqlError{code: "INVALID_FIELD", pos: c.path.pos, msg: fmt.Sprintf("field '%s' can not be filtered in a query call", f.Name)}
	}

	ops := make([]operand, len(c.values))
	for i, lit := range c.values {
		op, err := convertLiteral(f, lit, now, c.op)
		if err != nil {
			return nil, err
		}
		ops[i] = op
	}

	switch c.op {
	case "LIKE":
		if !f.isText() && !f.isIDLike() {
			return nil, &soqlError{code: "INVALID_FIELD", pos: c.opPos, msg: fmt.Sprintf("invalid operator on %s field: LIKE", f.Type)}
		}
		re := likePattern(c.values[0].str)
		return func(r *record) bool {
			s, ok := e.value(r, rf).(string)
			return ok && re.MatchString(s)
		}, nil
	case "IN", "NOT IN":
		negate := c.op == "NOT IN"
		return func(r *record) bool {
			v := e.value(r, rf)
			for _, op := range ops {
				if compareOperand(f, v, op) == 0 {
					return !negate
				}
			}
			return negate
		}, nil
	}

	if f.Type == "boolean" && c.op != "=" && c.op != "!=" {
		return nil, &soqlError{code: "INVALID_FIELD", pos: c.opPos, msg: fmt.Sprintf("invalid operator on boolean field: %s", c.op)}
	}
	op := ops[0]
	if op.null && c.op != "=" && c.op != "!=" {
		return nil, malformed(c.values[0].pos, "invalid operator %s for null", c.op)
	}
	return func(r *record) bool {
		v := e.value(r, rf)
		switch {
		case op.null:
			return (v == nil) == (c.op == "=")
		case v == nil:
			return c.op == "!="
		}
		if op.isRange {
			return inRange(f, v, op, c.op)
		}
		d := compareOperand(f, v, op)
		switch c.op {
		case "=":
			return d == 0
		case "!=":
			return d != 0
		case "<":
			return d < 0
		case ">":
			return d > 0
		case "<=":
			return d <= 0
		default:
			return d >= 0
		}
	}, nil
}

func typeMismatch(f *fieldDef, lit literal, want string) *soqlError {
	return &soqlError{code: "INVALID_FIELD", pos: lit.pos, msg: fmt.Sprintf("value of filter criterion for field '%s' must be of type %s and should not be enclosed in quotes", f.Name, want)}
}

// convertLiteral checks lit against f's type and converts it.
func convertLiteral(f *fieldDef, lit literal, now time.Time, op string) (operand, *soqlError) {
	if lit.kind == litNull {
		return operand{null: true}, nil
	}
	switch {
	case f.isIDLike():
		if lit.kind != litString {
			return operand{}, &soqlError{code: "INVALID_FIELD", pos: lit.pos, msg: fmt.Sprintf("value of filter criterion for field '%s' must be of type id and should be enclosed in quotes", f.Name)}
		}
		s := unescapeLike(lit.str)
		if op == "=" || op == "!=" || op == "IN" || op == "NOT IN" {
			id, ok := normalizeID(s)
			if !ok {
				return operand{}, &soqlError{code: "INVALID_QUERY_FILTER_OPERATOR", pos: lit.pos, msg: fmt.Sprintf("invalid ID field: %s", s)}
			}
			s = id
		}
		return operand{value: s}, nil
	case f.isText():
		if lit.kind != litString {
			return operand{}, &soqlError{code: "INVALID_FIELD", pos: lit.pos, msg: fmt.Sprintf("value of filter criterion for field '%s' must be of type string and should be enclosed in quotes", f.Name)}
		}
		return operand{value: unescapeLike(lit.str)}, nil
	case f.Type == "boolean":
		if lit.kind != litBool {
			return operand{}, typeMismatch(f, lit, "boolean")
		}
		return operand{value: lit.bool}, nil
	case f.isNumber():
		if lit.kind != litNumber {
			return operand{}, typeMismatch(f, lit, f.Type)
		}
		return operand{value: lit.num}, nil
	case f.Type == "date":
		switch lit.kind {
		case litDate:
			return operand{value: lit.date}, nil
		case litDateRange:
			start, end := dateRange(lit, now)
			return operand{isRange: true, start: start, end: end}, nil
		}
		return operand{}, typeMismatch(f, lit, "date")
	case f.Type == "datetime":
		switch lit.kind {
		case litDateTime:
			return operand{value: lit.time}, nil
		case litDateRange:
			start, end := dateRange(lit, now)
			return operand{isRange: true, start: start, end: end}, nil
		}
		return operand{}, typeMismatch(f, lit, "dateTime")
	}
	return operand{}, &soqlError{code: "INVALID_FIELD", pos: lit.pos, msg: fmt.Sprintf("field '%s' of type %s can not be filtered in a query call", f.Name, f.Type)}
}

// dateRange returns the half-open UTC range of a date literal such as
// TODAY or LAST_N_DAYS:n; the emulated org's time zone is UTC.
func dateRange(lit literal, now time.Time) (time.Time, time.Time) {
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	switch lit.fn {
	case "YESTERDAY":
		return today.Add(-day), today
	case "TOMORROW":
		return today.Add(day), today.Add(2 * day)
	case "LAST_N_DAYS":
		return today.AddDate(0, 0, -lit.n), today.Add(day)
	case "NEXT_N_DAYS":
		return today.Add(day), today.AddDate(0, 0, 1+lit.n)
	}
	return today, today.Add(day)
}

func inRange(f *fieldDef, v any, op operand, cmpOp string) bool {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case string:
		parsed, err := time.Parse("2006-01-02", x)
		if err != nil {
			return false
		}
		t = parsed
	default:
		return false
	}
	in := !t.Before(op.start) && t.Before(op.end)
	switch cmpOp {
	case "=":
		return in
	case "!=":
		return !in
	case "<":
		return t.Before(op.start)
	case "<=":
		return t.Before(op.end)
	case ">":
		return !t.Before(op.end)
	default:
		return !t.Before(op.start)
	}
}

// compareOperand orders a stored value against an operand of f's type.
func compareOperand(f *fieldDef, v any, op operand) int {
	if op.null {
		if v == nil {
			return 0
		}
		return 1
	}
	if op.isRange {
		if inRange(f, v, op, "=") {
			return 0
		}
		return 1
	}
	return compareValues(f, v, op.value)
}

// compareValues orders two stored values of field f; nil sorts first.
func compareValues(f *fieldDef, a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		if f.isIDLike() || f.Type == "date" {
			return strings.Compare(x, y)
		}
		return strings.Compare(strings.ToLower(x), strings.ToLower(y))
	case float64:
		y, _ := b.(float64)
		return cmp.Compare(x, y)
	case bool:
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case time.Time:
		y, _ := b.(time.Time)
		return x.Compare(y)
	}
	return 0
}

// likePattern compiles a LIKE pattern: % is any run, _ one character,
// backslash escapes; matching ignores case.
func likePattern(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?is)^")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(string(p[i])))
		case c == '%':
			b.WriteString(".*")
		case c == '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// unescapeLike removes the escapes of % and _ that only LIKE gives
// meaning.
func unescapeLike(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.NewReplacer(`\%`, `%`, `\_`, `_`).Replace(s)
}

// run returns the matching records in result order, and the total
// before LIMIT and OFFSET for COUNT().
func (e *Emulator) run(c *compiledQuery, all bool) []*record {
	var rows []*record
	for _, r := range e.byObject[c.obj.Name] {
		if r.deleted && !all {
			continue
		}
		if c.where != nil && !c.where(r) {
			continue
		}
		rows = append(rows, r)
	}
	if len(c.order) > 0 {
		slices.SortStableFunc(rows, func(a, b *record) int {
			for _, o := range c.order {
				va, vb := e.value(a, o.field), e.value(b, o.field)
				if (va == nil) != (vb == nil) {
					if (va == nil) == o.nullsFirst {
						return -1
					}
					return 1
				}
				d := compareValues(o.field.f, va, vb)
				if o.desc {
					d = -d
				}
				if d != 0 {
					return d
				}
			}
			return 0
		})
	}
	if off := c.q.offset; off > 0 {
		if off >= len(rows) {
			rows = nil
		} else {
			rows = rows[off:]
		}
	}
	if c.q.limit >= 0 && c.q.limit < len(rows) {
		rows = rows[:c.q.limit]
	}
	return rows
}

// renderRow writes the selected fields of r, nesting parent fields under
// their relationship name.
func (e *Emulator) renderRow(version string, c *compiledQuery, r *record) *orderedObject {
	out := &orderedObject{}
	out.set("attributes", attributes(version, r))
	nested := map[string]*orderedObject{}
	for _, rf := range c.fields {
		if rf.rel == nil {
			out.set(rf.f.Name, e.renderField(r, rf.f))
			continue
		}
		relName := rf.rel.RelationshipName
		if n, ok := nested[relName]; ok {
			if n != nil {
				n.set(rf.f.Name, e.renderField(e.parent(r, rf), rf.f))
			}
			continue
		}
		p := e.parent(r, rf)
		if p == nil {
			nested[relName] = nil
			out.set(relName, nil)
			continue
		}
		n := &orderedObject{}
		n.set("attributes", attributes(version, p))
		n.set(rf.f.Name, e.renderField(p, rf.f))
		nested[relName] = n
		out.set(relName, n)
	}
	return out
}
