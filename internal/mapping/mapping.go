package mapping

import (
	"fmt"
	"slices"
)

// Salesforce objects a mapping can write.
const (
	ObjectLead    = "Lead"
	ObjectContact = "Contact"
	ObjectAccount = "Account"
)

// MappingKind selects the special behavior of a mapping beyond its rule.
type MappingKind string

const (
	// KindOrdinary follows its rule and nothing else.
	KindOrdinary MappingKind = "ordinary"

	// KindEmail allows only PreferSalesforceUnlessBlank and TwoWay, so an
	// invalid address cannot be forced onto Salesforce.
	KindEmail MappingKind = "email"

	// KindOwner behaves two-way by the most recent change whatever rule
	// it shows. The engine passes both values as the same owner identity,
	// for example the owner's email address.
	KindOwner MappingKind = "owner"

	// KindOptOut is the fixed, sticky email opt-out: an opt-out on either
	// side propagates, and unchecking in Salesforce does not resubscribe
	// in HubSpot. HubSpot's hs_email_optout is read-only, so a decision to
	// write true to HubSpot is carried out by unsubscribing the contact
	// from all email through the communication preferences API.
	KindOptOut MappingKind = "optout"

	// KindAccountID carries the Contact's Account lookup id to HubSpot.
	// Salesforce owns it.
	KindAccountID MappingKind = "accountid"

	// KindCompanyName is the Lead's plain-text Company field. A Contact's
	// company is its Account lookup, which the company sync handles.
	KindCompanyName MappingKind = "company_name"
)

// Mapping pairs one HubSpot property with the field of the same meaning
// on each Salesforce object it applies to. Lead and Contact may use
// different API names, as for HubSpot's city and Lead.City or
// Contact.MailingCity.
type Mapping struct {
	// ID identifies the mapping in settings and the audit log.
	ID string

	HubSpot HubSpotProperty

	// Salesforce holds the mapped field of each object, at most one per
	// object. A record of an object without an entry is skipped silently.
	Salesforce []SalesforceField

	Rule Rule

	// Default is set for the connector's default mappings, which cannot
	// be deleted.
	Default bool

	Kind MappingKind
}

// Field returns the mapped field on object, or false when the mapping
// does not apply to that object.
func (m Mapping) Field(object string) (SalesforceField, bool) {
	for _, f := range m.Salesforce {
		if f.Object == object {
			return f, true
		}
	}
	return SalesforceField{}, false
}

// Objects returns the Salesforce objects the mapping writes.
func (m Mapping) Objects() []string {
	objects := make([]string, 0, len(m.Salesforce))
	for _, f := range m.Salesforce {
		objects = append(objects, f.Object)
	}
	return objects
}

// salesforceNames returns "Lead.City, Contact.MailingCity" for messages.
func (m Mapping) salesforceNames() string {
	s := ""
	for i, f := range m.Salesforce {
		if i > 0 {
			s += ", "
		}
		s += f.Object + "." + f.Name
	}
	return s
}

// AllowedRules returns the rules an admin can choose for m. Fixed
// mappings allow one rule. A read-only side removes the rules that would
// write it.
func AllowedRules(m Mapping) []Rule {
	switch m.Kind {
	case KindOptOut:
		return []Rule{TwoWay}
	case KindAccountID:
		return []Rule{AlwaysSalesforce}
	case KindEmail:
		return []Rule{PreferSalesforceUnlessBlank, TwoWay}
	case KindOwner:
		// The connector shows "prefer Salesforce unless blank" for the
		// owner, but both rules behave two-way.
		return []Rule{PreferSalesforceUnlessBlank, TwoWay}
	}

	hubspotWritable := !m.HubSpot.ReadOnly
	salesforceWritable := len(m.Salesforce) == 0 || slices.ContainsFunc(m.Salesforce, SalesforceField.Writable)

	var rules []Rule
	for _, r := range Rules {
		if r.writesHubSpot() && !hubspotWritable && r != DontSync {
			continue
		}
		if r.writesSalesforce() && !salesforceWritable && r != DontSync {
			continue
		}
		rules = append(rules, r)
	}
	return rules
}

// Validate checks that m has both sides, compatible types on every
// object, and a rule that [AllowedRules] allows.
func (m Mapping) Validate() error {
	if m.HubSpot.Name == "" || len(m.Salesforce) == 0 {
		return &MappingError{
			Code:            CodeInvalidMapping,
			HubSpotProperty: m.HubSpot.Name,
			SalesforceField: m.salesforceNames(),
			Detail:          "a mapping needs a HubSpot property and at least one Salesforce field",
		}
	}

	seen := map[string]bool{}
	for _, f := range m.Salesforce {
		if seen[f.Object] {
			return &MappingError{
				Code:            CodeInvalidMapping,
				HubSpotProperty: m.HubSpot.Name,
				SalesforceField: m.salesforceNames(),
				Detail:          fmt.Sprintf("object %s is mapped twice, so map one field per object", f.Object),
			}
		}
		seen[f.Object] = true

		// Default mappings pair types that HubSpot's connector pairs
		// although its table of allowed types does not list them.
		if m.Default {
			continue
		}
		if err := CheckCompatible(m.HubSpot, f); err != nil {
			return err
		}
	}

	if !slices.Contains(AllowedRules(m), m.Rule) {
		return &MappingError{
			Code:            CodeRuleNotAllowed,
			HubSpotProperty: m.HubSpot.Name,
			SalesforceField: m.salesforceNames(),
			Detail:          fmt.Sprintf("rule %q is not allowed here, use one of %s", m.Rule, joinRules(AllowedRules(m))),
		}
	}
	return nil
}
