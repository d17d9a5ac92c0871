package hubspot

import (
	"sort"
	"strconv"
)

// HubSpot-defined association type ids between contacts and companies.
const (
	typeContactToPrimaryCompany = 1
	typeCompanyToPrimaryContact = 2
	typeContactToCompany        = 279
	typeCompanyToContact        = 280
)

// assocKey is one contact–company pair.
type assocKey struct{ contact, company int64 }

// assocEntry is the association of one pair: the unlabeled default (always
// present), the primary flag, and user-defined label type ids.
type assocEntry struct {
	primary bool
	labels  map[int]bool
}

type associations struct {
	pairs      map[assocKey]*assocEntry
	byContact  map[int64]map[int64]bool
	byCompany  map[int64]map[int64]bool
	primaryOf  map[int64]int64 // contact → primary company
	labelTypes []associationLabel
}

// associationLabel is a row of GET /crm/v4/associations/{from}/{to}/labels.
type associationLabel struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

func newAssociations() *associations {
	return &associations{
		pairs: map[assocKey]*assocEntry{}, byContact: map[int64]map[int64]bool{},
		byCompany: map[int64]map[int64]bool{}, primaryOf: map[int64]int64{},
	}
}

func (a *associations) get(contact, company int64) *assocEntry {
	return a.pairs[assocKey{contact, company}]
}

func (a *associations) companiesOf(contact int64) []int64 { return sortedKeys(a.byContact[contact]) }
func (a *associations) contactsOf(company int64) []int64  { return sortedKeys(a.byCompany[company]) }

func sortedKeys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// link adds or extends the association of a pair and reports whether the
// pair was new.
func (a *associations) link(contact, company int64, primary bool, labels []int) bool {
	k := assocKey{contact, company}
	entry, ok := a.pairs[k]
	if !ok {
		entry = &assocEntry{labels: map[int]bool{}}
		a.pairs[k] = entry
		if a.byContact[contact] == nil {
			a.byContact[contact] = map[int64]bool{}
		}
		if a.byCompany[company] == nil {
			a.byCompany[company] = map[int64]bool{}
		}
		a.byContact[contact][company] = true
		a.byCompany[company][contact] = true
	}
	if primary {
		if old, had := a.primaryOf[contact]; had && old != company {
			if e := a.pairs[assocKey{contact, old}]; e != nil {
				e.primary = false
			}
		}
		entry.primary = true
		a.primaryOf[contact] = company
	}
	for _, l := range labels {
		entry.labels[l] = true
	}
	return !ok
}

func (a *associations) unlink(contact, company int64) bool {
	k := assocKey{contact, company}
	if _, ok := a.pairs[k]; !ok {
		return false
	}
	delete(a.pairs, k)
	delete(a.byContact[contact], company)
	delete(a.byCompany[company], contact)
	if a.primaryOf[contact] == company {
		delete(a.primaryOf, contact)
	}
	return true
}

// removeAllOf drops every association of an archived record.
func (a *associations) removeAllOf(objectType string, id int64) {
	if objectType == "contacts" {
		for _, co := range a.companiesOf(id) {
			a.unlink(id, co)
		}
		return
	}
	for _, c := range a.contactsOf(id) {
		a.unlink(c, id)
	}
}

// moveAll moves the associations of a merged record to the primary.
func (a *associations) moveAll(objectType string, from, to int64) {
	if objectType == "contacts" {
		for _, co := range a.companiesOf(from) {
			e := a.pairs[assocKey{from, co}]
			a.unlink(from, co)
			a.link(to, co, e.primary && a.primaryOf[to] == 0, labelList(e))
		}
		return
	}
	for _, c := range a.contactsOf(from) {
		e := a.pairs[assocKey{c, from}]
		a.unlink(c, from)
		a.link(c, to, e.primary, labelList(e))
	}
}

func labelList(e *assocEntry) []int {
	var out []int
	for l := range e.labels {
		out = append(out, l)
	}
	sort.Ints(out)
	return out
}

// typesFrom lists the association types of a pair seen from one side.
func (a *associations) typesFrom(fromType string, e *assocEntry) []assocType {
	var out []assocType
	if fromType == "contacts" {
		if e.primary {
			out = append(out, assocType{Category: "HUBSPOT_DEFINED", TypeID: typeContactToPrimaryCompany, Label: strPtr("Primary")})
		}
		out = append(out, assocType{Category: "HUBSPOT_DEFINED", TypeID: typeContactToCompany})
	} else {
		if e.primary {
			out = append(out, assocType{Category: "HUBSPOT_DEFINED", TypeID: typeCompanyToPrimaryContact, Label: strPtr("Primary")})
		}
		out = append(out, assocType{Category: "HUBSPOT_DEFINED", TypeID: typeCompanyToContact})
	}
	for _, l := range labelList(e) {
		out = append(out, assocType{Category: "USER_DEFINED", TypeID: l})
	}
	return out
}

type assocType struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

func strPtr(s string) *string { return &s }

// associate links a contact and a company, keeps associatedcompanyid in
// step with the primary company and sends associationChange events.
func (e *Emulator) associate(c, co *record, primary bool, labels []int, src source) {
	wasPrimary := e.assocs.primaryOf[c.id]
	isNew := e.assocs.link(c.id, co.id, primary, labels)
	if primary && wasPrimary != co.id {
		e.setValues(e.types["contacts"], c, map[string]string{"associatedcompanyid": strconv.FormatInt(co.id, 10)}, src)
	}
	if isNew || (primary && wasPrimary != co.id) {
		e.emitAssociation(c.id, co.id, false, primary, src)
	}
	e.reevaluateLists(e.types["companies"], co)
}

func (e *Emulator) disassociate(c, co *record, src source) bool {
	wasPrimary := e.assocs.primaryOf[c.id] == co.id
	if !e.assocs.unlink(c.id, co.id) {
		return false
	}
	if wasPrimary {
		e.setValues(e.types["contacts"], c, map[string]string{"associatedcompanyid": ""}, src)
	}
	e.emitAssociation(c.id, co.id, true, wasPrimary, src)
	return true
}
