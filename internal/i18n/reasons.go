package i18n

// ReasonCodes lists the engine's reason codes that have a sentence for
// people in both languages. The engine writes its own reason in English
// with the values in it; a Dutch screen shows the catalog's sentence for
// the code instead.
var ReasonCodes = []string{
	// Field decisions.
	"in_sync",
	"changed_in_hubspot",
	"changed_in_salesforce",
	"conflict_hubspot_later",
	"conflict_salesforce_later",
	"dont_sync",
	"fill_blank_hubspot",
	"fill_blank_salesforce",
	"first_sync_hubspot_later",
	"first_sync_salesforce_later",
	"hubspot_blank_kept",
	"salesforce_blank_kept",
	"hubspot_cleared",
	"salesforce_cleared",
	"hubspot_wins",
	"salesforce_wins",
	"new_hubspot_record",
	"new_salesforce_record",
	"not_sent_on_create",
	"value_missing",
	"optout_from_hubspot",
	"optout_from_salesforce",
	"optout_sticky",
	"resubscribed_in_hubspot",
	"owner_assignment_rules",

	// Record decisions.
	"fields_changed",
	"matched_by_email",
	"no_match_on_target",
	"no_email",
	"duplicate_email",
	"other_record_chosen",
	"create_setting_off",
	"hubspot_do_nothing",
	"target_deleted",
	"property_value",
	"required_field_missing",
}

func reasonID(code string) ID { return ID("reason." + code) }

// Reason returns the engine's reason for a decision in p's language.
// English keeps the engine's text, which names the values. Dutch shows
// the catalog's sentence for code, and the engine's text for a code the
// catalog lacks.
func (p *Printer) Reason(code, text string) string {
	if p.lang == English && text != "" || code == "" {
		return text
	}
	s := p.T(reasonID(code))
	if s == "["+string(reasonID(code))+"]" {
		return text
	}
	return s
}
