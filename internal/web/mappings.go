package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// mappingRow is one line of the field mappings table.
type mappingRow struct {
	ID           string
	HubSpotName  string
	HubSpotLabel string
	HubSpotType  string
	Fields       []mapping.SalesforceField
	Rule         mapping.Rule
	Allowed      []mapping.Rule
	Default      bool
	Kind         mapping.MappingKind
}

// Objects returns the message id naming the Salesforce objects.
func (m mappingRow) Objects() string {
	var lead, contact, account bool
	for _, f := range m.Fields {
		switch f.Object {
		case mapping.ObjectLead:
			lead = true
		case mapping.ObjectContact:
			contact = true
		case mapping.ObjectAccount:
			account = true
		}
	}
	switch {
	case account:
		return "mappings.account"
	case lead && contact:
		return "mappings.both"
	case lead:
		return "mappings.lead"
	}
	return "mappings.contact"
}

// Fixed reports whether the admin cannot change the rule.
func (m mappingRow) Fixed() bool { return len(m.Allowed) == 1 }

type mappingsPage struct {
	Version   int64
	Contacts  []mappingRow
	Companies []mappingRow
	Errors    []string
	Preview   *preview
	Hidden    url.Values
}

// allowedRules returns the rules offered for m. A custom mapping loaded
// from the store has no field types until the engine reads both schemas,
// so every rule is offered and the engine checks the pair.
func allowedRules(m mapping.Mapping) []mapping.Rule {
	if !m.Default && m.HubSpot.Type == "" {
		return mapping.Rules
	}
	return mapping.AllowedRules(m)
}

func mappingRows(ms []mapping.Mapping) (contacts, companies []mappingRow) {
	for _, m := range ms {
		row := mappingRow{
			ID: m.ID, HubSpotName: m.HubSpot.Name, HubSpotLabel: m.HubSpot.Label, HubSpotType: m.HubSpot.FieldType,
			Fields: m.Salesforce, Rule: m.Rule, Allowed: allowedRules(m), Default: m.Default, Kind: m.Kind,
		}
		if _, company := m.Field(mapping.ObjectAccount); company {
			companies = append(companies, row)
		} else {
			contacts = append(contacts, row)
		}
	}
	return contacts, companies
}

// describeMappings replaces cv's mappings with the portal's and the org's
// definitions where it can read them, so custom mappings show their
// types and offer only the rules their fields allow. Without the
// definitions the page still works, with the default mappings' types.
func (s *server) describeMappings(r *http.Request, cv *connView) {
	sc, err := s.schemaOf(r, cv)
	if err != nil {
		s.log.Warn("read field definitions for the mappings page", "connection", cv.Rec.Name, "err", err)
		return
	}
	cv.Mappings = sc.describe(cv.Mappings)
}

func (s *server) getMappings(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	s.describeMappings(r, cv)
	page := mappingsPage{Version: cv.Rec.SettingsVersion}
	page.Contacts, page.Companies = mappingRows(cv.Mappings)
	flash := ""
	if r.URL.Query().Get("saved") == "1" {
		flash = "flash.saved"
	}
	s.render(w, r, http.StatusOK, "mappings", pageData{Title: "mappings.title", Conn: &cv.Rec, Nav: "mappings", Flash: flash, Body: page})
}

// parseMappingsForm applies the rule of every mapping in the form, and
// removes the custom mappings ticked for removal. Default mappings cannot
// be removed, and a rule the mapping does not allow is an error.
func (s *server) parseMappingsForm(r *http.Request, cv *connView) ([]mapping.Mapping, int64, []string) {
	l := s.loc(r)
	var errs []string
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version < 1 {
		errs = append(errs, l.T("settings.err_version", "Value", r.PostFormValue("version")))
	}
	remove := r.PostForm["remove"]

	var out []mapping.Mapping
	for _, m := range cv.Mappings {
		if slices.Contains(remove, m.ID) {
			if m.Default {
				errs = append(errs, l.T("mappings.err_remove_default", "Value", m.HubSpot.Name))
				out = append(out, m)
			}
			continue
		}
		raw, given := r.PostForm["rule."+m.ID]
		if given && len(raw) == 1 && raw[0] != string(m.Rule) {
			rule := mapping.Rule(raw[0])
			if !slices.Contains(allowedRules(m), rule) {
				errs = append(errs, l.T("mappings.err_rule", "Value", raw[0], "Mapping", m.HubSpot.Name, "Allowed", ruleNames(l, allowedRules(m))))
			} else {
				m.Rule = rule
			}
		}
		out = append(out, m)
	}
	for _, id := range remove {
		if !slices.ContainsFunc(cv.Mappings, func(m mapping.Mapping) bool { return m.ID == id }) {
			errs = append(errs, l.T("mappings.err_unknown", "Value", id))
		}
	}
	return out, version, errs
}

func ruleNames(l *loc, rules []mapping.Rule) string {
	s := ""
	for i, r := range rules {
		if i > 0 {
			s += ", "
		}
		s += l.T("rule." + string(r))
	}
	return s
}

func (s *server) mappingsPageFor(cv *connView, ms []mapping.Mapping, version int64, errs []string) *mappingsPage {
	page := &mappingsPage{Version: version, Errors: errs}
	page.Contacts, page.Companies = mappingRows(ms)
	return page
}

func (s *server) postMappingsPreview(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	s.describeMappings(r, cv)
	ms, version, errs := s.parseMappingsForm(r, cv)
	page := s.mappingsPageFor(cv, ms, version, errs)
	pd := pageData{Title: "mappings.title", Conn: &cv.Rec, Nav: "mappings", Body: page}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "mappings", pd)
		return
	}

	c, err := s.clients(r, cv.Rec)
	if err == nil {
		var p preview
		p, err = s.computePreview(r.Context(), cv, c, cv.Settings, ms)
		if err == nil {
			p.Changed = mappingChanges(s.loc(r), cv.Mappings, ms)
			page.Preview = &p
			page.Hidden = r.PostForm
			s.render(w, r, http.StatusOK, "mappings", pd)
			return
		}
	}
	s.log.Warn("mappings preview failed", "connection", cv.Rec.Name, "err", err)
	page.Errors = []string{s.loc(r).T("preview.unavailable", "Error", err.Error())}
	s.render(w, r, http.StatusBadGateway, "mappings", pd)
}

func (s *server) postMappings(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	s.describeMappings(r, cv)
	ms, version, errs := s.parseMappingsForm(r, cv)
	page := s.mappingsPageFor(cv, ms, version, errs)
	pd := pageData{Title: "mappings.title", Conn: &cv.Rec, Nav: "mappings", Body: page}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "mappings", pd)
		return
	}

	rec := cv.Rec
	rec.SettingsVersion = version
	if _, err := connection.Apply(r.Context(), s.st, rec, cv.Settings, ms); err != nil {
		if errors.Is(err, store.ErrConflict) {
			page.Errors = []string{s.loc(r).T("settings.err_conflict")}
			s.render(w, r, http.StatusConflict, "mappings", pd)
			return
		}
		s.serverError(w, r, err)
		return
	}
	s.log.Info("mappings saved", "connection", cv.Rec.Name, "user_id", state(r).user.ID)
	http.Redirect(w, r, fmt.Sprintf("/c/%s/mappings?saved=1", url.PathEscape(cv.Rec.Name)), http.StatusSeeOther)
}

// mappingChanges lists the rules the edit changes and the mappings it
// removes.
func mappingChanges(l *loc, old, new []mapping.Mapping) []changeLine {
	var out []changeLine
	for _, o := range old {
		i := slices.IndexFunc(new, func(m mapping.Mapping) bool { return m.ID == o.ID })
		if i < 0 {
			out = append(out, changeLine{What: o.HubSpot.Name, From: l.T("rule." + string(o.Rule)), To: l.T("mappings.removed")})
			continue
		}
		if new[i].Rule != o.Rule {
			out = append(out, changeLine{What: o.HubSpot.Name, From: l.T("rule." + string(o.Rule)), To: l.T("rule." + string(new[i].Rule))})
		}
	}
	return out
}
