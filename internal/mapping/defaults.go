package mapping

// Standard field lengths and types below are from Salesforce's Object
// Reference for Lead, Contact and Account (API version 42.0 and later).
// The engine replaces them with the org's own describe through
// [Set.ApplyDescribe], which also brings picklist values and custom
// lengths.

func hsText(name, label string) HubSpotProperty {
	return HubSpotProperty{Name: name, Label: label, Type: "string", FieldType: "text", HubSpotDefined: true}
}

func hsTextarea(name, label string) HubSpotProperty {
	return HubSpotProperty{Name: name, Label: label, Type: "string", FieldType: "textarea", HubSpotDefined: true}
}

func hsPhone(name, label string) HubSpotProperty {
	return HubSpotProperty{Name: name, Label: label, Type: "string", FieldType: "phonenumber", HubSpotDefined: true}
}

func hsSelect(name, label string) HubSpotProperty {
	return HubSpotProperty{Name: name, Label: label, Type: "enumeration", FieldType: "select", HubSpotDefined: true}
}

func hsNumber(name, label string) HubSpotProperty {
	return HubSpotProperty{Name: name, Label: label, Type: "number", FieldType: "number", HubSpotDefined: true}
}

// koppelOwned marks p as a property koppel creates in the portal, because
// a new HubSpot account lacks it or has one that cannot hold the
// Salesforce values.
func koppelOwned(p HubSpotProperty) HubSpotProperty {
	p.HubSpotDefined = false
	return p
}

func hsOwner() HubSpotProperty {
	return HubSpotProperty{Name: "hubspot_owner_id", Label: "Contact owner", Type: "enumeration", FieldType: "select",
		HubSpotDefined: true, IsUserType: true, ReferencedObject: "OWNER"}
}

func sfText(object, name, label, typ string, length int) SalesforceField {
	return SalesforceField{Object: object, Name: name, Label: label, Type: typ, Length: length,
		Createable: true, Updateable: true, Nillable: true}
}

func sfRequired(f SalesforceField) SalesforceField {
	f.Nillable = false
	return f
}

func sfPicklist(object, name, label string) SalesforceField {
	return sfText(object, name, label, "picklist", 40)
}

func sfCurrency(object, name, label string) SalesforceField {
	return SalesforceField{Object: object, Name: name, Label: label, Type: "currency", Precision: 18,
		Createable: true, Updateable: true, Nillable: true}
}

func sfInt(object, name, label string) SalesforceField {
	return SalesforceField{Object: object, Name: name, Label: label, Type: "int", Digits: 8,
		Createable: true, Updateable: true, Nillable: true}
}

func sfOwner(object string, referenceTo ...string) SalesforceField {
	return SalesforceField{Object: object, Name: "OwnerId", Label: "Owner ID", Type: "reference", Length: 18,
		ReferenceTo: referenceTo, Createable: true, Updateable: true, DefaultedOnCreate: true}
}

// both returns the field with the same API name on Lead and Contact.
func both(build func(object string) SalesforceField) []SalesforceField {
	return []SalesforceField{build(ObjectLead), build(ObjectContact)}
}

func contactMapping(hs HubSpotProperty, kind MappingKind, rule Rule, fields ...SalesforceField) Mapping {
	return Mapping{ID: "contact." + hs.Name, HubSpot: hs, Salesforce: fields, Rule: rule, Default: true, Kind: kind}
}

// DefaultContactMappings returns the default mappings of HubSpot's
// Salesforce connector between HubSpot contacts and Salesforce Leads and
// Contacts, each with its default rule. A HubSpot contact links to a Lead
// or a Contact, so one mapping names the field on each object. The
// address maps to Street on a Lead and MailingStreet on a Contact.
//
// HubSpot's documentation lists these mappings by label only. Where a new
// HubSpot account has no property for a field, or has one that cannot
// hold the Salesforce values, the mapping names a property koppel creates
// when it connects (HubSpotDefined false): leadsource, rating,
// description and salesforceaccountid, salesforceleadstatus in place of
// hs_lead_status, whose options are HubSpot's own, and
// salesforcenumberofemployees in place of numemployees, a dropdown of
// ranges such as "25-50".
func DefaultContactMappings() []Mapping {
	prefer := PreferSalesforceUnlessBlank
	return []Mapping{
		contactMapping(hsText("firstname", "First Name"), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfText(o, "FirstName", "First Name", "string", 40) })...),
		contactMapping(hsText("lastname", "Last Name"), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfRequired(sfText(o, "LastName", "Last Name", "string", 80)) })...),
		contactMapping(hsText("email", "Email"), KindEmail, prefer,
			both(func(o string) SalesforceField { return sfText(o, "Email", "Email", "email", 80) })...),
		contactMapping(hsText("jobtitle", "Job Title"), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfText(o, "Title", "Title", "string", 128) })...),
		contactMapping(hsPhone("phone", "Phone Number"), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfText(o, "Phone", "Business Phone", "phone", 40) })...),
		contactMapping(hsPhone("fax", "Fax Number"), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfText(o, "Fax", "Business Fax", "phone", 40) })...),
		contactMapping(hsText("salutation", "Salutation"), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfPicklist(o, "Salutation", "Salutation") })...),
		contactMapping(koppelOwned(hsSelect("leadsource", "Lead Source")), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfPicklist(o, "LeadSource", "Lead Source") })...),
		contactMapping(koppelOwned(hsSelect("salesforceleadstatus", "Status")), KindOrdinary, prefer,
			salesforceStatus()),
		contactMapping(koppelOwned(hsSelect("rating", "Rating")), KindOrdinary, prefer,
			sfPicklist(ObjectLead, "Rating", "Rating")),
		contactMapping(hsText("industry", "Industry"), KindOrdinary, prefer,
			sfPicklist(ObjectLead, "Industry", "Industry")),
		contactMapping(hsText("annualrevenue", "Annual Revenue"), KindOrdinary, prefer,
			sfCurrency(ObjectLead, "AnnualRevenue", "Annual Revenue")),
		contactMapping(koppelOwned(hsNumber("salesforcenumberofemployees", "Employees")), KindOrdinary, prefer,
			sfInt(ObjectLead, "NumberOfEmployees", "Employees")),
		contactMapping(hsText("website", "Website URL"), KindOrdinary, prefer,
			sfText(ObjectLead, "Website", "Website", "url", 255)),
		contactMapping(hsText("company", "Company Name"), KindCompanyName, prefer,
			sfRequired(sfText(ObjectLead, "Company", "Company", "string", 255))),
		contactMapping(koppelOwned(hsTextarea("description", "Contact Description")), KindOrdinary, prefer,
			both(func(o string) SalesforceField { return sfText(o, "Description", "Description", "textarea", 32000) })...),
		contactMapping(hsText("address", "Street Address"), KindOrdinary, prefer,
			sfText(ObjectLead, "Street", "Street", "textarea", 255),
			sfText(ObjectContact, "MailingStreet", "Mailing Street", "textarea", 255)),
		contactMapping(hsText("city", "City"), KindOrdinary, prefer,
			sfText(ObjectLead, "City", "City", "string", 40),
			sfText(ObjectContact, "MailingCity", "Mailing City", "string", 40)),
		contactMapping(hsText("state", "State/Region"), KindOrdinary, prefer,
			sfText(ObjectLead, "State", "State/Province", "string", 80),
			sfText(ObjectContact, "MailingState", "Mailing State/Province", "string", 80)),
		contactMapping(hsText("zip", "Postal Code"), KindOrdinary, prefer,
			sfText(ObjectLead, "PostalCode", "Zip/Postal Code", "string", 20),
			sfText(ObjectContact, "MailingPostalCode", "Mailing Zip/Postal Code", "string", 20)),
		contactMapping(hsText("country", "Country/Region"), KindOrdinary, prefer,
			sfText(ObjectLead, "Country", "Country", "string", 80),
			sfText(ObjectContact, "MailingCountry", "Mailing Country", "string", 80)),
		contactMapping(hsOwner(), KindOwner, prefer,
			sfOwner(ObjectLead, "Group", "User"), sfOwner(ObjectContact, "User")),
		contactMapping(koppelOwned(hsText("salesforceaccountid", "Salesforce Account ID")), KindAccountID, AlwaysSalesforce,
			SalesforceField{Object: ObjectContact, Name: "AccountId", Label: "Account ID", Type: "reference", Length: 18,
				ReferenceTo: []string{"Account"}, Createable: true, Updateable: true, Nillable: true}),
		contactMapping(HubSpotProperty{Name: "hs_email_optout", Label: "Unsubscribed from all email", Type: "bool",
			FieldType: "booleancheckbox", ReadOnly: true, HubSpotDefined: true}, KindOptOut, TwoWay,
			both(func(o string) SalesforceField {
				return SalesforceField{Object: o, Name: "HasOptedOutOfEmail", Label: "Email Opt Out", Type: "boolean",
					Createable: true, Updateable: true, DefaultedOnCreate: true}
			})...),
	}
}

// salesforceStatus is Lead.Status, a required restricted picklist that
// Salesforce fills with its default value on create.
func salesforceStatus() SalesforceField {
	f := sfRequired(sfPicklist(ObjectLead, "Status", "Status"))
	f.RestrictedPicklist = true
	f.DefaultedOnCreate = true
	return f
}

func companyMapping(hs HubSpotProperty, kind MappingKind, f SalesforceField) Mapping {
	return Mapping{ID: "company." + hs.Name, HubSpot: hs, Salesforce: []SalesforceField{f},
		Rule: PreferSalesforceUnlessBlank, Default: true, Kind: kind}
}

// DefaultCompanyMappings returns the default mappings between HubSpot
// companies and Salesforce Accounts, all "prefer Salesforce unless
// blank". The company's domain is not mapped: HubSpot matches companies
// to Accounts by associated contacts and the Salesforce Account ID, not
// by domain. The Account's address is its billing address.
//
// Industry maps to salesforceindustry, a dropdown koppel creates with the
// Salesforce picklist's values. HubSpot's own company industry holds
// HubSpot's values (such as COMPUTER_SOFTWARE), which HubSpot's company
// enrichment fills and which Salesforce's Industry picklist lacks.
func DefaultCompanyMappings() []Mapping {
	a := ObjectAccount
	owner := hsOwner()
	owner.Label = "Company owner"
	return []Mapping{
		companyMapping(hsText("name", "Company name"), KindOrdinary, sfRequired(sfText(a, "Name", "Account Name", "string", 255))),
		companyMapping(hsText("website", "Website URL"), KindOrdinary, sfText(a, "Website", "Website", "url", 255)),
		companyMapping(koppelOwned(hsSelect("salesforceindustry", "Industry")), KindOrdinary, sfPicklist(a, "Industry", "Industry")),
		companyMapping(hsPhone("phone", "Phone Number"), KindOrdinary, sfText(a, "Phone", "Account Phone", "phone", 40)),
		companyMapping(hsText("address", "Street Address"), KindOrdinary, sfText(a, "BillingStreet", "Billing Street", "textarea", 255)),
		companyMapping(hsText("city", "City"), KindOrdinary, sfText(a, "BillingCity", "Billing City", "string", 40)),
		companyMapping(hsText("state", "State/Region"), KindOrdinary, sfText(a, "BillingState", "Billing State/Province", "string", 80)),
		companyMapping(hsText("zip", "Postal Code"), KindOrdinary, sfText(a, "BillingPostalCode", "Billing Zip/Postal Code", "string", 20)),
		companyMapping(hsText("country", "Country/Region"), KindOrdinary, sfText(a, "BillingCountry", "Billing Country", "string", 80)),
		companyMapping(hsNumber("annualrevenue", "Annual Revenue"), KindOrdinary, sfCurrency(a, "AnnualRevenue", "Annual Revenue")),
		companyMapping(hsNumber("numberofemployees", "Number of Employees"), KindOrdinary, sfInt(a, "NumberOfEmployees", "Employees")),
		companyMapping(hsTextarea("description", "Description"), KindOrdinary, sfText(a, "Description", "Account Description", "textarea", 32000)),
		companyMapping(owner, KindOwner, sfOwner(a, "User")),
	}
}
