package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Sizes of the benchmark's connection: the scale the pages must stay
// usable at.
const (
	benchLinks  = 100_000
	benchErrors = 10_000
)

// BenchmarkPages measures each page of a connection with 100,000 links
// and 10,000 open errors, served from SQLite, through the whole handler
// (session, CSRF and language middleware, store queries, templates).
// The settings and record pages also call the emulators over loopback.
func BenchmarkPages(b *testing.B) {
	f := setup(b, setupOptions{})
	ctx := f.ctx
	if _, err := f.HubSpot.CreateRecord("contacts", map[string]string{"email": "anne@bakkerij-devries.nl", "lastname": "de Vries", "company": "Bakkerij"}); err != nil {
		b.Fatal(err)
	}
	f.sync()
	start := time.Now()

	err := f.Store.InTx(ctx, func(tx store.Tx) error {
		run, err := tx.StartRun(ctx, store.Run{ConnectionID: f.Conn.ID, Kind: store.RunSync, Status: store.RunRunning})
		if err != nil {
			return err
		}
		for i := range benchLinks {
			_, err := tx.CreateLink(ctx, store.Link{
				ConnectionID: f.Conn.ID, Kind: store.LinkContact, Status: store.LinkActive,
				HubSpotID: fmt.Sprint(200000 + i), SalesforceID: fmt.Sprintf("00Q%015d", i), SalesforceObject: store.Lead,
				Email: fmt.Sprintf("persoon%d@voorbeeld.nl", i),
			}, run.ID)
			if err != nil {
				return err
			}
		}
		categories := store.ErrorCategories
		for i := range benchErrors {
			_, err := tx.RecordError(ctx, store.SyncError{
				ConnectionID: f.Conn.ID, Side: store.Salesforce, Object: "Lead", RecordID: fmt.Sprintf("00Q%015d", i),
				Category: categories[i%len(categories)], Code: "FIELD_CUSTOM_VALIDATION_EXCEPTION",
				Message: "Postcode moet uit vier cijfers en twee letters bestaan", Fields: []string{"PostalCode"},
				NextRetryAt: f.clock.Now().Add(time.Hour),
			})
			if err != nil {
				return err
			}
		}
		for range 200 {
			r, err := tx.StartRun(ctx, store.Run{ConnectionID: f.Conn.ID, Kind: store.RunSync, Status: store.RunRunning})
			if err != nil {
				return err
			}
			if _, err := tx.FinishRun(ctx, r.ID, store.RunResult{Status: store.RunSucceeded, Counts: map[string]int64{"updated_salesforce": 40, "failed": 2},
				APICallsHubSpot: 3, APICallsSalesforce: 4}); err != nil {
				return err
			}
		}
		_, err = tx.FinishRun(ctx, run.ID, store.RunResult{Status: store.RunPartial})
		return err
	})
	if err != nil {
		b.Fatalf("fill store: %v", err)
	}
	b.Logf("filled the store with %d links and %d errors in %s", benchLinks, benchErrors, time.Since(start).Round(time.Millisecond))

	h, err := New(Config{Store: f.Store, Now: f.clock.Now, Logger: quietLogger(),
		Clients: func(ctxArg contextArg, c store.Connection) (Clients, error) { return f.clients, nil }})
	if err != nil {
		b.Fatal(err)
	}
	cookie := benchSession(b, f)

	mid, err := f.Store.ListErrors(ctx, store.ErrorQuery{ConnectionID: f.Conn.ID, Page: store.Page{Limit: 1, After: benchErrors / 2}})
	if err != nil || len(mid) == 0 {
		b.Fatalf("find an error halfway: %v", err)
	}
	pages := []struct{ name, path string }{
		{"connections", "/connections"},
		{"health", "/c/default/health"},
		{"errors_first_page", "/c/default/errors"},
		{"errors_category", "/c/default/errors?category=custom_code"},
		{"errors_deep_page", fmt.Sprintf("/c/default/errors?after=%d", mid[0].ID)},
		{"error_detail", fmt.Sprintf("/c/default/errors/%d", mid[0].ID)},
		{"errors_csv_10000", "/c/default/errors.csv"},
		{"activity", "/c/default/activity"},
		{"settings", "/c/default/settings"},
		{"record", "/c/default/record?q=anne@bakkerij-devries.nl"},
		{"mappings", "/c/default/mappings"},
		{"api_errors", "/api/c/default/errors"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", p.path, nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: status %d", p.path, rec.Code)
				}
			}
		})
	}
}

// benchSession stores a session for the test admin and returns its
// cookie, without paying for an argon2id hash per run.
func benchSession(b *testing.B, f *fixture) *http.Cookie {
	b.Helper()
	u, err := f.Store.GetUserByUsername(f.ctx, testUser)
	if err != nil {
		b.Fatal(err)
	}
	token := "benchmark-session-token"
	now := f.clock.Now()
	err = f.Store.CreateSession(f.ctx, store.Session{TokenHash: hashToken(token), UserID: u.ID, CSRFSecret: []byte("0123456789abcdef0123456789abcdef"),
		CreatedAt: now, ExpiresAt: now.Add(365 * 24 * time.Hour)})
	if err != nil {
		b.Fatal(err)
	}
	return &http.Cookie{Name: sessionCookie, Value: token}
}
