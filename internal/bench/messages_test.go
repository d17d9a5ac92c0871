package bench

import (
	"strings"
	"testing"
)

func TestCatalogLanguagesHaveSameIDs(t *testing.T) {
	for id := range catalog["en"] {
		if _, ok := catalog["nl"][id]; !ok {
			t.Errorf("message %q has no Dutch text", id)
		}
	}
	for id := range catalog["nl"] {
		if _, ok := catalog["en"][id]; !ok {
			t.Errorf("message %q has no English text", id)
		}
	}
}

func TestCatalogVerbsMatch(t *testing.T) {
	for id, en := range catalog["en"] {
		if got, want := strings.Count(catalog["nl"][id], "%"), strings.Count(en, "%"); got != want {
			t.Errorf("message %q: Dutch text has %d verbs, English %d", id, got, want)
		}
	}
}

func TestDecimalSeparators(t *testing.T) {
	tests := []struct {
		lang   string
		f      float64
		places int
		want   string
	}{
		{"en", 12345.67, 1, "12,345.7"},
		{"nl", 12345.67, 1, "12.345,7"},
		{"en", 999, 0, "999"},
		{"en", 1000, 0, "1,000"},
		{"nl", 1234567, 0, "1.234.567"},
		{"en", -1234.5, 1, "-1,234.5"},
	}
	for _, tt := range tests {
		if got := decimal(tt.lang, tt.f, tt.places); got != tt.want {
			t.Errorf("decimal(%q, %v, %d) = %q, want %q", tt.lang, tt.f, tt.places, got, tt.want)
		}
	}
}
