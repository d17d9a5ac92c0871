package salesforce

// Campaign and CampaignMember are defined here from Salesforce's
// documented standard fields, because no describe data for them is
// embedded.

func picklist(values ...string) []picklistEntry {
	out := make([]picklistEntry, len(values))
	for i, v := range values {
		out[i] = picklistEntry{Active: true, Label: v, Value: v}
	}
	return out
}

// stdField is a shorthand for a filterable, sortable standard field.
func stdField(name, label, typ string, nillable bool) *fieldDef {
	return &fieldDef{Name: name, Label: label, Type: typ, Nillable: nillable,
		Filterable: true, Sortable: typ != "textarea", Groupable: typ != "textarea" && typ != "double" && typ != "currency" && typ != "percent"}
}

func refField(name, label, target, relationship string, nillable bool) *fieldDef {
	f := stdField(name, label, "reference", nillable)
	f.ReferenceTo = []string{target}
	f.RelationshipName = relationship
	return f
}

func auditFields() []*fieldDef {
	return []*fieldDef{
		refField("OwnerId", "Owner ID", "User", "Owner", false),
		stdField("CreatedDate", "Created Date", "datetime", false),
		refField("CreatedById", "Created By ID", "User", "CreatedBy", false),
		stdField("LastModifiedDate", "Last Modified Date", "datetime", false),
		refField("LastModifiedById", "Last Modified By ID", "User", "LastModifiedBy", false),
		stdField("SystemModstamp", "System Modstamp", "datetime", false),
	}
}

func campaignObject() *objectDef {
	typ := stdField("Type", "Type", "picklist", true)
	typ.Picklist = picklist("Conference", "Webinar", "Trade Show", "Public Relations", "Partners",
		"Referral Program", "Advertisement", "Banner Ads", "Direct Mail", "Email", "Telemarketing", "Other")
	status := stdField("Status", "Status", "picklist", true)
	status.Picklist = picklist("Planned", "In Progress", "Completed", "Aborted")
	isActive := stdField("IsActive", "Active", "boolean", false)
	isActive.DefaultValue = false

	fields := []*fieldDef{
		stdField("Id", "Campaign ID", "id", false),
		stdField("IsDeleted", "Deleted", "boolean", false),
		stdField("Name", "Name", "string", false),
		refField("ParentId", "Parent Campaign ID", "Campaign", "Parent", true),
		typ, status,
		stdField("StartDate", "Start Date", "date", true),
		stdField("EndDate", "End Date", "date", true),
		stdField("ExpectedRevenue", "Expected Revenue in Campaign", "currency", true),
		stdField("BudgetedCost", "Budgeted Cost in Campaign", "currency", true),
		stdField("ActualCost", "Actual Cost in Campaign", "currency", true),
		stdField("ExpectedResponse", "Expected Response (%)", "percent", true),
		stdField("NumberSent", "Num Sent in Campaign", "double", true),
		isActive,
		stdField("Description", "Description", "textarea", true),
	}
	for _, counter := range []struct{ name, label string }{
		{"NumberOfLeads", "Leads in Campaign"},
		{"NumberOfConvertedLeads", "Converted Leads in Campaign"},
		{"NumberOfContacts", "Contacts in Campaign"},
		{"NumberOfResponses", "Responses in Campaign"},
	} {
		f := stdField(counter.name, counter.label, "int", true)
		f.Calculated = true
		fields = append(fields, f)
	}
	fields = append(fields, auditFields()...)
	fields = append(fields,
		stdField("LastActivityDate", "Last Activity", "date", true),
		stdField("LastViewedDate", "Last Viewed Date", "datetime", true),
		stdField("LastReferencedDate", "Last Referenced Date", "datetime", true),
	)
	return &objectDef{Name: "Campaign", Label: "Campaign", LabelPlural: "Campaigns", KeyPrefix: keyPrefixes["Campaign"], Fields: fields}
}

// campaignMemberReadOnly are the CampaignMember fields Salesforce copies
// from the lead or contact.
var campaignMemberReadOnly = map[string]bool{
	"HasResponded": true, "FirstRespondedDate": true, "Name": true, "FirstName": true,
	"LastName": true, "Salutation": true, "Title": true, "Street": true, "City": true,
	"State": true, "PostalCode": true, "Country": true, "Email": true, "Phone": true,
	"Fax": true, "MobilePhone": true, "Description": true, "DoNotCall": true,
	"HasOptedOutOfEmail": true, "HasOptedOutOfFax": true, "LeadSource": true,
	"CompanyOrAccount": true, "Type": true, "LeadOrContactId": true, "LeadOrContactOwnerId": true,
}

func campaignMemberObject() *objectDef {
	status := stdField("Status", "Status", "picklist", true)
	status.Picklist = picklist("Planned", "Received", "Responded", "Sent")
	typ := stdField("Type", "Type", "picklist", true)
	typ.Picklist = picklist("Lead", "Contact")

	fields := []*fieldDef{
		stdField("Id", "Campaign Member ID", "id", false),
		stdField("IsDeleted", "Deleted", "boolean", false),
		refField("CampaignId", "Campaign ID", "Campaign", "Campaign", false),
		refField("LeadId", "Lead ID", "Lead", "Lead", true),
		refField("ContactId", "Contact ID", "Contact", "Contact", true),
		status,
		stdField("HasResponded", "Responded", "boolean", false),
		stdField("FirstRespondedDate", "First Responded Date", "date", true),
		stdField("Salutation", "Salutation", "string", true),
		stdField("Name", "Name", "string", true),
		stdField("FirstName", "First Name", "string", true),
		stdField("LastName", "Last Name", "string", true),
		stdField("Title", "Title", "string", true),
		stdField("Street", "Street", "textarea", true),
		stdField("City", "City", "string", true),
		stdField("State", "State/Province", "string", true),
		stdField("PostalCode", "Zip/Postal Code", "string", true),
		stdField("Country", "Country", "string", true),
		stdField("Email", "Email", "email", true),
		stdField("Phone", "Phone", "phone", true),
		stdField("Fax", "Fax", "phone", true),
		stdField("MobilePhone", "Mobile", "phone", true),
		stdField("Description", "Description", "textarea", true),
		stdField("DoNotCall", "Do Not Call", "boolean", false),
		stdField("HasOptedOutOfEmail", "Email Opt Out", "boolean", false),
		stdField("HasOptedOutOfFax", "Fax Opt Out", "boolean", false),
		stdField("LeadSource", "Lead Source", "string", true),
		stdField("CompanyOrAccount", "Company (Account)", "string", true),
		typ,
		refField("LeadOrContactId", "Contact or Lead ID", "Lead", "", true),
		refField("LeadOrContactOwnerId", "Contact or Lead Owner ID", "User", "", true),
	}
	fields[len(fields)-2].ReferenceTo = []string{"Contact", "Lead"}
	for _, f := range auditFields()[1:] {
		fields = append(fields, f)
	}
	for _, f := range fields {
		if campaignMemberReadOnly[f.Name] {
			f.Calculated = f.Name == "Name"
		}
	}
	return &objectDef{Name: "CampaignMember", Label: "Campaign Member", LabelPlural: "Campaign Members", KeyPrefix: keyPrefixes["CampaignMember"], Fields: fields}
}
