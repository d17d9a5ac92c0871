package settings

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
}

func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Settings)
		path   string
	}{
		{"unknown hubspot action", func(s *Settings) { s.HubSpotOnSalesforceChange = "create" }, "hubspot_on_salesforce_change"},
		{"unknown salesforce object", func(s *Settings) { s.SalesforceOnHubSpotChange = "account" }, "salesforce_on_hubspot_change"},
		{"unknown delete action", func(s *Settings) { s.SalesforceOnHubSpotDelete = "archive" }, "salesforce_on_hubspot_delete"},
		{"list id with letters", func(s *Settings) { s.InclusionListID = "12a" }, "inclusion_list_id"},
		{"blank placeholder", func(s *Settings) { s.Placeholder = "  " }, "placeholder"},
		{"long placeholder", func(s *Settings) { s.Placeholder = strings.Repeat("x", 81) }, "placeholder"},
		{"unknown time zone", func(s *Settings) { s.TimeZone = "Europe/Atlantis" }, "time_zone"},
		{"local time zone", func(s *Settings) { s.TimeZone = "Local" }, "time_zone"},
		{"negative allocation", func(s *Settings) { s.SalesforceAPIAllocation = -1 }, "salesforce_api_allocation"},
		{"retry pause zero", func(s *Settings) { s.RetryPauseAtPercent = 0 }, "retry_pause_at_percent"},
		{"interval too short", func(s *Settings) { s.Interval = Duration(time.Second) }, "interval"},
		{"overlap too long", func(s *Settings) { s.OverlapWindow = Duration(2 * time.Hour) }, "overlap_window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Default()
			tt.change(&s)

			err := s.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			if fe.Path != tt.path {
				t.Errorf("path = %q, want %q", fe.Path, tt.path)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	s := Default()
	s.TimeZone = "Nowhere/Else"
	s.RetryPauseAtPercent = 101

	err := s.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want two errors")
	}
	for _, path := range []string{"time_zone", "retry_pause_at_percent"} {
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name %s", err, path)
		}
	}
}

func TestSettingsJSONRoundTrip(t *testing.T) {
	s := Default()
	s.InclusionListID = "42"
	s.Interval = Duration(45 * time.Second)

	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"interval":"45s"`) {
		t.Errorf("interval not written as text: %s", b)
	}

	var got Settings
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got != s {
		t.Errorf("round trip = %+v, want %+v", got, s)
	}
}

func TestDurationRejectsBareNumber(t *testing.T) {
	var d Duration
	err := json.Unmarshal([]byte(`30`), &d)
	if err == nil {
		t.Fatal("want an error for a bare number")
	}
	if !strings.Contains(err.Error(), "30") {
		t.Errorf("error %q does not name the value", err)
	}
}

func TestLocation(t *testing.T) {
	s := Default()
	s.TimeZone = "America/Chicago"
	if got := s.Location().String(); got != "America/Chicago" {
		t.Errorf("Location() = %s", got)
	}
}
