package generate

import "time"

// Dataset is everything the generator makes, before it is shaped into the
// emulators' seed formats.
type Dataset struct {
	Users           []User
	Accounts        []Account
	Contacts        []Contact
	Leads           []Lead
	Campaigns       []Campaign
	CampaignMembers []CampaignMember

	Owners           []Owner
	HubSpotCompanies []HubSpotRecord
	HubSpotContacts  []HubSpotRecord
	// Associations join HubSpotContacts to HubSpotCompanies by id.
	Associations []Association
	// OptOuts are email addresses unsubscribed from all email in HubSpot.
	OptOuts []string

	Manifest Manifest
}

// User is a Salesforce User who owns records.
type User struct {
	Id        string
	FirstName string
	LastName  string
	Email     string
	Username  string
	Alias     string
}

// Account is a Salesforce Account. Empty strings are null.
type Account struct {
	Id                string
	Name              string
	Website           string
	Phone             string
	BillingStreet     string
	BillingCity       string
	BillingPostalCode string
	BillingState      string
	BillingCountry    string
	Industry          string
	Type              string
	Rating            string
	NumberOfEmployees int
	AnnualRevenue     float64
	OwnerId           string
	CreatedDate       time.Time
	LastModifiedDate  time.Time

	domain  string
	country *country
}

// Contact is a Salesforce Contact. Empty strings are null.
type Contact struct {
	Id                 string
	AccountId          string
	Salutation         string
	FirstName          string
	LastName           string
	Email              string
	Title              string
	Phone              string
	MobilePhone        string
	MailingStreet      string
	MailingCity        string
	MailingPostalCode  string
	MailingState       string
	MailingCountry     string
	LeadSource         string
	HasOptedOutOfEmail bool
	OwnerId            string
	CreatedDate        time.Time
	LastModifiedDate   time.Time
}

// Lead is a Salesforce Lead. Empty strings are null; ConvertedDate is zero
// unless IsConverted.
type Lead struct {
	Id                 string
	Salutation         string
	FirstName          string
	LastName           string
	Email              string
	Title              string
	Company            string
	Phone              string
	MobilePhone        string
	Street             string
	City               string
	PostalCode         string
	State              string
	Country            string
	Website            string
	Status             string
	LeadSource         string
	Industry           string
	Rating             string
	NumberOfEmployees  int
	HasOptedOutOfEmail bool
	IsConverted        bool
	ConvertedDate      time.Time
	ConvertedAccountId string
	ConvertedContactId string
	OwnerId            string
	CreatedDate        time.Time
	LastModifiedDate   time.Time
}

// Campaign is a Salesforce Campaign.
type Campaign struct {
	Id        string
	Name      string
	Type      string
	Status    string
	IsActive  bool
	StartDate time.Time // a calendar date
	EndDate   time.Time // a calendar date
	OwnerId   string
}

// CampaignMember puts a Lead or a Contact into a Campaign.
type CampaignMember struct {
	Id           string
	CampaignId   string
	LeadId       string
	ContactId    string
	Status       string
	HasResponded bool
	CreatedDate  time.Time
}

// Owner is a HubSpot owner. Owners match Salesforce Users by email.
type Owner struct {
	ID        string
	Email     string
	FirstName string
	LastName  string
	UserID    int64
}

// HubSpotRecord is a HubSpot contact or company with its properties as
// HubSpot's string wire values.
type HubSpotRecord struct {
	ID         string
	Properties map[string]string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Association joins a HubSpot contact to a company; Primary marks the
// contact's primary company.
type Association struct {
	ContactID string
	CompanyID string
	Primary   bool
}
