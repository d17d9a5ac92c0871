package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/store"
)

// maxQueryLength bounds the record search input; an email address is at
// most 254 characters.
const maxQueryLength = 254

type recordPage struct {
	Query string
	Error string
	X     *engine.Explanation
}

// fieldRow is one mapped field on the record page.
type fieldRow struct {
	engine.FieldPlan
}

func (f fieldRow) HubSpotValue() string    { return displayValue(f.HubSpot) }
func (f fieldRow) SalesforceValue() string { return displayValue(f.Salesforce) }
func (f fieldRow) BaseValue() string       { return displayValue(f.Base) }
func (f fieldRow) NewValue() string        { return displayValue(f.New) }

// Fields returns the explanation's field rows.
func (p recordPage) Fields() []fieldRow {
	if p.X == nil {
		return nil
	}
	out := make([]fieldRow, len(p.X.Next.Fields))
	for i, f := range p.X.Next.Fields {
		out[i] = fieldRow{f}
	}
	return out
}

// auditRow is one entry of the record's timeline.
type auditRow struct {
	store.AuditEntry
}

func (a auditRow) Old() string { return displayEncoded(a.OldValue) }
func (a auditRow) New() string { return displayEncoded(a.NewValue) }

// IsLink reports a row about the link rather than a field.
func (a auditRow) IsLink() bool { return a.Field == engine.AuditFieldLink }

func (p recordPage) Timeline() []auditRow {
	if p.X == nil {
		return nil
	}
	out := make([]auditRow, len(p.X.Audit))
	for i, a := range p.X.Audit {
		out[i] = auditRow{a}
	}
	return out
}

func (s *server) getRecord(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := recordPage{Query: q}
	pd := pageData{Title: "record.title", Conn: &cv.Rec, Nav: "record", Body: &page}
	if r.URL.Query().Get("synced") == "1" {
		pd.Flash = "flash.synced"
		pd.FlashLink = "/c/" + url.PathEscape(cv.Rec.Name) + "/activity"
	}
	if q == "" {
		s.render(w, r, http.StatusOK, "record", pd)
		return
	}
	l := s.loc(r)
	if utf8.RuneCountInString(q) > maxQueryLength || !validQuery(q) {
		page.Error = l.T("record.err_query", "Value", q)
		s.render(w, r, http.StatusBadRequest, "record", pd)
		return
	}

	c, err := s.clients(r, cv.Rec)
	var eng *engine.Engine
	if err == nil {
		eng, err = s.cfg.NewEngine(r.Context(), cv.Rec, cv.Settings, cv.Mappings, c)
	}
	if err != nil {
		page.Error = l.T("preview.unavailable", "Error", err.Error())
		s.render(w, r, http.StatusBadGateway, "record", pd)
		return
	}
	x, err := eng.Explain(r.Context(), q)
	if errors.Is(err, engine.ErrNoRecord) {
		page.Error = l.T("record.not_found", "Value", q)
		s.render(w, r, http.StatusNotFound, "record", pd)
		return
	}
	if err != nil {
		page.Error = l.T("record.err_explain", "Value", q, "Error", err.Error())
		s.render(w, r, http.StatusBadGateway, "record", pd)
		return
	}
	page.X = x
	s.render(w, r, http.StatusOK, "record", pd)
}

// validQuery accepts an email address or a record id: printable
// characters without spaces.
func validQuery(q string) bool {
	for _, r := range q {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	return true
}

func (s *server) postRecordSync(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	q := strings.TrimSpace(r.PostFormValue("q"))
	if err := s.syncNow(r, cv); err != nil {
		s.log.Warn("sync now failed", "connection", cv.Rec.Name, "err", err)
		s.renderError(w, r, http.StatusBadGateway, "error.sync_failed", map[string]any{"Error": err.Error()})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/c/%s/record?q=%s&synced=1", url.PathEscape(cv.Rec.Name), url.QueryEscape(q)), http.StatusSeeOther)
}

// syncMu keeps the UI from running two cycles at once when it runs them
// itself.
var syncMu sync.Mutex

// syncNow runs one cycle of the connection, through Config.SyncNow when
// koppel serve provides it.
//
// TODO: sync only the record's pair once the engine can sync chosen
// records. Until then the button runs a whole cycle, which also syncs
// every other pending change and due retry.
func (s *server) syncNow(r *http.Request, cv *connView) error {
	if s.cfg.SyncNow != nil {
		return s.cfg.SyncNow(r.Context(), cv.Rec)
	}
	c, err := s.clients(r, cv.Rec)
	if err != nil {
		return err
	}
	eng, err := s.cfg.NewEngine(r.Context(), cv.Rec, cv.Settings, cv.Mappings, c)
	if err != nil {
		return err
	}
	syncMu.Lock()
	defer syncMu.Unlock()
	_, err = eng.SyncOnce(r.Context())
	return err
}
