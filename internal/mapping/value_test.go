package mapping

import (
	"testing"
	"time"
)

func TestNumberCanonicalForm(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"12.50", "12.5"},
		{"12.5", "12.5"},
		{"-3", "-3"},
		{"0", "0"},
		{"-0", "0"},
		{"0.000", "0"},
		{"1.5e3", "1500"},
		{"1E+2", "100"},
		{"100", "100"},
		{"0.001", "0.001"},
		{"+7", "7"},
		{"123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"},
		{"0.1", "0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := Number(tt.in)
			if err != nil {
				t.Fatalf("Number(%q): %v", tt.in, err)
			}
			if got := v.NumberString(); got != tt.want {
				t.Errorf("Number(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNumberRejectsNonFinite(t *testing.T) {
	for _, in := range []string{"", "abc", "NaN", "Infinity", "-Inf", "1,5", "12.5.1", " 1", "1e999999999", "0x10"} {
		t.Run(in, func(t *testing.T) {
			if v, err := Number(in); err == nil {
				t.Errorf("Number(%q) = %v, want an error", in, v)
			}
		})
	}
}

func TestValueEqual(t *testing.T) {
	n1, _ := Number("1.50")
	n2, _ := Number("1.5")
	n3, _ := Number("1.51")
	at := time.Date(2025, 1, 9, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		a, b Value
		want bool
	}{
		{"numbers by value", n1, n2, true},
		{"different numbers", n1, n3, false},
		{"null and empty text differ", Null(), Text(""), false},
		{"null and absent differ", Null(), Absent(), false},
		{"text", Text("a"), Text("a"), true},
		{"text case matters", Text("a"), Text("A"), false},
		{"bool", Bool(false), Bool(false), true},
		{"bool differs", Bool(false), Bool(true), false},
		{"false is not null", Bool(false), Null(), false},
		{"date", DateValue(Date{2025, 1, 31}), DateValue(Date{2025, 1, 31}), true},
		{"datetime across zones", DateTime(at), DateTime(at.In(time.FixedZone("X", 3600))), true},
		{"datetime differs", DateTime(at), DateTime(at.Add(time.Millisecond)), false},
		{"multi ignores order and duplicates", Multi("b", "a", "a"), Multi("a", "b"), true},
		{"multi differs", Multi("a"), Multi("a", "b"), false},
		{"text and number differ", Text("1.5"), n2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Equal(tt.b); got != tt.want {
				t.Errorf("%v.Equal(%v) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestValueIsBlank(t *testing.T) {
	zero, _ := Number("0")
	tests := []struct {
		name string
		v    Value
		want bool
	}{
		{"absent", Absent(), true},
		{"null", Null(), true},
		{"empty text", Text(""), true},
		{"empty multi", Multi(), true},
		{"multi of empty options", Multi("", ""), true},
		{"space is a value", Text(" "), false},
		{"false is a value", Bool(false), false},
		{"zero is a value", zero, false},
		{"date", DateValue(Date{2025, 1, 1}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.IsBlank(); got != tt.want {
				t.Errorf("IsBlank(%v) = %v, want %v", tt.v, got, tt.want)
			}
		})
	}
}

func TestDateTimeTruncatesToMilliseconds(t *testing.T) {
	in := time.Date(2025, 1, 9, 10, 0, 0, 123456789, time.FixedZone("CET", 3600))
	got := DateTime(in).Time()
	want := time.Date(2025, 1, 9, 9, 0, 0, 123000000, time.UTC)
	if !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("DateTime(%v).Time() = %v, want %v in UTC", in, got, want)
	}
}

func TestValueEncodeRoundTrip(t *testing.T) {
	n, _ := Number("-1234.5600")
	values := []Value{
		Absent(),
		Null(),
		Text(""),
		Text("Ada Lovelace"),
		Text("t:with a colon\nand a newline; and ü"),
		Text("null"),
		n,
		Bool(true),
		Bool(false),
		DateValue(Date{2024, 2, 29}),
		DateValue(Date{1, 1, 1}),
		DateTime(time.Date(2025, 1, 9, 10, 0, 0, 5e6, time.UTC)),
		Multi(),
		Multi("b", "a;c", `"quoted"`),
	}
	for _, v := range values {
		t.Run(v.Encode(), func(t *testing.T) {
			got, err := DecodeValue(v.Encode())
			if err != nil {
				t.Fatalf("DecodeValue(%q): %v", v.Encode(), err)
			}
			if !got.Equal(v) {
				t.Errorf("DecodeValue(%q) = %v, want %v", v.Encode(), got, v)
			}
			if got.Encode() != v.Encode() {
				t.Errorf("re-encoding gives %q, want %q", got.Encode(), v.Encode())
			}
		})
	}
}

func TestDecodeValueRejectsBadInput(t *testing.T) {
	for _, in := range []string{"", "x", "q:1", "n:abc", "b:yes", "d:2025-02-30", "dt:2025-01-09", "m:[1]", "m:not json"} {
		t.Run(in, func(t *testing.T) {
			if v, err := DecodeValue(in); err == nil {
				t.Errorf("DecodeValue(%q) = %v, want an error", in, v)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2025-01-31", want: Date{2025, 1, 31}},
		{in: "2024-02-29", want: Date{2024, 2, 29}},
		{in: "2025-02-29", wantErr: true},
		{in: "2025-1-31", wantErr: true},
		{in: "31-01-2025", wantErr: true},
		{in: "2025-01-31T00:00:00Z", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Errorf("ParseDate(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateIsValid(t *testing.T) {
	if !(Date{2024, 2, 29}).IsValid() {
		t.Error("2024-02-29 is valid")
	}
	if (Date{2025, 2, 29}).IsValid() {
		t.Error("2025-02-29 is not valid")
	}
	if (Date{0, 1, 1}).IsValid() {
		t.Error("year 0 is not valid")
	}
}
