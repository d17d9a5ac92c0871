package connection

import (
	"strings"
	"testing"
)

func TestParseDocumentExplainsYAMLErrors(t *testing.T) {
	tests := []struct {
		name  string
		file  string
		wants []string
	}{
		{"misspelled settings key", "settings:\n  compnay_sync: true\n",
			[]string{`line 2: unknown key "compnay_sync" under settings`, "company_sync"}},
		{"misspelled mapping key", "mappings:\n  - id: contact.email\n    rul: two_way\n",
			[]string{`line 3: unknown key "rul" under mappings`, "rule"}},
		{"text for a boolean", "settings:\n  company_sync: yes please\n",
			[]string{`line 2: invalid value "yes please": use true or false`}},
		{"text for a number", "settings:\n  salesforce_api_allocation: many\n",
			[]string{`line 2: invalid value "many": use a whole number`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseDocument([]byte(tt.file))
			if err == nil {
				t.Fatal("ParseDocument returned no error")
			}
			for _, want := range tt.wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "settings.Settings") {
				t.Errorf("error %q names a Go type", err)
			}
		})
	}
}
