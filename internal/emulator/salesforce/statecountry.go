package salesforce

import "strings"

// country is one entry of the built-in state and country picklists: its
// ISO 3166-1 code, its name, and its states by ISO 3166-2 code. A
// country without states rejects every state value, as Salesforce does
// for countries whose states an admin has not configured.
type country struct {
	code, name string
	states     map[string]string
}

// countries is the emulator's small built-in set. Salesforce's default
// set holds every ISO country, with states for about ten of them.
var countries = []country{
	{code: "US", name: "United States", states: usStates},
	{code: "NL", name: "Netherlands"},
	{code: "BE", name: "Belgium"},
	{code: "DE", name: "Germany"},
	{code: "FR", name: "France"},
	{code: "GB", name: "United Kingdom"},
}

var usStates = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
	"FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
	"IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
	"ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
	"MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
	"NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
	"NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
	"PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
	"TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
	"WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

// addressFields lists the state and country field pairs that state and
// country picklists govern, per object.
var addressFields = map[string][][2]string{
	"Lead":    {{"State", "Country"}},
	"Contact": {{"MailingState", "MailingCountry"}, {"OtherState", "OtherCountry"}},
	"Account": {{"BillingState", "BillingCountry"}, {"ShippingState", "ShippingCountry"}},
}

// findCountry returns the country whose code or name is v, ignoring case.
//
// NOTE: Salesforce's text fields take the integration value, by default
// the name, and only its code fields take the code. The emulator has no
// code fields, so its text fields take both.
func findCountry(v string) *country {
	for i := range countries {
		c := &countries[i]
		if strings.EqualFold(c.code, v) || strings.EqualFold(c.name, v) {
			return c
		}
	}
	return nil
}

// hasState reports whether the code or name of one of c's states is v,
// ignoring case.
func (c *country) hasState(v string) bool {
	for code, name := range c.states {
		if strings.EqualFold(code, v) || strings.EqualFold(name, v) {
			return true
		}
	}
	return false
}

// checkStateCountry returns Salesforce's FIELD_INTEGRITY_EXCEPTION when a
// state or country of values is not in the picklists, or a state has no
// country.
//
// TODO: add the StateCode and CountryCode picklist fields that Salesforce
// keeps in step with the text fields.
func checkStateCountry(o *objectDef, values map[string]any) *apiError {
	for _, pair := range addressFields[o.Name] {
		stateField, countryField := o.field(pair[0]), o.field(pair[1])
		state, _ := values[stateField.Name].(string)
		countryValue, _ := values[countryField.Name].(string)
		var c *country
		if countryValue != "" {
			c = findCountry(countryValue)
			if c == nil {
				return fieldError("FIELD_INTEGRITY_EXCEPTION", countryField.Name,
					"There's a problem with this country, even though it may appear correct. Please select a country/territory from the list of valid countries.: %s", countryField.Label)
			}
		}
		if state == "" {
			continue
		}
		if c == nil {
			return fieldError("FIELD_INTEGRITY_EXCEPTION", stateField.Name,
				"A country/territory must be specified before specifying a state value for field: %s", stateField.Label)
		}
		if !c.hasState(state) {
			return fieldError("FIELD_INTEGRITY_EXCEPTION", stateField.Name,
				"There's a problem with this state, even though it may appear correct. Please select a state from the list of valid states.: %s", stateField.Label)
		}
	}
	return nil
}
