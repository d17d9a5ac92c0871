package salesforce_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/salesforce"
)

func asError(err error, target **salesforce.Error) bool { return errors.As(err, target) }

func TestQuote(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"plain", "Acme", `'Acme'`},
		{"quote", `O'Brien`, `'O\'Brien'`},
		{"backslash", `a\b`, `'a\\b'`},
		{"newline", "a\nb", `'a\nb'`},
		{"double quote", `"x"`, `'\"x\"'`},
		{"percent kept", "50%", `'50%'`},
		{"injection", `x' OR Name != '`, `'x\' OR Name != \''`},
		{"nil", nil, "null"},
		{"bool", true, "true"},
		{"int", 42, "42"},
		{"float", 1.5, "1.5"},
		{"number", json.Number("12.50"), "12.50"},
		{"datetime", time.Date(2025, 1, 9, 11, 0, 0, 0, time.FixedZone("CET", 3600)), "2025-01-09T10:00:00.000Z"},
		{"date", salesforce.Date{Year: 2025, Month: 1, Day: 31}, "2025-01-31"},
		{"list", []string{"a", "b'c"}, `('a','b\'c')`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := salesforce.Quote(tc.in); got != tc.want {
				t.Errorf("Quote(%#v) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestQuoteLike(t *testing.T) {
	if got, want := salesforce.QuoteLike(`50%_x'`), `'50\%\_x\''`; got != want {
		t.Errorf("QuoteLike = %s, want %s", got, want)
	}
	if got, want := salesforce.QuoteLikeAffix("%", "a_b", "%"), `'%a\_b%'`; got != want {
		t.Errorf("QuoteLikeAffix = %s, want %s", got, want)
	}
}

func TestQuoteRejectsUnknownType(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Quote(struct{}{}) did not panic")
		}
	}()
	salesforce.Quote(struct{}{})
}

func TestRecordDecodeKeepsNumbersExact(t *testing.T) {
	var r salesforce.Record
	body := `{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/001KP00000000001AAA"},"AnnualRevenue":12345678901234567890.25,"Name":"X"}`
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if r.Type != "Account" || r.ID != "001KP00000000001AAA" {
		t.Errorf("type %q id %q", r.Type, r.ID)
	}
	if n, ok := r.Fields["AnnualRevenue"].(json.Number); !ok || n.String() != "12345678901234567890.25" {
		t.Errorf("AnnualRevenue = %#v", r.Fields["AnnualRevenue"])
	}
}
