package mapping

// renamedDefaults maps the former ID of a default mapping to its current
// one. These defaults once named a HubSpot property that cannot hold the
// Salesforce values (HubSpot's own lead status options, the employee
// ranges of numemployees, HubSpot's industry values) and now name a
// property koppel creates. Settings files and stored mappings written
// before the change keep working through this table.
var renamedDefaults = map[string]string{
	"contact.hs_lead_status": "contact.salesforceleadstatus",
	"contact.numemployees":   "contact.salesforcenumberofemployees",
	"company.industry":       "company.salesforceindustry",
}

// CurrentDefaultID returns the current ID of a renamed default mapping,
// and id itself for any other ID.
func CurrentDefaultID(id string) string {
	if current, ok := renamedDefaults[id]; ok {
		return current
	}
	return id
}
