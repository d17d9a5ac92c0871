package hubspot

import (
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"time"
)

// objectStore holds the records and property definitions of one object type.
type objectStore struct {
	name        string // contacts or companies
	typeID      string // 0-1 or 0-2
	modifiedKey string // lastmodifieddate or hs_lastmodifieddate
	props       map[string]*Property
	groups      []PropertyGroup
	records     map[int64]*record
	order       []int64                     // ids in ascending order, for list paging
	unique      map[string]map[string]int64 // property → value → id, live records only
}

// record is one contact or company.
type record struct {
	id         int64
	props      map[string]string
	history    map[string][]HistoryEntry // newest first
	createdAt  time.Time
	updatedAt  time.Time
	archived   bool
	archivedAt time.Time
	mergedInto int64

	// The search index trails writes by the configured lag: until indexDue
	// it shows indexedProps (nil: not yet visible) instead of props.
	stale           bool
	indexedProps    map[string]string
	indexedArchived bool
	indexDue        time.Time
}

// source is who made a change, for history entries and webhook events.
type source struct {
	sourceType string // CRM_UI, INTEGRATION, FORM, EMAIL, …
	sourceID   string
	userID     int64
	appID      int64
	trusted    bool // seed loads may set read-only values
}

func newObjectStore(name, typeID, modifiedKey string, props map[string]*Property, groups []PropertyGroup) *objectStore {
	s := &objectStore{
		name: name, typeID: typeID, modifiedKey: modifiedKey, props: props,
		groups: append([]PropertyGroup(nil), groups...), records: map[int64]*record{}, unique: map[string]map[string]int64{},
	}
	for n, p := range props {
		if p.HasUniqueValue {
			s.unique[n] = map[string]int64{}
		}
	}
	return s
}

func (s *objectStore) singular() string {
	if s.name == "contacts" {
		return "contact"
	}
	return "company"
}

// resolve returns the live or archived record with id, following merges.
func (s *objectStore) resolve(id int64) *record {
	for range 16 {
		r, ok := s.records[id]
		if !ok {
			return nil
		}
		if r.mergedInto == 0 {
			return r
		}
		id = r.mergedInto
	}
	return nil
}

func uniqueKey(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// uniqueValues returns the values of a unique property that identify r.
// A contact's additional emails (from merges) identify it like its email.
func (s *objectStore) uniqueValues(r *record, name string) []string {
	var out []string
	if v := r.props[name]; v != "" {
		out = append(out, v)
	}
	if s.name == "contacts" && name == "email" {
		out = append(out, splitMulti(r.props["hs_additional_emails"])...)
	}
	return out
}

func (s *objectStore) indexUnique(r *record) {
	for name, idx := range s.unique {
		for _, v := range s.uniqueValues(r, name) {
			if _, taken := idx[uniqueKey(v)]; !taken || v == r.props[name] {
				idx[uniqueKey(v)] = r.id
			}
		}
	}
}

func (s *objectStore) unindexUnique(r *record) {
	for name, idx := range s.unique {
		for _, v := range s.uniqueValues(r, name) {
			if idx[uniqueKey(v)] == r.id {
				delete(idx, uniqueKey(v))
			}
		}
	}
}

func (e *Emulator) lookup(objectType, id string) (*objectStore, *record, error) {
	s, err := e.store(objectType)
	if err != nil {
		return nil, nil, err
	}
	n, err := parseID(id)
	if err != nil {
		return nil, nil, err
	}
	r := s.resolve(n)
	if r == nil || r.archived {
		return nil, nil, fmt.Errorf("%s %s not found", s.singular(), id)
	}
	return s, r, nil
}

func (e *Emulator) pair(contactID, companyID string) (*record, *record, error) {
	_, c, err := e.lookup("contacts", contactID)
	if err != nil {
		return nil, nil, err
	}
	_, co, err := e.lookup("companies", companyID)
	if err != nil {
		return nil, nil, err
	}
	return c, co, nil
}

// markStale records the search-visible state before a write when the
// search index lags.
func (e *Emulator) markStale(r *record, isNew bool) {
	if e.searchLag <= 0 {
		return
	}
	if !r.stale {
		r.stale = true
		if !isNew {
			r.indexedProps = maps.Clone(r.props)
			r.indexedArchived = r.archived
		}
	}
	r.indexDue = e.clock().Add(e.searchLag)
}

// searchView returns the properties visible to search, or nil when the record is
// not in the search index.
func (e *Emulator) searchView(r *record, now time.Time) map[string]string {
	if r.stale && now.Before(r.indexDue) {
		if r.indexedProps == nil || r.indexedArchived {
			return nil
		}
		return r.indexedProps
	}
	r.stale, r.indexedProps = false, nil
	if r.archived || r.mergedInto != 0 {
		return nil
	}
	return r.props
}

// create validates props and adds a record.
func (e *Emulator) create(s *objectStore, props map[string]string, src source) (*record, *apiError) {
	values, ae := e.validate(s, props, src)
	if ae != nil {
		return nil, ae
	}
	if ae := e.checkUnique(s, values, 0); ae != nil {
		return nil, ae
	}

	now := e.clock()
	r := &record{id: e.newID(), props: map[string]string{}, history: map[string][]HistoryEntry{}, createdAt: now, updatedAt: now}
	if v, ok := values["createdate"]; ok && v != "" {
		if t, err := time.Parse(isoMillis, v); err == nil {
			r.createdAt = t
		}
	}
	e.markStale(r, true)
	values["hs_object_id"] = strconv.FormatInt(r.id, 10)
	values["createdate"] = formatTime(r.createdAt)
	values[s.modifiedKey] = formatTime(now)
	if s.name == "contacts" && e.prefs.optedOut(values["email"]) {
		values["hs_email_optout"] = "true"
	}
	for k, v := range values {
		if v == "" {
			continue
		}
		r.props[k] = v
		r.history[k] = []HistoryEntry{historyEntry(v, now, src)}
	}
	s.records[r.id] = r
	s.order = append(s.order, r.id)
	s.indexUnique(r)

	e.emitObject(s, "creation", r, src, nil)
	e.reevaluateLists(s, r)
	return r, nil
}

// update validates props and applies the values that differ.
func (e *Emulator) update(s *objectStore, r *record, props map[string]string, src source) *apiError {
	values, ae := e.validate(s, props, src)
	if ae != nil {
		return ae
	}
	if ae := e.checkUnique(s, values, r.id); ae != nil {
		return ae
	}
	if v, ok := values["email"]; ok && s.name == "contacts" && !strings.EqualFold(v, r.props["email"]) {
		// The opt-out belongs to the address: a new address carries its
		// own status, not the old one's.
		values["hs_email_optout"] = ""
		if e.prefs.optedOut(v) {
			values["hs_email_optout"] = "true"
		}
	}
	e.setValues(s, r, values, src)
	return nil
}

// setValues writes already valid values. It bumps the modified date even
// when no value changed, as HubSpot does for any accepted write.
func (e *Emulator) setValues(s *objectStore, r *record, values map[string]string, src source) {
	now := e.clock()
	e.markStale(r, false)
	s.unindexUnique(r)

	var changed []string
	for k, v := range values {
		if r.props[k] == v {
			continue
		}
		if v == "" {
			delete(r.props, k)
		} else {
			r.props[k] = v
		}
		r.history[k] = append([]HistoryEntry{historyEntry(v, now, src)}, r.history[k]...)
		changed = append(changed, k)
	}
	sort.Strings(changed)
	s.indexUnique(r)

	r.updatedAt = now
	r.props[s.modifiedKey] = formatTime(now)
	r.history[s.modifiedKey] = append([]HistoryEntry{historyEntry(r.props[s.modifiedKey], now, src)}, r.history[s.modifiedKey]...)

	for _, k := range changed {
		e.emitObject(s, "propertyChange", r, src, &propertyChange{name: k, value: r.props[k]})
	}
	e.reevaluateLists(s, r)
}

func (e *Emulator) checkUnique(s *objectStore, values map[string]string, self int64) *apiError {
	for name, idx := range s.unique {
		v := values[name]
		if v == "" {
			continue
		}
		if other, ok := idx[uniqueKey(v)]; ok && other != self {
			if name == "email" {
				return conflictError(fmt.Sprintf("Contact already exists. Existing ID: %d", other))
			}
			return conflictError(fmt.Sprintf("A %s with %s %q already exists. Existing ID: %d", s.singular(), name, v, other))
		}
	}
	return nil
}

func (e *Emulator) archive(s *objectStore, r *record, src source) {
	if r.archived {
		return
	}
	now := e.clock()
	e.markStale(r, false)
	s.unindexUnique(r)
	r.archived, r.archivedAt, r.updatedAt = true, now, now

	e.assocs.removeAllOf(s.name, r.id)
	for _, l := range e.lists {
		delete(l.members, r.id)
	}
	e.emitObject(s, "deletion", r, src, nil)
}

func (e *Emulator) restore(s *objectStore, r *record, src source) *apiError {
	if ae := e.checkUnique(s, r.props, r.id); ae != nil {
		return ae
	}
	now := e.clock()
	e.markStale(r, false)
	r.archived, r.archivedAt, r.updatedAt = false, time.Time{}, now
	r.props[s.modifiedKey] = formatTime(now)
	s.indexUnique(r)

	e.emitObject(s, "restore", r, src, nil)
	e.reevaluateLists(s, r)
	return nil
}

// merge folds the record mergedID into primaryID: the primary keeps its
// values and gains the ones it lacks, the merged id is added to
// hs_merged_object_ids and keeps resolving to the primary on single GETs.
func (e *Emulator) merge(s *objectStore, primaryID, mergedID string, src source) (*record, *apiError) {
	pid, err1 := parseID(primaryID)
	mid, err2 := parseID(mergedID)
	if err1 != nil || err2 != nil {
		return nil, validationError("Invalid input JSON on line 1: primaryObjectId and objectIdToMerge must be record ids", nil)
	}
	p := s.resolve(pid)
	m := s.resolve(mid)
	if p == nil || p.archived {
		return nil, notFoundError(fmt.Sprintf("Object not found. objectId: %s", primaryID), primaryID)
	}
	if m == nil || m.archived {
		return nil, notFoundError(fmt.Sprintf("Object not found. objectId: %s", mergedID), mergedID)
	}
	if p == m {
		return nil, validationError("Cannot merge a record with itself", nil)
	}

	now := e.clock()
	values := map[string]string{}
	moved := 0
	for k, v := range m.props {
		if p.props[k] != "" || isSystemProperty(s, k) || k == "email" {
			continue
		}
		values[k] = v
		moved++
	}
	if s.name == "contacts" && m.props["email"] != "" {
		extra := splitMulti(p.props["hs_additional_emails"])
		extra = append(extra, m.props["email"])
		extra = append(extra, splitMulti(m.props["hs_additional_emails"])...)
		values["hs_additional_emails"] = joinMulti(extra)
	}
	merged := splitMulti(p.props["hs_merged_object_ids"])
	merged = append(merged, strconv.FormatInt(m.id, 10))
	merged = append(merged, splitMulti(m.props["hs_merged_object_ids"])...)
	values["hs_merged_object_ids"] = joinMulti(merged)

	s.unindexUnique(m)
	e.markStale(m, false)
	m.mergedInto, m.updatedAt = p.id, now
	e.assocs.moveAll(s.name, m.id, p.id)
	for _, l := range e.lists {
		if t, ok := l.members[m.id]; ok {
			delete(l.members, m.id)
			if _, in := l.members[p.id]; !in && l.ProcessingType != "DYNAMIC" {
				l.members[p.id] = t
			}
		}
	}

	e.setValues(s, p, values, src)
	e.emitMerge(s, p, m, moved, src)
	return p, nil
}

func isSystemProperty(s *objectStore, k string) bool {
	switch k {
	case "hs_object_id", "createdate", s.modifiedKey, "hs_merged_object_ids", "hs_additional_emails":
		return true
	}
	return false
}

func historyEntry(v string, at time.Time, src source) HistoryEntry {
	return HistoryEntry{Value: v, Timestamp: at, SourceType: src.sourceType, SourceID: src.sourceID, UpdatedByUserID: src.userID}
}

const isoMillis = "2006-01-02T15:04:05.000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func splitMulti(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(v, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func joinMulti(vs []string) string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vs {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return strings.Join(out, ";")
}
