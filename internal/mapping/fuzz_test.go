package mapping

import (
	"testing"
	"time"
)

func FuzzNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "12.50", "1e3", "1E-7", "-.5", "NaN", "1e999999", "123456789012345678901234567890.5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Number(s)
		if err != nil {
			return
		}
		again, err := Number(v.NumberString())
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", v.NumberString(), s, err)
		}
		if again.NumberString() != v.NumberString() {
			t.Fatalf("canonical form not stable: %q -> %q -> %q", s, v.NumberString(), again.NumberString())
		}
		decoded, err := DecodeValue(v.Encode())
		if err != nil || !decoded.Equal(v) {
			t.Fatalf("encode round trip of %v: %v, %v", v, decoded, err)
		}
	})
}

// FuzzHubSpotNumber checks that a HubSpot number string read and written
// back reads as the same number.
func FuzzHubSpotNumber(f *testing.F) {
	for _, s := range []string{"17.5", "-3", "0.000", "1e2", "abc", "12,5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		roundTripHubSpot(t, hsNumberP, s)
	})
}

func FuzzHubSpotDate(f *testing.F) {
	for _, s := range []string{"2024-05-01", "1714521600000", "-86400000", "2024-05-01T00:00:00Z", "2024-02-30", "1714525200000", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := roundTripHubSpot(t, hsDateP, s)
		if v.Kind() == KindDate && len(s) == len("2006-01-02") && s[4] == '-' && v.Date().String() != s {
			t.Fatalf("date %q read as %s", s, v.Date())
		}
	})
}

func FuzzHubSpotDateTime(f *testing.F) {
	for _, s := range []string{"1736416800000", "2025-01-09T10:00:00.123Z", "2025-01-09T11:00:00+01:00", "2025-01-09T10:00:00.1234Z", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		roundTripHubSpot(t, hsDateTime, s)
	})
}

func FuzzHubSpotCheckboxes(f *testing.F) {
	for _, s := range []string{"a;b", "b;a;a", ";;", "a;", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := HubSpotProperty{Name: "tags", Type: "enumeration", FieldType: "checkbox"}
		roundTripHubSpot(t, p, s)
	})
}

// roundTripHubSpot reads s, writes the value back and reads it again, and
// fails unless both reads are equal.
func roundTripHubSpot(t *testing.T, p HubSpotProperty, s string) Value {
	t.Helper()
	v, err := FromHubSpot(p, s, true)
	if err != nil {
		if _, ok := IsPropertyValueError(err); !ok {
			t.Fatalf("FromHubSpot(%q) error is not a PropertyValueError: %v", s, err)
		}
		return Value{}
	}
	out, err := ToHubSpot(p, v)
	if err != nil {
		t.Fatalf("ToHubSpot(%v) after reading %q: %v", v, s, err)
	}
	back, err := FromHubSpot(p, out, true)
	if err != nil {
		t.Fatalf("FromHubSpot(%q) of own output: %v", out, err)
	}
	if !back.Equal(v) && !(back.IsBlank() && v.IsBlank()) {
		t.Fatalf("round trip %q -> %v -> %q -> %v", s, v, out, back)
	}
	return v
}

func FuzzSalesforceDateTime(f *testing.F) {
	for _, s := range []string{"2025-01-09T10:00:00.000+0000", "2024-05-01T23:30:00.000-0500", "2025-01-09T10:00:00Z", "2025-01-09T10:00:00.0001Z", "0001-01-01T00:00:00.000+0100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseSalesforceDateTime(s)
		if err != nil {
			return
		}
		if tm.Nanosecond()%int(time.Millisecond) != 0 {
			t.Fatalf("%q parsed finer than milliseconds: %v", s, tm)
		}
		out := FormatSalesforceDateTime(tm)
		back, err := ParseSalesforceDateTime(out)
		if err != nil {
			t.Fatalf("own output %q of %q does not parse: %v", out, s, err)
		}
		if !back.Equal(tm) {
			t.Fatalf("round trip %q -> %q -> %v, want %v", s, out, back, tm)
		}
	})
}

func FuzzDecodeValue(f *testing.F) {
	for _, s := range []string{"null", "absent", "t:", "t:a:b", "n:-1.5", "b:true", "d:2024-02-29", "dt:2025-01-09T10:00:00.000Z", `m:["a","b"]`, "m:[]", "x:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := DecodeValue(s)
		if err != nil {
			return
		}
		enc := v.Encode()
		back, err := DecodeValue(enc)
		if err != nil {
			t.Fatalf("own encoding %q of %q does not decode: %v", enc, s, err)
		}
		if !back.Equal(v) || back.Encode() != enc {
			t.Fatalf("round trip %q -> %v -> %q -> %v", s, v, enc, back)
		}
	})
}
