package salesforce

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestAdminRejectsUnknownKeys(t *testing.T) {
	env := setup(t, nil)
	if err := env.emu.SetFaults(Faults{Latency: Duration(time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	lead, err := env.emu.Create("Lead", map[string]any{"LastName": "L", "Company": "C"})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, method, path, body string
		key, valid               string
	}{
		{"faults typo", "PUT", "/_emulator/faults", `{"latncy":"1s"}`, `"latncy"`, `"latency"`},
		{"convert-lead camel case", "POST", "/_emulator/convert-lead", `{"leadId":"` + lead + `"}`, `"leadId"`, `"lead_id"`},
		{"merge camel case", "POST", "/_emulator/merge", `{"masterId":"` + lead + `"}`, `"masterId"`, `"master_id"`},
		{"campaign member typo", "POST", "/_emulator/campaign-members", `{"campaign":"x"}`, `"campaign"`, `"campaign_id"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := env.call(t, tc.method, tc.path, tc.body)
			if status != 400 {
				t.Errorf("status = %d, want 400 (body %s)", status, body)
			}
			if code := errorCode(t, body); code != "JSON_PARSER_ERROR" {
				t.Errorf("errorCode = %s, want JSON_PARSER_ERROR", code)
			}
			msg := errorMessage(t, body)
			if !strings.Contains(msg, tc.key) {
				t.Errorf("message %q does not name the key %s", msg, tc.key)
			}
			if !strings.Contains(msg, tc.valid) {
				t.Errorf("message %q does not list the valid key %s", msg, tc.valid)
			}
		})
	}

	if got := env.emu.Faults().Latency; got != Duration(time.Millisecond) {
		t.Errorf("faults after a rejected update: latency %v, want 1ms kept", time.Duration(got))
	}
	rec, err := env.emu.Get(lead)
	if err != nil {
		t.Fatal(err)
	}
	if rec["IsConverted"] != false {
		t.Errorf("lead converted by a rejected request: %v", rec["IsConverted"])
	}
}

func TestConvertLeadWithoutLeadID(t *testing.T) {
	env := setup(t, nil)
	status, body := env.call(t, "POST", "/_emulator/convert-lead", `{}`)
	if status != 400 {
		t.Errorf("status = %d, want 400 (body %s)", status, body)
	}
	var list []struct {
		ErrorCode string   `json:"errorCode"`
		Message   string   `json:"message"`
		Fields    []string `json:"fields"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) != 1 {
		t.Fatalf("body %s is not one Salesforce error: %v", body, err)
	}
	if list[0].ErrorCode != "REQUIRED_FIELD_MISSING" {
		t.Errorf("errorCode = %s, want REQUIRED_FIELD_MISSING", list[0].ErrorCode)
	}
	if !strings.Contains(list[0].Message, "lead_id") {
		t.Errorf("message %q does not name lead_id", list[0].Message)
	}
}

// errorMessage reads the message of a top-level error array.
func errorMessage(t *testing.T, body string) string {
	t.Helper()
	var list []struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list) == 0 {
		t.Fatalf("body %q is not a Salesforce error array: %v", body, err)
	}
	return list[0].Message
}
