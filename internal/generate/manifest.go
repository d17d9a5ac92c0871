package generate

// Defect names one kind of mess the generator puts into the data.
type Defect string

// The defects, each with the outcome a correct sync reaches for it under
// the default settings.
const (
	// EmailCaseDiffers: the Salesforce email differs from the HubSpot one
	// only in letter case. Matching normalizes case, so the pair links.
	EmailCaseDiffers Defect = "email_case_differs"

	// EmailSurroundingSpaces: the HubSpot email has leading or trailing
	// spaces. Matching trims them, so the pair links.
	EmailSurroundingSpaces Defect = "email_surrounding_spaces"

	// LeadAndContactShareEmail: a Lead carries the email of an existing
	// Contact. The HubSpot contact links to the Contact, because a Contact
	// is preferred over a Lead.
	LeadAndContactShareEmail Defect = "lead_and_contact_share_email"

	// RestrictedPicklistValue: a HubSpot contact's Status (the dropdown
	// salesforceleadstatus) holds an option that a marketer added in
	// HubSpot and that the restricted Salesforce Lead Status picklist
	// lacks, so creating its Lead fails.
	RestrictedPicklistValue Defect = "restricted_picklist_value"

	// UnrestrictedPicklistValue: a HubSpot contact's salutation, such as
	// "Dhr.", is not a value of the Salesforce Salutation picklist. That
	// picklist is not restricted, so the value syncs as it is.
	UnrestrictedPicklistValue Defect = "unrestricted_picklist_value"

	// TextTooLong: a HubSpot contact's job title is longer than the 128
	// characters of the Salesforce Title field.
	TextTooLong Defect = "text_too_long"

	// LeadWithoutCompany: a HubSpot contact has no company, so its new Lead
	// gets the placeholder for the required Company field.
	LeadWithoutCompany Defect = "lead_without_company"

	// OptedOutSalesforceOnly: HasOptedOutOfEmail is set in Salesforce but the
	// HubSpot contact is subscribed. The opt-out propagates to HubSpot.
	OptedOutSalesforceOnly Defect = "opted_out_salesforce_only"

	// OptedOutHubSpotOnly: the HubSpot contact is unsubscribed from all
	// email but HasOptedOutOfEmail is not set. The opt-out propagates to
	// Salesforce.
	OptedOutHubSpotOnly Defect = "opted_out_hubspot_only"

	// ConvertedLead: a Lead that was converted into a Contact, with the same
	// email. Only the Contact syncs.
	ConvertedLead Defect = "converted_lead"

	// MissingEmail: a Salesforce Lead or Contact without an email. It cannot
	// be matched and does not sync.
	MissingEmail Defect = "missing_email"

	// MissingEmailHubSpot: a HubSpot contact without an email, as created
	// by a form with only a phone number field. It cannot be matched, so it
	// is listed as a sync error until someone adds the address.
	MissingEmailHubSpot Defect = "missing_email_hubspot"

	// OwnerWithoutHubSpotOwner: a Salesforce User with no HubSpot owner of
	// the same email. Records this user owns sync without an owner.
	OwnerWithoutHubSpotOwner Defect = "owner_without_hubspot_owner"
)

// Outcome is the result a correct sync reaches for a record.
type Outcome string

// Outcomes.
const (
	OutcomeSync Outcome = "sync" // syncs without an error
	OutcomePark Outcome = "park" // fails with a sync error of Category and Code, and waits for a fix
	OutcomeSkip Outcome = "skip" // is left out on purpose
)

// Manifest describes a generated dataset: how many records of each kind it
// holds, how many HubSpot contacts match a Salesforce person, and every
// record with a defect.
type Manifest struct {
	Seed   uint64 `json:"seed"`
	People int    `json:"people"`

	// Counts holds the number of records per object, keyed like
	// "salesforce.Lead" and "hubspot.contacts".
	Counts map[string]int `json:"counts"`

	// MatchedHubSpotContacts is the number of HubSpot contacts whose email,
	// trimmed and lower-cased, equals that of a Salesforce Lead or Contact.
	MatchedHubSpotContacts int `json:"matchedHubSpotContacts"`

	Entries []Entry `json:"entries"`
}

// Entry is one record with a defect and the outcome expected for it.
type Entry struct {
	Defect Defect `json:"defect"`
	Side   string `json:"side"`   // "salesforce" or "hubspot"
	Object string `json:"object"` // Salesforce object name, or "contacts"/"companies"
	ID     string `json:"id"`
	Email  string `json:"email,omitempty"`

	// Related names the record on the other side, or the other record of
	// the pair, as "side:object:id".
	Related []string `json:"related,omitempty"`

	Expect Expectation `json:"expect"`
}

// Expectation is the outcome a correct sync reaches for an Entry under
// the default settings.
type Expectation struct {
	Outcome  Outcome `json:"outcome"`
	Category string  `json:"category,omitempty"` // sync-error category for OutcomePark
	Code     string  `json:"code,omitempty"`     // conversion or vendor error code for OutcomePark, plan reason code for OutcomeSkip
	Reason   string  `json:"reason"`
}

// CountDefects returns the number of entries per defect.
func (m Manifest) CountDefects() map[Defect]int {
	out := map[Defect]int{}
	for _, e := range m.Entries {
		out[e.Defect]++
	}
	return out
}
