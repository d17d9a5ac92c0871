package salesforce

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString checks the hand-written string encoder against
// encoding/json with HTML escaping off.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\r", "\x00\x1f", "é ü 日本", "\u2028\u2029", "bad \xff utf8", "<html>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestOrderedObjectKeepsOrder(t *testing.T) {
	o := &orderedObject{}
	o.set("attributes", map[string]string{"url": "/u", "type": "Lead"})
	o.set("Name", "Ada")
	o.set("Amount", json.Number("12.5"))
	o.set("Active", true)
	o.set("Missing", nil)
	o.set("Address", map[string]any{"city": "Delft"})
	got, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"attributes":{"type":"Lead","url":"/u"},"Name":"Ada","Amount":12.5,"Active":true,"Missing":null,"Address":{"city":"Delft"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
