package hubspot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Search limits, as HubSpot's search guide states them.
const (
	maxFilterGroups     = 5
	maxFiltersPerGroup  = 6
	maxFiltersTotal     = 18
	maxSearchPageSize   = 200
	maxSearchResults    = 10_000
	maxSearchQueryChars = 3000
)

// SearchRequest is the body of POST /crm/v3/objects/{type}/search.
type SearchRequest struct {
	Query        string          `json:"query"`
	FilterGroups []FilterGroup   `json:"filterGroups"`
	Sorts        json.RawMessage `json:"sorts"`
	Properties   []string        `json:"properties"`
	Limit        *int            `json:"limit"`
	After        flexString      `json:"after"`
}

// FilterGroup ANDs its filters.
type FilterGroup struct {
	Filters []SearchFilter `json:"filters"`
}

// SearchFilter is one search condition.
type SearchFilter struct {
	PropertyName string       `json:"propertyName"`
	Operator     string       `json:"operator"`
	Value        *flexString  `json:"value"`
	HighValue    *flexString  `json:"highValue"`
	Values       []flexString `json:"values"`
}

type searchSort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

var searchOperators = map[string]bool{
	"EQ": true, "NEQ": true, "LT": true, "LTE": true, "GT": true, "GTE": true, "BETWEEN": true,
	"IN": true, "NOT_IN": true, "HAS_PROPERTY": true, "NOT_HAS_PROPERTY": true,
	"CONTAINS_TOKEN": true, "NOT_CONTAINS_TOKEN": true,
}

var queryProperties = map[string][]string{
	"contacts":  {"firstname", "lastname", "email", "phone", "hs_additional_emails", "fax", "mobilephone", "company"},
	"companies": {"name", "domain", "website", "phone"},
}

// parsedSearch is a checked search request.
type parsedSearch struct {
	req    SearchRequest
	sort   *searchSort
	limit  int
	offset int
}

// ParseSearchRequest decodes and checks a search body the way HubSpot
// does. It is exported for fuzzing; the error is HubSpot's message.
func ParseSearchRequest(body []byte) (SearchRequest, error) {
	p, ae := parseSearch(body, nil)
	if ae != nil {
		return SearchRequest{}, ae
	}
	return p.req, nil
}

func parseSearch(body []byte, s *objectStore) (*parsedSearch, *apiError) {
	var req SearchRequest
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, validationError("Invalid input JSON: the request body is empty", nil)
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, badJSON(err)
	}
	p := &parsedSearch{req: req, limit: 10}
	if req.Limit != nil {
		if *req.Limit < 0 || *req.Limit > maxSearchPageSize {
			return nil, validationError(fmt.Sprintf("limit must be between 0 and %d, got %d", maxSearchPageSize, *req.Limit), nil)
		}
		if *req.Limit > 0 {
			p.limit = *req.Limit
		}
	}
	if req.After != "" {
		n, err := strconv.Atoi(string(req.After))
		if err != nil || n < 0 {
			return nil, validationError(fmt.Sprintf("after must be a non-negative integer offset, got %q", string(req.After)), nil)
		}
		p.offset = n
	}
	if p.offset+p.limit > maxSearchResults {
		return nil, validationError(fmt.Sprintf("Search results are limited to %d; offset %d plus limit %d passes it. Narrow the filters instead of paging further.", maxSearchResults, p.offset, p.limit), nil)
	}
	if len(req.Query) > maxSearchQueryChars {
		return nil, validationError(fmt.Sprintf("query is longer than %d characters", maxSearchQueryChars), nil)
	}

	if len(req.FilterGroups) > maxFilterGroups {
		return nil, validationError(fmt.Sprintf("Too many filter groups: %d. The maximum is %d.", len(req.FilterGroups), maxFilterGroups), nil)
	}
	total := 0
	for _, g := range req.FilterGroups {
		if len(g.Filters) > maxFiltersPerGroup {
			return nil, validationError(fmt.Sprintf("Too many filters in a group: %d. The maximum is %d.", len(g.Filters), maxFiltersPerGroup), nil)
		}
		total += len(g.Filters)
		for _, f := range g.Filters {
			if ae := checkFilter(f, s); ae != nil {
				return nil, ae
			}
		}
	}
	if total > maxFiltersTotal {
		return nil, validationError(fmt.Sprintf("Too many filters: %d. The maximum across all groups is %d.", total, maxFiltersTotal), nil)
	}

	sorts, ae := parseSorts(req.Sorts)
	if ae != nil {
		return nil, ae
	}
	if len(sorts) > 1 {
		return nil, validationError("Only one sort is allowed", nil)
	}
	if len(sorts) == 1 {
		if s != nil {
			if _, ok := s.props[sorts[0].PropertyName]; !ok {
				return nil, validationError(fmt.Sprintf("Cannot sort by unknown property %q", sorts[0].PropertyName), nil)
			}
		}
		p.sort = &sorts[0]
	}
	return p, nil
}

// parseSorts accepts sort objects and the string form ("name" or
// "-name" for descending) that HubSpot's clients also send.
func parseSorts(raw json.RawMessage) ([]searchSort, *apiError) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, badJSON(err)
	}
	var out []searchSort
	for _, it := range items {
		var str string
		if json.Unmarshal(it, &str) == nil {
			dir := "ASCENDING"
			if strings.HasPrefix(str, "-") {
				str, dir = str[1:], "DESCENDING"
			}
			out = append(out, searchSort{PropertyName: str, Direction: dir})
			continue
		}
		var ss searchSort
		if err := json.Unmarshal(it, &ss); err != nil {
			return nil, badJSON(err)
		}
		if ss.Direction == "" {
			ss.Direction = "ASCENDING"
		}
		if ss.Direction != "ASCENDING" && ss.Direction != "DESCENDING" {
			return nil, validationError(fmt.Sprintf("Invalid sort direction %q; use ASCENDING or DESCENDING", ss.Direction), nil)
		}
		out = append(out, ss)
	}
	return out, nil
}

func checkFilter(f SearchFilter, s *objectStore) *apiError {
	if f.PropertyName == "" {
		return validationError("filter is missing propertyName", nil)
	}
	op := f.Operator
	if op == "" {
		op = "EQ"
	}
	if !searchOperators[op] {
		return validationError(fmt.Sprintf("Invalid operator %q; use one of EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN", f.Operator), nil)
	}
	switch op {
	case "BETWEEN":
		if f.Value == nil || f.HighValue == nil {
			return validationError(fmt.Sprintf("BETWEEN on %s needs value and highValue", f.PropertyName), nil)
		}
	case "IN", "NOT_IN":
		if len(f.Values) == 0 {
			return validationError(fmt.Sprintf("%s on %s needs values", op, f.PropertyName), nil)
		}
	case "HAS_PROPERTY", "NOT_HAS_PROPERTY":
	default:
		if f.Value == nil {
			return validationError(fmt.Sprintf("%s on %s needs a value", op, f.PropertyName), nil)
		}
	}
	if s != nil && !strings.HasPrefix(f.PropertyName, "associations.") {
		if _, ok := s.props[f.PropertyName]; !ok {
			return validationError(fmt.Sprintf("There was a problem with the request: property %q does not exist on %s", f.PropertyName, s.name), nil)
		}
	}
	return nil
}

func (e *Emulator) handleSearch(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	body, ok := readAll(w, r)
	if !ok {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	p, ae := parseSearch(body, s)
	if ae != nil {
		writeError(w, ae)
		return
	}
	now := e.clock()
	type hit struct {
		rec   *record
		props map[string]string
	}
	var hits []hit
	for _, id := range s.order {
		rec := s.records[id]
		props := e.searchView(rec, now)
		if props == nil {
			continue
		}
		if e.matchSearch(s, rec.id, props, p) {
			hits = append(hits, hit{rec, props})
		}
	}

	if p.sort != nil {
		// Parse each sort value once; comparing parsed keys keeps a
		// 10,000-record sort cheap.
		prop := s.props[p.sort.PropertyName]
		desc := p.sort.Direction == "DESCENDING"
		keys := make([]sortKey, len(hits))
		for i, h := range hits {
			keys[i] = makeSortKey(prop, h.props[p.sort.PropertyName])
		}
		idx := make([]int, len(hits))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool {
			c := keys[idx[a]].compare(keys[idx[b]])
			if c == 0 {
				return hits[idx[a]].rec.id < hits[idx[b]].rec.id
			}
			if desc {
				return c > 0
			}
			return c < 0
		})
		sorted := make([]hit, len(hits))
		for i, j := range idx {
			sorted[i] = hits[j]
		}
		hits = sorted
	}

	results := []objectJSON{}
	v := view{}
	if len(p.req.Properties) > 0 {
		v.properties = p.req.Properties
	}
	end := min(p.offset+p.limit, len(hits))
	for i := p.offset; i < end; i++ {
		v.indexed = hits[i].props
		results = append(results, e.toJSON(s, hits[i].rec, v))
	}
	resp := map[string]any{"total": len(hits), "results": results}
	if end < len(hits) {
		resp["paging"] = map[string]any{"next": map[string]string{"after": strconv.Itoa(end)}}
	}
	writeJSON(w, http.StatusOK, resp)
}

func readAll(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	var raw json.RawMessage
	if !decodeBody(w, r, &raw) {
		return nil, false
	}
	return raw, true
}

func (e *Emulator) matchSearch(s *objectStore, id int64, props map[string]string, p *parsedSearch) bool {
	if q := strings.TrimSpace(strings.ToLower(p.req.Query)); q != "" {
		for _, tok := range strings.Fields(q) {
			found := false
			for _, name := range queryProperties[s.name] {
				if strings.Contains(strings.ToLower(props[name]), strings.Trim(tok, "*")) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
	}
	if len(p.req.FilterGroups) == 0 {
		return true
	}
	for _, g := range p.req.FilterGroups {
		all := true
		for _, f := range g.Filters {
			if !e.matchSearchFilter(s, id, props, f) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func (e *Emulator) matchSearchFilter(s *objectStore, id int64, props map[string]string, f SearchFilter) bool {
	op := f.Operator
	if op == "" {
		op = "EQ"
	}
	if other, ok := strings.CutPrefix(f.PropertyName, "associations."); ok {
		return e.matchAssociationFilter(s, id, normalizeObjectType(other), op, f)
	}
	prop := s.props[f.PropertyName]
	v, has := props[f.PropertyName]
	has = has && v != ""

	switch op {
	case "HAS_PROPERTY":
		return has
	case "NOT_HAS_PROPERTY":
		return !has
	}
	if !has {
		return op == "NEQ" || op == "NOT_IN" || op == "NOT_CONTAINS_TOKEN"
	}

	value := ""
	if f.Value != nil {
		value = string(*f.Value)
	}
	switch op {
	case "EQ":
		return equalValues(prop, v, value)
	case "NEQ":
		return !equalValues(prop, v, value)
	case "LT":
		return compareValues(prop, v, value) < 0
	case "LTE":
		return compareValues(prop, v, value) <= 0
	case "GT":
		return compareValues(prop, v, value) > 0
	case "GTE":
		return compareValues(prop, v, value) >= 0
	case "BETWEEN":
		return compareValues(prop, v, value) >= 0 && compareValues(prop, v, string(*f.HighValue)) <= 0
	case "IN", "NOT_IN":
		in := false
		for _, t := range f.Values {
			if equalValues(prop, v, string(t)) {
				in = true
				break
			}
		}
		return in == (op == "IN")
	case "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN":
		return containsToken(v, value) == (op == "CONTAINS_TOKEN")
	}
	return false
}

func (e *Emulator) matchAssociationFilter(s *objectStore, id int64, other, op string, f SearchFilter) bool {
	var ids []int64
	switch {
	case s.name == "contacts" && other == "companies":
		ids = e.assocs.companiesOf(id)
	case s.name == "companies" && other == "contacts":
		ids = e.assocs.contactsOf(id)
	}
	has := func(t string) bool {
		for _, x := range ids {
			if strconv.FormatInt(x, 10) == strings.TrimSpace(t) {
				return true
			}
		}
		return false
	}
	switch op {
	case "EQ":
		return f.Value != nil && has(string(*f.Value))
	case "NEQ":
		return f.Value != nil && !has(string(*f.Value))
	case "IN", "NOT_IN":
		in := false
		for _, t := range f.Values {
			in = in || has(string(t))
		}
		return in == (op == "IN")
	case "HAS_PROPERTY":
		return len(ids) > 0
	case "NOT_HAS_PROPERTY":
		return len(ids) == 0
	}
	return false
}

// equalValues compares a stored value with a filter value: numbers and
// times by value, enumerations exactly (any option of a multi-checkbox),
// everything else case-insensitively.
func equalValues(p *Property, stored, target string) bool {
	switch p.Type {
	case "number", "date", "datetime":
		return compareValues(p, stored, target) == 0
	case "enumeration":
		if p.FieldType == "checkbox" {
			for _, part := range splitMulti(stored) {
				if part == target {
					return true
				}
			}
			return false
		}
		return stored == target
	case "bool":
		return strings.EqualFold(stored, target)
	}
	return strings.EqualFold(stored, target)
}

// compareValues orders two values of a property; missing or unparseable
// values sort last.
func compareValues(p *Property, a, b string) int {
	if a == "" || b == "" {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		default:
			return -1
		}
	}
	switch p.Type {
	case "number":
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil {
			return cmpFloat(x, y)
		}
	case "date", "datetime":
		x, ok1 := timeMillis(a)
		y, ok2 := timeMillis(b)
		if ok1 && ok2 {
			return cmpFloat(float64(x), float64(y))
		}
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// containsToken matches a token, with * as a wildcard, against the whole
// value and each word of it.
func containsToken(value, token string) bool {
	token = strings.ToLower(strings.TrimSpace(token))
	if token == "" {
		return false
	}
	value = strings.ToLower(value)
	candidates := append([]string{value}, strings.FieldsFunc(value, func(r rune) bool {
		return r == ' ' || r == ',' || r == ';' || r == '\t' || r == '\n'
	})...)
	if !strings.Contains(token, "*") {
		for _, c := range candidates {
			if c == token {
				return true
			}
		}
		return false
	}
	for _, c := range candidates {
		if ok, err := path.Match(strings.ReplaceAll(token, "/", "\\/"), c); err == nil && ok {
			return true
		}
	}
	return false
}

// sortKey is a parsed value for ordering search results.
type sortKey struct {
	missing bool
	numeric bool
	num     float64
	text    string
}

func makeSortKey(p *Property, v string) sortKey {
	if v == "" {
		return sortKey{missing: true}
	}
	switch p.Type {
	case "number":
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return sortKey{numeric: true, num: f}
		}
	case "date", "datetime":
		if ms, ok := timeMillis(v); ok {
			return sortKey{numeric: true, num: float64(ms)}
		}
	}
	return sortKey{text: strings.ToLower(v)}
}

// compare orders keys; missing values sort last.
func (k sortKey) compare(o sortKey) int {
	switch {
	case k.missing && o.missing:
		return 0
	case k.missing:
		return 1
	case o.missing:
		return -1
	case k.numeric && o.numeric:
		return cmpFloat(k.num, o.num)
	}
	return strings.Compare(k.text, o.text)
}
