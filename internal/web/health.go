package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Page sizes of the error and run lists.
const (
	errorsPerPage = 50
	runsPerPage   = 25

	// maxRunPages bounds how many pages of runs the usage panel sums, so
	// a connection with very many short runs still renders quickly.
	maxRunPages = 10
)

type categoryCard struct {
	Category store.ErrorCategory
	Count    int64
}

type usagePanel struct {
	HubSpot24h    int64
	Salesforce24h int64
	Allocation    int

	// OrgUsed and OrgLimit are Salesforce's own counters from the latest
	// sample, when koppel recorded one in the last 24 hours.
	OrgUsed   int64
	OrgLimit  int64
	HasSample bool
	SampledAt time.Time

	Chart chart
}

type healthPage struct {
	Usage usagePanel
	Cards []categoryCard
	Total int64
}

func (s *server) getHealth(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	counts, err := s.st.CountErrorsByCategory(ctx, cv.Rec.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := healthPage{Usage: usagePanel{Allocation: cv.Settings.SalesforceAPIAllocation}}
	for _, c := range store.ErrorCategories {
		page.Cards = append(page.Cards, categoryCard{Category: c, Count: counts[c]})
		page.Total += counts[c]
	}

	now := s.now()
	since := now.Add(-24 * time.Hour)
	hsHours, sfHours := make([]int64, 24), make([]int64, 24)
	after := int64(0)
runs:
	for range maxRunPages {
		rs, err := s.st.ListRuns(ctx, cv.Rec.ID, store.Page{After: after, Limit: store.MaxPageSize})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, run := range rs {
			if run.StartedAt.Before(since) {
				break runs
			}
			page.Usage.HubSpot24h += run.APICallsHubSpot
			page.Usage.Salesforce24h += run.APICallsSalesforce
			h := int(now.Sub(run.StartedAt) / time.Hour)
			if h >= 0 && h < 24 {
				hsHours[23-h] += run.APICallsHubSpot
				sfHours[23-h] += run.APICallsSalesforce
			}
		}
		if len(rs) < store.MaxPageSize {
			break
		}
		after = rs[len(rs)-1].ID
	}
	page.Usage.Chart = barChart([]series{{Name: "HubSpot", Class: "hs", Values: hsHours}, {Name: "Salesforce", Class: "sf", Values: sfHours}})

	samples, err := s.st.ListAPIUsage(ctx, cv.Rec.ID, store.Salesforce, since, now.Add(time.Millisecond))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if n := len(samples); n > 0 {
		last := samples[n-1]
		page.Usage.HasSample, page.Usage.OrgUsed, page.Usage.OrgLimit, page.Usage.SampledAt = true, last.Used, last.Limit, last.At
	} else if c, err := s.clients(r, cv.Rec); err == nil && c.Salesforce != nil {
		// Without a stored sample, the client's last Sforce-Limit-Info
		// header is the freshest count; reading it costs no API call.
		if u := c.Salesforce.Usage(); u.Max > 0 && u.Seen.After(since) {
			page.Usage.HasSample, page.Usage.OrgUsed, page.Usage.OrgLimit, page.Usage.SampledAt = true, int64(u.Used), int64(u.Max), u.Seen
		}
	}
	s.render(w, r, http.StatusOK, "health", pageData{Title: "health.title", Conn: &cv.Rec, Nav: "health", Body: page})
}

type errorsPage struct {
	Category store.ErrorCategory
	// Record is the HubSpot or Salesforce record id the list is filtered
	// by, or empty.
	Record string
	Errors []store.SyncError
	Count  int64
	Next   int64
	First  bool
}

// maxRecordIDLength bounds the record id filter; HubSpot and Salesforce
// ids are far shorter.
const maxRecordIDLength = 64

// badRecordError is a record id filter that cannot be an id.
type badRecordError struct{ value string }

func (e badRecordError) Error() string { return fmt.Sprintf("invalid record id %q", e.value) }

// errorQuery reads the category, record id and page cursor of an errors
// URL.
func errorQuery(r *http.Request, connID int64) (store.ErrorQuery, error) {
	q := store.ErrorQuery{ConnectionID: connID, Page: store.Page{Limit: errorsPerPage}}
	if c := r.URL.Query().Get("category"); c != "" {
		q.Category = store.ErrorCategory(c)
		if err := q.Category.Validate(); err != nil {
			return q, err
		}
	}
	if rec := strings.TrimSpace(r.URL.Query().Get("record")); rec != "" {
		if len(rec) > maxRecordIDLength || !validQuery(rec) {
			return q, badRecordError{rec}
		}
		q.RecordID = rec
	}
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			return q, fmt.Errorf("invalid page cursor %q", a)
		}
		q.Page.After = n
	}
	return q, nil
}

func (s *server) getErrors(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	q, err := errorQuery(r, cv.Rec.ID)
	var bad badRecordError
	if errors.As(err, &bad) {
		s.renderError(w, r, http.StatusBadRequest, "error.bad_record", map[string]any{"Value": bad.value})
		return
	}
	if err != nil {
		s.renderError(w, r, http.StatusBadRequest, "error.bad_query", map[string]any{"Value": r.URL.RawQuery})
		return
	}
	errs, err := s.st.ListErrors(r.Context(), q)
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	counts, err := s.st.CountErrorsByCategory(r.Context(), cv.Rec.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	page := errorsPage{Category: q.Category, Record: q.RecordID, Errors: errs, First: q.Page.After == 0}
	switch {
	case q.RecordID != "":
		// The category counts span every record; one record has at most
		// one open error per side and category, so one page holds them.
		page.Count = int64(len(errs))
	case q.Category != "":
		page.Count = counts[q.Category]
	default:
		for _, n := range counts {
			page.Count += n
		}
	}
	if len(errs) == errorsPerPage {
		page.Next = errs[len(errs)-1].ID
	}

	flash := ""
	if f := r.URL.Query().Get("retried"); f != "" {
		flash = "flash.retried"
	}
	s.render(w, r, http.StatusOK, "errors", pageData{Title: "errors.title", Conn: &cv.Rec, Nav: "health", Flash: flash, FlashLink: activityLink(cv, flash), Body: page})
}

func (s *server) getError(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	se, err := s.st.GetError(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && se.ConnectionID != cv.Rec.ID {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	flash := ""
	if r.URL.Query().Get("retried") != "" {
		flash = "flash.retried"
	}
	s.render(w, r, http.StatusOK, "error_detail", pageData{Title: "errors.detail_title", Conn: &cv.Rec, Nav: "health", Flash: flash, FlashLink: activityLink(cv, flash), Body: se})
}

// postRetry makes the chosen errors due now and runs a cycle, which
// retries due records.
func (s *server) postRetry(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var ids []int64
	for _, raw := range r.PostForm["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			s.renderError(w, r, http.StatusBadRequest, "error.bad_id", map[string]any{"Value": raw})
			return
		}
		ids = append(ids, id)
	}
	category := store.ErrorCategory(r.PostFormValue("category"))
	if r.PostFormValue("all") == "1" {
		if err := category.Validate(); err != nil {
			s.renderError(w, r, http.StatusBadRequest, "error.bad_category", map[string]any{"Value": string(category)})
			return
		}
		q := store.ErrorQuery{ConnectionID: cv.Rec.ID, Category: category, RecordID: strings.TrimSpace(r.PostFormValue("record")), Page: store.Page{Limit: store.MaxPageSize}}
		for {
			page, err := s.st.ListErrors(ctx, q)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			for _, se := range page {
				ids = append(ids, se.ID)
			}
			if len(page) < store.MaxPageSize {
				break
			}
			q.Page.After = page[len(page)-1].ID
		}
	}
	if len(ids) == 0 {
		s.renderError(w, r, http.StatusBadRequest, "error.nothing_selected", nil)
		return
	}

	now := s.now()
	err := s.st.InTx(ctx, func(tx store.Tx) error {
		for _, id := range ids {
			se, err := tx.GetError(ctx, id)
			if err != nil {
				return err
			}
			if se.ConnectionID != cv.Rec.ID || !se.ResolvedAt.IsZero() {
				continue
			}
			if err := tx.SetErrorNextRetry(ctx, se.ID, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("retry requested", "connection", cv.Rec.Name, "errors", len(ids), "user_id", state(r).user.ID)

	if err := s.syncNow(r, cv); err != nil {
		s.log.Warn("sync after retry failed", "connection", cv.Rec.Name, "err", err)
		s.renderError(w, r, http.StatusBadGateway, "error.sync_failed", map[string]any{"Error": err.Error()})
		return
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/c/") {
		back = "/c/" + url.PathEscape(cv.Rec.Name) + "/errors"
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, safeNext(back+sep+"retried=1"), http.StatusSeeOther)
}

// getErrorsCSV exports the open errors of one category, or all, as CSV.
func (s *server) getErrorsCSV(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	q, err := errorQuery(r, cv.Rec.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	q.Page = store.Page{Limit: store.MaxPageSize}

	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="koppel-errors-%s.csv"`, fileNamePart(cv.Rec.Name)))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "category", "side", "object", "record_id", "code", "message", "fields", "attempts", "first_seen", "last_seen", "next_retry_at"})
	for {
		page, err := s.st.ListErrors(r.Context(), q)
		if err != nil {
			// The header is sent; end the file where it broke.
			s.log.Error("export errors", "connection", cv.Rec.Name, "err", err)
			break
		}
		for _, se := range page {
			_ = cw.Write([]string{
				strconv.FormatInt(se.ID, 10), string(se.Category), string(se.Side), se.Object, se.RecordID, se.Code,
				csvSafe(se.Message), strings.Join(se.Fields, ";"), strconv.Itoa(se.Attempts),
				se.FirstSeen.UTC().Format(time.RFC3339), se.LastSeen.UTC().Format(time.RFC3339), timeOrEmpty(se.NextRetryAt),
			})
		}
		if len(page) < store.MaxPageSize {
			break
		}
		q.Page.After = page[len(page)-1].ID
	}
	cw.Flush()
}

// fileNamePart keeps the letters, digits, dots, dashes and underscores of
// s, so a connection name cannot break the Content-Disposition header.
func fileNamePart(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r) {
			return r
		}
		return '_'
	}, s)
}

// csvSafe keeps a spreadsheet from running a vendor message as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (s *server) apiErrors(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("conn")
	rec, err := s.st.GetConnectionByName(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, fmt.Sprintf("no connection named %q", name), http.StatusNotFound)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	q, err := errorQuery(r, rec.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	errs, err := s.st.ListErrors(r.Context(), q)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if errs == nil {
		errs = []store.SyncError{}
	}
	writeJSON(w, errs)
}

// activityLink returns the activity page of cv when flash reports a
// started cycle, whose outcome that page shows.
func activityLink(cv *connView, flash string) string {
	if flash == "" {
		return ""
	}
	return "/c/" + url.PathEscape(cv.Rec.Name) + "/activity"
}

// Query returns the page's filters as an encoded URL query, for the pager
// links. Its type keeps html/template from escaping the & and = again.
func (p errorsPage) Query() template.URL {
	v := url.Values{}
	if p.Category != "" {
		v.Set("category", string(p.Category))
	}
	if p.Record != "" {
		v.Set("record", p.Record)
	}
	return template.URL(v.Encode())
}
