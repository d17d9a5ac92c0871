// Package settings holds the sync settings of one connection: what each side
// does when the other creates, updates or deletes a record, the inclusion
// list, company sync, placeholders for required Salesforce fields, the time
// zone for date conversion, API budgets and the polling interval.
//
// The defaults reproduce what HubSpot's Salesforce connector does out of the
// box. Settings travel as YAML (koppel settings show|apply) and as JSON in the
// store; Validate reports every problem at once, each with its field path.
package settings
