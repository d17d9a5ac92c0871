package mapping

import (
	"strings"
	"testing"
	"time"
)

func TestFromHubSpot(t *testing.T) {
	tests := []struct {
		name     string
		p        HubSpotProperty
		raw      string
		absent   bool
		want     Value
		wantCode string
	}{
		{name: "not sent is absent", p: hsString, raw: "", absent: true, want: Absent()},
		{name: "empty string is null", p: hsString, raw: "", want: Null()},
		{name: "empty number is null", p: hsNumberP, raw: "", want: Null()},
		{name: "text", p: hsString, raw: "CEO", want: Text("CEO")},
		{name: "text keeps spaces", p: hsString, raw: " CEO ", want: Text(" CEO ")},
		{name: "number", p: hsNumberP, raw: "17.5", want: num(t, "17.5")},
		{name: "number trailing zeros", p: hsNumberP, raw: "17.50", want: num(t, "17.5")},
		{name: "number negative", p: hsNumberP, raw: "-3", want: num(t, "-3")},
		{name: "number invalid", p: hsNumberP, raw: "12,5", wantCode: CodeInvalidNumber},
		{name: "number NaN", p: hsNumberP, raw: "NaN", wantCode: CodeInvalidNumber},
		{name: "bool true", p: hsBoolP, raw: "true", want: Bool(true)},
		{name: "bool false", p: hsBoolP, raw: "false", want: Bool(false)},
		{name: "bool yes rejected", p: hsBoolP, raw: "yes", wantCode: CodeInvalidBool},
		{name: "date as YYYY-MM-DD", p: hsDateP, raw: "2024-05-01", want: date(2024, 5, 1)},
		{name: "date as midnight epoch ms", p: hsDateP, raw: "1714521600000", want: date(2024, 5, 1)},
		{name: "date before 1970", p: hsDateP, raw: "-86400000", want: date(1969, 12, 31)},
		{name: "date as ISO midnight", p: hsDateP, raw: "2024-05-01T00:00:00.000Z", want: date(2024, 5, 1)},
		{name: "date epoch not midnight rejected", p: hsDateP, raw: "1714525200000", wantCode: CodeInvalidDate},
		{name: "date ISO not midnight rejected", p: hsDateP, raw: "2024-05-01T10:00:00Z", wantCode: CodeInvalidDate},
		{name: "date that does not exist", p: hsDateP, raw: "2024-02-30", wantCode: CodeInvalidDate},
		{name: "date garbage", p: hsDateP, raw: "tomorrow", wantCode: CodeInvalidDate},
		{name: "datetime epoch ms", p: hsDateTime, raw: "1736416800000", want: instant(t, "2025-01-09T10:00:00Z")},
		{name: "datetime ISO Z", p: hsDateTime, raw: "2025-01-09T10:00:00.123Z", want: instant(t, "2025-01-09T10:00:00.123Z")},
		{name: "datetime ISO offset", p: hsDateTime, raw: "2025-01-09T11:00:00+01:00", want: instant(t, "2025-01-09T10:00:00Z")},
		{name: "datetime finer than ms rejected", p: hsDateTime, raw: "2025-01-09T10:00:00.1234Z", wantCode: CodeInvalidDateTime},
		{name: "datetime without zone rejected", p: hsDateTime, raw: "2025-01-09T10:00:00", wantCode: CodeInvalidDateTime},
		{name: "datetime epoch out of range", p: hsDateTime, raw: "99999999999999999", wantCode: CodeInvalidDateTime},
		{name: "dropdown", p: hsSelectP, raw: "Gold", want: Text("Gold")},
		{name: "dropdown unknown option is read", p: hsSelectP, raw: "Bronze", want: Text("Bronze")},
		{name: "multiple checkboxes", p: hsChecks, raw: "b;a", want: Multi("a", "b")},
		{name: "multiple checkboxes empty tokens", p: hsChecks, raw: "a;;b;", want: Multi("a", "b")},
		{name: "enumeration booleancheckbox", p: HubSpotProperty{Name: "x", Type: "enumeration", FieldType: "booleancheckbox"}, raw: "true", want: Bool(true)},
		{name: "phone number", p: HubSpotProperty{Name: "phone", Type: "phone_number", FieldType: "phonenumber"}, raw: "+31 20 123 4567", want: Text("+31 20 123 4567")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromHubSpot(tt.p, tt.raw, !tt.absent)
			wantCode(t, err, tt.wantCode)
			if tt.wantCode != "" {
				pve, _ := IsPropertyValueError(err)
				if pve.HubSpotProperty != tt.p.Name || pve.Value != tt.raw {
					t.Errorf("error names property %q and value %q, want %q and %q", pve.HubSpotProperty, pve.Value, tt.p.Name, tt.raw)
				}
				return
			}
			if !got.Equal(tt.want) {
				t.Errorf("FromHubSpot(%q) = %v (%s), want %v (%s)", tt.raw, got, got.Kind(), tt.want, tt.want.Kind())
			}
		})
	}
}

func TestToHubSpot(t *testing.T) {
	amsterdam, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("time zone data missing: %v", err)
	}
	tests := []struct {
		name     string
		c        Converter
		p        HubSpotProperty
		v        Value
		want     string
		wantCode string
	}{
		{name: "null clears", p: hsString, v: Null(), want: ""},
		{name: "empty text clears", p: hsString, v: Text(""), want: ""},
		{name: "text", p: hsString, v: Text("CEO"), want: "CEO"},
		{name: "number into text", p: hsString, v: num(t, "1000"), want: "1000"},
		{name: "text too long for HubSpot", p: hsString, v: Text(strings.Repeat("x", 65537)), wantCode: CodeTooLong},
		{name: "bool into text rejected", p: hsString, v: Bool(true), wantCode: CodeTypeMismatch},
		{name: "number", p: hsNumberP, v: num(t, "12.5"), want: "12.5"},
		{name: "numeric text into number", p: hsNumberP, v: Text("12.50"), want: "12.5"},
		{name: "text into number rejected", p: hsNumberP, v: Text("lots"), wantCode: CodeInvalidNumber},
		{name: "bool", p: hsBoolP, v: Bool(false), want: "false"},
		{name: "text into bool rejected", p: hsBoolP, v: Text("true"), wantCode: CodeInvalidBool},
		{name: "date as midnight UTC epoch ms", p: hsDateP, v: date(2024, 5, 1), want: "1714521600000"},
		{name: "Salesforce datetime into date, UTC", p: hsDateP, v: instant(t, "2024-05-01T23:30:00-05:00"), want: "1714608000000"},
		{name: "Salesforce datetime into date, Chicago", c: Converter{Location: mustLoad(t, "America/Chicago")},
			p: hsDateP, v: instant(t, "2024-05-01T23:30:00-05:00"), want: "1714521600000"},
		{name: "Salesforce datetime into date, Amsterdam", c: Converter{Location: amsterdam},
			p: hsDateP, v: instant(t, "2024-04-30T22:30:00Z"), want: "1714521600000"},
		{name: "text into date rejected", p: hsDateP, v: Text("2024-05-01"), wantCode: CodeInvalidDate},
		{name: "datetime", p: hsDateTime, v: instant(t, "2025-01-09T10:00:00.5Z"), want: "2025-01-09T10:00:00.500Z"},
		{name: "date into datetime rejected", p: hsDateTime, v: date(2025, 1, 9), wantCode: CodeInvalidDateTime},
		{name: "dropdown option", p: hsSelectP, v: Text("Gold"), want: "Gold"},
		{name: "dropdown unknown option", p: hsSelectP, v: Text("Bronze"), wantCode: CodeInvalidOption},
		{name: "dropdown two options rejected", p: hsSelectP, v: Multi("Gold", "Silver"), wantCode: CodeInvalidOption},
		{name: "dropdown without known options", p: HubSpotProperty{Name: "x", Type: "enumeration", FieldType: "radio"}, v: Text("any"), want: "any"},
		{name: "multiple checkboxes", p: hsChecks, v: Multi("c", "a"), want: "a;c"},
		{name: "multiple checkboxes unknown option", p: hsChecks, v: Multi("a", "z"), wantCode: CodeInvalidOption},
		{name: "multiple checkboxes empty set clears", p: hsChecks, v: Multi(), want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.ToHubSpot(tt.p, tt.v)
			wantCode(t, err, tt.wantCode)
			if tt.wantCode == "" && got != tt.want {
				t.Errorf("ToHubSpot(%v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func TestToHubSpotRejectsAbsent(t *testing.T) {
	if _, err := ToHubSpot(hsString, Absent()); err == nil {
		t.Error("ToHubSpot(Absent) succeeded, want ErrAbsent")
	}
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone data for %s missing: %v", name, err)
	}
	return loc
}
