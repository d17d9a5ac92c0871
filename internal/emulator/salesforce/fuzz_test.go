package salesforce

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequestBodies sends arbitrary bodies to the write endpoints and
// checks that every response is a success or a client error, never a 5xx.
func FuzzRequestBodies(f *testing.F) {
	for _, seed := range []string{
		`{"LastName":"x","Company":"y"}`,
		`{"LastName":123,"Company":null,"AnnualRevenue":"12.5","IsConverted":true}`,
		`{"allOrNone":true,"records":[{"attributes":{"type":"Lead"},"LastName":"a","Company":"b"},{"attributes":{"type":"Nope"}}]}`,
		`{"records":[{"attributes":{"type":"Lead"},"Id":"00QKP0000000001","Title":"x"}]}`,
		`{"ids":["00QKP0000000001"],"fields":["Id","Name"]}`,
		`[`, ``, `null`, `{"Email":["a"]}`,
	} {
		f.Add(seed)
	}
	e, err := New(nil, Options{})
	if err != nil {
		f.Fatal(err)
	}
	lead, err := e.Create("Lead", map[string]any{"LastName": "Fuzz", "Company": "F"})
	if err != nil {
		f.Fatal(err)
	}
	token := e.IssueAccessToken()
	targets := []struct{ method, path string }{
		{"POST", "/services/data/v66.0/sobjects/Lead"},
		{"PATCH", "/services/data/v66.0/sobjects/Lead/" + lead},
		{"PATCH", "/services/data/v66.0/sobjects/Lead/Id/" + lead},
		{"POST", "/services/data/v66.0/composite/sobjects"},
		{"PATCH", "/services/data/v66.0/composite/sobjects"},
		{"PATCH", "/services/data/v66.0/composite/sobjects/Lead/Id"},
		{"POST", "/services/data/v66.0/composite/sobjects/Lead"},
		{"POST", "/services/data/v66.0/jobs/query"},
		{"POST", "/_emulator/convert-lead"},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, target := range targets {
			req := httptest.NewRequest(target.method, target.path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s with %q: %d %s", target.method, target.path, body, rec.Code, rec.Body.String())
			}
			if rec.Code >= 400 && !strings.HasPrefix(rec.Body.String(), "[") {
				t.Fatalf("%s %s: error body %q is not an error array", target.method, target.path, rec.Body.String())
			}
		}
	})
}
