package hubspot

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

var propertyTypes = map[string][]string{
	"string":       {"text", "textarea", "html", "phonenumber", "file", "select", "radio"},
	"number":       {"number", "calculation_equation", "text"},
	"date":         {"date"},
	"datetime":     {"date"},
	"enumeration":  {"select", "radio", "checkbox", "booleancheckbox"},
	"bool":         {"booleancheckbox", "select", "radio"},
	"phone_number": {"phonenumber", "text"},
}

// validPropertyName reports whether n is a valid internal property or
// group name: lower-case letters, digits and underscores, starting with a
// letter or underscore.
func validPropertyName(n string) bool {
	if n == "" || len(n) > 100 {
		return false
	}

	for i, c := range n {
		if !(c >= 'a' && c <= 'z' || c == '_' || (i > 0 && c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

// newCustomProperty checks a property definition and returns it ready to
// add.
func (e *Emulator) newCustomProperty(sp SeedProperty) (*Property, error) {
	if !validPropertyName(sp.Name) {
		return nil, fmt.Errorf("invalid property name %q; use lower-case letters, digits and underscores, starting with a letter", sp.Name)
	}

	fields, ok := propertyTypes[sp.Type]
	if !ok {
		return nil, fmt.Errorf("invalid type %q for property %q; use string, number, date, datetime, enumeration, bool or phone_number", sp.Type, sp.Name)
	}

	okField := false
	for _, f := range fields {
		okField = okField || f == sp.FieldType
	}
	if !okField {
		return nil, fmt.Errorf("invalid fieldType %q for type %q of property %q; use one of %s", sp.FieldType, sp.Type, sp.Name, strings.Join(fields, ", "))
	}

	if sp.Type == "enumeration" && len(sp.Options) == 0 {
		return nil, fmt.Errorf("enumeration property %q needs options", sp.Name)
	}

	now := e.clock()
	p := &Property{
		Name: sp.Name, Label: sp.Label, Type: sp.Type, FieldType: sp.FieldType, GroupName: sp.GroupName,
		Description: sp.Description, Options: append([]Option{}, sp.Options...), HasUniqueValue: sp.HasUniqueValue,
		FormField: true, DisplayOrder: -1,
		ModificationMetadata: &ModificationMetadata{Archivable: true, ReadOnlyDefinition: false, ReadOnlyValue: false},
		CreatedAt:            now, UpdatedAt: now,
	}
	if p.Label == "" {
		p.Label = sp.Name
	}
	if sp.Type == "bool" && len(p.Options) == 0 {
		p.Options = []Option{{Label: "Yes", Value: "true"}, {Label: "No", Value: "false", DisplayOrder: 1}}
	}
	return p, nil
}

func (e *Emulator) addProperty(s *objectStore, p *Property) {
	s.props[p.Name] = p
	if p.HasUniqueValue && s.unique[p.Name] == nil {
		s.unique[p.Name] = map[string]int64{}
	}
	if p.GroupName != "" && !s.hasGroup(p.GroupName) {
		s.groups = append(s.groups, PropertyGroup{Name: p.GroupName, Label: p.GroupName, DisplayOrder: len(s.groups)})
	}
}

func (s *objectStore) hasGroup(name string) bool {
	for _, g := range s.groups {
		if g.Name == name {
			return true
		}
	}
	return false
}

// seedRecordPosition names a seed record for an error message: its
// position counted from 1, and its id when the seed gives one.
func seedRecordPosition(kind string, i int, id string) string {
	if id == "" {
		return fmt.Sprintf("seed %s record %d", kind, i+1)
	}
	return fmt.Sprintf("seed %s record %d (id %s)", kind, i+1, id)
}

// load fills an empty emulator from a seed.
func (e *Emulator) load(seed *Seed) error {
	for i, sp := range seed.Properties {
		s, err := e.store(sp.ObjectType)
		if err != nil {
			return fmt.Errorf("seed property %d (%s): %w", i+1, sp.Name, err)
		}
		if _, exists := s.props[sp.Name]; exists {
			return fmt.Errorf("seed property %d: %s already has a property %q", i+1, s.name, sp.Name)
		}
		p, err := e.newCustomProperty(sp)
		if err != nil {
			return fmt.Errorf("seed property %d (%s): %w", i+1, sp.Name, err)
		}
		e.addProperty(s, p)
	}

	for i, o := range seed.Owners {
		o := o
		if o.ID == "" {
			o.ID = strconv.FormatInt(e.newID(), 10)
		}
		if _, err := parseID(o.ID); err != nil {
			return fmt.Errorf("seed owner %d: %w", i+1, err)
		}
		if o.Type == "" {
			o.Type = "PERSON"
		}
		if o.CreatedAt.IsZero() {
			o.CreatedAt = e.clock()
		}
		if o.UpdatedAt.IsZero() {
			o.UpdatedAt = o.CreatedAt
		}
		e.owners = append(e.owners, &o)
	}
	e.userSource = source{sourceType: "CRM_UI", sourceID: "userId:1"}
	for _, o := range e.owners {
		if o.UserID != 0 && !o.Archived {
			e.userSource = source{sourceType: "CRM_UI", sourceID: fmt.Sprintf("userId:%d", o.UserID), userID: o.UserID}
			break
		}
	}

	for _, email := range seed.OptOuts {
		if !validEmail(email) {
			return fmt.Errorf("seed optOuts: invalid email address %q", email)
		}
		e.prefs.state(email).unsubscribedAll = e.clock()
		for _, d := range subscriptionDefinitions {
			e.prefs.state(email).statuses[d.ID] = subscriptionChoice{status: "UNSUBSCRIBED", at: e.clock(), source: "IMPORT"}
		}
	}

	for _, kind := range []struct {
		name string
		recs []SeedRecord
	}{{"contacts", seed.Contacts}, {"companies", seed.Companies}} {
		s := e.types[kind.name]
		for i := range kind.recs {
			if err := e.loadRecord(s, &kind.recs[i]); err != nil {
				return fmt.Errorf("%s: %w", seedRecordPosition(kind.name, i, kind.recs[i].ID), err)
			}
		}
		sort.Slice(s.order, func(i, j int) bool { return s.order[i] < s.order[j] })
	}

	for i, a := range seed.Associations {
		c, err1 := parseID(a.ContactID)
		co, err2 := parseID(a.CompanyID)
		if err1 != nil || err2 != nil || e.types["contacts"].records[c] == nil || e.types["companies"].records[co] == nil {
			return fmt.Errorf("seed association %d: contact %q or company %q not found in the seed", i+1, a.ContactID, a.CompanyID)
		}
		e.assocs.link(c, co, a.Primary, nil)
		if a.Primary {
			e.types["contacts"].records[c].props["associatedcompanyid"] = strconv.FormatInt(co, 10)
		}
	}

	for i, sl := range seed.Lists {
		if _, err := e.createList(sl); err != nil {
			return fmt.Errorf("seed list %d (%s): %w", i+1, sl.Name, err)
		}
	}
	return nil
}

func (e *Emulator) loadRecord(s *objectStore, sr *SeedRecord) error {
	props := maps.Clone(sr.Properties)
	for _, k := range []string{"hs_object_id", "createdate", s.modifiedKey, "hs_merged_object_ids", "hs_email_optout", "associatedcompanyid"} {
		delete(props, k)
	}
	src := source{sourceType: "IMPORT", sourceID: "seed", trusted: true}
	values, ae := e.validate(s, props, src)
	if ae != nil {
		return fmt.Errorf("%s", ae.body.Message)
	}

	var id int64
	if sr.ID != "" {
		n, err := parseID(sr.ID)
		if err != nil {
			return err
		}
		if s.records[n] != nil {
			return fmt.Errorf("duplicate id %s", sr.ID)
		}
		id = n
		if id >= e.nextID {
			e.nextID = id + 1
		}
	} else {
		id = e.newID()
	}

	now := e.clock()
	r := &record{id: id, props: map[string]string{}, history: map[string][]HistoryEntry{},
		createdAt: sr.CreatedAt.UTC(), updatedAt: sr.UpdatedAt.UTC(), archived: sr.Archived, archivedAt: sr.ArchivedAt.UTC()}
	if r.createdAt.IsZero() {
		r.createdAt = now
	}
	if r.updatedAt.IsZero() {
		r.updatedAt = r.createdAt
	}
	if r.archived && r.archivedAt.IsZero() {
		r.archivedAt = r.updatedAt
	}
	if sr.MergedInto != "" {
		m, err := parseID(sr.MergedInto)
		if err != nil {
			return fmt.Errorf("mergedInto: %w", err)
		}
		r.mergedInto = m
	}
	for k, v := range values {
		if v != "" {
			r.props[k] = v
		}
	}
	for _, k := range []string{"hs_merged_object_ids", "hs_email_optout", "associatedcompanyid"} {
		if v := sr.Properties[k]; v != "" {
			r.props[k] = v
		}
	}
	r.props["hs_object_id"] = strconv.FormatInt(id, 10)
	r.props["createdate"] = formatTime(r.createdAt)
	r.props[s.modifiedKey] = formatTime(r.updatedAt)
	if s.name == "contacts" && e.prefs.optedOut(r.props["email"]) {
		r.props["hs_email_optout"] = "true"
	}

	if len(sr.History) > 0 {
		r.history = sr.History
	} else {
		for k, v := range r.props {
			r.history[k] = []HistoryEntry{{Value: v, Timestamp: r.updatedAt, SourceType: "IMPORT", SourceID: "seed"}}
		}
	}

	if !r.archived && r.mergedInto == 0 {
		if ae := e.checkUnique(s, r.props, r.id); ae != nil {
			return fmt.Errorf("%s", ae.body.Message)
		}
	}
	s.records[id] = r
	s.order = append(s.order, id)
	if !r.archived && r.mergedInto == 0 {
		s.indexUnique(r)
	}
	return nil
}

// createList adds a list from a seed entry or an API request.
func (e *Emulator) createList(sl SeedList) (*list, error) {
	name := strings.TrimSpace(sl.Name)
	if name == "" {
		return nil, fmt.Errorf("missing list name")
	}

	if _, dup := e.listNames[strings.ToLower(name)]; dup {
		return nil, fmt.Errorf("a list named %q already exists; list names are unique", name)
	}

	if sl.ObjectTypeID == "" {
		sl.ObjectTypeID = "0-1"
	}
	if _, ok := e.types[normalizeObjectType(sl.ObjectTypeID)]; !ok {
		return nil, fmt.Errorf("unsupported objectTypeId %q; use 0-1 (contacts) or 0-2 (companies)", sl.ObjectTypeID)
	}

	switch sl.ProcessingType {
	case "MANUAL":
	case "DYNAMIC", "SNAPSHOT":
		if sl.FilterBranch == nil {
			return nil, fmt.Errorf("a %s list needs a filterBranch", sl.ProcessingType)
		}
	default:
		return nil, fmt.Errorf("invalid processingType %q; use MANUAL, DYNAMIC or SNAPSHOT", sl.ProcessingType)
	}

	if sl.FilterBranch != nil {
		if err := checkFilterBranch(sl.FilterBranch, 0); err != nil {
			return nil, err
		}
	}

	var id int64
	if sl.ID != "" {
		n, err := parseID(sl.ID)
		if err != nil {
			return nil, err
		}
		if e.lists[n] != nil {
			return nil, fmt.Errorf("duplicate listId %s", sl.ID)
		}
		id = n
		if id >= e.nextID {
			e.nextID = id + 1
		}
	} else {
		id = e.newID()
	}
	now := e.clock()
	created := sl.CreatedAt
	if created.IsZero() {
		created = now
	}
	l := &list{ID: id, Name: name, ObjectTypeID: "0-" + map[string]string{"contacts": "1", "companies": "2"}[normalizeObjectType(sl.ObjectTypeID)],
		ProcessingType: sl.ProcessingType, Filter: sl.FilterBranch, Version: 1, CreatedAt: created, UpdatedAt: created,
		members: map[int64]time.Time{}}
	if l.ProcessingType != "MANUAL" {
		e.populate(l)
	}
	if l.ProcessingType != "DYNAMIC" {
		if _, missing := e.addMembers(l, sl.Members); len(missing) > 0 {
			return nil, fmt.Errorf("members not found: %s", strings.Join(missing, ", "))
		}
	}
	for raw, joined := range sl.MembershipTimestamps {
		n, err := parseID(raw)
		if err != nil {
			return nil, fmt.Errorf("membershipTimestamps: %w", err)
		}
		if _, in := l.members[n]; in && !joined.IsZero() {
			l.members[n] = joined
		}
	}
	if !sl.UpdatedAt.IsZero() {
		l.UpdatedAt = sl.UpdatedAt
	}
	e.lists[id] = l
	e.listNames[strings.ToLower(name)] = id
	return l, nil
}

// Snapshot returns the full state as a seed, including ids, timestamps and
// property history, so a saved file restores the same account.
func (e *Emulator) Snapshot() *Seed {
	e.mu.Lock()
	defer e.mu.Unlock()

	out := &Seed{Config: e.cfg, NextID: e.nextID}
	for _, name := range []string{"contacts", "companies"} {
		s := e.types[name]
		for _, p := range s.props {
			if !p.HubspotDefined {
				out.Properties = append(out.Properties, SeedProperty{ObjectType: name, Name: p.Name, Label: p.Label, Type: p.Type,
					FieldType: p.FieldType, GroupName: p.GroupName, Description: p.Description, Options: p.Options, HasUniqueValue: p.HasUniqueValue})
			}
		}
		var recs []SeedRecord
		for _, id := range s.order {
			r := s.records[id]
			sr := SeedRecord{ID: strconv.FormatInt(id, 10), Properties: maps.Clone(r.props), CreatedAt: r.createdAt,
				UpdatedAt: r.updatedAt, Archived: r.archived, ArchivedAt: r.archivedAt, History: r.history}
			if r.mergedInto != 0 {
				sr.MergedInto = strconv.FormatInt(r.mergedInto, 10)
			}
			recs = append(recs, sr)
		}
		if name == "contacts" {
			out.Contacts = recs
		} else {
			out.Companies = recs
		}
	}
	sort.Slice(out.Properties, func(i, j int) bool { return out.Properties[i].Name < out.Properties[j].Name })
	for _, o := range e.owners {
		out.Owners = append(out.Owners, *o)
	}
	for k, entry := range e.assocs.pairs {
		out.Associations = append(out.Associations, SeedAssociation{ContactID: strconv.FormatInt(k.contact, 10),
			CompanyID: strconv.FormatInt(k.company, 10), Primary: entry.primary})
	}
	sort.Slice(out.Associations, func(i, j int) bool {
		a, b := out.Associations[i], out.Associations[j]
		return a.ContactID+"/"+a.CompanyID < b.ContactID+"/"+b.CompanyID
	})
	var ids []int64
	for id := range e.lists {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		l := e.lists[id]
		if l.deleted {
			continue
		}
		sl := SeedList{ID: strconv.FormatInt(id, 10), Name: l.Name, ObjectTypeID: l.ObjectTypeID, ProcessingType: l.ProcessingType,
			FilterBranch: l.Filter, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt, MembershipTimestamps: map[string]time.Time{}}
		for _, m := range sortedMembers(l) {
			key := strconv.FormatInt(m, 10)
			if l.ProcessingType != "DYNAMIC" {
				sl.Members = append(sl.Members, key)
			}
			sl.MembershipTimestamps[key] = l.members[m]
		}
		out.Lists = append(out.Lists, sl)
	}
	for email, st := range e.prefs.byEmail {
		if !st.unsubscribedAll.IsZero() {
			out.OptOuts = append(out.OptOuts, email)
		}
	}
	sort.Strings(out.OptOuts)
	return out
}

func sortedMembers(l *list) []int64 {
	ids := make([]int64, 0, len(l.members))
	for m := range l.members {
		ids = append(ids, m)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// SaveState writes the state to path atomically (a temporary file renamed
// into place) with mode 0600, because the config holds tokens and secrets.
func (e *Emulator) SaveState(path string) error {
	data, err := json.MarshalIndent(e.Snapshot(), "", "  ")
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".hubspot-state-*")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}

	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}

	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}

	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save state: %w", err)
	}

	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save state: %w", err)
	}

	return nil
}
