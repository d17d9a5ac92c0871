package settings

import (
	"time"
)

// HubSpotOnSalesforceChange is what HubSpot does when a Salesforce Lead or
// Contact is created or updated.
type HubSpotOnSalesforceChange string

const (
	// HubSpotCreateOrUpdate creates or updates the HubSpot contact. A new
	// Salesforce record creates a contact even outside the inclusion list.
	HubSpotCreateOrUpdate HubSpotOnSalesforceChange = "create_or_update_contact"
	// HubSpotDoNothing leaves HubSpot alone: no new contacts from Salesforce.
	HubSpotDoNothing HubSpotOnSalesforceChange = "do_nothing"
)

// SalesforceOnHubSpotChange is which Salesforce object a new or updated
// HubSpot contact without a Salesforce match creates.
type SalesforceOnHubSpotChange string

const (
	SalesforceCreateLead    SalesforceOnHubSpotChange = "create_or_update_lead"
	SalesforceCreateContact SalesforceOnHubSpotChange = "create_or_update_contact"
)

// OnDelete is what one side does when the linked record on the other side is
// deleted.
type OnDelete string

const (
	DeleteKeep   OnDelete = "keep"
	DeleteDelete OnDelete = "delete"
)

// MissingRequired is what happens when a new Lead would lack LastName or
// Company.
type MissingRequired string

const (
	MissingUsePlaceholder MissingRequired = "placeholder"
	MissingPark           MissingRequired = "park"
)

// Settings are the sync settings of one connection. The zero value is not
// valid; start from Default.
type Settings struct {
	// HubSpotOnSalesforceChange defaults to HubSpotCreateOrUpdate.
	HubSpotOnSalesforceChange HubSpotOnSalesforceChange `json:"hubspot_on_salesforce_change" yaml:"hubspot_on_salesforce_change"`

	// SalesforceOnHubSpotChange defaults to SalesforceCreateLead.
	SalesforceOnHubSpotChange SalesforceOnHubSpotChange `json:"salesforce_on_hubspot_change" yaml:"salesforce_on_hubspot_change"`

	// CreateSalesforceFromHubSpot turns creation of Salesforce records from
	// new HubSpot contacts on or off; updates of linked records still flow.
	// Defaults to true.
	CreateSalesforceFromHubSpot bool `json:"create_salesforce_from_hubspot" yaml:"create_salesforce_from_hubspot"`

	// HubSpotOnSalesforceDelete defaults to DeleteKeep.
	HubSpotOnSalesforceDelete OnDelete `json:"hubspot_on_salesforce_delete" yaml:"hubspot_on_salesforce_delete"`

	// SalesforceOnHubSpotDelete defaults to DeleteKeep.
	SalesforceOnHubSpotDelete OnDelete `json:"salesforce_on_hubspot_delete" yaml:"salesforce_on_hubspot_delete"`

	// InclusionListID is the HubSpot list (a DYNAMIC list) whose members sync
	// from HubSpot to Salesforce. Empty means every contact with an email.
	InclusionListID string `json:"inclusion_list_id,omitempty" yaml:"inclusion_list_id,omitempty"`

	// ExistingSalesforceByImport makes Salesforce Leads and Contacts that
	// existed before the connection come into HubSpot only through koppel
	// import, as with HubSpot's connector. Default false: the first cycle
	// reads them all.
	ExistingSalesforceByImport bool `json:"existing_salesforce_by_import,omitempty" yaml:"existing_salesforce_by_import,omitempty"`

	// CompanySync turns Accounts ↔ companies and the contact's primary
	// company association on. Defaults to false.
	CompanySync bool `json:"company_sync" yaml:"company_sync"`

	// MissingRequired decides what a new Lead without LastName or Company
	// gets. Defaults to MissingUsePlaceholder.
	MissingRequired MissingRequired `json:"missing_required" yaml:"missing_required"`

	// Placeholder is written into a missing required Lead field. Defaults to
	// "[not provided]", the value HubSpot's connector writes.
	Placeholder string `json:"placeholder" yaml:"placeholder"`

	// TimeZone converts a Salesforce datetime to a HubSpot date property.
	// An IANA name; defaults to "UTC".
	TimeZone string `json:"time_zone" yaml:"time_zone"`

	// SalesforceAPIAllocation caps the Salesforce API calls koppel makes in a
	// rolling 24 hours. Zero means no cap of koppel's own: the org's limit
	// still applies.
	SalesforceAPIAllocation int `json:"salesforce_api_allocation" yaml:"salesforce_api_allocation"`

	// RetryPauseAtPercent suspends automatic retries of parked records while
	// the Salesforce calls used exceed this share of the allocation.
	// Defaults to 75, as HubSpot's connector does.
	RetryPauseAtPercent int `json:"retry_pause_at_percent" yaml:"retry_pause_at_percent"`

	// Interval is the time between two sync cycles in koppel serve.
	// Defaults to 30 seconds; a HubSpot webhook starts a cycle at once.
	Interval Duration `json:"interval" yaml:"interval"`

	// OverlapWindow is how far back each read re-reads past its cursor, so
	// rows that share a timestamp or become visible late are not missed.
	// Defaults to 2 minutes.
	OverlapWindow Duration `json:"overlap_window" yaml:"overlap_window"`
}

// Default returns the settings HubSpot's connector starts with.
func Default() Settings {
	return Settings{
		HubSpotOnSalesforceChange:   HubSpotCreateOrUpdate,
		SalesforceOnHubSpotChange:   SalesforceCreateLead,
		CreateSalesforceFromHubSpot: true,
		HubSpotOnSalesforceDelete:   DeleteKeep,
		SalesforceOnHubSpotDelete:   DeleteKeep,
		MissingRequired:             MissingUsePlaceholder,
		Placeholder:                 "[not provided]",
		TimeZone:                    "UTC",
		RetryPauseAtPercent:         75,
		Interval:                    Duration(30 * time.Second),
		OverlapWindow:               Duration(2 * time.Minute),
	}
}

// Location returns the loaded time zone. Call Validate first: an unknown
// name falls back to UTC here.
func (s Settings) Location() *time.Location {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}
