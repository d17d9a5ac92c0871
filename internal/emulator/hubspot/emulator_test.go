package hubspot_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

const token = "pat-emulator-test"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	emu   *hsemu.Emulator
	srv   *httptest.Server
	clock *clock
}

func setup(t testing.TB, seed *hsemu.Seed) *env {
	t.Helper()
	if seed == nil {
		seed = &hsemu.Seed{}
	}
	if len(seed.Config.PrivateAppTokens) == 0 {
		seed.Config.PrivateAppTokens = []string{token}
	}
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	emu, err := hsemu.New(seed, hsemu.Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("new emulator: %v", err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	return &env{emu: emu, srv: srv, clock: clk}
}

// call sends a request with the test token and returns status and body.
func (e *env) call(t testing.TB, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %s", method, path, data)
		}
	}
	return resp.StatusCode, out
}

// TestBadInputGetsHubSpotErrors sends malformed requests and checks that
// each gets a 4xx with HubSpot's error body, and that the emulator keeps
// serving afterwards.
func TestBadInputGetsHubSpotErrors(t *testing.T) {
	e := setup(t, nil)
	hundredOne := `{"inputs":[` + strings.TrimSuffix(strings.Repeat(`{"properties":{}},`, 101), ",") + `]}`
	cases := []struct {
		name, method, path, body string
		status                   int
		category                 string
	}{
		{"not JSON", "POST", "/crm/v3/objects/contacts", "{", 400, "VALIDATION_ERROR"},
		{"empty body", "POST", "/crm/v3/objects/contacts", "", 400, "VALIDATION_ERROR"},
		{"properties not an object", "POST", "/crm/v3/objects/contacts", `{"properties":[1,2]}`, 400, "VALIDATION_ERROR"},
		{"property value not a string", "POST", "/crm/v3/objects/contacts", `{"properties":{"firstname":{"a":1}}}`, 400, "VALIDATION_ERROR"},
		{"unknown object type", "GET", "/crm/v3/objects/tickets2", "", 400, "VALIDATION_ERROR"},
		{"non-numeric id", "GET", "/crm/v3/objects/contacts/abc", "", 404, "OBJECT_NOT_FOUND"},
		{"batch over 100", "POST", "/crm/v3/objects/contacts/batch/create", hundredOne, 400, "VALIDATION_ERROR"},
		{"batch empty", "POST", "/crm/v3/objects/contacts/batch/update", `{"inputs":[]}`, 400, "VALIDATION_ERROR"},
		{"search bad after", "POST", "/crm/v3/objects/contacts/search", `{"after":"x"}`, 400, "VALIDATION_ERROR"},
		{"search unknown property", "POST", "/crm/v3/objects/contacts/search", `{"filterGroups":[{"filters":[{"propertyName":"nope","operator":"EQ","value":"1"}]}]}`, 400, "VALIDATION_ERROR"},
		{"search sorts wrong type", "POST", "/crm/v3/objects/contacts/search", `{"sorts":{"a":1}}`, 400, "VALIDATION_ERROR"},
		{"search negative limit", "POST", "/crm/v3/objects/contacts/search", `{"limit":-1}`, 400, "VALIDATION_ERROR"},
		{"merge with itself", "POST", "/crm/v3/objects/contacts/merge", `{"primaryObjectId":"1","objectIdToMerge":"x"}`, 400, "VALIDATION_ERROR"},
		{"list bad processing type", "POST", "/crm/v3/lists", `{"name":"x","objectTypeId":"0-1","processingType":"SMART"}`, 400, "VALIDATION_ERROR"},
		{"list filter missing operator", "POST", "/crm/v3/lists", `{"name":"y","objectTypeId":"0-1","processingType":"DYNAMIC","filterBranch":{"filterBranchType":"OR","filterBranches":[],"filters":[{"filterType":"PROPERTY","property":"email","operation":{"operationType":"STRING"}}]}}`, 400, "VALIDATION_ERROR"},
		{"unknown list", "GET", "/crm/v3/lists/424242", "", 404, "OBJECT_NOT_FOUND"},
		{"membership body not a list", "PUT", "/crm/v3/lists/1/memberships/add", `{"ids":[]}`, 400, "VALIDATION_ERROR"},
		{"association unsupported type", "PUT", "/crm/v4/objects/contacts/1/associations/default/deals/2", "", 400, "VALIDATION_ERROR"},
		{"association labels not a list", "PUT", "/crm/v4/objects/contacts/1/associations/companies/2", `{}`, 400, "VALIDATION_ERROR"},
		{"property bad type", "POST", "/crm/v3/properties/contacts", `{"name":"x_1","label":"X","type":"money","fieldType":"text","groupName":"contactinformation"}`, 400, "VALIDATION_ERROR"},
		{"property bad name", "POST", "/crm/v3/properties/contacts", `{"name":"X Y","label":"X","type":"string","fieldType":"text","groupName":"contactinformation"}`, 400, "VALIDATION_ERROR"},
		{"invalid email in preferences", "GET", "/communication-preferences/v4/statuses/not-an-email", "", 400, "VALIDATION_ERROR"},
		{"unknown route", "GET", "/crm/v3/nothing", "", 404, "OBJECT_NOT_FOUND"},
		{"owner limit not a number", "GET", "/crm/v3/owners?limit=many", "", 400, "VALIDATION_ERROR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.call(t, tc.method, tc.path, tc.body)
			if status != tc.status {
				t.Errorf("status = %d, want %d (body %v)", status, tc.status, body)
			}
			if body["status"] != "error" || body["category"] != tc.category || body["correlationId"] == "" || body["message"] == "" {
				t.Errorf("body = %v, want HubSpot's error body with category %s", body, tc.category)
			}
		})
	}
	if status, _ := e.call(t, "GET", "/crm/v3/objects/contacts", ""); status != 200 {
		t.Errorf("emulator answers %d after bad input, want 200", status)
	}
}

func TestMissingTokenGets401(t *testing.T) {
	e := setup(t, nil)
	resp, err := http.Get(e.srv.URL + "/crm/v3/objects/contacts")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 401 || body["category"] != "INVALID_AUTHENTICATION" {
		t.Errorf("status %d body %v, want 401 INVALID_AUTHENTICATION", resp.StatusCode, body)
	}
}

func TestRateLimitBodyAndHeaders(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{RateLimits: hsemu.RateLimits{TenSecondly: 2, SearchPerSecond: 1}}})
	for i := range 2 {
		if status, _ := e.call(t, "GET", "/crm/v3/objects/contacts", ""); status != 200 {
			t.Fatalf("call %d: status %d", i, status)
		}
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/crm/v3/objects/contacts", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 429 || body["policyName"] != "TEN_SECONDLY_ROLLING" || body["errorType"] != "RATE_LIMIT" {
		t.Errorf("third call: status %d body %v, want 429 TEN_SECONDLY_ROLLING", resp.StatusCode, body)
	}
	if resp.Header.Get("X-HubSpot-RateLimit-Remaining") != "0" || resp.Header.Get("X-HubSpot-RateLimit-Max") != "2" {
		t.Errorf("headers = %v", resp.Header)
	}

	// Search has its own budget and is exempt from the 10-second window.
	if status, _ := e.call(t, "POST", "/crm/v3/objects/contacts/search", "{}"); status != 200 {
		t.Errorf("first search: %d, want 200", status)
	}
	if status, body := e.call(t, "POST", "/crm/v3/objects/contacts/search", "{}"); status != 429 || body["policyName"] != "SECONDLY" {
		t.Errorf("second search in one second: %d %v, want 429 SECONDLY", status, body)
	}

	e.clock.Add(11 * time.Second)
	if status, _ := e.call(t, "GET", "/crm/v3/objects/contacts", ""); status != 200 {
		t.Errorf("after the window rolled: status %d, want 200", status)
	}
}

func TestSearchIndexLag(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{SearchIndexLag: hsemu.Duration(5 * time.Second)}})
	r, err := e.emu.CreateRecord("contacts", map[string]string{"email": "lag@example.com", "firstname": "Old"})
	if err != nil {
		t.Fatal(err)
	}
	search := func() []any {
		_, body := e.call(t, "POST", "/crm/v3/objects/contacts/search", `{"properties":["firstname"]}`)
		return body["results"].([]any)
	}
	if got := search(); len(got) != 0 {
		t.Fatalf("new record visible before the lag: %v", got)
	}
	e.clock.Add(6 * time.Second)
	if got := search(); len(got) != 1 {
		t.Fatalf("record not visible after the lag: %v", got)
	}
	if _, err := e.emu.UpdateRecord("contacts", r.ID, map[string]string{"firstname": "New"}); err != nil {
		t.Fatal(err)
	}
	got := search()
	if name := got[0].(map[string]any)["properties"].(map[string]any)["firstname"]; name != "Old" {
		t.Errorf("search shows %v right after the update, want the indexed Old", name)
	}
	if status, body := e.call(t, "GET", "/crm/v3/objects/contacts/"+r.ID+"?properties=firstname", ""); status != 200 ||
		body["properties"].(map[string]any)["firstname"] != "New" {
		t.Errorf("GET shows %v, want New at once", body)
	}
}

func TestStateRoundTrip(t *testing.T) {
	e := setup(t, &hsemu.Seed{
		Owners: []hsemu.Owner{{ID: "11", Email: "o@example.com", UserID: 5}},
		Lists: []hsemu.SeedList{{Name: "Leads", ProcessingType: "DYNAMIC", FilterBranch: &hsemu.FilterBranch{FilterBranchType: "OR",
			FilterBranches: []hsemu.FilterBranch{{FilterBranchType: "AND", Filters: []hsemu.ListFilter{{FilterType: "PROPERTY", Property: "lifecyclestage",
				Operation: &hsemu.ListOperation{OperationType: "ENUMERATION", Operator: "IS_ANY_OF", Values: []string{"lead"}}}}}}}}},
	})
	c, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "s@example.com", "lifecyclestage": "lead", "hubspot_owner_id": "11"})
	co, _ := e.emu.CreateRecord("companies", map[string]string{"name": "S Corp"})
	if err := e.emu.Associate(c.ID, co.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := e.emu.UnsubscribeAll("s@example.com"); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "state.json")
	if err := e.emu.SaveState(path); err != nil {
		t.Fatalf("save: %v", err)
	}
	seed, err := hsemu.LoadSeed(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	again, err := hsemu.New(seed, hsemu.Options{Now: e.clock.Now})
	if err != nil {
		t.Fatalf("new from state: %v", err)
	}
	defer again.Close()

	got, ok := again.Get("contacts", c.ID)
	if !ok || got.Properties["hs_email_optout"] != "true" || got.Properties["associatedcompanyid"] != co.ID || got.Properties["hubspot_owner_id"] != "11" {
		t.Errorf("restored contact = %+v", got)
	}
	if !again.OptedOut("S@example.com") {
		t.Error("opt-out lost")
	}
	lists := seed.Lists
	if len(lists) != 1 {
		t.Fatalf("lists = %+v", lists)
	}
	members, err := again.ListMembers(lists[0].ID)
	if err != nil || len(members) != 1 || members[0] != c.ID {
		t.Errorf("dynamic list members = %v (%v), want [%s]", members, err, c.ID)
	}
	next, _ := again.CreateRecord("contacts", map[string]string{"email": "n@example.com"})
	if next.ID <= co.ID {
		t.Errorf("new id %s does not follow restored ids (last %s)", next.ID, co.ID)
	}
}

func TestRejectsNonLoopbackWebhook(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"http://127.0.0.1:9000/hook", true},
		{"http://[::1]:9000/hook", true},
		{"http://localhost:9000/hook", true},
		{"https://hooks.example.com/hook", false},
		{"http://10.0.0.5/hook", false},
		{"ftp://127.0.0.1/hook", false},
	}
	for _, tc := range cases {
		t.Run(tc.url, func(t *testing.T) {
			_, err := hsemu.New(&hsemu.Seed{Config: hsemu.Config{ClientSecret: "s", Webhook: hsemu.WebhookConfig{TargetURL: tc.url}}}, hsemu.Options{})
			if (err == nil) != tc.ok {
				t.Errorf("New error = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestSeedRejectsUnknownFields(t *testing.T) {
	_, err := hsemu.DecodeSeed(strings.NewReader(`{"contacts":[{"properties":{}}],"contcts":[]}`))
	if err == nil || !strings.Contains(err.Error(), "contcts") {
		t.Errorf("err = %v, want it to name the unknown field", err)
	}
	_, err = hsemu.New(&hsemu.Seed{Contacts: []hsemu.SeedRecord{{Properties: map[string]string{"lifecyclestage": "bogus"}}}}, hsemu.Options{})
	if err == nil || !strings.Contains(err.Error(), "lifecyclestage") {
		t.Errorf("err = %v, want it to name lifecyclestage", err)
	}
}

// hookSink records webhook requests and fails the first failFirst.
type hookSink struct {
	mu        sync.Mutex
	failFirst int
	requests  []hookRequest
}

type hookRequest struct {
	header http.Header
	body   []byte
	url    string
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests = append(h.requests, hookRequest{header: r.Header.Clone(), body: body, url: "http://" + r.Host + r.URL.RequestURI()})
	if len(h.requests) <= h.failFirst {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookSink) events(t *testing.T) []hubspot.WebhookEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []hubspot.WebhookEvent
	for _, r := range h.requests[h.failFirst:] {
		var batch []hubspot.WebhookEvent
		if err := json.Unmarshal(r.body, &batch); err != nil {
			t.Fatalf("webhook body: %v", err)
		}
		out = append(out, batch...)
	}
	return out
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWebhooksSignedBatchesAndRetries(t *testing.T) {
	sink := &hookSink{failFirst: 1}
	target := httptest.NewServer(sink)
	defer target.Close()

	const secret = "client-secret-for-tests"
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{ClientSecret: secret, AppID: 77,
		Webhook: hsemu.WebhookConfig{TargetURL: target.URL + "/hooks/hubspot", RetryBackoff: hsemu.Duration(10 * time.Millisecond), BatchWindow: hsemu.Duration(20 * time.Millisecond)}}})

	// A user creates a contact and a company in the UI; the app then
	// changes the contact through the API.
	c, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "w@example.com"})
	co, _ := e.emu.CreateRecord("companies", map[string]string{"name": "W"})
	_ = e.emu.Associate(c.ID, co.ID, true)
	if status, _ := e.call(t, "PATCH", "/crm/v3/objects/contacts/"+c.ID, `{"properties":{"firstname":"Wim"}}`); status != 200 {
		t.Fatalf("patch: %d", status)
	}
	other, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "w2@example.com"})
	if _, err := e.emu.MergeRecords("contacts", c.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	_ = e.emu.ArchiveRecord("companies", co.ID)

	waitFor(t, "webhook delivery", func() bool { return e.emu.WebhookStats().Pending == 0 && e.emu.WebhookStats().Delivered >= 8 })

	sink.mu.Lock()
	first := sink.requests[0]
	retried := sink.requests[1]
	sink.mu.Unlock()
	ts := retried.header.Get("X-HubSpot-Request-Timestamp")
	if err := hubspot.VerifyV3(secret, "POST", retried.url, retried.body, ts, retried.header.Get("X-HubSpot-Signature-v3"), time.Now()); err != nil {
		t.Errorf("v3 signature: %v", err)
	}
	if err := hubspot.VerifyV1(secret, retried.body, retried.header.Get("X-HubSpot-Signature")); err != nil {
		t.Errorf("v1 signature: %v", err)
	}
	if !bytes.Contains(retried.body, []byte(`"attemptNumber":1`)) || !bytes.Contains(first.body, []byte(`"attemptNumber":0`)) {
		t.Errorf("attempt numbers: first %s / retry %s", first.body[:80], retried.body[:80])
	}

	byType := map[string][]hubspot.WebhookEvent{}
	for _, ev := range sink.events(t) {
		byType[ev.SubscriptionType] = append(byType[ev.SubscriptionType], ev)
		if ev.PortalID == 0 || ev.AppID != 77 || ev.EventID == 0 {
			t.Errorf("event %+v lacks portal, app or event id", ev)
		}
	}
	for _, want := range []string{"contact.creation", "company.creation", "contact.propertyChange", "contact.associationChange",
		"company.associationChange", "contact.merge", "company.deletion"} {
		if len(byType[want]) == 0 {
			t.Errorf("no %s event; got %v", want, keys(byType))
		}
	}
	var fromApp, fromUser int
	for _, ev := range byType["contact.propertyChange"] {
		if ev.FromApp(77) {
			fromApp++
			if ev.PropertyName != "firstname" || *ev.PropertyValue != "Wim" {
				t.Errorf("app change event = %+v", ev)
			}
		} else if ev.ChangeSource == "CRM_UI" {
			fromUser++
		}
	}
	if fromApp != 1 || fromUser == 0 {
		t.Errorf("propertyChange from app %d, from users %d; want one app change marked with the app id", fromApp, fromUser)
	}
	if m := byType["contact.merge"][0]; m.PrimaryObjectID == 0 || len(m.MergedObjectIDs) != 1 {
		t.Errorf("merge event = %+v", m)
	}
}

func TestWebhookBatchesHoldAtMost100(t *testing.T) {
	sink := &hookSink{}
	target := httptest.NewServer(sink)
	defer target.Close()
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{ClientSecret: "s",
		Webhook: hsemu.WebhookConfig{TargetURL: target.URL, BatchWindow: hsemu.Duration(200 * time.Millisecond),
			Subscriptions: []hsemu.WebhookSubscription{{EventType: "contact.creation"}}}}})
	for i := range 250 {
		if _, err := e.emu.CreateRecord("contacts", map[string]string{"email": fmt.Sprintf("b%d@example.com", i)}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "250 events", func() bool { return e.emu.WebhookStats().Delivered == 250 })
	sink.mu.Lock()
	defer sink.mu.Unlock()
	for i, r := range sink.requests {
		var batch []json.RawMessage
		_ = json.Unmarshal(r.body, &batch)
		if len(batch) > 100 {
			t.Errorf("request %d holds %d events, more than 100", i, len(batch))
		}
	}
	if len(sink.requests) < 3 {
		t.Errorf("250 events came in %d requests, want at least 3", len(sink.requests))
	}
}

func keys[M ~map[string]V, V any](m M) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestBurstOfUpdatesLocksRecord(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{RateLimits: hsemu.RateLimits{RecordWritesPerSecond: 2}}})
	c, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "busy@example.com"})
	other, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "calm@example.com"})
	patch := func(id, title string) int {
		status, _ := e.call(t, "PATCH", "/crm/v3/objects/contacts/"+id, `{"properties":{"jobtitle":"`+title+`"}}`)
		return status
	}

	for i := range 2 {
		if status := patch(c.ID, fmt.Sprint("T", i)); status != 200 {
			t.Fatalf("update %d: status %d", i, status)
		}
	}
	status, body := e.call(t, "PATCH", "/crm/v3/objects/contacts/"+c.ID, `{"properties":{"jobtitle":"T2"}}`)
	if status != 423 || body["category"] != "LOCKED" {
		t.Errorf("third update in one second: %d %v, want 423 LOCKED", status, body)
	}
	batch := `{"inputs":[{"id":"` + other.ID + `","properties":{"jobtitle":"B"}},{"id":"` + c.ID + `","properties":{"jobtitle":"B"}}]}`
	if status, _ := e.call(t, "POST", "/crm/v3/objects/contacts/batch/update", batch); status != 423 {
		t.Errorf("batch touching the locked record: status %d, want 423", status)
	}
	if got, _ := e.emu.Get("contacts", other.ID); got.Properties["jobtitle"] != "" {
		t.Errorf("locked batch wrote %q to the other record", got.Properties["jobtitle"])
	}
	if status := patch(other.ID, "free"); status != 200 {
		t.Errorf("update of another record: status %d, want 200", status)
	}

	e.clock.Add(1100 * time.Millisecond)
	if status := patch(c.ID, "later"); status != 200 {
		t.Errorf("update after a second: status %d, want 200", status)
	}
}

func TestOAuthTokenEndpoint(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{OAuth: &hsemu.OAuthConfig{ClientID: "cid", ClientSecret: "csecret",
		AuthorizationCodes: []string{"code-1"}, RefreshTokens: []string{"rt-1"}}}})
	post := func(form string) (int, map[string]any) {
		resp, err := http.Post(e.srv.URL+"/oauth/v1/token", "application/x-www-form-urlencoded", strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	cases := []struct {
		name, form string
		status     int
		errStatus  string
	}{
		{"unknown client", "grant_type=refresh_token&client_id=x&client_secret=csecret&refresh_token=rt-1", 400, "BAD_CLIENT_ID"},
		{"wrong secret", "grant_type=refresh_token&client_id=cid&client_secret=x&refresh_token=rt-1", 400, "BAD_CLIENT_SECRET"},
		{"unknown refresh token", "grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=rt-x", 400, "BAD_REFRESH_TOKEN"},
		{"unknown code", "grant_type=authorization_code&client_id=cid&client_secret=csecret&code=nope", 400, "BAD_AUTH_CODE"},
		{"bad grant", "grant_type=password&client_id=cid&client_secret=csecret", 400, "BAD_GRANT_TYPE"},
		{"refresh", "grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=rt-1", 200, ""},
		{"code", "grant_type=authorization_code&client_id=cid&client_secret=csecret&code=code-1&redirect_uri=http://127.0.0.1/cb", 200, ""},
		{"code reused", "grant_type=authorization_code&client_id=cid&client_secret=csecret&code=code-1&redirect_uri=http://127.0.0.1/cb", 400, "BAD_AUTH_CODE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(tc.form)
			if status != tc.status {
				t.Fatalf("status %d, want %d (%v)", status, tc.status, body)
			}
			if tc.errStatus != "" && body["status"] != tc.errStatus {
				t.Errorf("status field %v, want %s", body["status"], tc.errStatus)
			}
			if tc.status == 200 && (body["expires_in"] != float64(1800) || body["token_type"] != "bearer" || body["access_token"] == "") {
				t.Errorf("token body = %v, want a bearer token for 1800 s", body)
			}
		})
	}

	_, body := post("grant_type=refresh_token&client_id=cid&client_secret=csecret&refresh_token=rt-1")
	req, _ := http.NewRequest("GET", e.srv.URL+"/crm/v3/objects/contacts", nil)
	req.Header.Set("Authorization", "Bearer "+body["access_token"].(string))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("call with the issued token: status %d, want 200", resp.StatusCode)
	}
}

func TestDailyLimitResetsAtMidnight(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{RateLimits: hsemu.RateLimits{Daily: 2}}})
	for i := range 2 {
		if status, _ := e.call(t, "GET", "/crm/v3/objects/contacts", ""); status != 200 {
			t.Fatalf("call %d: status %d", i, status)
		}
	}
	status, body := e.call(t, "GET", "/crm/v3/objects/contacts", "")
	if status != 429 || body["policyName"] != "DAILY" {
		t.Errorf("third call: %d %v, want 429 DAILY", status, body)
	}

	// The test clock starts at 09:00 UTC; 15 hours later is the next day.
	e.clock.Add(15 * time.Hour)
	if status, _ := e.call(t, "GET", "/crm/v3/objects/contacts", ""); status != 200 {
		t.Errorf("after midnight: status %d, want 200", status)
	}
}

func TestOAuthAuthorizeRedirectsWithCode(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{OAuth: &hsemu.OAuthConfig{ClientID: "cid", ClientSecret: "csecret"}}})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	authorize := func(query string) *http.Response {
		resp, err := client.Get(e.srv.URL + "/oauth/authorize?" + query)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	resp := authorize("client_id=cid&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb%3Fx%3D1&scope=crm.objects.contacts.read&state=s-1")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d, want 302", resp.StatusCode)
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if back.Host != "127.0.0.1:9" || back.Path != "/cb" {
		t.Errorf("redirect to %s, want the redirect_uri", back)
	}
	if got := back.Query().Get("state"); got != "s-1" {
		t.Errorf("state = %q, want s-1", got)
	}
	if got := back.Query().Get("x"); got != "1" {
		t.Errorf("the redirect_uri's own query was dropped: x = %q", got)
	}

	form := "grant_type=authorization_code&client_id=cid&client_secret=csecret&code=" + url.QueryEscape(back.Query().Get("code"))
	token, err := http.Post(e.srv.URL+"/oauth/v1/token", "application/x-www-form-urlencoded", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	token.Body.Close()
	if token.StatusCode != http.StatusOK {
		t.Errorf("exchanging the issued code: status %d, want 200", token.StatusCode)
	}

	for name, query := range map[string]string{
		"unknown client": "client_id=other&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&scope=x",
		"remote http":    "client_id=cid&redirect_uri=http%3A%2F%2Fexample.com%2Fcb&scope=x",
		"relative uri":   "client_id=cid&redirect_uri=%2Fcb&scope=x",
		"missing scope":  "client_id=cid&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb",
	} {
		if resp := authorize(query); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, resp.StatusCode)
		}
	}
}
