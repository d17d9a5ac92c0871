package settings

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on settings values. The interval floor keeps a misconfigured daemon
// from spending the API budget on empty polls.
const (
	MinInterval      = 5 * time.Second
	MaxInterval      = 24 * time.Hour
	MaxOverlapWindow = time.Hour
	MaxPlaceholder   = 80 // Lead.Company is 255 characters, LastName 80
)

// FieldError is one invalid setting: its YAML path, the value and a hint.
type FieldError struct {
	Path  string
	Value string
	Hint  string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: invalid value %q: %s", e.Path, e.Value, e.Hint)
}

// Validate checks every field and returns all problems joined, each a
// *FieldError, or nil.
func (s Settings) Validate() error {
	var errs []error
	add := func(path, value, hint string) {
		errs = append(errs, &FieldError{Path: path, Value: value, Hint: hint})
	}

	switch s.HubSpotOnSalesforceChange {
	case HubSpotCreateOrUpdate, HubSpotDoNothing:
	default:
		add("hubspot_on_salesforce_change", string(s.HubSpotOnSalesforceChange),
			"use create_or_update_contact or do_nothing")
	}

	switch s.SalesforceOnHubSpotChange {
	case SalesforceCreateLead, SalesforceCreateContact:
	default:
		add("salesforce_on_hubspot_change", string(s.SalesforceOnHubSpotChange),
			"use create_or_update_lead or create_or_update_contact")
	}

	for path, v := range map[string]OnDelete{
		"hubspot_on_salesforce_delete": s.HubSpotOnSalesforceDelete,
		"salesforce_on_hubspot_delete": s.SalesforceOnHubSpotDelete,
	} {
		if v != DeleteKeep && v != DeleteDelete {
			add(path, string(v), "use keep or delete")
		}
	}

	if s.InclusionListID != "" && !isDigits(s.InclusionListID) {
		add("inclusion_list_id", s.InclusionListID, "use the numeric HubSpot list ID, or leave it empty for no list")
	}

	switch s.MissingRequired {
	case MissingUsePlaceholder, MissingPark:
	default:
		add("missing_required", string(s.MissingRequired), "use placeholder or park")
	}
	if s.MissingRequired == MissingUsePlaceholder && strings.TrimSpace(s.Placeholder) == "" {
		add("placeholder", s.Placeholder, "set a non-blank placeholder, or set missing_required to park")
	}
	if utf8.RuneCountInString(s.Placeholder) > MaxPlaceholder {
		add("placeholder", s.Placeholder, fmt.Sprintf("use at most %d characters", MaxPlaceholder))
	}

	if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "" || s.TimeZone == "Local" {
		add("time_zone", s.TimeZone, "use an IANA time zone name such as UTC or Europe/Amsterdam")
	}

	if s.SalesforceAPIAllocation < 0 {
		add("salesforce_api_allocation", fmt.Sprint(s.SalesforceAPIAllocation), "use 0 for no cap, or a positive number of calls per 24 hours")
	}
	if s.RetryPauseAtPercent < 1 || s.RetryPauseAtPercent > 100 {
		add("retry_pause_at_percent", fmt.Sprint(s.RetryPauseAtPercent), "use a whole number from 1 to 100")
	}

	if d := time.Duration(s.Interval); d < MinInterval || d > MaxInterval {
		add("interval", d.String(), fmt.Sprintf("use a duration from %s to %s", MinInterval, MaxInterval))
	}
	if d := time.Duration(s.OverlapWindow); d < 0 || d > MaxOverlapWindow {
		add("overlap_window", d.String(), fmt.Sprintf("use a duration from 0s to %s", MaxOverlapWindow))
	}

	return errors.Join(errs...)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
