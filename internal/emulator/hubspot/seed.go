package hubspot

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Seed is the initial content and configuration of an emulator. It is the
// format of the --seed file of `koppel emulate hubspot` and of the state file
// the emulator saves.
type Seed struct {
	Config Config `json:"config"`

	// Properties are custom properties created before any record is loaded.
	Properties []SeedProperty `json:"properties,omitempty"`

	Contacts  []SeedRecord `json:"contacts,omitempty"`
	Companies []SeedRecord `json:"companies,omitempty"`
	Owners    []Owner      `json:"owners,omitempty"`

	Associations []SeedAssociation `json:"associations,omitempty"`
	Lists        []SeedList        `json:"lists,omitempty"`

	// OptOuts are email addresses unsubscribed from all email.
	OptOuts []string `json:"optOuts,omitempty"`

	// NextID is the next record, list and owner id to hand out. It is set in
	// saved state. Default 100001.
	NextID int64 `json:"nextId,omitempty"`
}

// SeedRecord is a contact or company. Properties hold HubSpot's string wire
// values. ID, CreatedAt and UpdatedAt are optional: an empty ID gets the next
// id, and zero times become the emulator clock's now.
type SeedRecord struct {
	ID         string            `json:"id,omitempty"`
	Properties map[string]string `json:"properties"`
	CreatedAt  time.Time         `json:"createdAt,omitzero"`
	UpdatedAt  time.Time         `json:"updatedAt,omitzero"`
	Archived   bool              `json:"archived,omitempty"`
	ArchivedAt time.Time         `json:"archivedAt,omitzero"`

	// History is the per-property value history, newest first. Saved state
	// fills it; a seed may leave it out.
	History map[string][]HistoryEntry `json:"history,omitempty"`

	// MergedInto is set on a record that was merged away: the id of the
	// record that absorbed it.
	MergedInto string `json:"mergedInto,omitempty"`
}

// HistoryEntry is one value of a property in propertiesWithHistory.
type HistoryEntry struct {
	Value           string    `json:"value"`
	Timestamp       time.Time `json:"timestamp"`
	SourceType      string    `json:"sourceType"`
	SourceID        string    `json:"sourceId,omitempty"`
	UpdatedByUserID int64     `json:"updatedByUserId,omitempty"`
}

// SeedAssociation associates a contact with a company. Primary makes the
// company the contact's primary company (type ids 1 and 2 besides 279/280).
type SeedAssociation struct {
	ContactID string `json:"contactId"`
	CompanyID string `json:"companyId"`
	Primary   bool   `json:"primary,omitempty"`
}

// SeedList is a list in the seed. ObjectTypeID defaults to "0-1" (contacts).
// ProcessingType is MANUAL, DYNAMIC or SNAPSHOT. FilterBranch is required for
// DYNAMIC and SNAPSHOT lists. Members holds record ids of MANUAL and SNAPSHOT
// lists; the emulator computes DYNAMIC members itself.
type SeedList struct {
	ID             string        `json:"listId,omitempty"`
	Name           string        `json:"name"`
	ObjectTypeID   string        `json:"objectTypeId,omitempty"`
	ProcessingType string        `json:"processingType"`
	FilterBranch   *FilterBranch `json:"filterBranch,omitempty"`
	Members        []string      `json:"members,omitempty"`
	CreatedAt      time.Time     `json:"createdAt,omitzero"`
	UpdatedAt      time.Time     `json:"updatedAt,omitzero"`
	// MembershipTimestamps maps a member's record id to the time it joined
	// the list, for members of any processing type. A member without an
	// entry joined at load time.
	MembershipTimestamps map[string]time.Time `json:"membershipTimestamps,omitempty"`
}

// SeedProperty is a custom property definition. Type is one of string,
// number, date, datetime, enumeration, bool, phone_number; FieldType one of
// HubSpot's field types (text, select, checkbox, booleancheckbox, …).
type SeedProperty struct {
	ObjectType     string   `json:"objectType"` // contacts or companies
	Name           string   `json:"name"`
	Label          string   `json:"label,omitempty"`
	Type           string   `json:"type"`
	FieldType      string   `json:"fieldType"`
	GroupName      string   `json:"groupName,omitempty"`
	Description    string   `json:"description,omitempty"`
	Options        []Option `json:"options,omitempty"`
	HasUniqueValue bool     `json:"hasUniqueValue,omitempty"`
}

// Owner is a HubSpot user or queue that records can be assigned to.
type Owner struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
	UserID    int64     `json:"userId,omitempty"`
	Type      string    `json:"type,omitempty"` // PERSON (default) or QUEUE
	Archived  bool      `json:"archived,omitempty"`
	CreatedAt time.Time `json:"createdAt,omitzero"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// Config configures authentication, webhooks, limits and faults.
type Config struct {
	// PortalID is the HubSpot account id (hub id). Default 4000001.
	PortalID int64 `json:"portalId,omitempty"`

	// PrivateAppTokens are the accepted private-app tokens. With no tokens
	// and no OAuth client configured, any non-empty bearer token is accepted.
	PrivateAppTokens []string `json:"privateAppTokens,omitempty"`

	// OAuth configures the /oauth/v1/token endpoint.
	OAuth *OAuthConfig `json:"oauth,omitempty"`

	// AppID is the id of the app that calls the API. Webhook events for
	// changes made through the API carry it as sourceId. Default 3000001.
	AppID int64 `json:"appId,omitempty"`

	// ClientSecret signs webhook requests (X-HubSpot-Signature-v3 and the
	// v1/v2 X-HubSpot-Signature). Defaults to OAuth.ClientSecret.
	ClientSecret string `json:"clientSecret,omitempty"`

	Webhook WebhookConfig `json:"webhook,omitzero"`

	RateLimits RateLimits `json:"rateLimits,omitzero"`

	// SearchIndexLag delays when a write becomes visible to search. Default 0.
	SearchIndexLag Duration `json:"searchIndexLag,omitempty"`

	Faults Faults `json:"faults,omitzero"`
}

// OAuthConfig is the OAuth 2.0 app the token endpoint accepts.
type OAuthConfig struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`

	// AuthorizationCodes are accepted once each for grant_type=authorization_code.
	AuthorizationCodes []string `json:"authorizationCodes,omitempty"`

	// RefreshTokens are accepted for grant_type=refresh_token.
	RefreshTokens []string `json:"refreshTokens,omitempty"`

	// AccessTokenTTL is the lifetime of issued access tokens. Default 30m,
	// as HubSpot's expires_in of 1800 seconds.
	AccessTokenTTL Duration `json:"accessTokenTTL,omitempty"`
}

// WebhookConfig makes the emulator post events to TargetURL, which must be
// on a loopback address.
type WebhookConfig struct {
	TargetURL string `json:"targetUrl,omitempty"`

	// Subscriptions selects event types such as contact.propertyChange.
	// Empty means every supported event type and property.
	Subscriptions []WebhookSubscription `json:"subscriptions,omitempty"`

	// MaxBatch is the most events per request. Default and maximum 100.
	MaxBatch int `json:"maxBatch,omitempty"`

	// BatchWindow is how long the sender gathers events before a post.
	// Default 50ms.
	BatchWindow Duration `json:"batchWindow,omitempty"`

	// MaxAttempts is how often one batch is tried. Default 10.
	MaxAttempts int `json:"maxAttempts,omitempty"`

	// RetryBackoff is the wait before the first retry; it doubles per
	// attempt up to one minute. Default 1s.
	RetryBackoff Duration `json:"retryBackoff,omitempty"`
}

// WebhookSubscription subscribes to one event type, for propertyChange
// optionally to one property.
type WebhookSubscription struct {
	ID           int64  `json:"id,omitempty"`
	EventType    string `json:"eventType"`
	PropertyName string `json:"propertyName,omitempty"`
}

// RateLimits are the limits the emulator enforces. Zero disables a limit.
type RateLimits struct {
	// TenSecondly is the request budget per rolling 10-second window
	// (HubSpot: 100 on Free/Starter, 190 on Professional and Enterprise).
	TenSecondly int `json:"tenSecondly,omitempty"`

	// Daily is the request budget per day, reset at midnight UTC.
	Daily int `json:"daily,omitempty"`

	// SearchPerSecond is the search request budget per second (HubSpot: 5).
	SearchPerSecond int `json:"searchPerSecond,omitempty"`

	// RecordWritesPerSecond is how many API updates one record takes within
	// one second before further updates get 423 Locked, as HubSpot responds to
	// bursts of writes to the same records.
	RecordWritesPerSecond int `json:"recordWritesPerSecond,omitempty"`
}

// Faults inject failures into API calls (never into /_emulator/ calls).
// Rates are shares between 0 and 1.
type Faults struct {
	Latency        Duration `json:"latency,omitempty"`
	ServerErrors   float64  `json:"serverErrors,omitempty"`   // 502/503/504 with HubSpot's body
	Locked         float64  `json:"locked,omitempty"`         // 423 Locked
	Dropped        float64  `json:"dropped,omitempty"`        // connection closed without a response
	DailyExhausted bool     `json:"dailyExhausted,omitempty"` // every call gets the DAILY 429
	// RandSeed makes the choice of failing calls repeatable. Default 1.
	RandSeed uint64 `json:"randSeed,omitempty"`
}

// Duration is a time.Duration that reads JSON as a Go duration string
// ("250ms", "2s") or a number of milliseconds.
type Duration time.Duration

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a Go duration string or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if unq, err := strconv.Unquote(s); err == nil {
		v, err := time.ParseDuration(unq)
		if err != nil {
			return fmt.Errorf("invalid duration %q; use a value such as \"250ms\" or \"2s\"", unq)
		}
		*d = Duration(v)
		return nil
	}
	ms, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("invalid duration %s; use a string such as \"250ms\" or a number of milliseconds", s)
	}
	*d = Duration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

// LoadSeed reads a seed file.
func LoadSeed(path string) (*Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open seed: %w", err)
	}
	defer f.Close()

	s, err := DecodeSeed(f)
	if err != nil {
		return nil, fmt.Errorf("read seed %s: %w", path, err)
	}
	return s, nil
}

// DecodeSeed decodes a seed from JSON and rejects unknown fields, so a typo
// in a seed file is reported instead of ignored.
func DecodeSeed(r io.Reader) (*Seed, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var s Seed
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("decode seed: %w", err)
	}
	return &s, nil
}

// CheckWebhookTarget returns an error unless raw is an http(s) URL on a
// loopback host, because the emulator must never post to another machine.
func CheckWebhookTarget(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("invalid webhook target URL %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("invalid webhook target URL %q: use http:// or https://", raw)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("webhook target host %q is not a loopback address; use 127.0.0.1, ::1 or localhost", host)
	}
	return nil
}
