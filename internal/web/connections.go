package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// connHealth is one row of the connections page.
type connHealth struct {
	Conn         store.Connection
	OpenErrors   int64
	LastRun      *store.Run
	HubSpotOK    bool
	SalesforceOK bool
}

// Status is a message id summarizing the connection's state.
func (h connHealth) Status() string {
	switch {
	case !h.HubSpotOK || !h.SalesforceOK:
		return "health.not_connected"
	case h.LastRun == nil:
		return "health.never_synced"
	case h.LastRun.Status == store.RunFailed:
		return "health.failing"
	case h.OpenErrors > 0:
		return "health.errors"
	}
	return "health.ok"
}

// Class is the CSS class of Status.
func (h connHealth) Class() string {
	switch h.Status() {
	case "health.ok":
		return "ok"
	case "health.errors", "health.never_synced":
		return "warn"
	}
	return "bad"
}

func (s *server) connectionHealth(r *http.Request) ([]connHealth, error) {
	ctx := r.Context()
	conns, err := s.st.ListConnections(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]connHealth, 0, len(conns))
	for _, c := range conns {
		h := connHealth{Conn: c}
		counts, err := s.st.CountErrorsByCategory(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, n := range counts {
			h.OpenErrors += n
		}
		runs, err := s.st.ListRuns(ctx, c.ID, store.Page{Limit: 1})
		if err != nil {
			return nil, err
		}
		if len(runs) > 0 {
			h.LastRun = &runs[0]
		}
		for _, side := range []store.Side{store.HubSpot, store.Salesforce} {
			_, err := s.st.GetCredential(ctx, c.ID, side)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return nil, err
			}
			if side == store.HubSpot {
				h.HubSpotOK = err == nil
			} else {
				h.SalesforceOK = err == nil
			}
		}
		out = append(out, h)
	}
	return out, nil
}

type connectionsPage struct {
	Rows       []connHealth
	CanConnect bool
}

func (s *server) getConnections(w http.ResponseWriter, r *http.Request) {
	hs, err := s.connectionHealth(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	flash := ""
	if r.URL.Query().Get("connected") != "" {
		flash = "flash.connected"
		if r.URL.Query().Get("setup_failed") != "" {
			flash = "flash.connected_setup_failed"
		}
	}
	s.render(w, r, http.StatusOK, "connections", pageData{Title: "connections.title", Nav: "connections", Flash: flash,
		Body: connectionsPage{Rows: hs, CanConnect: s.cfg.Connect != nil}})
}

func (s *server) apiConnections(w http.ResponseWriter, r *http.Request) {
	hs, err := s.connectionHealth(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	type row struct {
		Name          string          `json:"name"`
		Status        string          `json:"status"`
		OpenErrors    int64           `json:"open_errors"`
		LastRunStatus store.RunStatus `json:"last_run_status,omitempty"`
		HubSpotPortal string          `json:"hubspot_portal_id,omitempty"`
		SalesforceOrg string          `json:"salesforce_org_id,omitempty"`
	}
	rows := make([]row, 0, len(hs))
	for _, h := range hs {
		rw := row{Name: h.Conn.Name, Status: h.Class(), OpenErrors: h.OpenErrors, HubSpotPortal: h.Conn.HubSpotPortalID, SalesforceOrg: h.Conn.SalesforceOrgID}
		if h.LastRun != nil {
			rw.LastRunStatus = h.LastRun.Status
		}
		rows = append(rows, rw)
	}
	writeJSON(w, rows)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

// connView is a connection loaded for one of its pages.
type connView struct {
	Rec      store.Connection
	Settings settings.Settings
	Mappings []mapping.Mapping
}

// loadConn reads the connection named in the path, or renders a 404 page.
func (s *server) loadConn(w http.ResponseWriter, r *http.Request) (*connView, bool) {
	name := r.PathValue("conn")
	rec, err := s.st.GetConnectionByName(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		s.renderError(w, r, http.StatusNotFound, "error.no_connection", map[string]any{"Name": name})
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	st, err := connection.DecodeSettings(rec.Settings)
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	rows, err := s.st.ListMappings(r.Context(), rec.ID)
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	ms, err := connection.MappingsFromRows(rows)
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return &connView{Rec: rec, Settings: st, Mappings: ms}, true
}

// clients returns the connection's API clients, or an error message id
// for the page when they cannot be built.
func (s *server) clients(r *http.Request, rec store.Connection) (Clients, error) {
	if s.cfg.Clients == nil {
		return Clients{}, errNoClients
	}
	return s.cfg.Clients(r.Context(), rec)
}

var errNoClients = errors.New("web UI: Config.Clients is not set, so the UI cannot reach HubSpot or Salesforce")
