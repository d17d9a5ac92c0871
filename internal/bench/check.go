package bench

import (
	"context"
	"fmt"
	"strings"

	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/store"
)

// pairField is one field the default mappings sync both ways, by its
// HubSpot property and its Lead and Contact field.
type pairField struct {
	hubspot, lead, contact string
	email                  bool
}

// pairFields are default mappings whose values must be equal on both
// sides of a link once a cycle writes nothing. Picklists, opt-outs and
// the phone numbers the generator fills are left out, because their
// values differ in form between the vendors. Fax is in, because only the
// run's edits fill it.
var pairFields = []pairField{
	{hubspot: "email", lead: "Email", contact: "Email", email: true},
	{hubspot: "firstname", lead: "FirstName", contact: "FirstName"},
	{hubspot: "lastname", lead: "LastName", contact: "LastName"},
	{hubspot: "jobtitle", lead: "Title", contact: "Title"},
	{hubspot: "city", lead: "City", contact: "MailingCity"},
	{hubspot: "fax", lead: "Fax", contact: "Fax"},
}

// maxExamples bounds Mismatches.Examples.
const maxExamples = 10

// listLinks returns every active contact link of the connection.
func listLinks(ctx context.Context, st store.Store, connID int64) ([]store.Link, error) {
	var all []store.Link
	q := store.LinkQuery{ConnectionID: connID, Kind: store.LinkContact, Status: store.LinkActive, Page: store.Page{Limit: store.MaxPageSize}}
	for {
		page, err := st.ListLinks(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("list links: %w", err)
		}
		all = append(all, page...)
		if len(page) < q.Page.Limit {
			return all, nil
		}
		q.Page.After = page[len(page)-1].ID
	}
}

// checker compares both emulators through their Go methods, so checking
// costs no API call.
type checker struct {
	emus    *emulators
	skipped map[string]bool // records the generator made bad on purpose
	m       *Mismatches
}

func newChecker(emus *emulators, ds *generate.Dataset, m *Mismatches) *checker {
	return &checker{emus: emus, skipped: defectiveIDs(ds.Manifest), m: m}
}

func (c *checker) example(format string, args ...any) {
	if len(c.m.Examples) < maxExamples {
		c.m.Examples = append(c.m.Examples, fmt.Sprintf(format, args...))
	}
}

// countUnlinked counts the generated people with an email that have no
// link.
func (c *checker) countUnlinked(ds *generate.Dataset, links []store.Link) {
	linked := make(map[string]bool, 2*len(links))
	for _, l := range links {
		linked[l.HubSpotID] = true
		linked[l.SalesforceID] = true
	}
	for _, l := range ds.Leads {
		if !l.IsConverted && normalizeEmail(l.Email) != "" && !c.skipped[l.Id] && !linked[l.Id] {
			c.m.UnlinkedSalesforce++
			c.example("Salesforce Lead %s (%s) has no link", l.Id, l.Email)
		}
	}
	for _, r := range ds.Contacts {
		if normalizeEmail(r.Email) != "" && !c.skipped[r.Id] && !linked[r.Id] {
			c.m.UnlinkedSalesforce++
			c.example("Salesforce Contact %s (%s) has no link", r.Id, r.Email)
		}
	}
	for _, r := range ds.HubSpotContacts {
		if normalizeEmail(r.Properties["email"]) != "" && !c.skipped[r.ID] && !linked[r.ID] {
			c.m.UnlinkedHubSpot++
			c.example("HubSpot contact %s (%s) has no link", r.ID, r.Properties["email"])
		}
	}
}

// differs returns a description of the first pairField that holds
// different values on the two sides of l, or "" when they agree.
func (c *checker) differs(l store.Link) string {
	hs, ok := c.emus.hubspot.Get("contacts", l.HubSpotID)
	if !ok {
		return fmt.Sprintf("HubSpot contact %s of the link to %s not found", l.HubSpotID, l.SalesforceID)
	}
	sf, err := c.emus.salesforce.Get(l.SalesforceID)
	if err != nil {
		return fmt.Sprintf("Salesforce %s %s of the link to %s not found: %v", l.SalesforceObject, l.SalesforceID, l.HubSpotID, err)
	}
	for _, f := range pairFields {
		name := f.lead
		if l.SalesforceObject == store.SalesforceObject("Contact") {
			name = f.contact
		}
		a, b := strings.TrimSpace(hs.Properties[f.hubspot]), text(sf[name])
		if f.email {
			a, b = normalizeEmail(a), normalizeEmail(b)
		}
		if a != b {
			return fmt.Sprintf("HubSpot contact %s %s=%q, Salesforce %s %s %s=%q", l.HubSpotID, f.hubspot, a, l.SalesforceObject, l.SalesforceID, name, b)
		}
	}
	return ""
}

// countDiffering counts the links whose sides differ, leaving out the
// links of records the generator made bad on purpose.
func (c *checker) countDiffering(links []store.Link) {
	for _, l := range links {
		if c.skipped[l.HubSpotID] || c.skipped[l.SalesforceID] {
			continue
		}
		if d := c.differs(l); d != "" {
			c.m.PairsDiffering++
			c.example("%s", d)
		}
	}
}

// disagreeing returns how many of links differ, without recording them.
func (c *checker) disagreeing(links []store.Link) int {
	n := 0
	for _, l := range links {
		if c.differs(l) != "" {
			n++
		}
	}
	return n
}

// text returns a Salesforce field value as trimmed text, "" for null.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}
