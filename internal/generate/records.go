package generate

import (
	"fmt"
	"strings"
	"time"
)

// makeRecords turns each person into a Salesforce Contact or Lead, a
// HubSpot contact, or both, and applies the person's defect.
func (g *generator) makeRecords() {
	// Pointers into the record slices are taken after all appends, so
	// collect indexes first.
	type sfRef struct {
		p       *person
		contact int
		lead    int
	}
	var refs []sfRef

	for _, p := range g.people {
		if p.presence == inHubSpotOnly {
			continue
		}
		created := g.rnd.timeBetween(g.start, g.opts.Now)
		modified := g.rnd.timeBetween(created, g.opts.Now)
		email := p.email
		switch p.defect {
		case EmailCaseDiffers:
			email = mixedCase(email)
		case MissingEmail:
			email = ""
		}
		optedOut := p.defect == OptedOutSalesforceOnly || (p.defect == "" && g.rnd.chance(3))
		salutation := g.salutation(p)

		if p.isContact {
			g.ds.Contacts = append(g.ds.Contacts, Contact{
				Id: g.sfIDs.id(prefixContact), AccountId: p.account.Id,
				Salutation: salutation, FirstName: p.first, LastName: p.last, Email: email,
				Title: p.title, Phone: p.phone, MobilePhone: p.mobile,
				MailingStreet: p.street, MailingCity: p.city.Name, MailingPostalCode: p.postcode,
				MailingState: p.state, MailingCountry: p.country.Name,
				LeadSource: g.rnd.weighted(leadSources), HasOptedOutOfEmail: optedOut,
				OwnerId: p.ownerUID, CreatedDate: created, LastModifiedDate: modified,
			})
			refs = append(refs, sfRef{p: p, contact: len(g.ds.Contacts) - 1, lead: -1})
			continue
		}

		g.ds.Leads = append(g.ds.Leads, Lead{
			Id: g.sfIDs.id(prefixLead), Salutation: salutation, FirstName: p.first, LastName: p.last,
			Email: email, Title: p.title, Company: p.company, Phone: p.phone, MobilePhone: p.mobile,
			Street: p.street, City: p.city.Name, PostalCode: p.postcode, State: p.state,
			Country: p.country.Name, Website: p.website,
			Status: g.rnd.weighted(leadStatuses), LeadSource: g.rnd.weighted(leadSources),
			Industry: g.rnd.weighted(industries), Rating: g.rnd.weighted(ratings),
			NumberOfEmployees: employees(g.rnd), HasOptedOutOfEmail: optedOut,
			OwnerId: p.ownerUID, CreatedDate: created, LastModifiedDate: modified,
		})
		refs = append(refs, sfRef{p: p, contact: -1, lead: len(g.ds.Leads) - 1})
	}

	// Second Leads for Contacts: duplicates and converted Leads.
	extraLead := map[*person]int{}
	for _, r := range refs {
		if r.contact < 0 || (r.p.defect != LeadAndContactShareEmail && r.p.defect != ConvertedLead) {
			continue
		}
		g.ds.Leads = append(g.ds.Leads, g.secondLead(r.p, g.ds.Contacts[r.contact]))
		extraLead[r.p] = len(g.ds.Leads) - 1
	}

	// All appends are done, so pointers into the slices stay valid now.
	for _, r := range refs {
		if r.contact >= 0 {
			r.p.contact = &g.ds.Contacts[r.contact]
		} else {
			r.p.lead = &g.ds.Leads[r.lead]
		}
		if i, ok := extraLead[r.p]; ok {
			r.p.lead = &g.ds.Leads[i]
		}
	}

	for _, p := range g.people {
		if p.presence != inSalesforceOnly {
			g.makeHubSpotContact(p)
		}
	}
}

// secondLead returns a Lead for the person behind Contact c: converted
// into c for ConvertedLead, or a new duplicate for LeadAndContactShareEmail.
func (g *generator) secondLead(p *person, c Contact) Lead {
	l := Lead{
		Id: g.sfIDs.id(prefixLead), Salutation: c.Salutation, FirstName: c.FirstName, LastName: c.LastName,
		Email: c.Email, Title: c.Title, Company: p.company, Phone: c.Phone,
		City: c.MailingCity, Country: c.MailingCountry, Website: p.website,
		LeadSource: g.rnd.weighted(leadSources), OwnerId: c.OwnerId,
	}
	if p.defect == ConvertedLead {
		// The Lead came first and was converted into the Contact.
		l.Status = leadStatusConverted
		l.IsConverted = true
		l.ConvertedContactId = c.Id
		l.ConvertedAccountId = c.AccountId
		l.ConvertedDate = c.CreatedDate.Truncate(24 * time.Hour)
		l.CreatedDate = g.rnd.timeBetween(g.start, c.CreatedDate)
		l.LastModifiedDate = c.CreatedDate
		return l
	}

	// Someone filled in a web form later, and Web-to-Lead made a new Lead
	// instead of finding the Contact.
	l.Status = "Open - Not Contacted"
	l.LeadSource = "Web"
	l.CreatedDate = g.rnd.timeBetween(c.CreatedDate, g.opts.Now)
	l.LastModifiedDate = l.CreatedDate
	return l
}

func (g *generator) salutation(p *person) string {
	if p.female {
		return g.rnd.weighted(femaleSalutations)
	}
	return g.rnd.weighted(maleSalutations)
}

// mixedCase writes an email the way some people type it: every part
// capitalized, as in Sanne.De.Vries@Bakker-Logistiek.NL.
func mixedCase(email string) string {
	var b strings.Builder
	upper := true
	for _, r := range email {
		if upper && r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		upper = r == '.' || r == '@' || r == '-'
		b.WriteRune(r)
	}
	return b.String()
}

func normalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (g *generator) makeHubSpotContact(p *person) {
	created := g.rnd.timeBetween(g.start, g.opts.Now)
	props := map[string]string{
		"email":          p.email,
		"firstname":      p.first,
		"lastname":       p.last,
		"jobtitle":       p.title,
		"phone":          p.phone,
		"address":        p.street,
		"city":           p.city.Name,
		"zip":            p.postcode,
		"country":        p.country.Name,
		"lifecyclestage": g.rnd.weighted(hubspotLifecycleStages),
		"hs_language":    language(p),
	}
	if p.company != "" {
		props["company"] = p.company
	}
	if p.website != "" {
		props["website"] = p.website
	}
	if p.mobile != "" {
		props["mobilephone"] = p.mobile
	}
	if p.state != "" {
		props["state"] = p.state
	}

	if p.presence == inBoth {
		// The same person as in Salesforce, as marketing saw them: the
		// owner matches, but phone format or title may have drifted.
		if owner, ok := g.ownerByUID[p.ownerUID]; ok {
			props["hubspot_owner_id"] = owner
		}
		if g.rnd.chance(20) {
			props["phone"] = localPhone(p.country, p.phone)
		}
		if g.rnd.chance(15) {
			props["jobtitle"] = g.rnd.pick(jobTitles[p.country.Code])
		}
	} else if g.rnd.chance(70) {
		props["hubspot_owner_id"] = g.ds.Owners[g.rnd.IntN(len(g.ds.Owners))].ID
	}

	switch p.defect {
	case EmailSurroundingSpaces:
		// Pasted from a spreadsheet. Salesforce rejects such an address,
		// HubSpot's import takes it.
		props["email"] = [...]string{" " + p.email, p.email + " ", "  " + p.email + " "}[g.rnd.IntN(3)]
	case RestrictedPicklistValue:
		props[statusProperty] = g.rnd.pick(hubspotOnlyLeadStatuses)
	case UnrestrictedPicklistValue:
		props["salutation"] = g.rnd.pick(foreignSalutations)
	case TextTooLong:
		props["jobtitle"] = longTitle(p)
	case LeadWithoutCompany:
		delete(props, "company")
		delete(props, "website")
	case MissingEmailHubSpot:
		delete(props, "email")
	}

	g.ds.HubSpotContacts = append(g.ds.HubSpotContacts, HubSpotRecord{
		ID:         g.hsIDs.id(),
		Properties: props,
		CreatedAt:  created,
		UpdatedAt:  g.rnd.timeBetween(created, g.opts.Now),
	})
	p.hubspot = &g.ds.HubSpotContacts[len(g.ds.HubSpotContacts)-1]

	optedOut := p.defect == OptedOutHubSpotOnly || (p.presence != inBoth && p.defect == "" && g.rnd.chance(3))
	if optedOut {
		g.ds.OptOuts = append(g.ds.OptOuts, p.email)
	}
}

func language(p *person) string {
	switch p.city.Name {
	case "Liège", "Namur":
		return "fr"
	}
	return hubspotLanguages[p.country.Code]
}

// longTitle returns a job title with a pasted biography, longer than the
// 128 characters of the Salesforce Title field.
func longTitle(p *person) string {
	t := p.title + " | verantwoordelijk voor marketing operations, CRM-beheer, " +
		"lead management en rapportage voor de regio's Benelux en DACH, " +
		"daarnaast contactpersoon voor alle HubSpot- en Salesforce-koppelingen"
	return t
}

// makeHubSpotCompanies puts a share of the Accounts into HubSpot as
// companies, named as marketing typed them, and associates the HubSpot
// contacts who work there.
func (g *generator) makeHubSpotCompanies() {
	companyByDomain := map[string]string{}
	for k, i := range g.rnd.Perm(len(g.ds.Accounts)) {
		if k >= share(len(g.ds.Accounts), shareAccountsInHubSpot) {
			break
		}
		a := &g.ds.Accounts[i]
		name := a.Name
		if g.rnd.chance(40) {
			// Marketing often leaves out the legal form.
			name = strings.TrimSuffix(name, " "+legalForm(a))
		}
		created := g.rnd.timeBetween(g.start, g.opts.Now)
		props := map[string]string{
			"name":    name,
			"domain":  a.domain,
			"website": a.Website,
			"phone":   a.Phone,
			"address": a.BillingStreet,
			"city":    a.BillingCity,
			"zip":     a.BillingPostalCode,
			"country": a.BillingCountry,
		}
		if owner, ok := g.ownerByUID[a.OwnerId]; ok {
			props["hubspot_owner_id"] = owner
		}
		g.ds.HubSpotCompanies = append(g.ds.HubSpotCompanies, HubSpotRecord{
			ID: g.hsIDs.id(), Properties: props, CreatedAt: created,
			UpdatedAt: g.rnd.timeBetween(created, g.opts.Now),
		})
		companyByDomain[a.domain] = g.ds.HubSpotCompanies[len(g.ds.HubSpotCompanies)-1].ID
	}

	for _, p := range g.people {
		if p.hubspot == nil || p.account == nil {
			continue
		}
		if id, ok := companyByDomain[p.account.domain]; ok {
			g.ds.Associations = append(g.ds.Associations, Association{ContactID: p.hubspot.ID, CompanyID: id, Primary: true})
		}
	}
}

// legalForm returns the legal form at the end of an Account name.
func legalForm(a *Account) string {
	for _, form := range a.country.LegalForms {
		if strings.HasSuffix(a.Name, " "+form) {
			return form
		}
	}
	return ""
}

func (g *generator) makeCampaigns() {
	for i, t := range campaignTemplates {
		start := g.opts.Now.AddDate(0, -2*(len(campaignTemplates)-i), 0).Truncate(24 * time.Hour)
		status := campaignStatuses[2]
		switch {
		case i == len(campaignTemplates)-1:
			status = campaignStatuses[0]
		case i >= len(campaignTemplates)-3:
			status = campaignStatuses[1]
		}
		g.ds.Campaigns = append(g.ds.Campaigns, Campaign{
			Id: g.sfIDs.id(prefixCampaign), Name: t.Name, Type: t.Type, Status: status,
			IsActive: status != "Completed", StartDate: start, EndDate: start.AddDate(0, 1, 0),
			OwnerId: g.ds.Users[i%len(g.ds.Users)].Id,
		})
	}

	var members []*person
	for _, p := range g.people {
		if p.presence != inHubSpotOnly && g.rnd.Float64() < shareCampaignMembers {
			members = append(members, p)
		}
	}
	for _, p := range members {
		n := 1 + g.rnd.IntN(3)
		for _, ci := range g.rnd.Perm(len(g.ds.Campaigns))[:n] {
			c := g.ds.Campaigns[ci]
			status := g.rnd.weighted(campaignMemberStatuses)
			m := CampaignMember{
				Id: g.sfIDs.id(prefixCampaignMember), CampaignId: c.Id, Status: status,
				HasResponded: status == "Responded",
				CreatedDate:  g.rnd.timeBetween(c.StartDate, c.EndDate),
			}
			if p.contact != nil {
				m.ContactId = p.contact.Id
			} else {
				m.LeadId = p.lead.Id
			}
			g.ds.CampaignMembers = append(g.ds.CampaignMembers, m)
		}
	}
}

// finishManifest writes the counts, the number of matches and an entry for
// every defect, each checked against the records themselves.
func (g *generator) finishManifest() {
	m := &g.ds.Manifest
	m.Seed = g.opts.Seed
	m.People = g.opts.People
	m.Counts = map[string]int{
		"salesforce.User":           len(g.ds.Users),
		"salesforce.Account":        len(g.ds.Accounts),
		"salesforce.Contact":        len(g.ds.Contacts),
		"salesforce.Lead":           len(g.ds.Leads),
		"salesforce.Campaign":       len(g.ds.Campaigns),
		"salesforce.CampaignMember": len(g.ds.CampaignMembers),
		"hubspot.owners":            len(g.ds.Owners),
		"hubspot.companies":         len(g.ds.HubSpotCompanies),
		"hubspot.contacts":          len(g.ds.HubSpotContacts),
		"hubspot.associations":      len(g.ds.Associations),
		"hubspot.optOuts":           len(g.ds.OptOuts),
	}
	m.MatchedHubSpotContacts = countMatches(&g.ds)

	for _, p := range g.people {
		if p.defect != "" {
			m.Entries = append(m.Entries, g.entry(p))
		}
	}
}

// countMatches counts HubSpot contacts whose normalized email equals that
// of a Salesforce Lead or Contact.
func countMatches(ds *Dataset) int {
	sf := map[string]bool{}
	for _, c := range ds.Contacts {
		if c.Email != "" {
			sf[normalizeEmail(c.Email)] = true
		}
	}
	for _, l := range ds.Leads {
		if l.Email != "" {
			sf[normalizeEmail(l.Email)] = true
		}
	}
	n := 0
	for _, h := range ds.HubSpotContacts {
		if sf[normalizeEmail(h.Properties["email"])] {
			n++
		}
	}
	return n
}

func ref(side, object, id string) string { return side + ":" + object + ":" + id }

func (g *generator) entry(p *person) Entry {
	e := Entry{Defect: p.defect, Email: p.email}
	sfRecord := func() {
		e.Side = "salesforce"
		if p.contact != nil {
			e.Object, e.ID = "Contact", p.contact.Id
		} else {
			e.Object, e.ID = "Lead", p.lead.Id
		}
		if p.hubspot != nil {
			e.Related = append(e.Related, ref("hubspot", "contacts", p.hubspot.ID))
		}
	}
	hsRecord := func() {
		e.Side, e.Object, e.ID = "hubspot", "contacts", p.hubspot.ID
	}

	switch p.defect {
	case EmailCaseDiffers, EmailSurroundingSpaces:
		sfRecord()
		e.Expect = Expectation{Outcome: OutcomeSync, Reason: "matching trims and lower-cases emails, so the Salesforce record links to the HubSpot contact and no duplicate is created"}
	case OptedOutSalesforceOnly:
		sfRecord()
		e.Expect = Expectation{Outcome: OutcomeSync, Reason: "HasOptedOutOfEmail is set in Salesforce, so the HubSpot contact is unsubscribed from all email"}
	case OptedOutHubSpotOnly:
		hsRecord()
		e.Related = append(e.Related, ref("salesforce", p.sfObject(), p.sfID()))
		e.Expect = Expectation{Outcome: OutcomeSync, Reason: "the HubSpot contact is unsubscribed from all email, so HasOptedOutOfEmail is set in Salesforce"}
	case LeadAndContactShareEmail:
		e.Side, e.Object, e.ID = "salesforce", "Lead", p.lead.Id
		e.Related = []string{ref("salesforce", "Contact", p.contact.Id), ref("hubspot", "contacts", p.hubspot.ID)}
		e.Expect = Expectation{Outcome: OutcomeSkip, Code: "other_record_chosen", Reason: "the HubSpot contact links to the Contact with the same email, because a Contact is preferred over a Lead; this Lead stays unlinked"}
	case ConvertedLead:
		e.Side, e.Object, e.ID = "salesforce", "Lead", p.lead.Id
		e.Related = []string{ref("salesforce", "Contact", p.contact.Id)}
		if p.hubspot != nil {
			e.Related = append(e.Related, ref("hubspot", "contacts", p.hubspot.ID))
		}
		e.Expect = Expectation{Outcome: OutcomeSkip, Code: "other_record_chosen", Reason: "a converted Lead does not sync itself; the HubSpot contact links to its ConvertedContactId"}
	case MissingEmail:
		sfRecord()
		e.Email = ""
		e.Expect = Expectation{Outcome: OutcomeSkip, Code: "no_email", Reason: "a record without an email cannot be matched, so it does not sync"}
	case RestrictedPicklistValue:
		hsRecord()
		e.Expect = Expectation{Outcome: OutcomePark, Category: "property_value", Code: "PICKLIST_NOT_ALLOWED",
			Reason: fmt.Sprintf("%s %q is not a value of the restricted Lead Status picklist, so koppel rejects it before creating the Lead (Salesforce would answer INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST)", statusProperty, p.hubspot.Properties[statusProperty])}
	case UnrestrictedPicklistValue:
		hsRecord()
		e.Expect = Expectation{Outcome: OutcomeSync,
			Reason: fmt.Sprintf("salutation %q is not a value of the Salutation picklist, but that picklist is not restricted, so Salesforce stores it as is", p.hubspot.Properties["salutation"])}
	case TextTooLong:
		hsRecord()
		e.Expect = Expectation{Outcome: OutcomePark, Category: "property_value", Code: "TOO_LONG",
			Reason: fmt.Sprintf("jobtitle has %d characters and Title takes 128, so koppel rejects it before writing instead of cutting it short (Salesforce would answer STRING_TOO_LONG)", len([]rune(p.hubspot.Properties["jobtitle"])))}
	case MissingEmailHubSpot:
		hsRecord()
		e.Email = ""
		e.Expect = Expectation{Outcome: OutcomePark, Category: "property_value", Code: "EMAIL_MISSING",
			Reason: "a contact without an email cannot be matched, so koppel lists it as a sync error until someone adds the address in HubSpot"}
	case LeadWithoutCompany:
		hsRecord()
		e.Expect = Expectation{Outcome: OutcomeSync, Reason: "Company is required on a Lead, so the new Lead gets the placeholder \"[not provided]\" of the default settings"}
	}
	return e
}

func (p *person) sfObject() string {
	if p.contact != nil {
		return "Contact"
	}
	return "Lead"
}

func (p *person) sfID() string {
	if p.contact != nil {
		return p.contact.Id
	}
	return p.lead.Id
}
