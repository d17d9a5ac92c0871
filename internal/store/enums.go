package store

import "fmt"

// Side is one of the two systems koppel keeps in step.
type Side string

// Sides.
const (
	HubSpot    Side = "hubspot"
	Salesforce Side = "salesforce"
)

// Validate returns an ErrInvalid error unless s is HubSpot or Salesforce.
func (s Side) Validate() error {
	switch s {
	case HubSpot, Salesforce:
		return nil
	}
	return fmt.Errorf("%w: side %q: use %q or %q", ErrInvalid, string(s), HubSpot, Salesforce)
}

// SalesforceObject is a Salesforce object type that koppel links.
type SalesforceObject string

// Salesforce objects.
const (
	Lead    SalesforceObject = "Lead"
	Contact SalesforceObject = "Contact"
	Account SalesforceObject = "Account"
)

// Validate returns an ErrInvalid error unless o is Lead, Contact or Account.
func (o SalesforceObject) Validate() error {
	switch o {
	case Lead, Contact, Account:
		return nil
	}
	return fmt.Errorf("%w: Salesforce object %q: use %q, %q or %q", ErrInvalid, string(o), Lead, Contact, Account)
}

// LinkKind is the pair of object types a link joins.
type LinkKind string

// Link kinds.
const (
	// LinkContact joins a HubSpot contact to a Salesforce Lead or Contact.
	LinkContact LinkKind = "contact"

	// LinkCompany joins a HubSpot company to a Salesforce Account.
	LinkCompany LinkKind = "company"
)

// Validate returns an ErrInvalid error unless k is a known kind.
func (k LinkKind) Validate() error {
	switch k {
	case LinkContact, LinkCompany:
		return nil
	}
	return fmt.Errorf("%w: link kind %q: use %q or %q", ErrInvalid, string(k), LinkContact, LinkCompany)
}

// accepts reports whether a link of kind k may point at Salesforce object o.
func (k LinkKind) accepts(o SalesforceObject) bool {
	if k == LinkCompany {
		return o == Account
	}
	return o == Lead || o == Contact
}

// ValidateObject returns an ErrInvalid error unless a link of kind k may
// point at a Salesforce record of type o.
func (k LinkKind) ValidateObject(o SalesforceObject) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if !k.accepts(o) {
		return fmt.Errorf("%w: a %s link cannot point at a Salesforce %s", ErrInvalid, k, o)
	}
	return nil
}

// LinkStatus is the state of a link.
type LinkStatus string

// Link statuses.
const (
	LinkActive LinkStatus = "active"

	// LinkTombstoned marks a link whose record was deleted on one side.
	// The link stays so its history and audit remain readable.
	LinkTombstoned LinkStatus = "tombstoned"
)

// Validate returns an ErrInvalid error unless s is a known status.
func (s LinkStatus) Validate() error {
	switch s {
	case LinkActive, LinkTombstoned:
		return nil
	}
	return fmt.Errorf("%w: link status %q: use %q or %q", ErrInvalid, string(s), LinkActive, LinkTombstoned)
}

// LinkEventKind names an entry in a link's history.
type LinkEventKind string

// Link events.
const (
	LinkCreated   LinkEventKind = "created"
	LinkConverted LinkEventKind = "converted" // a Lead was converted to a Contact
	LinkMerged    LinkEventKind = "merged"    // the linked record lost a merge
	LinkRelinked  LinkEventKind = "relinked"  // the link moved to another record for another reason
	LinkDeleted   LinkEventKind = "deleted"   // a linked record was deleted; the link is tombstoned
	LinkRestored  LinkEventKind = "restored"  // a tombstoned link became active again
)

// Validate returns an ErrInvalid error unless e is a known event.
func (e LinkEventKind) Validate() error {
	switch e {
	case LinkCreated, LinkConverted, LinkMerged, LinkRelinked, LinkDeleted, LinkRestored:
		return nil
	}
	return fmt.Errorf("%w: link event %q: use created, converted, merged, relinked, deleted or restored", ErrInvalid, string(e))
}

// MappingObjects is the set of Salesforce objects a field mapping applies to.
type MappingObjects string

// Mapping objects.
const (
	MapLead    MappingObjects = "Lead"
	MapContact MappingObjects = "Contact"
	MapBoth    MappingObjects = "both" // Lead and Contact
	MapAccount MappingObjects = "Account"
)

// Validate returns an ErrInvalid error unless o is a known value.
func (o MappingObjects) Validate() error {
	switch o {
	case MapLead, MapContact, MapBoth, MapAccount:
		return nil
	}
	return fmt.Errorf("%w: mapping objects %q: use %q, %q, %q or %q", ErrInvalid, string(o), MapLead, MapContact, MapBoth, MapAccount)
}

// IntentState is the state of a creation intent.
type IntentState string

// Intent states.
const (
	IntentPending   IntentState = "pending"
	IntentDone      IntentState = "done"
	IntentAbandoned IntentState = "abandoned"
)

// Validate returns an ErrInvalid error unless s is a known state.
func (s IntentState) Validate() error {
	switch s {
	case IntentPending, IntentDone, IntentAbandoned:
		return nil
	}
	return fmt.Errorf("%w: intent state %q: use %q, %q or %q", ErrInvalid, string(s), IntentPending, IntentDone, IntentAbandoned)
}

// ErrorCategory groups sync errors the way the sync health screen shows them.
type ErrorCategory string

// Error categories.
const (
	ErrorPropertyValue ErrorCategory = "property_value" // invalid format, picklist value, too long, required missing
	ErrorPermissions   ErrorCategory = "permissions"    // missing object or field access, record not visible
	ErrorDuplicates    ErrorCategory = "duplicates"     // email in use, Salesforce duplicate rule
	ErrorCustomCode    ErrorCategory = "custom_code"    // validation rules, flows, Apex triggers
	ErrorAssociations  ErrorCategory = "associations"   // association limit, account not synced yet
	ErrorAPILimit      ErrorCategory = "api_limit"      // rate or daily limit reached
	ErrorTransient     ErrorCategory = "transient"      // timeouts, 5xx, row lock
	ErrorOther         ErrorCategory = "other"
)

// ErrorCategories lists every category in display order.
var ErrorCategories = []ErrorCategory{
	ErrorPropertyValue, ErrorPermissions, ErrorDuplicates, ErrorCustomCode,
	ErrorAssociations, ErrorAPILimit, ErrorTransient, ErrorOther,
}

// Validate returns an ErrInvalid error unless c is a known category.
func (c ErrorCategory) Validate() error {
	for _, known := range ErrorCategories {
		if c == known {
			return nil
		}
	}
	return fmt.Errorf("%w: error category %q: use one of %v", ErrInvalid, string(c), ErrorCategories)
}

// Direction is the side a field value was written to.
type Direction string

// Directions.
const (
	ToHubSpot    Direction = "to_hubspot"
	ToSalesforce Direction = "to_salesforce"
)

// Validate returns an ErrInvalid error unless d is a known direction.
func (d Direction) Validate() error {
	switch d {
	case ToHubSpot, ToSalesforce:
		return nil
	}
	return fmt.Errorf("%w: direction %q: use %q or %q", ErrInvalid, string(d), ToHubSpot, ToSalesforce)
}

// RunKind is the kind of work a run did.
type RunKind string

// Run kinds.
const (
	RunSync   RunKind = "sync"
	RunPlan   RunKind = "plan" // dry run: nothing was written to either side
	RunImport RunKind = "import"
	RunResync RunKind = "resync"
	RunUndo   RunKind = "undo"
)

// Validate returns an ErrInvalid error unless k is a known kind.
func (k RunKind) Validate() error {
	switch k {
	case RunSync, RunPlan, RunImport, RunResync, RunUndo:
		return nil
	}
	return fmt.Errorf("%w: run kind %q: use sync, plan, import, resync or undo", ErrInvalid, string(k))
}

// RunStatus is the state of a run.
type RunStatus string

// Run statuses.
const (
	RunRunning   RunStatus = "running"
	RunSucceeded RunStatus = "succeeded"
	RunPartial   RunStatus = "partial" // finished, but some records failed
	RunFailed    RunStatus = "failed"
	RunCanceled  RunStatus = "canceled"
)

// Validate returns an ErrInvalid error unless s is a known status.
func (s RunStatus) Validate() error {
	switch s {
	case RunRunning, RunSucceeded, RunPartial, RunFailed, RunCanceled:
		return nil
	}
	return fmt.Errorf("%w: run status %q: use running, succeeded, partial, failed or canceled", ErrInvalid, string(s))
}
