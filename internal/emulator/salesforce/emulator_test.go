package salesforce

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testEnv is an emulator served over httptest with a session token.
type testEnv struct {
	emu   *Emulator
	srv   *httptest.Server
	token string
	now   time.Time
}

func setup(t *testing.T, seed *Seed) *testEnv {
	t.Helper()
	env := &testEnv{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	emu, err := New(seed, Options{Now: func() time.Time { return env.now }})
	if err != nil {
		t.Fatalf("new emulator: %v", err)
	}
	env.emu = emu
	env.srv = httptest.NewServer(emu)
	t.Cleanup(env.srv.Close)
	env.token = emu.IssueAccessToken()
	return env
}

// call sends a request to the API and returns the status and body.
func (env *testEnv) call(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, env.srv.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+env.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := env.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

// errorCode reads the errorCode of a top-level error array.
func errorCode(t *testing.T, body string) string {
	t.Helper()
	var list []struct {
		ErrorCode string `json:"errorCode"`
		Message   string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) == 0 {
		t.Fatalf("body %q is not a Salesforce error array: %v", body, err)
	}
	return list[0].ErrorCode
}

const v = "/services/data/v66.0"

func TestBadInputGetsSalesforceErrors(t *testing.T) {
	env := setup(t, nil)
	lead, err := env.emu.Create("Lead", map[string]any{"LastName": "L", "Company": "C"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"malformed json", "POST", v + "/sobjects/Lead", `{"LastName": "x",`, 400, "JSON_PARSER_ERROR"},
		{"json array for record", "POST", v + "/sobjects/Lead", `[1,2]`, 400, "JSON_PARSER_ERROR"},
		{"empty body", "POST", v + "/sobjects/Lead", ``, 400, "JSON_PARSER_ERROR"},
		{"unknown field", "POST", v + "/sobjects/Lead", `{"LastName":"x","Company":"y","Shoe_Size__c":42}`, 400, "INVALID_FIELD"},
		{"number for string ok but object not", "POST", v + "/sobjects/Lead", `{"LastName":{"a":1},"Company":"y"}`, 400, "INVALID_TYPE_ON_FIELD_IN_RECORD"},
		{"bad id in path", "GET", v + "/sobjects/Lead/notanid", ``, 404, "NOT_FOUND"},
		{"unknown id", "GET", v + "/sobjects/Lead/00QKP0000000ZZZ", ``, 404, "NOT_FOUND"},
		{"wrong object for id", "GET", v + "/sobjects/Contact/" + lead, ``, 404, "NOT_FOUND"},
		{"unknown object", "GET", v + "/sobjects/Shoe__c/describe", ``, 404, "NOT_FOUND"},
		{"soql syntax", "GET", v + "/query?q=SELECT+FROM+Lead", ``, 400, "MALFORMED_QUERY"},
		{"missing q", "GET", v + "/query", ``, 400, "MALFORMED_QUERY"},
		{"bad locator", "GET", v + "/query/01gXYZ-2000", ``, 400, "INVALID_QUERY_LOCATOR"},
		{"unknown version", "GET", "/services/data/v12.0/limits", ``, 404, "NOT_FOUND"},
		{"unknown resource", "GET", v + "/nope", ``, 404, "NOT_FOUND"},
		{"wrong method", "PUT", v + "/sobjects/Lead/" + lead, `{}`, 405, "METHOD_NOT_ALLOWED"},
		{"collection over 200", "POST", v + "/composite/sobjects", `{"records":[` + strings.Repeat(`{"attributes":{"type":"Lead"}},`, 200) + `{"attributes":{"type":"Lead"}}]}`, 400, "EXCEEDED_ID_LIMIT"},
		{"update converted id format", "PATCH", v + "/sobjects/Lead/" + lead, `{"Email":"nope"}`, 400, "INVALID_EMAIL_ADDRESS"},
		{"getUpdated without start", "GET", v + "/sobjects/Lead/updated/?end=2026-03-02T00:00:00Z", ``, 400, "MISSING_ARGUMENT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := env.call(t, tc.method, tc.path, tc.body)
			if status != tc.status {
				t.Errorf("status = %d, want %d (body %s)", status, tc.status, body)
			}
			if got := errorCode(t, body); got != tc.code {
				t.Errorf("errorCode = %s, want %s (body %s)", got, tc.code, body)
			}
		})
	}

	// After all that the emulator still serves.
	if status, _ := env.call(t, "GET", v+"/limits", ""); status != 200 {
		t.Errorf("limits after bad input: %d", status)
	}
}

func TestNoSessionIsInvalidSessionID(t *testing.T) {
	env := setup(t, nil)
	env.token = "00D!forged"
	status, body := env.call(t, "GET", v+"/limits", "")
	if status != 401 || errorCode(t, body) != "INVALID_SESSION_ID" {
		t.Fatalf("status %d body %s, want 401 INVALID_SESSION_ID", status, body)
	}
}

func TestSforceLimitInfoOnEveryResponse(t *testing.T) {
	env := setup(t, &Seed{Config: Config{DailyAPILimit: 100}})
	req, _ := http.NewRequest("GET", env.srv.URL+v+"/query?q=SELECT+Id+FRM+Lead", nil)
	req.Header.Set("Authorization", "Bearer "+env.token)
	resp, err := env.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Sforce-Limit-Info"); got != "api-usage=1/100" {
		t.Errorf("Sforce-Limit-Info = %q, want api-usage=1/100 on an error response too", got)
	}
}

func TestIDChecksum(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0015000000Gv7qJ", "0015000000Gv7qJAAR"},
		{"0015000000Gv7qJAAR", "0015000000Gv7qJAAR"},
		{"0015000000gv7qjaar", ""},
		{"001", ""},
		{"0015000000Gv7q!", ""},
	}
	for _, tc := range cases {
		got, ok := normalizeID(tc.in)
		if (tc.want == "") == ok || got != tc.want {
			t.Errorf("normalizeID(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	if id := newID("003", 1); len(id) != 18 || id[:3] != "003" {
		t.Errorf("newID = %q", id)
	}
	if newID("003", 61) >= newID("003", 62) {
		t.Error("ids do not sort in creation order")
	}
}

func TestConvertLeadMovesCampaignMembership(t *testing.T) {
	env := setup(t, nil)
	e := env.emu
	lead, _ := e.Create("Lead", map[string]any{"FirstName": "Ada", "LastName": "Lovelace", "Company": "Analytical", "Email": "ada@example.com", "HasOptedOutOfEmail": true})
	camp, err := e.Create("Campaign", map[string]any{"Name": "Spring webinar"})
	if err != nil {
		t.Fatal(err)
	}
	member, err := e.AddCampaignMember(camp, lead, "Responded")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddCampaignMember(camp, lead, ""); err == nil || err.(*Error).Code != "DUPLICATE_VALUE" {
		t.Errorf("second membership: %v, want DUPLICATE_VALUE", err)
	}

	env.now = env.now.Add(time.Hour)
	res, err := e.ConvertLead(ConvertLead{LeadID: lead})
	if err != nil {
		t.Fatal(err)
	}
	l, _ := e.Get(lead)
	if l["IsConverted"] != true || l["ConvertedContactId"] != res.ContactID || l["ConvertedAccountId"] != res.AccountID || l["Status"] != "Closed - Converted" {
		t.Errorf("lead after conversion = %v", l)
	}
	if l["ConvertedDate"] != "2026-03-02" {
		t.Errorf("ConvertedDate = %v", l["ConvertedDate"])
	}
	c, _ := e.Get(res.ContactID)
	if c["Email"] != "ada@example.com" || c["HasOptedOutOfEmail"] != true || c["AccountId"] != res.AccountID {
		t.Errorf("contact = %v", c)
	}
	a, _ := e.Get(res.AccountID)
	if a["Name"] != "Analytical" {
		t.Errorf("account name = %v", a["Name"])
	}
	m, _ := e.Get(member)
	if m["ContactId"] != res.ContactID || m["LeadId"] != lead || m["Type"] != "Contact" || m["SystemModstamp"] != "2026-03-02T10:00:00.000+0000" {
		t.Errorf("campaign member after conversion = %v", m)
	}
	cm, _ := e.Get(camp)
	if cm["NumberOfConvertedLeads"] != json.Number("1") {
		t.Errorf("NumberOfConvertedLeads = %v", cm["NumberOfConvertedLeads"])
	}
	if err := e.Update(lead, map[string]any{"Title": "x"}); err == nil || err.(*Error).Code != "CANNOT_UPDATE_CONVERTED_LEAD" {
		t.Errorf("update converted lead: %v", err)
	}
	if _, err := e.ConvertLead(ConvertLead{LeadID: lead}); err == nil {
		t.Error("second conversion succeeded")
	}
}

func TestMergeSetsMasterRecordID(t *testing.T) {
	env := setup(t, nil)
	e := env.emu
	master, _ := e.Create("Contact", map[string]any{"LastName": "Keep", "Email": "k@example.com"})
	loser, _ := e.Create("Contact", map[string]any{"LastName": "Lose"})
	camp, _ := e.Create("Campaign", map[string]any{"Name": "C"})
	member, _ := e.AddCampaignMember(camp, loser, "")

	if err := e.Merge(master, loser); err != nil {
		t.Fatal(err)
	}
	l, _ := e.Get(loser)
	if l["IsDeleted"] != true || l["MasterRecordId"] != master {
		t.Errorf("loser = %v", l)
	}
	m, _ := e.Get(member)
	if m["ContactId"] != master || m["IsDeleted"] != false {
		t.Errorf("membership = %v, want moved to master", m)
	}
	if err := e.Undelete(loser); err == nil {
		t.Error("undelete of a merged record succeeded")
	}

	status, body := env.call(t, "GET", v+"/queryAll?q="+urlQuery("SELECT Id, MasterRecordId FROM Contact WHERE IsDeleted = true"), "")
	if status != 200 || !strings.Contains(body, master) {
		t.Errorf("queryAll for merge losers: %d %s", status, body)
	}
}

func urlQuery(q string) string { return strings.ReplaceAll(q, " ", "+") }

func TestDeleteCascadesAndUndeleteRestores(t *testing.T) {
	env := setup(t, nil)
	e := env.emu
	acc, _ := e.Create("Account", map[string]any{"Name": "Parent"})
	con, _ := e.Create("Contact", map[string]any{"LastName": "Child", "AccountId": acc})
	if err := e.Delete(acc); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.Get(con); c["IsDeleted"] != true {
		t.Error("contact not deleted with its account")
	}
	if err := e.Undelete(acc); err != nil {
		t.Fatal(err)
	}
	if c, _ := e.Get(con); c["IsDeleted"] != false {
		t.Error("contact not restored with its account")
	}
}

func TestStateSaveAndLoad(t *testing.T) {
	env := setup(t, nil)
	e := env.emu
	lead, _ := e.Create("Lead", map[string]any{"LastName": "Saved", "Company": "C", "AnnualRevenue": 1234.5})
	gone, _ := e.Create("Lead", map[string]any{"LastName": "Gone", "Company": "C"})
	_ = e.Delete(gone)

	path := filepath.Join(t.TempDir(), "state.json")
	if err := e.SaveState(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("state file mode = %v, want 0600", info.Mode().Perm())
	}

	fresh := setup(t, nil).emu
	if err := fresh.LoadState(path); err != nil {
		t.Fatal(err)
	}
	got, err := fresh.Get(lead)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.Get(lead)
	for _, k := range []string{"LastName", "AnnualRevenue", "CreatedDate", "SystemModstamp", "Name"} {
		if got[k] != want[k] {
			t.Errorf("%s = %v after load, want %v", k, got[k], want[k])
		}
	}
	if g, _ := fresh.Get(gone); g["IsDeleted"] != true {
		t.Error("deleted lead not deleted after load")
	}
	next, err := fresh.Create("Lead", map[string]any{"LastName": "After", "Company": "C"})
	if err != nil || next == lead || next == gone {
		t.Errorf("create after load = %q, %v; ids must not repeat", next, err)
	}

	if err := os.WriteFile(path, []byte(`{"format": 9}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := fresh.LoadState(path); err == nil || !strings.Contains(err.Error(), "format 9") {
		t.Errorf("load of a future format: %v", err)
	}
}

func TestSeedValidation(t *testing.T) {
	cases := []struct {
		name string
		json string
		want string
	}{
		{"unknown key", `{"config":{"daily_limit":5}}`, "unknown field"},
		{"unknown object", `{"records":{"Shoe":[{}]}}`, "unknown object"},
		{"required field", `{"records":{"Lead":[{"LastName":"x"}]}}`, "Company"},
		{"bad rule operator", `{"config":{"validation_rules":[{"object":"Lead","field":"Email","operator":"near","message":"m"}]}}`, "unknown operator"},
		{"bad duplicate rule", `{"config":{"duplicate_rules":{"Campaign":true}}}`, "only Lead, Contact and Account"},
		{"bad rate", `{"config":{"faults":{"server_error_rate":2}}}`, "server_error_rate"},
		{"bad latency", `{"config":{"faults":{"latency":"soon"}}}`, "invalid duration"},
		{"bad version", `{"config":{"api_versions":["v66"]}}`, "invalid API version"},
		{"bad certificate", `{"config":{"oauth":{"jwt_certificate_pem":"nope"}}}`, "PEM"},
		{"bad custom field", `{"config":{"custom_fields":[{"object":"Lead","name":"Foo","type":"string"}]}}`, "__c"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seed, err := ParseSeed([]byte(tc.json))
			if err == nil {
				_, err = New(seed, Options{})
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestAdminEndpoints(t *testing.T) {
	env := setup(t, nil)
	post := func(path, body string) (int, string) {
		resp, err := env.srv.Client().Post(env.srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	status, body := post("/_emulator/records/Lead", `{"LastName":"UI","Company":"C","Email":"ui@example.com"}`)
	if status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	var created struct{ ID string }
	json.Unmarshal([]byte(body), &created)

	status, body = post("/_emulator/convert-lead", `{"lead_id":"`+created.ID+`"}`)
	if status != 200 || !strings.Contains(body, `"contact_id":"003`) {
		t.Fatalf("convert: %d %s", status, body)
	}
	status, body = post("/_emulator/convert-lead", `{"lead_id":"`+created.ID+`"}`)
	if status != 400 || errorCode(t, body) != "CANNOT_UPDATE_CONVERTED_LEAD" {
		t.Errorf("second convert: %d %s", status, body)
	}
	status, body = post("/_emulator/faults", `{"quota_exhausted":true}`)
	if status != 200 {
		t.Fatalf("faults: %d %s", status, body)
	}
	if s, b := env.call(t, "GET", v+"/limits", ""); s != 403 || errorCode(t, b) != "REQUEST_LIMIT_EXCEEDED" {
		t.Errorf("limits under exhausted quota: %d %s", s, b)
	}
	status, body = post("/_emulator/faults", `{"server_error_rate":-1}`)
	if status != 400 || errorCode(t, body) != "INVALID_FAULTS" {
		t.Errorf("bad faults: %d %s", status, body)
	}
	status, body = post("/_emulator/save", ``)
	if status != 409 {
		t.Errorf("save without state file: %d %s", status, body)
	}
}

func TestConcurrentWritesAndQueries(t *testing.T) {
	env := setup(t, nil)
	done := make(chan error, 8)
	for w := range 8 {
		go func() {
			for i := range 20 {
				body := `{"LastName":"C` + itoa(w*100+i) + `","Company":"Par"}`
				if status, out := env.call(t, "POST", v+"/sobjects/Lead", body); status != 201 {
					done <- &Error{Code: "create", Message: out}
					return
				}
				if status, out := env.call(t, "GET", v+"/query?q=SELECT+COUNT()+FROM+Lead", ""); status != 200 {
					done <- &Error{Code: "query", Message: out}
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := env.emu.Count("Lead", false); n != 160 {
		t.Errorf("leads = %d, want 160", n)
	}
}

func TestRolledBackMemberIsNoDuplicate(t *testing.T) {
	env := setup(t, nil)
	e := env.emu
	lead, _ := e.Create("Lead", map[string]any{"LastName": "L", "Company": "C"})
	camp, _ := e.Create("Campaign", map[string]any{"Name": "C"})
	body := `{"allOrNone":true,"records":[` +
		`{"attributes":{"type":"CampaignMember"},"CampaignId":"` + camp + `","LeadId":"` + lead + `"},` +
		`{"attributes":{"type":"CampaignMember"},"CampaignId":"` + camp + `"}]}`
	status, out := env.call(t, "POST", v+"/composite/sobjects", body)
	if status != 200 || !strings.Contains(out, "ALL_OR_NONE_OPERATION_ROLLED_BACK") {
		t.Fatalf("allOrNone batch: %d %s", status, out)
	}
	if _, err := e.AddCampaignMember(camp, lead, ""); err != nil {
		t.Errorf("add after rollback: %v", err)
	}
	if err := e.RemoveCampaignMember(camp, lead); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddCampaignMember(camp, lead, "Sent"); err != nil {
		t.Errorf("add after removal: %v", err)
	}
}

func TestSessionTTLExpires(t *testing.T) {
	env := setup(t, &Seed{Config: Config{SessionTTL: Duration(time.Hour)}})
	if status, _ := env.call(t, "GET", v+"/limits", ""); status != 200 {
		t.Fatalf("fresh token: %d", status)
	}
	env.now = env.now.Add(61 * time.Minute)
	status, body := env.call(t, "GET", v+"/limits", "")
	if status != 401 || errorCode(t, body) != "INVALID_SESSION_ID" {
		t.Errorf("expired token: %d %s", status, body)
	}
}

func TestGetDeletedKeepsFifteenDays(t *testing.T) {
	env := setup(t, nil)
	old, _ := env.emu.Create("Contact", map[string]any{"LastName": "Old"})
	_ = env.emu.Delete(old)
	env.now = env.now.Add(16 * 24 * time.Hour)
	recent, _ := env.emu.Create("Contact", map[string]any{"LastName": "Recent"})
	_ = env.emu.Delete(recent)
	env.now = env.now.Add(time.Hour)

	start := env.now.Add(-20 * 24 * time.Hour).Format(time.RFC3339)
	end := env.now.Format(time.RFC3339)
	status, body := env.call(t, "GET", v+"/sobjects/Contact/deleted/?start="+start+"&end="+end, "")
	if status != 200 {
		t.Fatalf("getDeleted: %d %s", status, body)
	}
	if strings.Contains(body, old) || !strings.Contains(body, recent) {
		t.Errorf("getDeleted = %s, want only the record deleted within 15 days", body)
	}
}

func TestBulkCountQueryFails(t *testing.T) {
	env := setup(t, nil)
	status, body := env.call(t, "POST", v+"/jobs/query", `{"operation":"query","query":"SELECT COUNT() FROM Lead"}`)
	if status != 200 {
		t.Fatalf("create job: %d %s", status, body)
	}
	var job struct {
		ID    string `json:"id"`
		State string `json:"state"`
	}
	json.Unmarshal([]byte(body), &job)
	if job.State != "Failed" {
		t.Errorf("state = %q, want Failed for COUNT()", job.State)
	}
	status, body = env.call(t, "GET", v+"/jobs/query/"+job.ID+"/results", "")
	if status != 400 || errorCode(t, body) != "INVALIDJOBSTATE" {
		t.Errorf("results of a failed job: %d %s", status, body)
	}
}

func TestRecordIfModifiedSince(t *testing.T) {
	env := setup(t, nil)
	id, _ := env.emu.Create("Account", map[string]any{"Name": "Acme"})
	req, _ := http.NewRequest("GET", env.srv.URL+v+"/sobjects/Account/"+id, nil)
	req.Header.Set("Authorization", "Bearer "+env.token)
	req.Header.Set("If-Modified-Since", env.now.Add(time.Minute).Format(http.TimeFormat))
	resp, err := env.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("status = %d, want 304", resp.StatusCode)
	}
}
