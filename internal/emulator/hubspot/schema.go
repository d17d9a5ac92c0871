package hubspot

import "time"

// Property is a property definition as GET /crm/v3/properties returns it.
type Property struct {
	Name                 string                `json:"name"`
	Label                string                `json:"label"`
	Type                 string                `json:"type"`
	FieldType            string                `json:"fieldType"`
	Description          string                `json:"description"`
	GroupName            string                `json:"groupName"`
	Options              []Option              `json:"options"`
	DisplayOrder         int                   `json:"displayOrder"`
	Calculated           bool                  `json:"calculated"`
	ExternalOptions      bool                  `json:"externalOptions"`
	HasUniqueValue       bool                  `json:"hasUniqueValue"`
	Hidden               bool                  `json:"hidden"`
	HubspotDefined       bool                  `json:"hubspotDefined,omitempty"`
	FormField            bool                  `json:"formField"`
	Archived             bool                  `json:"archived"`
	ModificationMetadata *ModificationMetadata `json:"modificationMetadata,omitempty"`
	CreatedAt            time.Time             `json:"createdAt,omitzero"`
	UpdatedAt            time.Time             `json:"updatedAt,omitzero"`

	// integerOnly makes fractional values fail with INVALID_INTEGER.
	integerOnly bool
}

// ModificationMetadata is whether a property's definition and value may be
// changed.
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// Option is one allowed value of an enumeration property.
type Option struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
	Description  string `json:"description,omitempty"`
}

// PropertyGroup groups properties in the HubSpot UI.
type PropertyGroup struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder"`
	Archived     bool   `json:"archived"`
}

type propDef struct {
	name, label, typ, field, group string
	readOnly                       bool
	unique                         bool
	integer                        bool
	calculated                     bool
	options                        []string // value=label pairs as "value|Label"
}

func opts(pairs ...string) []string { return pairs }

var (
	lifecycleOptions = opts("subscriber|Subscriber", "lead|Lead", "marketingqualifiedlead|Marketing Qualified Lead",
		"salesqualifiedlead|Sales Qualified Lead", "opportunity|Opportunity", "customer|Customer",
		"evangelist|Evangelist", "other|Other")
	leadStatusOptions = opts("NEW|New", "OPEN|Open", "IN_PROGRESS|In Progress", "OPEN_DEAL|Open Deal",
		"UNQUALIFIED|Unqualified", "ATTEMPTED_TO_CONTACT|Attempted to Contact", "CONNECTED|Connected",
		"BAD_TIMING|Bad Timing")
	boolOptions     = opts("true|Yes", "false|No")
	industryOptions = opts("ACCOUNTING|Accounting", "AIRLINES_AVIATION|Airlines/Aviation", "APPAREL_FASHION|Apparel & Fashion",
		"AUTOMOTIVE|Automotive", "BANKING|Banking", "BIOTECHNOLOGY|Biotechnology", "BUILDING_MATERIALS|Building Materials",
		"CHEMICALS|Chemicals", "COMPUTER_SOFTWARE|Computer Software", "CONSTRUCTION|Construction",
		"CONSUMER_GOODS|Consumer Goods", "CONSUMER_SERVICES|Consumer Services", "EDUCATION_MANAGEMENT|Education Management",
		"ENTERTAINMENT|Entertainment", "FINANCIAL_SERVICES|Financial Services", "FOOD_BEVERAGES|Food & Beverages",
		"GOVERNMENT_ADMINISTRATION|Government Administration", "HOSPITAL_HEALTH_CARE|Hospital & Health Care",
		"HOSPITALITY|Hospitality", "INFORMATION_TECHNOLOGY_AND_SERVICES|Information Technology and Services",
		"INSURANCE|Insurance", "INTERNET|Internet", "LOGISTICS_AND_SUPPLY_CHAIN|Logistics and Supply Chain",
		"MANAGEMENT_CONSULTING|Management Consulting", "MARKETING_AND_ADVERTISING|Marketing and Advertising",
		"MECHANICAL_OR_INDUSTRIAL_ENGINEERING|Mechanical or Industrial Engineering", "MEDIA_PRODUCTION|Media Production",
		"NONPROFIT_ORGANIZATION_MANAGEMENT|Non-Profit Organization Management", "PHARMACEUTICALS|Pharmaceuticals",
		"REAL_ESTATE|Real Estate", "RETAIL|Retail", "TELECOMMUNICATIONS|Telecommunications", "TRANSPORTATION_TRUCKING_RAILROAD|Transportation/Trucking/Railroad",
		"UTILITIES|Utilities", "WHOLESALE|Wholesale")
	companyTypeOptions = opts("PROSPECT|Prospect", "PARTNER|Partner", "RESELLER|Reseller", "VENDOR|Vendor", "OTHER|Other")
	salutationOptions  = opts("Mr.|Mr.", "Ms.|Ms.", "Mrs.|Mrs.", "Dr.|Dr.", "Prof.|Prof.")
	personaOptions     = opts("persona_1|Persona 1", "persona_2|Persona 2", "persona_3|Persona 3")
	buyingRoleOptions  = opts("BUDGET_HOLDER|Budget Holder", "CHAMPION|Champion", "DECISION_MAKER|Decision Maker",
		"END_USER|End User", "INFLUENCER|Influencer", "OTHER|Other")
	analyticsSourceOptions = opts("ORGANIC_SEARCH|Organic Search", "PAID_SEARCH|Paid Search", "EMAIL_MARKETING|Email Marketing",
		"SOCIAL_MEDIA|Organic Social", "REFERRALS|Referrals", "OTHER_CAMPAIGNS|Other Campaigns", "DIRECT_TRAFFIC|Direct Traffic",
		"OFFLINE|Offline Sources", "PAID_SOCIAL|Paid Social", "AI_REFERRALS|AI Referrals")
)

// Default contact properties: a subset of HubSpot's with their real names,
// types, field types and options.
var contactDefs = []propDef{
	{name: "email", label: "Email", typ: "string", field: "text", group: "contactinformation", unique: true},
	{name: "firstname", label: "First Name", typ: "string", field: "text", group: "contactinformation"},
	{name: "lastname", label: "Last Name", typ: "string", field: "text", group: "contactinformation"},
	{name: "salutation", label: "Salutation", typ: "string", field: "text", group: "contactinformation"},
	{name: "phone", label: "Phone Number", typ: "string", field: "phonenumber", group: "contactinformation"},
	{name: "mobilephone", label: "Mobile Phone Number", typ: "string", field: "phonenumber", group: "contactinformation"},
	{name: "fax", label: "Fax Number", typ: "string", field: "text", group: "contactinformation"},
	{name: "company", label: "Company Name", typ: "string", field: "text", group: "contactinformation"},
	{name: "jobtitle", label: "Job Title", typ: "string", field: "text", group: "contactinformation"},
	{name: "website", label: "Website URL", typ: "string", field: "text", group: "contactinformation"},
	{name: "address", label: "Street Address", typ: "string", field: "text", group: "contactinformation"},
	{name: "city", label: "City", typ: "string", field: "text", group: "contactinformation"},
	{name: "state", label: "State/Region", typ: "string", field: "text", group: "contactinformation"},
	{name: "zip", label: "Postal Code", typ: "string", field: "text", group: "contactinformation"},
	{name: "country", label: "Country/Region", typ: "string", field: "text", group: "contactinformation"},
	{name: "industry", label: "Industry", typ: "string", field: "text", group: "contactinformation"},
	{name: "annualrevenue", label: "Annual Revenue", typ: "string", field: "text", group: "contactinformation"},
	{name: "numemployees", label: "Number of Employees", typ: "enumeration", field: "select", group: "contactinformation",
		options: opts("1-5|1-5", "5-25|5-25", "25-50|25-50", "50-100|50-100", "100-500|100-500", "500-1000|500-1000", "1000+|1000+")},
	{name: "lifecyclestage", label: "Lifecycle Stage", typ: "enumeration", field: "radio", group: "contactinformation", options: lifecycleOptions},
	{name: "hs_lead_status", label: "Lead Status", typ: "enumeration", field: "radio", group: "sales_properties", options: leadStatusOptions},
	{name: "hs_persona", label: "Persona", typ: "enumeration", field: "radio", group: "contactinformation", options: personaOptions},
	{name: "hs_buying_role", label: "Buying Role", typ: "enumeration", field: "checkbox", group: "sales_properties", options: buyingRoleOptions},
	{name: "hs_language", label: "Preferred language", typ: "enumeration", field: "select", group: "contactinformation",
		options: opts("en|English", "nl|Dutch", "de|German", "fr|French", "es|Spanish")},
	{name: "hubspot_owner_id", label: "Contact owner", typ: "enumeration", field: "select", group: "sales_properties"},
	{name: "hs_email_optout", label: "Unsubscribed from all email", typ: "bool", field: "booleancheckbox", group: "emailinformation", readOnly: true, options: boolOptions},
	{name: "hs_additional_emails", label: "Additional email addresses", typ: "enumeration", field: "checkbox", group: "contactinformation", readOnly: true},
	{name: "date_of_birth", label: "Date of birth", typ: "string", field: "text", group: "contactinformation"},
	{name: "hs_content_membership_notes", label: "Membership Notes", typ: "string", field: "textarea", group: "contactinformation"},
	{name: "message", label: "Message", typ: "string", field: "textarea", group: "contactinformation"},
	{name: "notes_last_updated", label: "Last Activity Date", typ: "datetime", field: "date", group: "contact_activity", readOnly: true},
	{name: "hs_lead_source", label: "Lead source (legacy)", typ: "string", field: "text", group: "contactinformation"},
	{name: "hs_analytics_source", label: "Original Traffic Source", typ: "enumeration", field: "select", group: "analyticsinformation", options: analyticsSourceOptions},
	{name: "hs_legal_basis", label: "Legal basis for processing contact's data", typ: "enumeration", field: "checkbox", group: "contactinformation",
		options: opts("Legitimate interest – prospect/lead|Legitimate interest – prospect/lead", "Legitimate interest - existing customer|Legitimate interest - existing customer",
			"Performance of a contract|Performance of a contract", "Freely given consent from contact|Freely given consent from contact")},
	{name: "hs_marketable_status", label: "Marketing contact status", typ: "enumeration", field: "select", group: "contactinformation", readOnly: true, options: boolOptions},
	{name: "hs_sequences_is_enrolled", label: "Currently in Sequence", typ: "bool", field: "booleancheckbox", group: "sales_properties", readOnly: true, options: boolOptions},
	{name: "num_notes", label: "Number of Sales Activities", typ: "number", field: "number", group: "contact_activity", readOnly: true, integer: true},
	{name: "hs_lifecyclestage_lead_date", label: "Date entered 'Lead (Lifecycle Stage Pipeline)'", typ: "datetime", field: "date", group: "contactinformation", readOnly: true},
	{name: "hs_object_id", label: "Record ID", typ: "number", field: "number", group: "contactinformation", readOnly: true, integer: true},
	{name: "createdate", label: "Create Date", typ: "datetime", field: "date", group: "contactinformation"},
	{name: "lastmodifieddate", label: "Last Modified Date", typ: "datetime", field: "date", group: "contactinformation", readOnly: true},
	{name: "hs_merged_object_ids", label: "Merged Contact IDs", typ: "enumeration", field: "checkbox", group: "contactinformation", readOnly: true},
	{name: "associatedcompanyid", label: "Primary Associated Company ID", typ: "number", field: "number", group: "contactinformation", readOnly: true, integer: true},
	{name: "num_associated_deals", label: "Number of Associated Deals", typ: "number", field: "number", group: "deal_information", readOnly: true, integer: true, calculated: true},
	{name: "hs_all_owner_ids", label: "All owner IDs", typ: "enumeration", field: "checkbox", group: "contactinformation", readOnly: true},
	{name: "hs_is_contact", label: "Is a contact", typ: "bool", field: "booleancheckbox", group: "contactinformation", readOnly: true, calculated: true, options: boolOptions},
	{name: "twitterhandle", label: "Twitter Username", typ: "string", field: "text", group: "socialmediainformation"},
	{name: "hs_linkedin_url", label: "LinkedIn URL", typ: "string", field: "text", group: "contactinformation"},
	{name: "closedate", label: "Close Date", typ: "datetime", field: "date", group: "deal_information"},
	{name: "first_deal_created_date", label: "First Deal Created Date", typ: "datetime", field: "date", group: "deal_information", readOnly: true},
	{name: "total_revenue", label: "Total Revenue", typ: "number", field: "number", group: "deal_information"},
	{name: "hs_timezone", label: "Time Zone", typ: "enumeration", field: "select", group: "contactinformation",
		options: opts("europe_slash_amsterdam|(GMT+01:00) Europe/Amsterdam", "europe_slash_london|(GMT+00:00) Europe/London",
			"america_slash_new_york|(GMT-05:00) America/New York", "america_slash_los_angeles|(GMT-08:00) America/Los Angeles")},
}

// Default company properties: a subset of HubSpot's with their real names,
// types, field types and options.
var companyDefs = []propDef{
	{name: "name", label: "Company name", typ: "string", field: "text", group: "companyinformation"},
	{name: "domain", label: "Company Domain Name", typ: "string", field: "text", group: "companyinformation"},
	{name: "website", label: "Website URL", typ: "string", field: "text", group: "companyinformation"},
	{name: "phone", label: "Phone Number", typ: "string", field: "phonenumber", group: "companyinformation"},
	{name: "address", label: "Street Address", typ: "string", field: "text", group: "companyinformation"},
	{name: "address2", label: "Street Address 2", typ: "string", field: "text", group: "companyinformation"},
	{name: "city", label: "City", typ: "string", field: "text", group: "companyinformation"},
	{name: "state", label: "State/Region", typ: "string", field: "text", group: "companyinformation"},
	{name: "zip", label: "Postal Code", typ: "string", field: "text", group: "companyinformation"},
	{name: "country", label: "Country/Region", typ: "string", field: "text", group: "companyinformation"},
	{name: "description", label: "Description", typ: "string", field: "textarea", group: "companyinformation"},
	{name: "industry", label: "Industry", typ: "enumeration", field: "select", group: "companyinformation", options: industryOptions},
	{name: "type", label: "Type", typ: "enumeration", field: "select", group: "companyinformation", options: companyTypeOptions},
	{name: "lifecyclestage", label: "Lifecycle Stage", typ: "enumeration", field: "radio", group: "companyinformation", options: lifecycleOptions},
	{name: "hs_lead_status", label: "Lead Status", typ: "enumeration", field: "radio", group: "sales_properties", options: leadStatusOptions},
	{name: "numberofemployees", label: "Number of Employees", typ: "number", field: "number", group: "companyinformation", integer: true},
	{name: "annualrevenue", label: "Annual Revenue", typ: "number", field: "number", group: "companyinformation"},
	{name: "founded_year", label: "Year Founded", typ: "string", field: "text", group: "companyinformation"},
	{name: "is_public", label: "Is Public", typ: "bool", field: "booleancheckbox", group: "companyinformation", options: boolOptions},
	{name: "timezone", label: "Time Zone", typ: "string", field: "text", group: "companyinformation"},
	{name: "linkedin_company_page", label: "LinkedIn Company Page", typ: "string", field: "text", group: "socialmediainformation"},
	{name: "twitterhandle", label: "Twitter Handle", typ: "string", field: "text", group: "socialmediainformation"},
	{name: "hubspot_owner_id", label: "Company owner", typ: "enumeration", field: "select", group: "companyinformation"},
	{name: "closedate", label: "Close Date", typ: "datetime", field: "date", group: "deal_information"},
	{name: "first_contact_createdate", label: "First Contact Create Date", typ: "datetime", field: "date", group: "companyinformation", readOnly: true},
	{name: "num_associated_contacts", label: "Number of Associated Contacts", typ: "number", field: "number", group: "companyinformation", readOnly: true, integer: true, calculated: true},
	{name: "num_associated_deals", label: "Number of Associated Deals", typ: "number", field: "number", group: "deal_information", readOnly: true, integer: true, calculated: true},
	{name: "total_revenue", label: "Total Revenue", typ: "number", field: "number", group: "deal_information", readOnly: true},
	{name: "hs_object_id", label: "Record ID", typ: "number", field: "number", group: "companyinformation", readOnly: true, integer: true},
	{name: "createdate", label: "Create Date", typ: "datetime", field: "date", group: "companyinformation"},
	{name: "hs_lastmodifieddate", label: "Last Modified Date", typ: "datetime", field: "date", group: "companyinformation", readOnly: true},
	{name: "hs_merged_object_ids", label: "Merged Company IDs", typ: "enumeration", field: "checkbox", group: "companyinformation", readOnly: true},
	{name: "hs_analytics_source", label: "Original Traffic Source", typ: "enumeration", field: "select", group: "analyticsinformation", options: analyticsSourceOptions},
	{name: "about_us", label: "About Us", typ: "string", field: "textarea", group: "companyinformation"},
	{name: "hs_is_target_account", label: "Target Account", typ: "bool", field: "booleancheckbox", group: "target_account_information", options: boolOptions},
}

var defaultGroups = map[string][]PropertyGroup{
	"contacts": {
		{Name: "contactinformation", Label: "Contact information", DisplayOrder: 0},
		{Name: "emailinformation", Label: "Email information", DisplayOrder: 1},
		{Name: "sales_properties", Label: "Sales properties", DisplayOrder: 2},
		{Name: "contact_activity", Label: "Contact activity", DisplayOrder: 3},
		{Name: "analyticsinformation", Label: "Web analytics history", DisplayOrder: 4},
		{Name: "deal_information", Label: "Deal information", DisplayOrder: 5},
		{Name: "socialmediainformation", Label: "Social media information", DisplayOrder: 6},
	},
	"companies": {
		{Name: "companyinformation", Label: "Company information", DisplayOrder: 0},
		{Name: "sales_properties", Label: "Sales properties", DisplayOrder: 1},
		{Name: "deal_information", Label: "Deal information", DisplayOrder: 2},
		{Name: "analyticsinformation", Label: "Web analytics history", DisplayOrder: 3},
		{Name: "socialmediainformation", Label: "Social media information", DisplayOrder: 4},
		{Name: "target_account_information", Label: "Target account information", DisplayOrder: 5},
	},
}

func buildDefaults(defs []propDef, at time.Time) map[string]*Property {
	out := make(map[string]*Property, len(defs))
	for _, d := range defs {
		p := &Property{
			Name: d.name, Label: d.label, Type: d.typ, FieldType: d.field, GroupName: d.group,
			DisplayOrder: -1, HasUniqueValue: d.unique, HubspotDefined: true, FormField: !d.readOnly,
			Calculated: d.calculated, Options: []Option{}, integerOnly: d.integer,
			ModificationMetadata: &ModificationMetadata{Archivable: false, ReadOnlyDefinition: true, ReadOnlyValue: d.readOnly},
			CreatedAt:            at, UpdatedAt: at,
		}
		for j, o := range d.options {
			v, l := splitOption(o)
			p.Options = append(p.Options, Option{Value: v, Label: l, DisplayOrder: j})
		}
		out[d.name] = p
	}
	return out
}

func splitOption(s string) (value, label string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '|' {
			return s[:i], s[i+1:]
		}
	}
	return s, s
}
