package engine

import (
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// Action is what a plan item does with one person.
type Action string

// Actions.
const (
	// ActionUpdate writes changed fields of a linked pair.
	ActionUpdate Action = "update"

	// ActionLink links two existing records found by email, then writes
	// fields as their rules say.
	ActionLink Action = "link"

	// ActionCreate creates the record on the target side and links it.
	ActionCreate Action = "create"

	// ActionSkip writes nothing; the reason says why.
	ActionSkip Action = "skip"

	// ActionPark writes nothing and parks the record as a sync error,
	// because a value cannot be written to the target.
	ActionPark Action = "park"
)

// Reason codes of plan items, stable for scripts reading `koppel plan --json`.
const (
	ReasonInSync           = "in_sync"
	ReasonFieldsChanged    = "fields_changed"
	ReasonMatchedByEmail   = "matched_by_email"
	ReasonNoMatch          = "no_match_on_target"
	ReasonNoEmail          = "no_email"
	ReasonDuplicateEmail   = "duplicate_email"
	ReasonNotChosen        = "other_record_chosen"
	ReasonCreateOff        = "create_setting_off"
	ReasonHubSpotDoNothing = "hubspot_do_nothing"
	ReasonTargetDeleted    = "target_deleted"
	ReasonPropertyValue    = "property_value"
	ReasonRequiredMissing  = "required_field_missing"
	ReasonLinkConflict     = "link_conflict"
)

// Plan lists what one page of changes leads to: one item per person, with
// every field write and the reason for it. Plan items are independent, so
// one that fails never holds back another.
type Plan struct {
	Items []Item `json:"items"`
}

// Item is the plan for one HubSpot contact and the Salesforce record it
// syncs with.
type Item struct {
	Action Action `json:"action"`

	// ReasonCode is a stable code; Reason explains it to people.
	ReasonCode string `json:"reason_code"`
	Reason     string `json:"reason"`

	// Email is the normalized address of the pair. It identifies people,
	// so logs at INFO leave it out.
	Email string `json:"email,omitempty"`

	// LinkID is the stored link, or 0 for a link this item makes.
	LinkID int64 `json:"link_id,omitempty"`

	// HubSpot and Salesforce name both records; the ID of the side that
	// ActionCreate creates is empty.
	HubSpot    Ref `json:"hubspot"`
	Salesforce Ref `json:"salesforce"`

	// Choice describes how the Salesforce record was chosen among several
	// with the same email, for the audit log.
	Choice string `json:"choice,omitempty"`

	// Fields lists each mapped field that is written or whose base value
	// changes.
	Fields []FieldPlan `json:"fields,omitempty"`

	// ToHubSpot and ToSalesforce are the wire values to write: HubSpot
	// property strings, Salesforce JSON values. They include values that
	// no mapping owns, such as the Salesforce id mirrored into HubSpot.
	ToHubSpot    map[string]string `json:"to_hubspot,omitempty"`
	ToSalesforce map[string]any    `json:"to_salesforce,omitempty"`

	// Relink moves the stored link before the writes, as when the linked
	// Lead was converted to a Contact.
	Relink *store.Relink `json:"relink,omitempty"`

	// Unsubscribe opts the HubSpot contact out of all email through
	// HubSpot's subscription preferences, since hs_email_optout is read-only.
	Unsubscribe *FieldPlan `json:"unsubscribe,omitempty"`

	// PrimaryCompany makes this HubSpot company the contact's primary
	// company through the associations API; PrimaryCompanyField is its
	// decision for the audit.
	PrimaryCompany      string     `json:"primary_company,omitempty"`
	PrimaryCompanyField *FieldPlan `json:"primary_company_field,omitempty"`

	// Failure is why an ActionPark item cannot be written.
	Failure *Failure `json:"failure,omitempty"`

	// Origin is the side whose change led to this item.
	Origin Side `json:"origin"`
}

// Writes reports whether the item calls either side.
func (it *Item) Writes() bool {
	return it.Action == ActionCreate || len(it.ToHubSpot) > 0 || len(it.ToSalesforce) > 0 || it.Unsubscribe != nil || it.PrimaryCompany != ""
}

// Target returns the side an ActionCreate item creates on.
func (it *Item) Target() Side {
	if it.HubSpot.ID == "" {
		return HubSpot
	}
	return Salesforce
}

// FieldPlan is the decision on one mapped field.
type FieldPlan struct {
	// Field is the HubSpot property name, which keys the base value.
	Field           string       `json:"field"`
	SalesforceField string       `json:"salesforce_field"`
	Rule            mapping.Rule `json:"rule"`

	// Direction is empty when nothing is written and only the base value
	// changes, as when both sides already agree.
	Direction store.Direction `json:"direction,omitempty"`

	HubSpot    mapping.Value `json:"hubspot"`
	Salesforce mapping.Value `json:"salesforce"`
	Base       mapping.Value `json:"base"`
	HasBase    bool          `json:"has_base"`

	// New is the value written, and the next base value.
	New mapping.Value `json:"new"`

	// Old is the value the write replaces on the target.
	Old mapping.Value `json:"old"`

	ReasonCode string `json:"reason_code"`
	Reason     string `json:"reason,omitempty"`
	Conflict   bool   `json:"conflict,omitempty"`

	// Unchanged marks a field listed only for explain: nothing is written
	// and the base value stays.
	Unchanged bool `json:"unchanged,omitempty"`

	// Placeholder marks a required Lead field filled with the configured
	// placeholder because HubSpot had no value.
	Placeholder bool `json:"placeholder,omitempty"`
}

// Counts returns the number of items per action.
func (p *Plan) Counts() map[string]int64 {
	c := map[string]int64{}
	for i := range p.Items {
		c[string(p.Items[i].Action)]++
	}
	return c
}
