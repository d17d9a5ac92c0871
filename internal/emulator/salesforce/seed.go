package salesforce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Seed is the starting content of an emulator: configuration and records.
// It is the format of the --seed file (JSON).
type Seed struct {
	Config Config `json:"config"`
	// Records maps an object name (Lead, Contact, Account, Campaign,
	// CampaignMember, User) to its records as field maps, created in
	// order. A record may carry "Id" (15 or 18 characters with the
	// object's key prefix) so other records can refer to it; otherwise
	// the emulator assigns one. System fields (CreatedDate,
	// LastModifiedDate, SystemModstamp, IsDeleted) may be set in a seed.
	// Objects are loaded in the order User, Account, Contact, Lead,
	// Campaign, CampaignMember, so references resolve.
	Records map[string][]map[string]any `json:"records"`
}

// Config configures an emulator.
type Config struct {
	// APIVersions lists the served versions, such as ["58.0", ..., "66.0"].
	// Default 58.0 through 66.0.
	APIVersions []string `json:"api_versions,omitempty"`
	// DailyAPILimit is the rolling 24-hour API request quota
	// (DailyApiRequests). Default 15,000, a Developer Edition org's quota.
	DailyAPILimit int `json:"daily_api_limit,omitempty"`
	// OAuth holds the credentials the token endpoint accepts.
	OAuth OAuthConfig `json:"oauth"`
	// DuplicateRules maps an object name (Lead, Contact, Account) to
	// whether a duplicate rule blocks a second active record with the
	// same Email (Account: the same Name) with DUPLICATES_DETECTED. In
	// a seed file a value may also be an object such as
	// {"match_fields": ["FirstName", "LastName", "Company"]}, which
	// switches the rule on and sets DuplicateRuleFields.
	DuplicateRules map[string]bool `json:"duplicate_rules,omitempty"`
	// DuplicateRuleFields maps an object name to the fields its duplicate
	// rule matches on: a record is a duplicate when every field is set
	// and equal, ignoring case. An object without an entry matches on
	// Email (Account: Name). The rule must be on in DuplicateRules.
	DuplicateRuleFields map[string][]string `json:"-"`
	// ValidationRules run on every create and update.
	ValidationRules []ValidationRule `json:"validation_rules,omitempty"`
	// CustomFields adds fields such as an external ID to the standard
	// objects.
	CustomFields []CustomField `json:"custom_fields,omitempty"`
	// StateCountryPicklists switches on state and country picklists:
	// State and Country on Lead, and MailingState, MailingCountry,
	// OtherState and OtherCountry on Contact, then accept only the
	// built-in countries and states, and a state needs a country.
	StateCountryPicklists bool `json:"state_country_picklists,omitempty"`
	// ReadOnlyFields are fields such as "Lead.Title" that field-level
	// security makes read-only for the API user: API writes to them fail
	// with INVALID_FIELD_FOR_INSERT_UPDATE and describe reports them as
	// neither createable nor updateable. Admin writes are not limited.
	ReadOnlyFields []string `json:"read_only_fields,omitempty"`
	// Faults are switched on from the start.
	Faults Faults `json:"faults"`
	// SessionTTL is how long an access token stays valid. Default 0:
	// until the emulator restarts or /_emulator/expire-sessions is called.
	SessionTTL Duration `json:"session_ttl,omitempty"`
}

// OAuthConfig is the connected app and user the token endpoint accepts.
type OAuthConfig struct {
	// ClientID is the consumer key; required for every flow.
	ClientID string `json:"client_id"`
	// ClientSecret is the consumer secret for client credentials, refresh
	// token and authorization code flows.
	ClientSecret string `json:"client_secret,omitempty"`
	// Username is the user the flows log in as (the JWT sub must match).
	// Default the first seeded User.
	Username string `json:"username,omitempty"`
	// JWTCertificatePEM is the X.509 certificate (PEM) whose public key
	// verifies JWT bearer assertions. Empty disables the JWT flow.
	JWTCertificatePEM string `json:"jwt_certificate_pem,omitempty"`
	// RefreshTokens are accepted from the start, in addition to those
	// the authorization-code flow issues.
	RefreshTokens []string `json:"refresh_tokens,omitempty"`
	// RedirectURIs the authorization endpoint accepts. Empty accepts any
	// http://127.0.0.1 or http://localhost URI.
	RedirectURIs []string `json:"redirect_uris,omitempty"`
}

// ValidationRule is a simple validation rule: when the condition holds
// for a record being saved, the save fails with
// FIELD_CUSTOM_VALIDATION_EXCEPTION and Message.
type ValidationRule struct {
	Object string `json:"object"`
	Name   string `json:"name"`
	// Field is the field the condition tests.
	Field string `json:"field"`
	// Operator is one of: blank, not_blank, equals, not_equals, matches
	// (Value is a Go regular expression), max_length (Value is a number).
	Operator string `json:"operator"`
	Value    string `json:"value,omitempty"`
	Message  string `json:"message"`
	// ErrorField names the field the error is shown on; empty shows it at
	// the top of the page (fields is empty in the error).
	ErrorField string `json:"error_field,omitempty"`
	// Active defaults to true; set false to keep a rule switched off.
	Active *bool `json:"active,omitempty"`
}

// CustomField is a custom field added to a standard object.
type CustomField struct {
	Object string `json:"object"`
	// Name ends in __c.
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	// Type is string, email, phone, url, textarea, picklist,
	// multipicklist, boolean, int, double, currency, percent, date,
	// datetime or reference.
	Type       string `json:"type"`
	Length     int    `json:"length,omitempty"`
	ExternalID bool   `json:"external_id,omitempty"`
	Unique     bool   `json:"unique,omitempty"`
	Required   bool   `json:"required,omitempty"`
	// PicklistValues and RestrictedPicklist apply to picklists and
	// multipicklists.
	PicklistValues     []string `json:"picklist_values,omitempty"`
	RestrictedPicklist bool     `json:"restricted_picklist,omitempty"`
	// ReferenceTo is the target object of a reference.
	ReferenceTo string `json:"reference_to,omitempty"`
}

// Faults are the failures the emulator injects. Rates are shares of
// requests from 0 to 1.
type Faults struct {
	// Latency is added before every API response.
	Latency Duration `json:"latency,omitempty"`
	// ServerErrorRate fails that share of API calls with 503
	// SERVER_UNAVAILABLE.
	ServerErrorRate float64 `json:"server_error_rate,omitempty"`
	// LockRowRate fails that share of record writes with
	// UNABLE_TO_LOCK_ROW (per record inside collections).
	LockRowRate float64 `json:"lock_row_rate,omitempty"`
	// DropConnectionRate closes the connection without a response for
	// that share of API calls.
	DropConnectionRate float64 `json:"drop_connection_rate,omitempty"`
	// QuotaExhausted fails every counted API call with 403
	// REQUEST_LIMIT_EXCEEDED.
	QuotaExhausted bool `json:"quota_exhausted,omitempty"`
	// RandomSeed makes the random choices repeatable; 0 uses 1.
	RandomSeed uint64 `json:"random_seed,omitempty"`
}

// Duration is a time.Duration written in JSON as a string such as "250ms".
type Duration time.Duration

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a Go duration string such as "1.5s", or a number of
// milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("invalid duration %q: use a value such as \"250ms\" or \"2s\"", s)
		}
		*d = Duration(v)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("invalid duration %s: use a string such as \"250ms\"", string(b))
	}
	*d = Duration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

// LoadSeedFile reads a seed from a JSON file. Unknown keys are an error,
// so a misspelt option does not pass unnoticed.
func LoadSeedFile(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read seed: %w", err)
	}
	s, err := ParseSeed(data)
	if err != nil {
		return nil, fmt.Errorf("read seed %s: %w", path, err)
	}
	return s, nil
}

// ParseSeed decodes a seed from JSON, rejecting unknown keys.
func ParseSeed(data []byte) (*Seed, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decode seed: %w", err)
	}
	return &s, nil
}
