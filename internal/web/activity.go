package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// chartRuns is how many recent runs the throughput chart shows.
const chartRuns = 48

// maxConflictPages bounds how many pages of 1,000 audit rows the activity
// page reads per run to count conflicts. A run with more rows shows a
// lower bound, so a page of 25 runs reads at most 25,000 rows.
const maxConflictPages = 1

type runRow struct {
	store.Run

	// Conflicts counts the field writes where both sides had changed.
	// ConflictsCapped is set when the run has more audit rows than were
	// read, so Conflicts is a lower bound.
	Conflicts       int64
	ConflictsCapped bool
}

// Duration is how long the run took, or 0 while it runs.
func (r runRow) Duration() string {
	if r.FinishedAt.IsZero() {
		return ""
	}
	d := r.FinishedAt.Sub(r.StartedAt)
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return d.Round(100 * time.Millisecond).String()
}

// Written is the number of records the run created, linked or updated.
func (r runRow) Written() int64 {
	c := r.Counts
	return c["created"] + c["linked"] + c["updated_hubspot"] + c["updated_salesforce"]
}

// countConflicts counts the run's audit rows marked as conflicts. The
// engine does not count conflicts per run, so the audit log is the source.
func (s *server) countConflicts(r *http.Request, row *runRow) error {
	p := store.Page{Limit: store.MaxPageSize}
	for range maxConflictPages {
		rows, err := s.st.ListAuditByRun(r.Context(), row.ID, p)
		if err != nil {
			return err
		}
		for _, a := range rows {
			if a.Conflict {
				row.Conflicts++
			}
		}
		if len(rows) < store.MaxPageSize {
			return nil
		}
		p.After = rows[len(rows)-1].ID
	}
	row.ConflictsCapped = true
	return nil
}

type activityPage struct {
	Runs  []runRow
	Next  int64
	First bool
	Chart chart
}

func (s *server) getActivity(w http.ResponseWriter, r *http.Request) {
	cv, ok := s.loadConn(w, r)
	if !ok {
		return
	}
	after := int64(0)
	if a := r.URL.Query().Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n < 0 {
			s.renderError(w, r, http.StatusBadRequest, "error.bad_query", map[string]any{"Value": a})
			return
		}
		after = n
	}
	runs, err := s.st.ListRuns(r.Context(), cv.Rec.ID, store.Page{After: after, Limit: runsPerPage})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page := activityPage{First: after == 0}
	for _, run := range runs {
		row := runRow{Run: run}
		if err := s.countConflicts(r, &row); err != nil {
			s.serverError(w, r, err)
			return
		}
		page.Runs = append(page.Runs, row)
	}
	if len(runs) == runsPerPage {
		page.Next = runs[len(runs)-1].ID
	}

	recent, err := s.st.ListRuns(r.Context(), cv.Rec.ID, store.Page{Limit: chartRuns})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	written, failed := make([]int64, len(recent)), make([]int64, len(recent))
	for i, run := range recent {
		// Oldest on the left.
		j := len(recent) - 1 - i
		written[j] = runRow{Run: run}.Written()
		failed[j] = run.Counts["failed"]
	}
	l := s.loc(r)
	page.Chart = barChart([]series{{Name: l.T("activity.written"), Class: "ok", Values: written}, {Name: l.T("activity.failed"), Class: "bad", Values: failed}})
	s.render(w, r, http.StatusOK, "activity", pageData{Title: "activity.title", Conn: &cv.Rec, Nav: "activity", Body: page})
}
