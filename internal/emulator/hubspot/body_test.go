package hubspot_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
)

func TestWriteWithoutPropertiesRejected(t *testing.T) {
	e := setup(t, nil)
	rec, err := e.emu.CreateRecord("contacts", map[string]string{"email": "anna@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Minute)

	cases := []struct {
		name, method, path, body string
		inMessage                string
	}{
		{"create with misspelt key", "POST", "/crm/v3/objects/contacts", `{"propertys":{"email":"x@example.com"}}`, `"propertys"`},
		{"create with null properties", "POST", "/crm/v3/objects/contacts", `{"properties":null}`, "[properties]"},
		{"update with misspelt key", "PATCH", "/crm/v3/objects/contacts/" + rec.ID, `{"propertie":{"firstname":"Anna"}}`, `"propertie"`},
		{"batch create input without properties", "POST", "/crm/v3/objects/contacts/batch/create", `{"inputs":[{"properties":{}},{"props":{}}]}`, "inputs[1]"},
		{"batch update input without properties", "POST", "/crm/v3/objects/contacts/batch/update", `{"inputs":[{"id":"` + rec.ID + `"}]}`, "inputs[0]"},
		{"batch upsert input without properties", "POST", "/crm/v3/objects/contacts/batch/upsert", `{"inputs":[{"id":"b@example.com","idProperty":"email"}]}`, "inputs[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.call(t, tc.method, tc.path, tc.body)
			if status != 400 {
				t.Errorf("status = %d, want 400 (body %v)", status, body)
			}
			if body["category"] != "VALIDATION_ERROR" {
				t.Errorf("category = %v, want VALIDATION_ERROR", body["category"])
			}
			if msg, _ := body["message"].(string); !strings.Contains(msg, tc.inMessage) {
				t.Errorf("message %q does not contain %s", msg, tc.inMessage)
			}
		})
	}

	if n := e.emu.Count("contacts", false); n != 1 {
		t.Errorf("contacts = %d after rejected creates, want 1", n)
	}
	got, _ := e.emu.Get("contacts", rec.ID)
	if !got.UpdatedAt.Equal(rec.UpdatedAt) {
		t.Errorf("updatedAt moved from %v to %v on a rejected update", rec.UpdatedAt, got.UpdatedAt)
	}
	if got.Properties["firstname"] != "" {
		t.Errorf("firstname = %q after a rejected update", got.Properties["firstname"])
	}
}

func TestWriteWithEmptyPropertiesAccepted(t *testing.T) {
	e := setup(t, nil)
	rec, err := e.emu.CreateRecord("contacts", map[string]string{"email": "anna@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if status, body := e.call(t, "PATCH", "/crm/v3/objects/contacts/"+rec.ID, `{"properties":{}}`); status != 200 {
		t.Errorf("status = %d, want 200 (body %v)", status, body)
	}
}

func TestAdminRejectsUnknownKeys(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{Faults: hsemu.Faults{Latency: hsemu.Duration(time.Millisecond)}}})
	rec, err := e.emu.CreateRecord("contacts", map[string]string{"email": "anna@example.com"})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, method, path, body string
		inMessage                []string
	}{
		{"faults typo", "PUT", "/_emulator/faults", `{"latncy":"1s"}`, []string{`"latncy"`, `"latency"`}},
		{"create with props", "POST", "/_emulator/records/contacts", `{"props":{"email":"b@example.com"}}`, []string{`"props"`, `"properties"`}},
		{"create without properties", "POST", "/_emulator/records/contacts", `{}`, []string{"properties is missing"}},
		{"update without properties", "PATCH", "/_emulator/records/contacts/" + rec.ID, `{}`, []string{"properties is missing"}},
		{"association typo", "POST", "/_emulator/associations", `{"contact":"1","companyId":"2"}`, []string{`"contact"`, `"contactId"`}},
		{"rate limits typo", "PUT", "/_emulator/rate-limits", `{"daly":5}`, []string{`"daly"`, `"daily"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.call(t, tc.method, tc.path, tc.body)
			if status != 400 {
				t.Errorf("status = %d, want 400 (body %v)", status, body)
			}
			msg, _ := body["message"].(string)
			for _, want := range tc.inMessage {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not contain %s", msg, want)
				}
			}
		})
	}

	_, faults := e.call(t, "GET", "/_emulator/faults", "")
	if faults["latency"] != "1ms" {
		t.Errorf("faults after a rejected update = %v, want latency 1ms kept", faults)
	}
	if n := e.emu.Count("contacts", false); n != 1 {
		t.Errorf("contacts = %d after rejected creates, want 1", n)
	}
}

func TestAdminErrorHasNoPrefix(t *testing.T) {
	e := setup(t, nil)
	status, body := e.call(t, "POST", "/_emulator/records/contacts", `{"properties":{"lifecyclestage":"bogus"}}`)
	if status != 400 {
		t.Errorf("status = %d, want 400 (body %v)", status, body)
	}
	msg, _ := body["message"].(string)
	if !strings.Contains(msg, "bogus") {
		t.Errorf("message %q does not name the value", msg)
	}
	if strings.Contains(msg, "hubspot emulator:") {
		t.Errorf("message %q carries the Go error prefix", msg)
	}
}

func TestNonJSONContentTypeNamed(t *testing.T) {
	e := setup(t, nil)
	for _, path := range []string{"/crm/v3/objects/contacts", "/_emulator/records/contacts"} {
		t.Run(path, func(t *testing.T) {
			req, err := http.NewRequest("POST", e.srv.URL+path, strings.NewReader("email=a@example.com"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 400 {
				t.Errorf("status = %d, want 400", resp.StatusCode)
			}
			msg, _ := body["message"].(string)
			if !strings.Contains(msg, "text/plain") || !strings.Contains(msg, "Content-Type: application/json") {
				t.Errorf("message %q does not explain the media type", msg)
			}
		})
	}
}
