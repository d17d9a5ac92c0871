package salesforce

import (
	"fmt"
	"maps"
	"net/http"
	"sort"
	"strings"
	"time"
)

// record is one stored record. Deleted records stay until the emulator
// stops, in the recycle bin.
type record struct {
	obj       *objectDef
	id        string
	seq       int64
	fields    map[string]any // canonical field name → stored value
	deleted   bool
	deletedAt time.Time
	// deletedWith is the id whose delete cascaded to this record, so an
	// undelete of that record restores this one too.
	deletedWith string
}

func (r *record) get(name string) any { return r.fields[name] }

func (r *record) str(name string) string {
	s, _ := r.fields[name].(string)
	return s
}

// writeOptions changes how a write is checked.
type writeOptions struct {
	// system skips the read-only checks and keeps system fields given in
	// the input; seeds and state loading use it.
	system bool
	// allowDuplicates is set by Sforce-Duplicate-Rule-Header allowSave=true.
	allowDuplicates bool
	// api marks writes that came through the REST API, which fault
	// injection may fail.
	api bool
	// tx records the changes so an allOrNone batch can roll back.
	tx *txn
}

// txn is an undo log for an allOrNone batch.
type txn struct {
	undo []func()
}

func (t *txn) rollback() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.undo = nil
}

// remember saves r's state before a change.
func (e *Emulator) remember(tx *txn, r *record) {
	if tx == nil {
		return
	}
	saved := *r
	saved.fields = maps.Clone(r.fields)
	tx.undo = append(tx.undo, func() { *r = saved })
}

func (e *Emulator) nowMillis() time.Time { return e.now().UTC().Truncate(time.Millisecond) }

// insertLocked creates a record of o from input fields.
func (e *Emulator) insertLocked(o *objectDef, input map[string]any, opt writeOptions) (*record, *apiError) {
	now := e.nowMillis()
	values := map[string]any{}
	var readOnly []string
	var errs []*apiError

	for key, raw := range input {
		if key == "attributes" {
			continue
		}
		f := o.field(key)
		if f == nil {
			return nil, errInvalidField(o.Name, key)
		}
		if !f.createableFor(opt) {
			if f.Name == "Id" {
				return nil, fieldError("INVALID_FIELD_FOR_INSERT_UPDATE", "Id", "Record ID: cannot specify Id in an insert call")
			}
			readOnly = append(readOnly, f.Name)
			continue
		}
		if opt.system && (f.Name == "Id" || f.Type == "address") {
			continue
		}
		v, err := e.coerce(o, f, raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		values[f.Name] = v
	}
	if len(readOnly) > 0 {
		sort.Strings(readOnly)
		return nil, errReadOnly(readOnly)
	}
	if len(errs) > 0 {
		return nil, errs[0]
	}

	id := ""
	if opt.system {
		if raw, ok := input["Id"].(string); ok && raw != "" {
			n, ok := normalizeID(raw)
			if !ok || n[:3] != o.KeyPrefix {
				return nil, fieldError("MALFORMED_ID", "Id", "Id: %s is not a valid %s id", raw, o.Name)
			}
			if e.records[n] != nil {
				return nil, fieldError("DUPLICATE_VALUE", "Id", "duplicate value found: Id %s", n)
			}
			id = n
		}
	}

	// Defaults, as Salesforce applies them on insert.
	for _, f := range o.Fields {
		if _, set := values[f.Name]; set {
			continue
		}
		switch {
		case f.Type == "boolean":
			b, _ := f.DefaultValue.(bool)
			values[f.Name] = b
		case f.Type == "picklist":
			for _, p := range f.Picklist {
				if p.DefaultValue {
					values[f.Name] = p.Value
				}
			}
		case f.Name == "OwnerId" || f.Name == "CreatedById" || f.Name == "LastModifiedById":
			if e.userID != "" {
				values[f.Name] = e.userID
			}
		}
	}
	for _, name := range []string{"CreatedDate", "LastModifiedDate", "SystemModstamp"} {
		if o.field(name) != nil && values[name] == nil {
			values[name] = now
		}
	}
	if o.field("IsDeleted") != nil {
		values["IsDeleted"] = false
	}
	if o.Name == "User" {
		e.defaultUserFields(values, input)
	}
	if err := e.deriveLocked(o, values, nil); err != nil {
		return nil, err
	}

	var missing []string
	for _, f := range o.Fields {
		if f.requiredOnCreate() && values[f.Name] == nil {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		return nil, errRequired(missing)
	}
	if err := e.checkRecordRulesLocked(o, values, nil, opt); err != nil {
		return nil, err
	}
	if opt.api && e.rollLockFault() {
		target := id
		if target == "" {
			target = "new " + o.Name + " record"
		}
		return nil, errLockRow(target)
	}

	e.seq++
	if id == "" {
		id = newID(o.KeyPrefix, e.seq)
		for e.records[id] != nil {
			e.seq++
			id = newID(o.KeyPrefix, e.seq)
		}
	}
	values["Id"] = id
	r := &record{obj: o, id: id, seq: e.seq, fields: values}
	if deleted, _ := values["IsDeleted"].(bool); deleted {
		r.deleted, r.deletedAt = true, now
	}
	e.addLocked(r)
	if opt.tx != nil {
		opt.tx.undo = append(opt.tx.undo, func() { e.removeLocked(r) })
	}
	if o.Name == "CampaignMember" && !opt.system {
		// A new lead or contact has no memberships yet, so only a new
		// member changes data of other records. Seed loading counts
		// once at the end instead.
		e.refreshCampaignCountsLocked(r, opt.tx)
	}
	return r, nil
}

// addLocked stores a new record and indexes campaign members by
// campaign, so membership checks do not scan every member.
func (e *Emulator) addLocked(r *record) {
	e.records[r.id] = r
	e.byObject[r.obj.Name] = append(e.byObject[r.obj.Name], r)
	if r.obj.Name == "CampaignMember" {
		cid := r.str("CampaignId")
		e.members[cid] = append(e.members[cid], r)
		e.indexMemberLocked(r)
	}
}

// indexMemberLocked records r under its campaign and person ids. Entries
// may go stale when a member is deleted; lookups check the record.
func (e *Emulator) indexMemberLocked(r *record) {
	cid := r.str("CampaignId")
	for _, field := range []string{"LeadId", "ContactId"} {
		if pid := r.str(field); pid != "" {
			e.memberByPerson[cid+"/"+pid] = r
		}
	}
}

// liveMemberLocked returns the live membership of person in campaign, or
// nil.
func (e *Emulator) liveMemberLocked(campaignID, personID string) *record {
	m := e.memberByPerson[campaignID+"/"+personID]
	if m == nil || m.deleted || m.str("CampaignId") != campaignID {
		return nil
	}
	if m.str("LeadId") != personID && m.str("ContactId") != personID {
		return nil
	}
	return m
}

// removeLocked erases a record completely, to roll back its insert.
func (e *Emulator) removeLocked(r *record) {
	delete(e.records, r.id)
	e.byObject[r.obj.Name] = without(e.byObject[r.obj.Name], r)
	if r.obj.Name == "CampaignMember" {
		cid := r.str("CampaignId")
		e.members[cid] = without(e.members[cid], r)
		for key, m := range e.memberByPerson {
			if m == r {
				delete(e.memberByPerson, key)
			}
		}
	}
}

func without(list []*record, r *record) []*record {
	for i, x := range list {
		if x == r {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

func errLockRow(id string) *apiError {
	return newError(http.StatusBadRequest, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: %s", id)
}

func (e *Emulator) defaultUserFields(values, input map[string]any) {
	defaults := map[string]any{
		"TimeZoneSidKey": "Europe/Amsterdam", "LocaleSidKey": "nl_NL", "EmailEncodingKey": "UTF-8",
		"LanguageLocaleKey": "en_US", "ProfileId": "00eKP0000000001" + idSuffix("00eKP0000000001"),
		"IsActive": true, "UserType": "Standard",
	}
	for k, v := range defaults {
		_, given := input[k]
		if values[k] == nil || (k == "IsActive" && !given) {
			values[k] = v
		}
	}
	if values["Alias"] == nil {
		ln, _ := values["LastName"].(string)
		values["Alias"] = strings.ToLower(ln[:min(len(ln), 8)])
	}
	if values["CommunityNickname"] == nil {
		values["CommunityNickname"], _ = values["Username"].(string)
	}
}

// updateLocked changes fields of r.
func (e *Emulator) updateLocked(r *record, input map[string]any, opt writeOptions) *apiError {
	if r.deleted {
		return errEntityDeleted()
	}
	o := r.obj
	if o.Name == "Lead" && r.get("IsConverted") == true && !opt.system {
		return newError(http.StatusBadRequest, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
	}

	values := map[string]any{}
	var readOnly []string
	for key, raw := range input {
		if key == "attributes" {
			continue
		}
		f := o.field(key)
		if f == nil {
			return errInvalidField(o.Name, key)
		}
		if f.Name == "Id" {
			continue
		}
		if !f.updateableFor(opt) {
			readOnly = append(readOnly, f.Name)
			continue
		}
		v, err := e.coerce(o, f, raw)
		if err != nil {
			return err
		}
		values[f.Name] = v
	}
	if len(readOnly) > 0 {
		sort.Strings(readOnly)
		return errReadOnly(readOnly)
	}

	merged := maps.Clone(r.fields)
	maps.Copy(merged, values)
	if err := e.deriveLocked(o, merged, r); err != nil {
		return err
	}
	var missing []string
	for name := range values {
		f := o.field(name)
		if merged[name] == nil && !f.Nillable && f.Type != "boolean" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return errRequired(missing)
	}
	if err := e.checkRecordRulesLocked(o, merged, r, opt); err != nil {
		return err
	}
	if opt.api && e.rollLockFault() {
		return errLockRow(r.id)
	}

	e.remember(opt.tx, r)
	now := e.nowMillis()
	if !opt.system || values["LastModifiedDate"] == nil {
		merged["LastModifiedDate"] = now
		merged["LastModifiedById"] = e.userID
	}
	if !opt.system || values["SystemModstamp"] == nil {
		merged["SystemModstamp"] = now
	}
	r.fields = merged
	e.afterWriteLocked(r, opt)
	return nil
}

// touchLocked moves SystemModstamp after a system change, as Salesforce
// does for changes that are not user edits.
func (e *Emulator) touchLocked(r *record, tx *txn) {
	e.remember(tx, r)
	r.fields["SystemModstamp"] = e.nowMillis()
}

// deleteLocked moves r and its dependents to the recycle bin.
func (e *Emulator) deleteLocked(r *record, opt writeOptions, cascadeFrom string) *apiError {
	if r.deleted {
		return errEntityDeleted()
	}
	if r.obj.field("IsDeleted") == nil {
		return newError(http.StatusBadRequest, "DELETE_FAILED", "%s records cannot be deleted; deactivate a user with IsActive = false", r.obj.Name)
	}
	if opt.api && e.rollLockFault() {
		return errLockRow(r.id)
	}
	e.remember(opt.tx, r)
	now := e.nowMillis()
	r.deleted, r.deletedAt, r.deletedWith = true, now, cascadeFrom
	r.fields["IsDeleted"] = true
	r.fields["SystemModstamp"] = now

	for _, child := range e.dependentsLocked(r) {
		if !child.deleted {
			_ = e.deleteLocked(child, writeOptions{tx: opt.tx}, r.id)
		}
	}
	e.refreshCampaignCountsLocked(r, opt.tx)
	return nil
}

// dependentsLocked returns the records Salesforce deletes along with r:
// an account's contacts, and the campaign members of a lead, contact or
// campaign.
func (e *Emulator) dependentsLocked(r *record) []*record {
	var out []*record
	switch r.obj.Name {
	case "Account":
		for _, c := range e.byObject["Contact"] {
			if c.str("AccountId") == r.id {
				out = append(out, c)
			}
		}
	case "Lead", "Contact", "Campaign":
		field := r.obj.Name + "Id"
		for _, m := range e.byObject["CampaignMember"] {
			if m.str(field) == r.id {
				out = append(out, m)
			}
		}
	}
	return out
}

// undeleteLocked restores r and what its delete took along.
func (e *Emulator) undeleteLocked(r *record, tx *txn) *apiError {
	if !r.deleted {
		return newError(http.StatusBadRequest, "UNDELETE_FAILED", "Entity is not in the recycle bin")
	}
	if mid := r.str("MasterRecordId"); mid != "" {
		return newError(http.StatusBadRequest, "UNDELETE_FAILED", "Entity was merged into %s and cannot be undeleted", mid)
	}
	e.remember(tx, r)
	r.deleted, r.deletedAt, r.deletedWith = false, time.Time{}, ""
	r.fields["IsDeleted"] = false
	r.fields["SystemModstamp"] = e.nowMillis()
	for _, list := range e.byObject {
		for _, x := range list {
			if x.deleted && x.deletedWith == r.id {
				_ = e.undeleteLocked(x, tx)
			}
		}
	}
	e.refreshCampaignCountsLocked(r, tx)
	return nil
}

// afterWriteLocked keeps derived data of related records current.
func (e *Emulator) afterWriteLocked(r *record, opt writeOptions) {
	switch r.obj.Name {
	case "Lead", "Contact":
		// Campaign members copy name, email and opt-out of their person.
		for _, m := range e.byObject["CampaignMember"] {
			if m.str("LeadId") == r.id || m.str("ContactId") == r.id {
				e.remember(opt.tx, m)
				if e.copyPersonLocked(m.fields) {
					m.fields["SystemModstamp"] = e.nowMillis()
				}
			}
		}
	case "CampaignMember":
		e.refreshCampaignCountsLocked(r, opt.tx)
	}
}

// refreshCampaignCountsLocked recomputes the member counters of the
// campaign r belongs to (r is a CampaignMember) or is (r is a Campaign).
func (e *Emulator) refreshCampaignCountsLocked(r *record, tx *txn) {
	campaignID := r.str("CampaignId")
	if r.obj.Name == "Campaign" {
		campaignID = r.id
	}
	if campaignID == "" {
		return
	}
	c := e.records[campaignID]
	if c == nil {
		return
	}

	var leads, converted, contacts, responses float64
	for _, m := range e.members[campaignID] {
		if m.deleted {
			continue
		}
		if lid := m.str("LeadId"); lid != "" {
			leads++
			if l := e.records[lid]; l != nil && l.get("IsConverted") == true {
				converted++
			}
		}
		if m.str("ContactId") != "" {
			contacts++
		}
		if m.get("HasResponded") == true {
			responses++
		}
	}

	e.remember(tx, c)
	c.fields["NumberOfLeads"] = leads
	c.fields["NumberOfConvertedLeads"] = converted
	c.fields["NumberOfContacts"] = contacts
	c.fields["NumberOfResponses"] = responses
}

// deriveLocked computes the fields Salesforce derives from others. old
// is nil on insert.
func (e *Emulator) deriveLocked(o *objectDef, values map[string]any, old *record) *apiError {
	switch o.Name {
	case "Lead", "Contact", "User":
		first, _ := values["FirstName"].(string)
		last, _ := values["LastName"].(string)
		values["Name"] = strings.TrimSpace(first + " " + last)
		if values["Name"] == "" {
			values["Name"] = nil
		}
	case "CampaignMember":
		return e.deriveCampaignMemberLocked(values, old)
	}
	return nil
}

func (e *Emulator) deriveCampaignMemberLocked(values map[string]any, old *record) *apiError {
	if old == nil {
		leadID, _ := values["LeadId"].(string)
		contactID, _ := values["ContactId"].(string)
		if leadID == "" && contactID == "" {
			return errRequired([]string{"ContactId", "LeadId"})
		}
		if leadID != "" {
			if l := e.records[leadID]; l != nil && l.get("IsConverted") == true && contactID == "" {
				return newError(http.StatusBadRequest, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
			}
		}
	}
	status, _ := values["Status"].(string)
	if status == "" {
		values["Status"] = "Sent"
		status = "Sent"
	}
	responded := status == "Responded"
	values["HasResponded"] = responded
	if responded && values["FirstRespondedDate"] == nil {
		values["FirstRespondedDate"] = e.nowMillis().Format("2006-01-02")
	}
	e.copyPersonLocked(values)
	return nil
}

// copyPersonLocked fills a campaign member's copies of its person's
// fields and reports whether any changed.
func (e *Emulator) copyPersonLocked(values map[string]any) bool {
	contactID, _ := values["ContactId"].(string)
	leadID, _ := values["LeadId"].(string)
	var p *record
	kind := ""
	switch {
	case contactID != "":
		p, kind = e.records[contactID], "Contact"
	case leadID != "":
		p, kind = e.records[leadID], "Lead"
	}
	if p == nil {
		return false
	}

	next := map[string]any{
		"Type": kind, "LeadOrContactId": p.id, "LeadOrContactOwnerId": p.get("OwnerId"),
	}
	for _, name := range []string{"FirstName", "LastName", "Salutation", "Name", "Title", "Email", "Phone", "Fax",
		"MobilePhone", "Description", "DoNotCall", "HasOptedOutOfEmail", "HasOptedOutOfFax", "LeadSource"} {
		next[name] = p.get(name)
	}
	if kind == "Lead" {
		for _, name := range []string{"Street", "City", "State", "PostalCode", "Country"} {
			next[name] = p.get(name)
		}
		next["CompanyOrAccount"] = p.get("Company")
	} else {
		next["Street"], next["City"], next["State"] = p.get("MailingStreet"), p.get("MailingCity"), p.get("MailingState")
		next["PostalCode"], next["Country"] = p.get("MailingPostalCode"), p.get("MailingCountry")
		next["CompanyOrAccount"] = nil
		if a := e.records[p.str("AccountId")]; a != nil {
			next["CompanyOrAccount"] = a.get("Name")
		}
	}

	changed := false
	for k, v := range next {
		if values[k] != v {
			values[k] = v
			changed = true
		}
	}
	return changed
}

// checkRecordRulesLocked runs uniqueness, validation and duplicate rules
// on the values a save would store. old is nil on insert.
func (e *Emulator) checkRecordRulesLocked(o *objectDef, values map[string]any, old *record, opt writeOptions) *apiError {
	selfID := ""
	if old != nil {
		selfID = old.id
	}

	if o.Name == "CampaignMember" && old == nil {
		campaignID, _ := values["CampaignId"].(string)
		for _, field := range []string{"LeadId", "ContactId"} {
			if pid, _ := values[field].(string); pid != "" && e.liveMemberLocked(campaignID, pid) != nil {
				return newError(http.StatusBadRequest, "DUPLICATE_VALUE", "Already a campaign member.")
			}
		}
	}

	for _, f := range o.Fields {
		if !f.Unique {
			continue
		}
		v := values[f.Name]
		if v == nil || f.Type == "id" {
			continue
		}
		for _, other := range e.byObject[o.Name] {
			if other.id == selfID || other.deleted {
				continue
			}
			if equalValues(f, other.get(f.Name), v) {
				return fieldError("DUPLICATE_VALUE", f.Name, "duplicate value found: %s duplicates value on record with id: %s", f.Name, other.id)
			}
		}
	}

	if !opt.system && e.cfg.StateCountryPicklists {
		if err := checkStateCountry(o, values); err != nil {
			return err
		}
	}
	if !opt.system {
		for _, rule := range e.cfg.ValidationRules {
			if err := e.runValidationRule(o, rule, values); err != nil {
				return err
			}
		}
	}

	if !opt.system && !opt.allowDuplicates && e.duplicateRules[o.Name] {
		if dup := e.findDuplicateLocked(o, values, selfID); dup != nil {
			return duplicatesDetected(o, dup)
		}
	}
	return nil
}

func equalValues(f *fieldDef, a, b any) bool {
	as, aok := a.(string)
	bs, bok := b.(string)
	if aok && bok && !f.CaseSensitive {
		return strings.EqualFold(as, bs)
	}
	return a == b
}

func (e *Emulator) lookupLocked(id string) (*record, *apiError) {
	n, ok := normalizeID(id)
	if !ok {
		return nil, newError(http.StatusBadRequest, "MALFORMED_ID", "malformed id %s", id)
	}
	r := e.records[n]
	if r == nil {
		return nil, errNotFound()
	}
	return r, nil
}

// formatRecordName is used in admin error messages.
func formatRecordName(r *record) string {
	return fmt.Sprintf("%s %s", r.obj.Name, r.id)
}
