package store

// Mapping maps one HubSpot property to one Salesforce field with a rule.
type Mapping struct {
	ID           int64
	ConnectionID int64

	HubSpotProperty string
	SalesforceField string
	Objects         MappingObjects

	// Rule is the engine's sync rule name, such as
	// "prefer_salesforce_unless_blank"; the store keeps it as text.
	Rule string

	// IsDefault marks a mapping that comes with koppel rather than one the
	// admin added.
	IsDefault bool

	// Kind is the engine's mapping kind (for example "field", "owner" or
	// "opt_out"); the store keeps it as text.
	Kind string
}
