package hubspot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/hubspot"
)

func TestBatchCreatePartialFailure(t *testing.T) {
	e := setup(t)
	mustCreate(t, e, "contacts", map[string]string{"email": "taken@example.com"})

	var inputs []hubspot.BatchInput
	for i := range 150 {
		props := map[string]string{"email": fmt.Sprintf("c%03d@example.com", i), "firstname": fmt.Sprintf("C%d", i)}
		switch i {
		case 7:
			props["lifecyclestage"] = "nonsense"
		case 120:
			props["email"] = "taken@example.com"
		}
		inputs = append(inputs, hubspot.BatchInput{Properties: props, TraceID: fmt.Sprintf("row-%d", i)})
	}

	results, err := e.client.BatchCreate(e.ctx, hubspot.Contacts, inputs)
	if err != nil {
		t.Fatalf("batch create: %v", err)
	}
	if len(results) != 150 {
		t.Fatalf("got %d results, want 150", len(results))
	}
	if calls := e.emu.Calls().ByRoute["POST /crm/v3/objects/{objectType}/batch/create"]; calls != 2 {
		t.Errorf("batch create calls = %d, want 2 chunks", calls)
	}
	for i, r := range results {
		if r.Index != i || r.TraceID != fmt.Sprintf("row-%d", i) {
			t.Fatalf("result %d has index %d trace %s", i, r.Index, r.TraceID)
		}
		switch i {
		case 7:
			if r.Err == nil || r.Err.Code != "INVALID_OPTION" || r.Err.Property != "lifecyclestage" || r.Err.Status != 207 {
				t.Errorf("row 7 error = %+v, want 207 INVALID_OPTION on lifecyclestage", r.Err)
			}
		case 120:
			if r.Err == nil || r.Err.Category != hubspot.CategoryConflict || r.Err.ExistingID == "" {
				t.Errorf("row 120 error = %+v, want CONFLICT with existing id", r.Err)
			}
		default:
			if r.Err != nil {
				t.Errorf("row %d failed: %v", i, r.Err)
				continue
			}
			if want := fmt.Sprintf("c%03d@example.com", i); r.Object.Properties["email"] != want {
				t.Errorf("row %d mapped to %s, want %s", i, r.Object.Properties["email"], want)
			}
		}
	}
	if n := e.emu.Count("contacts", false); n != 149 {
		t.Errorf("emulator holds %d contacts, want 149", n)
	}
}

func TestBatchUpsertByEmail(t *testing.T) {
	e := setup(t)
	existing := mustCreate(t, e, "contacts", map[string]string{"email": "old@example.com", "firstname": "Old"})

	results, err := e.client.BatchUpsert(e.ctx, hubspot.Contacts, []hubspot.BatchInput{
		{ID: "new@example.com", IDProperty: "email", Properties: map[string]string{"firstname": "New"}},
		{ID: "old@example.com", IDProperty: "email", Properties: map[string]string{"firstname": "Renamed"}},
	})
	if err != nil {
		t.Fatalf("upsert: %v", err)
	}
	if results[0].Err != nil || !results[0].Object.New || results[0].Object.Properties["email"] != "new@example.com" {
		t.Errorf("first result = %+v %v, want new contact new@example.com", results[0].Object, results[0].Err)
	}
	if results[1].Err != nil || results[1].Object.New || results[1].Object.ID != existing.ID {
		t.Errorf("second result = %+v %v, want update of %s", results[1].Object, results[1].Err, existing.ID)
	}
	got, _ := e.emu.Get("contacts", existing.ID)
	if got.Properties["firstname"] != "Renamed" {
		t.Errorf("existing firstname = %q, want Renamed", got.Properties["firstname"])
	}

	if _, err := e.client.BatchUpsert(e.ctx, hubspot.Contacts, []hubspot.BatchInput{{ID: "x", IDProperty: "firstname"}}); err == nil {
		t.Error("upsert by a non-unique property succeeded")
	} else if he := asError(t, err); he.Status != 400 {
		t.Errorf("upsert by non-unique property: status %d, want 400", he.Status)
	}
}

func TestBatchReadMissingIDs(t *testing.T) {
	e := setup(t)
	a := mustCreate(t, e, "companies", map[string]string{"name": "A"})
	b := mustCreate(t, e, "companies", map[string]string{"name": "B"})

	results, err := e.client.BatchRead(e.ctx, hubspot.Companies, []string{a.ID, "999999", b.ID}, hubspot.BatchReadOptions{Properties: []string{"name"}})
	if err != nil {
		t.Fatalf("batch read: %v", err)
	}
	if results[0].Object == nil || results[0].Object.Properties["name"] != "A" {
		t.Errorf("result 0 = %+v", results[0])
	}
	if results[1].Err == nil || results[1].Err.Class() != hubspot.ClassDeleted {
		t.Errorf("result 1 = %+v, want not found", results[1])
	}
	if results[2].Object == nil || results[2].Object.Properties["name"] != "B" {
		t.Errorf("result 2 = %+v", results[2])
	}
}

func TestBatchUpdateAndArchive(t *testing.T) {
	e := setup(t)
	var ids []string
	for i := range 3 {
		ids = append(ids, mustCreate(t, e, "contacts", map[string]string{"email": fmt.Sprintf("u%d@example.com", i)}).ID)
	}

	results, err := e.client.BatchUpdate(e.ctx, hubspot.Contacts, []hubspot.BatchInput{
		{ID: ids[2], Properties: map[string]string{"jobtitle": "CFO"}},
		{ID: ids[0], Properties: map[string]string{"jobtitle": "CEO"}},
		{ID: ids[1], Properties: map[string]string{"numemployees": "lots"}},
	})
	if err != nil {
		t.Fatalf("batch update: %v", err)
	}
	if results[0].Object == nil || results[0].Object.ID != ids[2] || results[0].Object.Properties["jobtitle"] != "CFO" {
		t.Errorf("result 0 = %+v", results[0].Object)
	}
	if results[1].Object == nil || results[1].Object.ID != ids[0] {
		t.Errorf("result 1 = %+v", results[1].Object)
	}
	if results[2].Err == nil || results[2].Err.Code != "INVALID_OPTION" {
		t.Errorf("result 2 error = %v, want INVALID_OPTION", results[2].Err)
	}

	if err := e.client.BatchArchive(e.ctx, hubspot.Contacts, ids); err != nil {
		t.Fatalf("batch archive: %v", err)
	}
	if n := e.emu.Count("contacts", true); n != 3 {
		t.Errorf("archived count = %d, want 3", n)
	}
}

func TestBatchEmptyMakesNoCall(t *testing.T) {
	e := setup(t)
	results, err := e.client.BatchRead(e.ctx, hubspot.Contacts, make([]string, 0), hubspot.BatchReadOptions{})
	if err != nil || len(results) != 0 {
		t.Fatalf("empty batch read = %v, %v; want no call and no results", results, err)
	}
	if calls := e.emu.Calls().Total; calls != 0 {
		t.Errorf("empty batch made %d calls", calls)
	}
}

func TestBatchReadByEmailMapsEveryInput(t *testing.T) {
	e := setup(t)
	primary := mustCreate(t, e, "contacts", map[string]string{"email": "keep@example.com", "firstname": "Keep"})
	merged := mustCreate(t, e, "contacts", map[string]string{"email": "old@example.com"})
	other := mustCreate(t, e, "contacts", map[string]string{"email": "other@example.com", "firstname": "Other"})
	if _, err := e.emu.MergeRecords("contacts", primary.ID, merged.ID); err != nil {
		t.Fatal(err)
	}

	emails := []string{"nobody@example.com", "OTHER@example.com", "old@example.com", "keep@example.com"}
	results, err := e.client.BatchRead(e.ctx, hubspot.Contacts, emails, hubspot.BatchReadOptions{Properties: []string{"firstname"}, IDProperty: "email"})
	if err != nil {
		t.Fatalf("batch read: %v", err)
	}
	if results[0].Err == nil || results[0].Err.Class() != hubspot.ClassDeleted {
		t.Errorf("unknown email: %+v, want not found", results[0])
	}
	want := []string{"", other.ID, primary.ID, primary.ID}
	for i := 1; i < 4; i++ {
		if results[i].Err != nil || results[i].Object == nil || results[i].Object.ID != want[i] {
			t.Errorf("input %s: object %+v err %v, want contact %s", emails[i], results[i].Object, results[i].Err, want[i])
		}
	}
}

func TestBatchReadByMergedID(t *testing.T) {
	e := setup(t)
	primary := mustCreate(t, e, "companies", map[string]string{"name": "Keep"})
	merged := mustCreate(t, e, "companies", map[string]string{"name": "Gone"})
	if _, err := e.emu.MergeRecords("companies", primary.ID, merged.ID); err != nil {
		t.Fatal(err)
	}
	results, err := e.client.BatchRead(e.ctx, hubspot.Companies, []string{merged.ID, primary.ID}, hubspot.BatchReadOptions{Properties: []string{"name"}})
	if err != nil {
		t.Fatalf("batch read: %v", err)
	}
	for i, r := range results {
		if r.Err != nil || r.Object == nil || r.Object.ID != primary.ID || r.Object.Properties["name"] != "Keep" {
			t.Errorf("input %d: object %+v err %v, want company %s", i, r.Object, r.Err, primary.ID)
		}
	}
}

// reverseBatchResults wraps h and reverses the results of batch creates,
// because HubSpot does not promise them in input order.
func reverseBatchResults(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/batch/create") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if results, ok := body["results"].([]any); ok {
			slices.Reverse(results)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		_ = json.NewEncoder(w).Encode(body)
	})
}

func TestBatchCreateMapsResultsOutOfOrder(t *testing.T) {
	e := setup(t)
	e.srv.Config.Handler = reverseBatchResults(e.emu.Handler())

	var inputs []hubspot.BatchInput
	for i := range 5 {
		inputs = append(inputs, hubspot.BatchInput{Properties: map[string]string{"email": fmt.Sprintf("order%d@example.com", i)}})
	}
	results, err := e.client.BatchCreate(e.ctx, hubspot.Contacts, inputs)
	if err != nil {
		t.Fatalf("batch create: %v", err)
	}
	for i, r := range results {
		if r.Err != nil || r.Object.Properties["email"] != fmt.Sprintf("order%d@example.com", i) {
			t.Errorf("input %d mapped to %+v (%v)", i, r.Object, r.Err)
		}
	}
}

// rejectWholeBatches answers any batch create of more than one input with
// a whole-batch 409, as HubSpot does for a duplicate email, and passes
// single-input batches on to h.
func rejectWholeBatches(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/batch/create") {
			h.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var in struct {
			Inputs []json.RawMessage `json:"inputs"`
		}
		_ = json.Unmarshal(body, &in)
		if len(in.Inputs) > 1 {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte(`{"status":"error","message":"Contact already exists. Existing ID: 1","correlationId":"c-whole","category":"CONFLICT"}`))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

func TestBatchCreateIsolatesWholeBatchRejection(t *testing.T) {
	e := setup(t)
	e.srv.Config.Handler = rejectWholeBatches(e.emu.Handler())
	existing := mustCreate(t, e, "contacts", map[string]string{"email": "dup@example.com"})

	results, err := e.client.BatchCreate(e.ctx, hubspot.Contacts, []hubspot.BatchInput{
		{Properties: map[string]string{"email": "fresh1@example.com"}},
		{Properties: map[string]string{"email": "dup@example.com"}},
		{Properties: map[string]string{"email": "fresh2@example.com"}},
	})
	if err != nil {
		t.Fatalf("batch create: %v", err)
	}
	if results[0].Err != nil || results[0].Object.Properties["email"] != "fresh1@example.com" {
		t.Errorf("input 0 = %+v %v", results[0].Object, results[0].Err)
	}
	if results[1].Err == nil || results[1].Err.ExistingID != existing.ID {
		t.Errorf("input 1 error = %v, want a conflict naming %s", results[1].Err, existing.ID)
	}
	if results[2].Err != nil || results[2].Object.Properties["email"] != "fresh2@example.com" {
		t.Errorf("input 2 = %+v %v", results[2].Object, results[2].Err)
	}
	if got := e.emu.Calls().ByRoute["POST /crm/v3/objects/{objectType}/batch/create"]; got != 3 {
		t.Errorf("emulator saw %d single batch creates, want 3", got)
	}
}
