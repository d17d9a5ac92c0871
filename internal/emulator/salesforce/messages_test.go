package salesforce

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestErrorMessagesNameTheValue(t *testing.T) {
	env := setup(t, nil)
	lead, err := env.emu.Create("Lead", map[string]any{"LastName": "L", "Company": "C"})
	if err != nil {
		t.Fatal(err)
	}
	const missingAccount = "001KP0000000ZZZ"

	cases := []struct {
		name, method, path, body string
		want                     []string
	}{
		{"reference to a missing record", "POST", v + "/sobjects/Contact", `{"LastName":"x","AccountId":"` + missingAccount + `"}`,
			[]string{"AccountId", missingAccount}},
		{"delete of a missing id", "DELETE", v + "/composite/sobjects?ids=" + missingAccount, "",
			[]string{missingAccount}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, body := env.call(t, tc.method, tc.path, tc.body)
			if !strings.Contains(body, "INVALID_CROSS_REFERENCE_KEY") {
				t.Fatalf("body %s has no INVALID_CROSS_REFERENCE_KEY", body)
			}
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("body %s does not name %s", body, want)
				}
			}
		})
	}

	t.Run("lock row names the record", func(t *testing.T) {
		if err := env.emu.SetFaults(Faults{LockRowRate: 1}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { env.emu.SetFaults(Faults{}) })

		status, body := env.call(t, "PATCH", v+"/sobjects/Lead/"+lead, `{"Title":"x"}`)
		if status != 400 || errorCode(t, body) != "UNABLE_TO_LOCK_ROW" {
			t.Fatalf("update = %d %s, want 400 UNABLE_TO_LOCK_ROW", status, body)
		}
		if msg := errorMessage(t, body); !strings.Contains(msg, lead) {
			t.Errorf("update message %q does not name %s", msg, lead)
		}
		_, body = env.call(t, "POST", v+"/sobjects/Lead", `{"LastName":"N","Company":"C"}`)
		if msg := errorMessage(t, body); !strings.HasSuffix(msg, "new Lead record") {
			t.Errorf("insert message %q does not name the new Lead record", msg)
		}
	})
}

func TestNonJSONContentTypeNamed(t *testing.T) {
	env := setup(t, nil)
	for _, path := range []string{v + "/sobjects/Lead", "/_emulator/convert-lead"} {
		t.Run(path, func(t *testing.T) {
			req, err := http.NewRequest("POST", env.srv.URL+path, strings.NewReader("LastName=x"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+env.token)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := env.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			body := string(data)
			if code := errorCode(t, body); code != "JSON_PARSER_ERROR" {
				t.Errorf("errorCode = %s, want JSON_PARSER_ERROR", code)
			}
			msg := errorMessage(t, body)
			if !strings.Contains(msg, "application/x-www-form-urlencoded") || !strings.Contains(msg, "Content-Type: application/json") {
				t.Errorf("message %q does not explain the media type", msg)
			}
		})
	}
}
