package i18n

import "strings"

// SyncErrorCategories lists the sync-error categories, in the order the
// sync health screen shows them. The names match store.ErrorCategory.
var SyncErrorCategories = []string{
	"property_value",
	"permissions",
	"duplicates",
	"custom_code",
	"associations",
	"api_limit",
	"transient",
	"other",
}

// SyncErrorCodes lists the vendor and koppel error codes that have a
// readable explanation: Salesforce's errorCode values, HubSpot's
// errors[].code values of a VALIDATION_ERROR, the codes of koppel's value
// conversion, and the reason codes of records the sync leaves out.
var SyncErrorCodes = []string{
	// HubSpot property values.
	"INVALID_OPTION",
	"INVALID_INTEGER",
	"INVALID_DECIMAL",
	"INVALID_DATE",
	"INVALID_EMAIL",
	"READ_ONLY_VALUE",
	"PROPERTY_DOESNT_EXIST",
	"CONFLICT",
	"MISSING_SCOPES",
	"RATE_LIMITS",

	// Salesforce.
	"STRING_TOO_LONG",
	"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
	"REQUIRED_FIELD_MISSING",
	"INVALID_EMAIL_ADDRESS",
	"FIELD_CUSTOM_VALIDATION_EXCEPTION",
	"DUPLICATES_DETECTED",
	"DUPLICATE_VALUE",
	"INSUFFICIENT_ACCESS_OR_READONLY",
	"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
	"INVALID_FIELD_FOR_INSERT_UPDATE",
	"CANNOT_UPDATE_CONVERTED_LEAD",
	"ENTITY_IS_DELETED",
	"REQUEST_LIMIT_EXCEEDED",
	"UNABLE_TO_LOCK_ROW",

	// koppel's value conversion, which rejects a value before it is sent.
	// INVALID_OPTION, INVALID_EMAIL and INVALID_DATE above double as
	// conversion codes.
	"PICKLIST_NOT_ALLOWED",
	"TOO_LONG",
	"FRACTIONAL_INTO_INT",
	"TOO_MANY_DECIMALS",
	"NUMBER_OUT_OF_RANGE",
	"INVALID_NUMBER",
	"INVALID_DATETIME",
	"INVALID_BOOL",
	"INVALID_TEXT",
	"REQUIRED",
	"TYPE_MISMATCH",
	"UNSUPPORTED_TYPE",

	// Records the sync leaves out on purpose. EMAIL_MISSING is the sync
	// error that lists a HubSpot contact without email for someone to fix.
	"no_email",
	"EMAIL_MISSING",
}

// CategoryTitle returns the short name of a sync-error category, such as
// "Property values". An unknown category is returned unchanged.
func (p *Printer) CategoryTitle(category string) string {
	return p.lookup(ID("category."+category+".title"), category)
}

// CategoryHint returns one or two sentences on what causes errors of the
// category and where to fix them.
func (p *Printer) CategoryHint(category string) string {
	return p.lookup(ID("category."+category+".hint"), "")
}

// ErrorCode returns a readable explanation of a Salesforce, HubSpot or
// koppel error code. An unknown code is returned unchanged, so the user can
// still look it up in the vendor's documentation.
func (p *Printer) ErrorCode(code string) string {
	return p.lookup(codeID(code), code)
}

func codeID(code string) ID {
	return ID("code." + strings.ToLower(code))
}

func (p *Printer) lookup(id ID, fallback string) string {
	s := p.T(id)
	if s == "["+string(id)+"]" {
		return fallback
	}
	return s
}
