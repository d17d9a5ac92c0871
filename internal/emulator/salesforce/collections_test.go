package salesforce

import (
	"encoding/json"
	"testing"
)

func TestCollectionUpdateAcceptsAnyIDCase(t *testing.T) {
	env := setup(t, nil)
	first, err := env.emu.Create("Lead", map[string]any{"LastName": "A", "Company": "C"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := env.emu.Create("Lead", map[string]any{"LastName": "B", "Company": "C"})
	if err != nil {
		t.Fatal(err)
	}

	body := `{"allOrNone":false,"records":[` +
		`{"attributes":{"type":"Lead"},"id":"` + first + `","Title":"x"},` +
		`{"attributes":{"type":"Lead"},"ID":"` + second + `","Title":"y"}]}`
	status, out := env.call(t, "PATCH", v+"/composite/sobjects", body)
	if status != 200 {
		t.Fatalf("status = %d, body %s", status, out)
	}
	var results []struct {
		ID      string `json:"id"`
		Success bool   `json:"success"`
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("decode %s: %v", out, err)
	}
	for i, res := range results {
		if !res.Success {
			t.Errorf("record %d failed: %s", i, out)
		}
	}

	for id, want := range map[string]string{first: "x", second: "y"} {
		rec, err := env.emu.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		if rec["Title"] != want {
			t.Errorf("Title of %s = %v, want %s", id, rec["Title"], want)
		}
	}
}
