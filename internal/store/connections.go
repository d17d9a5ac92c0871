package store

import (
	"encoding/json"
	"time"
)

// Connection pairs one HubSpot account with one Salesforce org.
type Connection struct {
	ID int64

	// Name is unique among connections; the CLI selects a connection by it.
	Name string

	// HubSpotPortalID and SalesforceOrgID identify the two accounts. They
	// are empty until the admin connects that side.
	HubSpotPortalID string
	SalesforceOrgID string

	// Settings is the engine's settings document. The store checks that it
	// is valid JSON and returns an equal document, though PostgreSQL
	// (jsonb) may reorder keys and drop whitespace. Empty means "{}".
	Settings json.RawMessage

	// SettingsVersion starts at 1 and grows by one with every settings
	// update, so two admins editing at once cannot overwrite each other.
	SettingsVersion int64

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Credential is one side's encrypted credentials for a connection. The
// caller encrypts before PutCredential, so the store never receives the
// plain text.
type Credential struct {
	ConnectionID int64
	Side         Side
	Ciphertext   []byte
	UpdatedAt    time.Time
}
