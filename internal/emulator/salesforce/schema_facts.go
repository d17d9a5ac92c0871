package salesforce

// The embedded describe files are trimmed, without lengths,
// createable/updateable flags, precision or SOAP types. This file fills
// them in from Salesforce's documented standard field definitions (Object
// Reference for the Salesforce Platform). For Account the values match a
// full describe of API version 42.0.

// readOnlyFields are neither createable nor updateable on any object.
var readOnlyFields = map[string]bool{
	"Id": true, "IsDeleted": true, "MasterRecordId": true,
	"CreatedDate": true, "CreatedById": true, "LastModifiedDate": true,
	"LastModifiedById": true, "SystemModstamp": true, "LastActivityDate": true,
	"LastViewedDate": true, "LastReferencedDate": true, "PhotoUrl": true,
	"JigsawContactId": true, "JigsawCompanyId": true,
	"LastCURequestDate": true, "LastCUUpdateDate": true,
	"ConvertedDate": true, "ConvertedAccountId": true, "ConvertedContactId": true,
	"ConvertedOpportunityId": true,
	"LastLoginDate":          true, "LastPasswordChangeDate": true, "UserType": true,
	"FullPhotoUrl": true, "SmallPhotoUrl": true, "MediumPhotoUrl": true,
	"BannerPhotoUrl": true, "SmallBannerPhotoUrl": true, "MediumBannerPhotoUrl": true,
	"OfflineTrialExpirationDate": true, "OfflinePdaTrialExpirationDate": true,
	"IsProfilePhotoActive": true, "IsExtIndicatorVisible": true,
	"NumberOfFailedLogins": true,
}

// createOnlyFields may be set on create but not changed later.
var createOnlyFields = map[string]map[string]bool{
	"Lead":           {"IsConverted": true},
	"CampaignMember": {"CampaignId": true, "LeadId": true, "ContactId": true},
}

// systemDefaulted fields get a value from Salesforce when a create leaves
// them out.
var systemDefaulted = map[string]bool{
	"Id": true, "CreatedDate": true, "CreatedById": true, "LastModifiedDate": true,
	"LastModifiedById": true, "SystemModstamp": true, "OwnerId": true,
	// User fields that default from the org's settings.
	"TimeZoneSidKey": true, "LocaleSidKey": true, "EmailEncodingKey": true,
	"LanguageLocaleKey": true, "ProfileId": true, "CommunityNickname": true, "Alias": true,
}

// fieldLengths are the documented lengths of text fields by name, where
// they differ from the default of their type.
var fieldLengths = map[string]int{
	"FirstName": 40, "LastName": 80, "Name": 121, "Salutation": 40, "Title": 128,
	"Company": 255, "City": 40, "State": 80, "PostalCode": 20, "Country": 80,
	"MailingCity": 40, "MailingState": 80, "MailingPostalCode": 20, "MailingCountry": 80,
	"OtherCity": 40, "OtherState": 80, "OtherPostalCode": 20, "OtherCountry": 80,
	"BillingCity": 40, "BillingState": 80, "BillingPostalCode": 20, "BillingCountry": 80,
	"ShippingCity": 40, "ShippingState": 80, "ShippingPostalCode": 20, "ShippingCountry": 80,
	"Department": 80, "AssistantName": 40, "Jigsaw": 20, "JigsawContactId": 20,
	"JigsawCompanyId": 20, "CompanyDunsNumber": 9, "DunsNumber": 9, "EmailBouncedReason": 255,
	"AccountNumber": 40, "Sic": 20, "TickerSymbol": 20, "Site": 80, "Tradestyle": 255,
	"NaicsCode": 8, "NaicsDesc": 120, "YearStarted": 4, "SicDesc": 80,
	"Description": 32000, "Username": 80, "Alias": 8, "CommunityNickname": 40,
	"CompanyName": 80, "Division": 80, "EmployeeNumber": 20, "FederationIdentifier": 512,
	"BadgeText": 80, "SenderName": 80, "StayInTouchSubject": 80, "StayInTouchNote": 512,
	"StayInTouchSignature": 512, "Signature": 1333, "AboutMe": 1000, "OutOfOfficeMessage": 40,
	"Extension": 40,
}

// restrictedPicklists are the standard picklists that reject values not
// in their list.
var restrictedPicklists = map[string]bool{
	"GeocodeAccuracy": true, "BillingGeocodeAccuracy": true, "ShippingGeocodeAccuracy": true,
	"MailingGeocodeAccuracy": true, "OtherGeocodeAccuracy": true, "CleanStatus": true,
	"TimeZoneSidKey": true, "LocaleSidKey": true, "EmailEncodingKey": true,
	"LanguageLocaleKey": true, "UserType": true, "DigestFrequency": true,
	"DefaultGroupNotificationFrequency": true,
}

// objectRestrictedPicklists are restricted on one object only.
var objectRestrictedPicklists = map[string]map[string]bool{
	"Lead": {"Status": true},
}

// missingStandardFields are documented standard fields that the trimmed
// describe files leave out but a sync needs.
var missingStandardFields = map[string][]func() *fieldDef{
	"Lead": {
		boolField("HasOptedOutOfEmail", "Email Opt Out"),
		boolField("HasOptedOutOfFax", "Fax Opt Out"),
		boolField("DoNotCall", "Do Not Call"),
	},
	"Contact": {
		boolField("HasOptedOutOfEmail", "Email Opt Out"),
		boolField("HasOptedOutOfFax", "Fax Opt Out"),
		boolField("DoNotCall", "Do Not Call"),
	},
}

func boolField(name, label string) func() *fieldDef {
	return func() *fieldDef {
		return &fieldDef{Name: name, Label: label, Type: "boolean", DefaultValue: false,
			Filterable: true, Groupable: true, Sortable: true}
	}
}

var soapTypes = map[string]string{
	"id": "tns:ID", "reference": "tns:ID", "boolean": "xsd:boolean", "int": "xsd:int",
	"double": "xsd:double", "currency": "xsd:double", "percent": "xsd:double",
	"date": "xsd:date", "datetime": "xsd:dateTime", "time": "xsd:time",
	"address": "urn:address", "location": "urn:location", "base64": "xsd:base64Binary",
}

// completeField fills in the attributes the trimmed describe lacks.
func completeField(object string, f *fieldDef) {
	if f.SoapType == "" {
		f.SoapType = soapTypes[f.Type]
		if f.SoapType == "" {
			f.SoapType = "xsd:string"
		}
	}

	if !f.Custom {
		switch {
		case readOnlyFields[f.Name] || f.Type == "address" || f.Type == "location" || f.Type == "id":
			f.Createable, f.Updateable = false, false
		case f.Calculated || (object == "CampaignMember" && campaignMemberReadOnly[f.Name]):
			f.Createable, f.Updateable = false, false
		case (object == "Lead" || object == "Contact" || object == "User") && f.Name == "Name":
			// The full name is computed from its parts.
			f.Createable, f.Updateable = false, false
		case createOnlyFields[object][f.Name]:
			f.Createable, f.Updateable = true, false
		default:
			f.Createable, f.Updateable = true, true
		}
		if readOnlyFields[f.Name] && f.Type == "datetime" && !f.Nillable {
			f.DefaultedOnCreate = true
		}
		if systemDefaulted[f.Name] || f.Type == "boolean" || f.Type == "id" {
			f.DefaultedOnCreate = true
		}
		for _, p := range f.Picklist {
			if p.DefaultValue {
				f.DefaultedOnCreate = true
			}
		}
		if f.Name == "Name" {
			f.NameField = true
		}
		f.RestrictedPicklist = f.RestrictedPicklist || restrictedPicklists[f.Name] || objectRestrictedPicklists[object][f.Name]
	}
	if f.Type == "id" {
		f.IDLookup = true
	}
	if f.Name == "Email" && object != "CampaignMember" {
		f.IDLookup = true
	}

	switch f.Type {
	case "id", "reference":
		f.Length = 18
	case "string", "encryptedstring":
		if f.Length == 0 {
			f.Length = 255
		}
	case "email":
		f.Length = 80
	case "phone":
		f.Length = 40
	case "url":
		f.Length = 255
	case "textarea":
		if f.Length == 0 {
			f.Length = 255
		}
	case "picklist", "combobox":
		if f.Length == 0 {
			f.Length = 40
			if f.Custom {
				f.Length = 255
			}
		}
	case "multipicklist":
		f.Length = 4099
	case "double":
		f.Precision, f.Scale = 18, 0
		if len(f.Name) > 8 && (f.Name[len(f.Name)-8:] == "Latitude" || f.Name[len(f.Name)-9:] == "Longitude") {
			f.Precision, f.Scale = 18, 15
		}
	case "currency":
		f.Precision, f.Scale = 18, 2
		if f.Name == "AnnualRevenue" {
			f.Scale = 0
		}
	case "percent":
		f.Precision, f.Scale = 18, 2
	case "int":
		f.Digits = 9
		if f.Name == "NumberOfEmployees" {
			f.Digits = 8
		}
	}
	if n, ok := fieldLengths[f.Name]; ok && !f.Custom && (f.isText() || f.Type == "textarea") && f.Type != "email" && f.Type != "phone" && f.Type != "picklist" {
		f.Length = n
	}
	if f.Name == "Name" && object == "Account" {
		f.Length = 255
	}
	if f.Name == "Name" && object == "Campaign" {
		f.Length = 80
	}
	if (f.Type == "textarea") && (f.Name == "Street" || f.Name[max(0, len(f.Name)-6):] == "Street") {
		f.Length = 255
	}

	if f.Type == "address" || f.Type == "location" {
		f.Nillable = true
	}
	if f.Type != "address" {
		for _, prefix := range []string{"Billing", "Shipping", "Mailing", "Other", ""} {
			for _, part := range []string{"Street", "City", "State", "PostalCode", "Country", "Latitude", "Longitude", "GeocodeAccuracy"} {
				if f.Name == prefix+part && (prefix != "" || object == "Lead" || object == "User") {
					f.CompoundFieldName = prefix + "Address"
				}
			}
		}
	}
	if f.Type == "string" && (f.Name == "FirstName" || f.Name == "LastName" || f.Name == "Salutation") && object != "CampaignMember" {
		f.CompoundFieldName = "Name"
	}
}
