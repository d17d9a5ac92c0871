package generate

// Salesforce picklist values as the standard Lead, Contact and Account
// describe returns them (API values, which equal the labels in a new org).
// A test compares them with the Salesforce emulator's describe data.
var (
	leadStatuses = []weighted{
		{"Open - Not Contacted", 40},
		{"Working - Contacted", 35},
		{"Closed - Not Converted", 25},
	}
	// leadStatusConverted is the Status a converted Lead carries.
	leadStatusConverted = "Closed - Converted"

	leadSources = []weighted{
		{"Web", 40},
		{"Phone Inquiry", 10},
		{"Partner Referral", 15},
		{"Purchased List", 10},
		{"Other", 10},
		{"", 15},
	}

	industries = []weighted{
		{"Agriculture", 3}, {"Apparel", 2}, {"Banking", 3}, {"Biotechnology", 2},
		{"Chemicals", 3}, {"Communications", 3}, {"Construction", 6}, {"Consulting", 8},
		{"Education", 3}, {"Electronics", 4}, {"Energy", 4}, {"Engineering", 6},
		{"Entertainment", 1}, {"Environmental", 2}, {"Finance", 4}, {"Food & Beverage", 4},
		{"Government", 2}, {"Healthcare", 4}, {"Hospitality", 2}, {"Insurance", 2},
		{"Machinery", 5}, {"Manufacturing", 8}, {"Media", 2}, {"Not For Profit", 1},
		{"Recreation", 1}, {"Retail", 4}, {"Shipping", 3}, {"Technology", 8},
		{"Telecommunications", 2}, {"Transportation", 6}, {"Utilities", 2}, {"Other", 2},
		{"", 10},
	}

	ratings = []weighted{{"Hot", 10}, {"Warm", 30}, {"Cold", 25}, {"", 35}}

	accountTypes = []weighted{
		{"Prospect", 45},
		{"Customer - Direct", 30},
		{"Customer - Channel", 8},
		{"Channel Partner / Reseller", 5},
		{"Installation Partner", 2},
		{"Technology Partner", 3},
		{"Other", 2},
		{"", 5},
	}

	femaleSalutations = []weighted{{"Ms.", 55}, {"Mrs.", 15}, {"Dr.", 5}, {"Prof.", 1}, {"", 24}}
	maleSalutations   = []weighted{{"Mr.", 70}, {"Dr.", 5}, {"Prof.", 1}, {"", 24}}
)

// Values that people type into a HubSpot form's free-text salutation and
// that the Salesforce Salutation picklist does not contain. Salutation is
// not restricted, so Salesforce accepts them.
var foreignSalutations = []string{"Dhr.", "Mevr.", "Herr", "Frau", "M.", "Mme"}

// statusProperty is the HubSpot contact property that koppel's default
// mapping of Lead.Status names, a dropdown koppel creates with the
// picklist's values.
const statusProperty = "salesforceleadstatus"

// Options that marketers added to the Status dropdown in HubSpot and that
// the restricted Lead Status picklist of Salesforce lacks.
var hubspotOnlyLeadStatuses = []string{"Nurture", "Recycled"}

// Campaign and CampaignMember values of a new Salesforce org.
var (
	campaignStatuses       = []string{"Planned", "In Progress", "Completed"}
	campaignMemberStatuses = []weighted{{"Sent", 60}, {"Responded", 40}}
)

// HubSpot contact property values that the generator fills.
var (
	hubspotLifecycleStages = []weighted{
		{"subscriber", 20}, {"lead", 35}, {"marketingqualifiedlead", 20},
		{"salesqualifiedlead", 10}, {"opportunity", 5}, {"customer", 10},
	}
	hubspotLanguages = map[string]string{"NL": "nl", "BE": "nl", "DE": "de"}
)

// weighted is a value and its relative frequency.
type weighted struct {
	Value  string
	Weight int
}
