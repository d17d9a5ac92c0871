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

type addMappingPage struct {
	Version int64

	// Property is the chosen HubSpot property, once there is one.
	Property   *mapping.HubSpotProperty
	Properties []propertyChoice
	Fields     []fieldChoice
	Rules      []mapping.Rule

	Field string
	Rule  mapping.Rule

	Errors  []string
	Preview *preview
	Hidden  url.Values
}

// getAddMapping lists the portal's contact properties, or, once one is
// chosen, the Lead and Contact fields it can map to. Properties and
// fields that cannot be chosen are listed with the reason.
func (s *server) getAddMapping(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	page := &addMappingPage{Version: cv.Rec.SettingsVersion, Rules: mapping.Rules, Rule: mapping.PreferSalesforceUnlessBlank}
	pd := pageData{Title: "addmap.title", Conn: &cv.Rec, Nav: "mappings", Body: page}
	l := s.loc(r)

	sc, err := s.schemaOf(r, cv)
	if err != nil {
		page.Errors = []string{l.T("addmap.schema_unavailable", "Error", err.Error())}
		s.render(w, r, http.StatusBadGateway, "addmapping", pd)
		return
	}
	name := r.URL.Query().Get("hubspot")
	if name == "" {
		page.Properties = sc.propertyChoices(l, cv.Mappings)
		s.render(w, r, http.StatusOK, "addmapping", pd)
		return
	}
	prop, reason := s.chooseProperty(l, sc, cv, name)
	if reason != "" {
		page.Errors = []string{reason}
		page.Properties = sc.propertyChoices(l, cv.Mappings)
		s.render(w, r, http.StatusBadRequest, "addmapping", pd)
		return
	}
	page.Property = &prop
	page.Fields = sc.fieldChoices(l, prop, cv.Mappings)
	s.render(w, r, http.StatusOK, "addmapping", pd)
}

func (s *server) schemaOf(r *http.Request, cv *connView) (schema, error) {
	c, err := s.clients(r, cv.Rec)
	if err != nil {
		return schema{}, err
	}
	return loadSchema(r.Context(), c)
}

// chooseProperty returns the property called name, or a message saying
// why it cannot be mapped.
func (s *server) chooseProperty(l *loc, sc schema, cv *connView, name string) (mapping.HubSpotProperty, string) {
	for _, c := range sc.propertyChoices(l, cv.Mappings) {
		if c.Prop.Name == name {
			if c.Reason != "" {
				return c.Prop, l.T("addmap.err_property", "Value", name, "Reason", c.Reason)
			}
			return c.Prop, ""
		}
	}
	return mapping.HubSpotProperty{}, l.T("addmap.err_no_property", "Value", name)
}

// parseAddMapping builds the new custom mapping from the form, or
// returns messages naming every bad value.
func (s *server) parseAddMapping(r *http.Request, cv *connView, sc schema, page *addMappingPage) (mapping.Mapping, bool) {
	l := s.loc(r)
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version < 1 {
		page.Errors = append(page.Errors, l.T("settings.err_version", "Value", r.PostFormValue("version")))
	}
	page.Version = version

	prop, reason := s.chooseProperty(l, sc, cv, r.PostFormValue("hubspot"))
	if reason != "" {
		page.Errors = append(page.Errors, reason)
		page.Properties = sc.propertyChoices(l, cv.Mappings)
		return mapping.Mapping{}, false
	}
	page.Property = &prop
	page.Fields = sc.fieldChoices(l, prop, cv.Mappings)

	page.Field = r.PostFormValue("salesforce")
	i := slices.IndexFunc(page.Fields, func(c fieldChoice) bool { return c.Name == page.Field })
	switch {
	case page.Field == "":
		page.Errors = append(page.Errors, l.T("addmap.err_no_field"))
	case i < 0:
		page.Errors = append(page.Errors, l.T("addmap.err_unknown_field", "Value", page.Field))
	case page.Fields[i].Reason != "":
		page.Errors = append(page.Errors, l.T("addmap.err_field", "Value", page.Field, "Reason", page.Fields[i].Reason))
	}

	page.Rule = mapping.Rule(r.PostFormValue("rule"))
	if !page.Rule.Valid() {
		page.Errors = append(page.Errors, l.T("mappings.err_rule", "Value", string(page.Rule), "Mapping", prop.Name, "Allowed", ruleNames(l, mapping.Rules)))
	}
	if len(page.Errors) > 0 {
		return mapping.Mapping{}, false
	}

	m := mapping.Mapping{ID: "custom." + prop.Name, HubSpot: prop, Rule: page.Rule, Kind: mapping.KindOrdinary}
	for _, object := range []string{mapping.ObjectLead, mapping.ObjectContact} {
		if f, ok := sc.fields[object][page.Field]; ok {
			f.Object = object
			m.Salesforce = append(m.Salesforce, f)
		}
	}
	if err := m.Validate(); err != nil {
		var me *mapping.MappingError
		detail := err.Error()
		if errors.As(err, &me) {
			detail = me.Detail
		}
		page.Errors = append(page.Errors, l.T("addmap.err_invalid", "Error", detail, "Allowed", ruleNames(l, mapping.AllowedRules(m))))
		return mapping.Mapping{}, false
	}
	return m, true
}

func (s *server) postAddMappingPreview(w http.ResponseWriter, r *http.Request) {
	s.addMapping(w, r, false)
}

func (s *server) postAddMapping(w http.ResponseWriter, r *http.Request) {
	s.addMapping(w, r, true)
}

// addMapping previews the new mapping, or saves it when save is set.
func (s *server) addMapping(w http.ResponseWriter, r *http.Request, save bool) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	l := s.loc(r)
	page := &addMappingPage{Rules: mapping.Rules}
	pd := pageData{Title: "addmap.title", Conn: &cv.Rec, Nav: "mappings", Body: page}

	c, err := s.clients(r, cv.Rec)
	var sc schema
	if err == nil {
		sc, err = loadSchema(r.Context(), c)
	}
	if err != nil {
		page.Errors = []string{l.T("addmap.schema_unavailable", "Error", err.Error())}
		s.render(w, r, http.StatusBadGateway, "addmapping", pd)
		return
	}
	m, ok := s.parseAddMapping(r, cv, sc, page)
	if !ok {
		s.render(w, r, http.StatusBadRequest, "addmapping", pd)
		return
	}
	ms := append(slices.Clone(cv.Mappings), m)

	if !save {
		p, err := s.computePreview(r.Context(), cv, c, cv.Settings, ms)
		if err != nil {
			s.log.Warn("add mapping preview failed", "connection", cv.Rec.Name, "err", err)
			page.Errors = []string{l.T("preview.unavailable", "Error", err.Error())}
			s.render(w, r, http.StatusBadGateway, "addmapping", pd)
			return
		}
		p.Changed = []changeLine{{What: m.HubSpot.Name, From: "—", To: fieldList(m) + " · " + l.T("rule."+string(m.Rule))}}
		page.Preview = &p
		page.Hidden = r.PostForm
		s.render(w, r, http.StatusOK, "addmapping", pd)
		return
	}

	rec := cv.Rec
	rec.SettingsVersion = page.Version
	if _, err := connection.Apply(r.Context(), s.st, rec, cv.Settings, ms); err != nil {
		if errors.Is(err, store.ErrConflict) {
			page.Errors = []string{l.T("settings.err_conflict")}
			s.render(w, r, http.StatusConflict, "addmapping", pd)
			return
		}
		s.serverError(w, r, err)
		return
	}
	s.log.Info("custom mapping added", "connection", cv.Rec.Name, "mapping", m.ID, "user_id", state(r).user.ID)
	http.Redirect(w, r, fmt.Sprintf("/c/%s/mappings?saved=1", url.PathEscape(cv.Rec.Name)), http.StatusSeeOther)
}

func fieldList(m mapping.Mapping) string {
	s := ""
	for i, f := range m.Salesforce {
		if i > 0 {
			s += ", "
		}
		s += f.Object + "." + f.Name
	}
	return s
}
