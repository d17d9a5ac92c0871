package hubspot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FilterBranch is a node of a list's filter tree. The root is an OR branch
// whose children are AND branches holding filters.
type FilterBranch struct {
	FilterBranchType     string         `json:"filterBranchType"`
	FilterBranchOperator string         `json:"filterBranchOperator,omitempty"`
	Filters              []ListFilter   `json:"filters"`
	FilterBranches       []FilterBranch `json:"filterBranches"`
}

// ListFilter is one filter of a list. The emulator evaluates filterType
// PROPERTY; other filter types are stored but never match.
type ListFilter struct {
	FilterType string         `json:"filterType"`
	Property   string         `json:"property,omitempty"`
	Operation  *ListOperation `json:"operation,omitempty"`
}

// ListOperation is the test a PROPERTY filter applies. Value is a string
// for STRING, a number for NUMBER and a bool for BOOL operations.
type ListOperation struct {
	OperationType                string          `json:"operationType"`
	Operator                     string          `json:"operator"`
	Value                        json.RawMessage `json:"value,omitempty"`
	Values                       []string        `json:"values,omitempty"`
	LowerBound                   json.RawMessage `json:"lowerBound,omitempty"`
	UpperBound                   json.RawMessage `json:"upperBound,omitempty"`
	TimePoint                    *TimePoint      `json:"timePoint,omitempty"`
	LowerBoundTimePoint          *TimePoint      `json:"lowerBoundTimePoint,omitempty"`
	UpperBoundTimePoint          *TimePoint      `json:"upperBoundTimePoint,omitempty"`
	IncludeObjectsWithNoValueSet bool            `json:"includeObjectsWithNoValueSet"`
}

// TimePoint is a DATETIME filter bound. The emulator supports timeType DATE
// (a calendar day in zoneId, default UTC) and a raw timestamp in epoch ms.
type TimePoint struct {
	TimeType  string `json:"timeType"`
	Timestamp int64  `json:"timestamp,omitempty"`
	Year      int    `json:"year,omitempty"`
	Month     int    `json:"month,omitempty"`
	Day       int    `json:"day,omitempty"`
	Hour      int    `json:"hour,omitempty"`
	Minute    int    `json:"minute,omitempty"`
	ZoneID    string `json:"zoneId,omitempty"`
}

type list struct {
	ID             int64
	Name           string
	ObjectTypeID   string
	ProcessingType string
	Filter         *FilterBranch
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
	deleted        bool
	deletedAt      time.Time
	members        map[int64]time.Time // record id → membershipTimestamp
}

func (l *list) objectType() string { return normalizeObjectType(l.ObjectTypeID) }

func (e *Emulator) manualList(listID string) (*list, error) {
	id, err := parseID(listID)
	if err != nil {
		return nil, err
	}
	l, ok := e.lists[id]
	if !ok || l.deleted {
		return nil, fmt.Errorf("list %s not found", listID)
	}
	if l.ProcessingType == "DYNAMIC" {
		return nil, fmt.Errorf("list %s is DYNAMIC; its memberships are read-only", listID)
	}
	return l, nil
}

// addMembers adds live records and returns the ids added and the ids that
// match no record.
func (e *Emulator) addMembers(l *list, ids []string) (added, missing []string) {
	s := e.types[l.objectType()]
	now := e.clock()
	for _, raw := range ids {
		n, err := parseID(raw)
		var r *record
		if err == nil {
			r = s.resolve(n)
		}
		if r == nil || r.archived {
			missing = append(missing, raw)
			continue
		}
		if _, in := l.members[r.id]; !in {
			l.members[r.id] = now
			added = append(added, strconv.FormatInt(r.id, 10))
		}
	}
	if len(added) > 0 {
		l.UpdatedAt = now
	}
	return added, missing
}

func (e *Emulator) removeMembers(l *list, ids []string) (removed, missing []string) {
	for _, raw := range ids {
		n, err := parseID(raw)
		if err != nil {
			missing = append(missing, raw)
			continue
		}
		if _, in := l.members[n]; in {
			delete(l.members, n)
			removed = append(removed, raw)
		} else {
			missing = append(missing, raw)
		}
	}
	if len(removed) > 0 {
		l.UpdatedAt = e.clock()
	}
	return removed, missing
}

// reevaluateLists updates every DYNAMIC list of the record's type after a
// write, so membership follows the data as HubSpot's active lists do.
func (e *Emulator) reevaluateLists(s *objectStore, r *record) {
	now := e.clock()
	for _, l := range e.lists {
		if l.deleted || l.ProcessingType != "DYNAMIC" || l.objectType() != s.name {
			continue
		}
		in := !r.archived && r.mergedInto == 0 && e.matchBranch(s, r, l.Filter, true)
		_, was := l.members[r.id]
		switch {
		case in && !was:
			l.members[r.id] = now
			l.UpdatedAt = now
		case !in && was:
			delete(l.members, r.id)
			l.UpdatedAt = now
		}
	}
}

// populate evaluates a DYNAMIC or SNAPSHOT list's filter over every record.
func (e *Emulator) populate(l *list) {
	s := e.types[l.objectType()]
	now := e.clock()
	for _, id := range s.order {
		r := s.records[id]
		if r.archived || r.mergedInto != 0 {
			continue
		}
		if e.matchBranch(s, r, l.Filter, true) {
			if _, in := l.members[id]; !in {
				l.members[id] = now
			}
		}
	}
}

func (e *Emulator) matchBranch(s *objectStore, r *record, b *FilterBranch, root bool) bool {
	if b == nil {
		return false
	}
	or := strings.EqualFold(b.FilterBranchType, "OR") || (b.FilterBranchType == "" && root)
	if len(b.Filters) == 0 && len(b.FilterBranches) == 0 {
		return false
	}
	if or {
		for _, f := range b.Filters {
			if e.matchFilter(s, r, f) {
				return true
			}
		}
		for i := range b.FilterBranches {
			if e.matchBranch(s, r, &b.FilterBranches[i], false) {
				return true
			}
		}
		return false
	}
	for _, f := range b.Filters {
		if !e.matchFilter(s, r, f) {
			return false
		}
	}
	for i := range b.FilterBranches {
		if !e.matchBranch(s, r, &b.FilterBranches[i], false) {
			return false
		}
	}
	return true
}

func (e *Emulator) matchFilter(s *objectStore, r *record, f ListFilter) bool {
	if f.FilterType != "PROPERTY" || f.Operation == nil {
		// TODO: evaluate ASSOCIATION, IN_LIST and subscription filter types.
		return false
	}
	op := f.Operation
	v, has := r.props[f.Property]
	if !has || v == "" {
		switch op.Operator {
		case "IS_UNKNOWN", "IS_NOT_KNOWN":
			return true
		case "IS_KNOWN":
			return false
		}
		return op.IncludeObjectsWithNoValueSet
	}

	switch op.Operator {
	case "IS_KNOWN":
		return true
	case "IS_UNKNOWN", "IS_NOT_KNOWN":
		return false
	}

	switch strings.ToUpper(op.OperationType) {
	case "STRING", "MULTISTRING":
		return matchString(op, v)
	case "NUMBER":
		return matchNumber(op, v)
	case "BOOL":
		return matchBool(op, v)
	case "ENUMERATION":
		return matchEnum(op, v)
	case "DATETIME", "TIME_POINT", "TIME_RANGED":
		return matchDatetime(op, v)
	}
	return false
}

func rawString(m json.RawMessage) string {
	var s string
	if json.Unmarshal(m, &s) == nil {
		return s
	}
	return strings.Trim(string(m), `"`)
}

func matchString(op *ListOperation, v string) bool {
	targets := op.Values
	if len(op.Value) > 0 {
		targets = append(targets, rawString(op.Value))
	}
	lv := strings.ToLower(v)
	any := func(f func(t string) bool) bool {
		for _, t := range targets {
			if f(strings.ToLower(t)) {
				return true
			}
		}
		return false
	}
	switch op.Operator {
	case "IS_EQUAL_TO":
		return any(func(t string) bool { return lv == t })
	case "IS_NOT_EQUAL_TO":
		return !any(func(t string) bool { return lv == t })
	case "CONTAINS":
		return any(func(t string) bool { return strings.Contains(lv, t) })
	case "DOES_NOT_CONTAIN":
		return !any(func(t string) bool { return strings.Contains(lv, t) })
	case "STARTS_WITH":
		return any(func(t string) bool { return strings.HasPrefix(lv, t) })
	case "ENDS_WITH":
		return any(func(t string) bool { return strings.HasSuffix(lv, t) })
	}
	return false
}

func matchNumber(op *ListOperation, v string) bool {
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return false
	}
	num := func(m json.RawMessage) (float64, bool) {
		f, err := strconv.ParseFloat(rawString(m), 64)
		return f, err == nil
	}
	t, ok := num(op.Value)
	switch op.Operator {
	case "IS_EQUAL_TO":
		return ok && x == t
	case "IS_NOT_EQUAL_TO":
		return ok && x != t
	case "IS_GREATER_THAN":
		return ok && x > t
	case "IS_GREATER_THAN_OR_EQUAL_TO":
		return ok && x >= t
	case "IS_LESS_THAN":
		return ok && x < t
	case "IS_LESS_THAN_OR_EQUAL_TO":
		return ok && x <= t
	case "IS_BETWEEN", "IS_NOT_BETWEEN":
		lo, ok1 := num(op.LowerBound)
		hi, ok2 := num(op.UpperBound)
		in := ok1 && ok2 && x >= lo && x <= hi
		if op.Operator == "IS_BETWEEN" {
			return in
		}
		return ok1 && ok2 && !in
	}
	return false
}

func matchBool(op *ListOperation, v string) bool {
	t := strings.ToLower(rawString(op.Value))
	switch op.Operator {
	case "IS_EQUAL_TO":
		return strings.ToLower(v) == t
	case "IS_NOT_EQUAL_TO":
		return strings.ToLower(v) != t
	}
	return false
}

func matchEnum(op *ListOperation, v string) bool {
	have := map[string]bool{}
	for _, p := range splitMulti(v) {
		have[p] = true
	}
	countIn := 0
	for _, t := range op.Values {
		if have[t] {
			countIn++
		}
	}
	switch op.Operator {
	case "IS_ANY_OF":
		return countIn > 0
	case "IS_NONE_OF":
		return countIn == 0
	case "IS_EXACTLY":
		return countIn == len(op.Values) && len(have) == len(op.Values)
	case "IS_NOT_EXACTLY":
		return !(countIn == len(op.Values) && len(have) == len(op.Values))
	case "CONTAINS_ALL":
		return countIn == len(op.Values)
	case "DOES_NOT_CONTAIN_ALL":
		return countIn < len(op.Values)
	}
	return false
}

// timePointMillis returns the start of a DATE time point (or a raw
// timestamp) in epoch ms, and the length of its day.
func timePointMillis(tp *TimePoint) (int64, int64, bool) {
	if tp == nil {
		return 0, 0, false
	}
	if tp.Timestamp != 0 {
		return tp.Timestamp, 1, true
	}
	loc := time.UTC
	if tp.ZoneID != "" {
		if l, err := time.LoadLocation(tp.ZoneID); err == nil {
			loc = l
		}
	}
	if tp.Year == 0 {
		return 0, 0, false
	}
	start := time.Date(tp.Year, time.Month(tp.Month), tp.Day, tp.Hour, tp.Minute, 0, 0, loc)
	return start.UnixMilli(), start.AddDate(0, 0, 1).UnixMilli() - start.UnixMilli(), true
}

func matchDatetime(op *ListOperation, v string) bool {
	x, ok := timeMillis(v)
	if !ok {
		return false
	}
	if len(op.Value) > 0 && op.TimePoint == nil {
		if ms, err := strconv.ParseInt(rawString(op.Value), 10, 64); err == nil {
			op = &ListOperation{Operator: op.Operator, TimePoint: &TimePoint{Timestamp: ms}, LowerBoundTimePoint: op.LowerBoundTimePoint, UpperBoundTimePoint: op.UpperBoundTimePoint}
		}
	}
	switch op.Operator {
	case "IS_AFTER", "IS_AFTER_DATE":
		t, span, ok := timePointMillis(op.TimePoint)
		return ok && x >= t+span
	case "IS_BEFORE", "IS_BEFORE_DATE":
		t, _, ok := timePointMillis(op.TimePoint)
		return ok && x < t
	case "IS_EQUAL_TO", "IS_ON_DATE":
		t, span, ok := timePointMillis(op.TimePoint)
		return ok && x >= t && x < t+span
	case "IS_BETWEEN", "IS_NOT_BETWEEN":
		lo, _, ok1 := timePointMillis(op.LowerBoundTimePoint)
		hi, span, ok2 := timePointMillis(op.UpperBoundTimePoint)
		in := ok1 && ok2 && x >= lo && x < hi+span
		if op.Operator == "IS_BETWEEN" {
			return in
		}
		return ok1 && ok2 && !in
	}
	return false
}

// checkFilterBranch rejects filter trees the emulator cannot store.
func checkFilterBranch(b *FilterBranch, depth int) error {
	if depth > 10 {
		return fmt.Errorf("filterBranch nests deeper than 10 levels")
	}
	switch strings.ToUpper(b.FilterBranchType) {
	case "OR", "AND", "RESTRICTED", "UNIFIED_EVENTS", "ASSOCIATION", "NOT_ALL", "NOT_ANY":
	default:
		return fmt.Errorf("invalid filterBranchType %q; use OR or AND", b.FilterBranchType)
	}
	for _, f := range b.Filters {
		if f.FilterType == "" {
			return fmt.Errorf("filter without filterType")
		}
		if f.FilterType == "PROPERTY" {
			if f.Property == "" || f.Operation == nil {
				return fmt.Errorf("PROPERTY filter needs property and operation")
			}
			if f.Operation.OperationType == "" || f.Operation.Operator == "" {
				return fmt.Errorf("filter on %q needs operation.operationType and operation.operator", f.Property)
			}
		}
	}
	for i := range b.FilterBranches {
		if err := checkFilterBranch(&b.FilterBranches[i], depth+1); err != nil {
			return err
		}
	}
	return nil
}
