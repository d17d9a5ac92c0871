package mapping

import (
	"fmt"
	"strings"
)

// Rule is the sync rule of a mapping: which side's value wins.
type Rule string

const (
	// PreferSalesforceUnlessBlank copies a non-blank Salesforce value to
	// HubSpot, copies a Salesforce clear to HubSpot, and writes the
	// HubSpot value to Salesforce only while the Salesforce field is
	// blank. It is the default rule of every mapping.
	PreferSalesforceUnlessBlank Rule = "prefer_salesforce_unless_blank"

	// AlwaysSalesforce copies Salesforce values and clears to HubSpot and
	// never writes Salesforce, not even a blank field or on record
	// creation.
	AlwaysSalesforce Rule = "always_salesforce"

	// TwoWay copies the side that changed since the last sync to the
	// other, clears included. When both changed, the later change wins
	// and the decision is a conflict.
	TwoWay Rule = "two_way"

	// DontSync writes nothing in either direction.
	DontSync Rule = "dont_sync"

	// PreferHubSpotUnlessBlank mirrors PreferSalesforceUnlessBlank with
	// HubSpot as the preferred side. HubSpot's own connector lacks it.
	PreferHubSpotUnlessBlank Rule = "prefer_hubspot_unless_blank"

	// AlwaysHubSpot mirrors AlwaysSalesforce with HubSpot as the only
	// source. HubSpot's own connector lacks it.
	AlwaysHubSpot Rule = "always_hubspot"
)

// Rules lists every rule in the order a settings screen shows them.
var Rules = []Rule{
	PreferSalesforceUnlessBlank,
	AlwaysSalesforce,
	TwoWay,
	DontSync,
	PreferHubSpotUnlessBlank,
	AlwaysHubSpot,
}

// ParseRule returns the rule named s. The error names s and lists the
// valid rules.
func ParseRule(s string) (Rule, error) {
	for _, r := range Rules {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("parse rule %q: unknown rule, use one of %s", s, joinRules(Rules))
}

// Valid reports whether r is one of the six rules.
func (r Rule) Valid() bool {
	for _, known := range Rules {
		if r == known {
			return true
		}
	}
	return false
}

// writesHubSpot reports whether r can ever write a value to HubSpot.
func (r Rule) writesHubSpot() bool {
	return r != DontSync && r != AlwaysHubSpot
}

// writesSalesforce reports whether r can ever write a value to Salesforce.
func (r Rule) writesSalesforce() bool {
	return r != DontSync && r != AlwaysSalesforce
}

func joinRules(rules []Rule) string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}
