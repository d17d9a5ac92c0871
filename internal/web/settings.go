package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// hubspotContactsType is the object type id of HubSpot contact lists.
const hubspotContactsType = "0-1"

// listOption is one HubSpot list in the inclusion list picker.
type listOption struct {
	ID         string
	Name       string
	Type       string
	Size       int
	Selectable bool

	// Reason is the message id that says why a list cannot be chosen.
	Reason string
}

type settingsPage struct {
	Form    settings.Settings
	Version int64

	Lists []listOption
	// ListsError is set when the lists could not be read from HubSpot.
	ListsError string

	// Errors are messages for people, already in the page's language.
	Errors []string

	Preview *preview
	Hidden  url.Values
}

func (s *server) getSettings(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	page := settingsPage{Form: cv.Settings, Version: cv.Rec.SettingsVersion}
	page.Lists, page.ListsError = s.hubspotLists(r, cv, cv.Settings.InclusionListID)
	flash := ""
	if r.URL.Query().Get("saved") == "1" {
		flash = "flash.saved"
	}
	s.render(w, r, http.StatusOK, "settings", pageData{Title: "settings.title", Conn: &cv.Rec, Nav: "settings", Flash: flash, Body: page})
}

// hubspotLists reads the portal's contact lists. Only DYNAMIC (active)
// lists can be the inclusion list, because a static list never gains the
// contacts that start to meet its criteria.
func (s *server) hubspotLists(r *http.Request, cv *connView, current string) ([]listOption, string) {
	l := s.loc(r)
	c, err := s.clients(r, cv.Rec)
	if err != nil {
		return nil, l.T("settings.lists_unavailable", "Error", err.Error())
	}
	lists, err := c.HubSpot.SearchLists(r.Context(), "")
	if err != nil {
		s.log.Warn("read HubSpot lists", "connection", cv.Rec.Name, "err", err)
		return nil, l.T("settings.lists_unavailable", "Error", err.Error())
	}
	var out []listOption
	for _, li := range lists {
		if li.ObjectTypeID != "" && li.ObjectTypeID != hubspotContactsType {
			continue
		}
		o := listOption{ID: li.ListID, Name: li.Name, Type: li.ProcessingType, Size: li.Size, Selectable: li.ProcessingType == "DYNAMIC"}
		switch li.ProcessingType {
		case "DYNAMIC":
		case "MANUAL":
			o.Reason = "settings.list_manual"
		case "SNAPSHOT":
			o.Reason = "settings.list_snapshot"
		default:
			o.Reason = "settings.list_other"
		}
		out = append(out, o)
	}

	// A stored list that HubSpot no longer has stays on the page, chosen,
	// so saving another setting does not silently drop the inclusion list
	// and start syncing every contact.
	if current != "" && !slices.ContainsFunc(out, func(o listOption) bool { return o.ID == current }) {
		out = append(out, listOption{ID: current, Name: current, Type: "MISSING", Selectable: true, Reason: "settings.list_missing"})
	}
	return out, ""
}

// parseSettingsForm applies the form to the stored settings. It returns
// the messages for every invalid value; then nothing may be saved.
//
// NOTE: the dry run behind the preview does not check the API allocation,
// so a change to it shows no difference there.
func (s *server) parseSettingsForm(r *http.Request, cv *connView, lists []listOption, listsErr string) (settings.Settings, int64, []string) {
	l := s.loc(r)
	f := cv.Settings
	var errs []string
	bad := func(id, value string) { errs = append(errs, l.T(id, "Value", value)) }

	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version < 1 {
		bad("settings.err_version", r.PostFormValue("version"))
	}

	switch v := settings.HubSpotOnSalesforceChange(r.PostFormValue("hubspot_on_salesforce_change")); v {
	case settings.HubSpotCreateOrUpdate, settings.HubSpotDoNothing:
		f.HubSpotOnSalesforceChange = v
	default:
		bad("settings.err_choice", string(v))
	}
	switch v := settings.SalesforceOnHubSpotChange(r.PostFormValue("salesforce_on_hubspot_change")); v {
	case settings.SalesforceCreateLead, settings.SalesforceCreateContact:
		f.SalesforceOnHubSpotChange = v
	default:
		bad("settings.err_choice", string(v))
	}
	for _, field := range []struct {
		name string
		dst  *settings.OnDelete
	}{{"hubspot_on_salesforce_delete", &f.HubSpotOnSalesforceDelete}, {"salesforce_on_hubspot_delete", &f.SalesforceOnHubSpotDelete}} {
		switch v := settings.OnDelete(r.PostFormValue(field.name)); v {
		case settings.DeleteKeep, settings.DeleteDelete:
			*field.dst = v
		default:
			bad("settings.err_choice", string(v))
		}
	}
	f.CreateSalesforceFromHubSpot = r.PostFormValue("create_salesforce_from_hubspot") == "on"
	f.CompanySync = r.PostFormValue("company_sync") == "on"

	raw := strings.TrimSpace(r.PostFormValue("salesforce_api_allocation"))
	if raw == "" {
		raw = "0"
	}
	if n, err := strconv.Atoi(strings.NewReplacer(".", "", ",", "", " ", "").Replace(raw)); err != nil || n < 0 {
		bad("settings.err_allocation", raw)
	} else {
		f.SalesforceAPIAllocation = n
	}

	listID := strings.TrimSpace(r.PostFormValue("inclusion_list_id"))
	switch {
	case listID == "" || listID == cv.Settings.InclusionListID:
		f.InclusionListID = listID
	case listsErr != "":
		// Without the lists a new choice cannot be checked.
		errs = append(errs, listsErr)
	default:
		found := false
		for _, o := range lists {
			if o.ID != listID {
				continue
			}
			found = true
			if !o.Selectable {
				errs = append(errs, l.T("settings.err_list_not_dynamic", "Value", o.Name, "Type", o.Type))
			}
		}
		if !found {
			bad("settings.err_list_unknown", listID)
		}
		f.InclusionListID = listID
	}

	if len(errs) == 0 {
		if err := f.Validate(); err != nil {
			for _, e := range flattenErrors(err) {
				var fe *settings.FieldError
				if errors.As(e, &fe) {
					errs = append(errs, l.T("settings.err_field", "Path", fe.Path, "Value", fe.Value, "Hint", fe.Hint))
				} else {
					errs = append(errs, e.Error())
				}
			}
		}
	}
	return f, version, errs
}

func flattenErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func (s *server) postSettingsPreview(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	lists, listsErr := s.hubspotLists(r, cv, cv.Settings.InclusionListID)
	form, version, errs := s.parseSettingsForm(r, cv, lists, listsErr)
	page := settingsPage{Form: form, Version: version, Lists: lists, ListsError: listsErr, Errors: errs}
	pd := pageData{Title: "settings.title", Conn: &cv.Rec, Nav: "settings", Body: &page}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "settings", pd)
		return
	}

	c, err := s.clients(r, cv.Rec)
	if err != nil {
		page.Errors = []string{s.loc(r).T("preview.unavailable", "Error", err.Error())}
		s.render(w, r, http.StatusBadGateway, "settings", pd)
		return
	}
	p, err := s.computePreview(r.Context(), cv, c, form, cv.Mappings)
	if err != nil {
		s.log.Warn("settings preview failed", "connection", cv.Rec.Name, "err", err)
		page.Errors = []string{s.loc(r).T("preview.unavailable", "Error", err.Error())}
		s.render(w, r, http.StatusBadGateway, "settings", pd)
		return
	}
	p.Changed = settingsChanges(cv.Settings, form)
	page.Preview = &p
	page.Hidden = r.PostForm
	s.render(w, r, http.StatusOK, "settings", pd)
}

func (s *server) postSettings(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	lists, listsErr := s.hubspotLists(r, cv, cv.Settings.InclusionListID)
	form, version, errs := s.parseSettingsForm(r, cv, lists, listsErr)
	page := settingsPage{Form: form, Version: version, Lists: lists, ListsError: listsErr, Errors: errs}
	pd := pageData{Title: "settings.title", Conn: &cv.Rec, Nav: "settings", Body: &page}
	if len(errs) > 0 {
		s.render(w, r, http.StatusBadRequest, "settings", pd)
		return
	}

	rec := cv.Rec
	rec.SettingsVersion = version
	if _, err := connection.Apply(r.Context(), s.st, rec, form, nil); err != nil {
		if errors.Is(err, store.ErrConflict) {
			page.Errors = []string{s.loc(r).T("settings.err_conflict")}
			s.render(w, r, http.StatusConflict, "settings", pd)
			return
		}
		s.serverError(w, r, err)
		return
	}
	s.log.Info("settings saved", "connection", cv.Rec.Name, "user_id", state(r).user.ID)
	http.Redirect(w, r, fmt.Sprintf("/c/%s/settings?saved=1", url.PathEscape(cv.Rec.Name)), http.StatusSeeOther)
}

// settingsChanges lists the settings the edit changes.
func settingsChanges(old, new settings.Settings) []changeLine {
	var out []changeLine
	add := func(what string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			out = append(out, changeLine{What: what, From: fmt.Sprint(a), To: fmt.Sprint(b)})
		}
	}
	add("settings.hubspot_on_salesforce_change", old.HubSpotOnSalesforceChange, new.HubSpotOnSalesforceChange)
	add("settings.salesforce_on_hubspot_change", old.SalesforceOnHubSpotChange, new.SalesforceOnHubSpotChange)
	add("settings.create_salesforce_from_hubspot", old.CreateSalesforceFromHubSpot, new.CreateSalesforceFromHubSpot)
	add("settings.hubspot_on_salesforce_delete", old.HubSpotOnSalesforceDelete, new.HubSpotOnSalesforceDelete)
	add("settings.salesforce_on_hubspot_delete", old.SalesforceOnHubSpotDelete, new.SalesforceOnHubSpotDelete)
	add("settings.inclusion_list", old.InclusionListID, new.InclusionListID)
	add("settings.company_sync", old.CompanySync, new.CompanySync)
	add("settings.api_allocation", old.SalesforceAPIAllocation, new.SalesforceAPIAllocation)
	return out
}
