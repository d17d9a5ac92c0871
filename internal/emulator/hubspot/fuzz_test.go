package hubspot_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
)

var searchSeeds = []string{
	`{}`,
	`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"a@x.io"}]}],"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],"limit":200,"after":"200"}`,
	`{"filterGroups":[{"filters":[{"propertyName":"createdate","operator":"BETWEEN","value":"1","highValue":"2"}]}]}`,
	`{"filterGroups":[{"filters":[{"propertyName":"email","operator":"IN","values":["a",1,true]}]}]}`,
	`{"sorts":["-createdate"],"after":9800,"limit":200}`,
	`{"query":"ada","properties":["email"],"limit":0}`,
	`{"filterGroups":[{"filters":[{"propertyName":"associations.company","operator":"EQ","value":"9"}]}]}`,
	`{"filterGroups":null,"sorts":null}`,
	`[]`,
	`{"filterGroups":[{"filters":[{}]}]}`,
}

// FuzzParseSearchRequest checks that no search body panics the parser and
// that every accepted body respects HubSpot's limits.
func FuzzParseSearchRequest(f *testing.F) {
	for _, s := range searchSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := hsemu.ParseSearchRequest(body)
		if err != nil {
			return
		}
		if len(req.FilterGroups) > 5 {
			t.Errorf("accepted %d filter groups", len(req.FilterGroups))
		}
		total := 0
		for _, g := range req.FilterGroups {
			if len(g.Filters) > 6 {
				t.Errorf("accepted %d filters in a group", len(g.Filters))
			}
			total += len(g.Filters)
		}
		if total > 18 {
			t.Errorf("accepted %d filters", total)
		}
		if req.Limit != nil && *req.Limit > 200 {
			t.Errorf("accepted limit %d", *req.Limit)
		}
	})
}

// FuzzSearchEndpoint sends arbitrary bodies to the search endpoint of a
// filled emulator: the response status is 200 or a 4xx, never a 500.
func FuzzSearchEndpoint(f *testing.F) {
	for _, s := range searchSeeds {
		f.Add(s)
	}
	e := setup(f, nil)
	for _, email := range []string{"a@x.io", "b@y.io"} {
		if _, err := e.emu.CreateRecord("contacts", map[string]string{"email": email, "lifecyclestage": "lead"}); err != nil {
			f.Fatal(err)
		}
	}
	h := e.emu.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/crm/v3/objects/contacts/search", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK && (rec.Code < 400 || rec.Code >= 500) {
			t.Errorf("status %d for body %q: %s", rec.Code, body, rec.Body.String())
		}
	})
}

// FuzzObjectWrites sends arbitrary create bodies; the emulator must respond
// with 201 or a 4xx with an error body.
func FuzzObjectWrites(f *testing.F) {
	for _, s := range []string{`{"properties":{"email":"a@b.io"}}`, `{"properties":{"lifecyclestage":"x"}}`,
		`{"properties":{"closedate":"2025-13-45"}}`, `{"associations":[{"to":{"id":"1"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]}]}`} {
		f.Add(s)
	}
	e := setup(f, nil)
	h := e.emu.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/crm/v3/objects/contacts", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated && (rec.Code < 400 || rec.Code >= 500) {
			t.Errorf("status %d for body %q: %s", rec.Code, body, rec.Body.String())
		}
	})
}
