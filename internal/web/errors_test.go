package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/koppel-sync/koppel/internal/store"
)

// recordTestError stores an open validation error of one Salesforce Lead.
func recordTestError(t *testing.T, f *fixture, recordID string, category store.ErrorCategory) store.SyncError {
	t.Helper()
	se, err := f.Store.RecordError(f.ctx, store.SyncError{
		ConnectionID: f.Conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: recordID,
		Category: category, Code: "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message: "Phone is required",
		NextRetryAt: f.clock.Now().Add(3600e9),
	})
	if err != nil {
		t.Fatalf("record error: %v", err)
	}
	return se
}

func TestRetryKeepsAttempts(t *testing.T) {
	var cycles atomic.Int32
	f := setup(t, setupOptions{SyncNow: func(context.Context, store.Connection) error {
		cycles.Add(1)
		return nil
	}})
	se := recordTestError(t, f, "00QGk000000A001", store.ErrorCustomCode)
	c := f.client()
	csrf := f.signIn(c)

	resp := f.post(c, "/c/default/errors/retry", url.Values{"csrf_token": {csrf}, "id": {itoa(se.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry: status %d, want 303", resp.StatusCode)
	}
	got, err := f.Store.GetError(f.ctx, se.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Attempts != se.Attempts {
		t.Errorf("attempts after retry = %d, want %d", got.Attempts, se.Attempts)
	}
	if !got.NextRetryAt.Before(se.NextRetryAt) {
		t.Errorf("next retry = %v, want earlier than %v", got.NextRetryAt, se.NextRetryAt)
	}
	if n := cycles.Load(); n != 1 {
		t.Errorf("cycles started = %d, want 1", n)
	}

	body := f.get(c, resp.Header.Get("Location"), http.StatusOK)
	if !strings.Contains(body, `href="/c/default/activity" id="flash-link"`) {
		t.Errorf("retry flash does not link the activity page:\n%s", truncate(body))
	}
}

func TestErrorsFilterByRecord(t *testing.T) {
	f := setup(t, setupOptions{})
	mine := recordTestError(t, f, "00QGk000000A001", store.ErrorCustomCode)
	other := recordTestError(t, f, "00QGk000000A002", store.ErrorCustomCode)
	c := f.client()
	f.signIn(c)

	tests := []struct {
		name    string
		query   string
		want    []string
		wantNot []string
	}{
		{"all records", "", []string{mine.RecordID, other.RecordID}, nil},
		{"one record", "?record=00QGk000000A001", []string{mine.RecordID}, []string{other.RecordID}},
		{"record and category", "?category=" + string(store.ErrorCustomCode) + "&record=00QGk000000A002", []string{other.RecordID}, []string{mine.RecordID}},
		{"unknown record", "?record=00QGk000000A999", nil, []string{mine.RecordID, other.RecordID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := f.get(c, "/c/default/errors"+tt.query, http.StatusOK)
			for _, id := range tt.want {
				if !strings.Contains(body, ">Lead "+id+"<") {
					t.Errorf("list lacks %s", id)
				}
			}
			for _, id := range tt.wantNot {
				if strings.Contains(body, ">Lead "+id+"<") {
					t.Errorf("list shows %s", id)
				}
			}
		})
	}

	t.Run("export keeps the filter", func(t *testing.T) {
		body := f.get(c, "/c/default/errors?record=00QGk000000A001", http.StatusOK)
		if !strings.Contains(body, `href="/c/default/errors.csv?record=00QGk000000A001" id="export-csv"`) {
			t.Fatal("the CSV link does not carry the record filter")
		}
		csv := f.get(c, "/c/default/errors.csv?record=00QGk000000A001", http.StatusOK)
		if !strings.Contains(csv, mine.RecordID) || strings.Contains(csv, other.RecordID) {
			t.Errorf("CSV of one record:\n%s", csv)
		}
	})

	t.Run("invalid record id", func(t *testing.T) {
		body := f.get(c, "/c/default/errors?record="+url.QueryEscape("00Q 1"), http.StatusBadRequest)
		if !strings.Contains(body, "„00Q 1”") && !strings.Contains(body, "“00Q 1”") {
			t.Errorf("error page does not name the value:\n%s", truncate(body))
		}
	})
}

func TestSyncNowFlashLinksActivity(t *testing.T) {
	f := setup(t, setupOptions{SyncNow: func(context.Context, store.Connection) error { return nil }})
	c := f.client()
	csrf := f.signIn(c)

	resp := f.post(c, "/c/default/record/sync", url.Values{"csrf_token": {csrf}, "q": {"anne@example.com"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sync now: status %d, want 303", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	// Only the flash is checked: the search itself would call the
	// emulators.
	q := u.Query()
	q.Del("q")
	body := f.get(c, u.Path+"?"+q.Encode(), http.StatusOK)
	for _, want := range []string{"Sync cycle started", `<a href="/c/default/activity" id="flash-link">Open the activity page</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("record page after sync now lacks %q", want)
		}
	}
}
