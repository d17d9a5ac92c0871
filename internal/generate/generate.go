package generate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// DefaultPeople is the number of people Generate makes when Options.People
// is zero.
const DefaultPeople = 5000

// MaxPeople bounds Options.People, so a typo cannot fill the disk.
const MaxPeople = 1_000_000

// DefaultNow is the reference time of generated data when Options.Now is
// zero. A fixed time keeps the output identical between runs.
var DefaultNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// Options control Generate.
type Options struct {
	// People is the number of distinct people, spread over Salesforce and
	// HubSpot. Default DefaultPeople.
	People int

	// Seed selects the data; the same seed gives the same data.
	Seed uint64

	// Now is the latest creation or modification time of any record.
	// Default DefaultNow.
	Now time.Time
}

// Shares of the design, as fractions. Counts are rounded from them.
const (
	// Of all people: in both systems, Salesforce only; the rest are in
	// HubSpot only. With 20% in both and 40% in HubSpot only, a third of
	// the HubSpot contacts match a Salesforce person.
	shareBoth           = 0.20
	shareSalesforceOnly = 0.40

	// Of the people in Salesforce: Contacts; the rest are Leads.
	shareContacts = 0.55

	// People per Account, on average.
	contactsPerAccount = 3.3

	// Of the Accounts: also a company in HubSpot.
	shareAccountsInHubSpot = 0.45

	// Of the people in Salesforce: members of at least one Campaign.
	shareCampaignMembers = 0.35
)

// pool names a group of people a defect is drawn from.
type pool int

const (
	poolBoth           pool = iota // in both systems
	poolBothContacts               // in both systems, a Salesforce Contact
	poolContacts                   // a Salesforce Contact
	poolSalesforceOnly             // in Salesforce only
	poolHubSpotOnly                // in HubSpot only
)

// defectPlan is the share of each pool that gets each defect. A person gets
// at most one defect, drawn in this order.
var defectPlan = []struct {
	Defect Defect
	Pool   pool
	Share  float64
}{
	{LeadAndContactShareEmail, poolBothContacts, 0.02},
	{ConvertedLead, poolContacts, 0.04},
	{EmailCaseDiffers, poolBoth, 0.05},
	{EmailSurroundingSpaces, poolBoth, 0.02},
	{OptedOutSalesforceOnly, poolBoth, 0.03},
	{OptedOutHubSpotOnly, poolBoth, 0.03},
	{MissingEmail, poolSalesforceOnly, 0.02},
	{RestrictedPicklistValue, poolHubSpotOnly, 0.01},
	{UnrestrictedPicklistValue, poolHubSpotOnly, 0.01},
	{TextTooLong, poolHubSpotOnly, 0.01},
	{LeadWithoutCompany, poolHubSpotOnly, 0.05},
	{MissingEmailHubSpot, poolHubSpotOnly, 0.01},
}

// share returns the rounded count of share out of n.
func share(n int, share float64) int { return int(math.Round(float64(n) * share)) }

// Generate makes a dataset for opts. It returns an error only for invalid
// options.
func Generate(opts Options) (*Dataset, error) {
	if opts.People == 0 {
		opts.People = DefaultPeople
	}
	if opts.People < 1 || opts.People > MaxPeople {
		return nil, fmt.Errorf("generate: invalid number of people %d: use 1 to %d", opts.People, MaxPeople)
	}
	if opts.Now.IsZero() {
		opts.Now = DefaultNow
	}

	g := &generator{
		opts:       opts,
		rnd:        newSource(opts.Seed),
		sfIDs:      newIDSequence(),
		hsIDs:      &hubspotIDs{next: 1000},
		emails:     map[string]bool{},
		domains:    map[string]bool{sellerDomain: true},
		start:      opts.Now.AddDate(-3, 0, 0),
		ownerByUID: map[string]string{},
	}
	g.makeTeam()
	g.makeAccounts()
	g.makePeople()
	g.assignDefects()
	g.makeRecords()
	g.makeHubSpotCompanies()
	g.makeCampaigns()
	g.finishManifest()
	return &g.ds, nil
}

type presence int

const (
	inBoth presence = iota
	inSalesforceOnly
	inHubSpotOnly
)

// person is one human being, who may appear in either system or both.
type person struct {
	country *country
	city    city
	female  bool
	first   string
	last    string
	title   string

	presence  presence
	isContact bool     // a Salesforce Contact rather than a Lead
	account   *Account // for Contacts, and for others who work at an Account's company
	company   string   // empty for people without a company
	website   string
	email     string // canonical, lower-case
	phone     string
	mobile    string
	street    string
	postcode  string
	state     string

	defect   Defect
	contact  *Contact
	lead     *Lead
	hubspot  *HubSpotRecord
	ownerUID string
}

type generator struct {
	opts  Options
	rnd   source
	sfIDs *idSequence
	hsIDs *hubspotIDs
	start time.Time

	emails  map[string]bool
	domains map[string]bool

	people            []*person
	accountsByCountry map[string][]*Account
	ownerByUID        map[string]string // Salesforce User Id to HubSpot owner id

	ds Dataset
}

func (g *generator) makeTeam() {
	for i, m := range salesTeam {
		local := slug(m.First, "", false) + "." + slug(m.Last, "", false)
		u := User{
			Id:        g.sfIDs.id(prefixUser),
			FirstName: m.First,
			LastName:  m.Last,
			Email:     local + "@" + sellerDomain,
			Username:  local + "@" + sellerDomain + ".crm",
			Alias:     alias(m.First, m.Last),
		}
		g.ds.Users = append(g.ds.Users, u)

		// The last team member joined recently and has no HubSpot seat yet.
		if i == len(salesTeam)-1 {
			g.ds.Manifest.Entries = append(g.ds.Manifest.Entries, Entry{
				Defect: OwnerWithoutHubSpotOwner, Side: "salesforce", Object: "User", ID: u.Id, Email: u.Email,
				Expect: Expectation{Outcome: OutcomeSync, Reason: "records this user owns sync without a HubSpot owner, because no HubSpot owner has the user's email"},
			})
			continue
		}
		o := Owner{ID: g.hsIDs.id(), Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, UserID: int64(7000001 + i)}
		g.ds.Owners = append(g.ds.Owners, o)
		g.ownerByUID[u.Id] = o.ID
	}
}

// alias returns the up to eight letters Salesforce shows for a User:
// the first initial and the last name, as in "mvandam".
func alias(first, last string) string {
	a := slug(first, "", false)[:1] + slug(last, "", false)
	return a[:min(8, len(a))]
}

func (g *generator) randomUser() string { return g.ds.Users[g.rnd.IntN(len(g.ds.Users))].Id }

func (g *generator) makeAccounts() {
	n := max(1, int(math.Round(float64(g.opts.People)*shareBoth+float64(g.opts.People)*shareSalesforceOnly)*shareContacts/contactsPerAccount))
	g.accountsByCountry = map[string][]*Account{}
	accounts := make([]Account, 0, n)
	for range n {
		c := g.rnd.pickCountry()
		ci := c.Cities[g.rnd.IntN(len(c.Cities))]
		name, domain := g.companyName(c, ci)
		created := g.rnd.timeBetween(g.start, g.opts.Now)
		a := Account{
			Id:                g.sfIDs.id(prefixAccount),
			Name:              name,
			Website:           "https://www." + domain,
			Phone:             g.rnd.phone(c, ci),
			BillingStreet:     g.rnd.street(c),
			BillingCity:       ci.Name,
			BillingPostalCode: g.rnd.postcode(c, ci),
			BillingCountry:    c.Name,
			Industry:          g.rnd.weighted(industries),
			Type:              g.rnd.weighted(accountTypes),
			Rating:            g.rnd.weighted(ratings),
			NumberOfEmployees: employees(g.rnd),
			OwnerId:           g.randomUser(),
			CreatedDate:       created,
			LastModifiedDate:  g.rnd.timeBetween(created, g.opts.Now),
			domain:            domain,
			country:           c,
		}
		if c.Code != "NL" {
			a.BillingState = ci.Province
		}
		a.AnnualRevenue = float64(a.NumberOfEmployees) * float64(80_000+g.rnd.IntN(120_000))
		accounts = append(accounts, a)
	}
	g.ds.Accounts = accounts
	for i := range g.ds.Accounts {
		a := &g.ds.Accounts[i]
		g.accountsByCountry[a.country.Code] = append(g.accountsByCountry[a.country.Code], a)
	}
}

func employees(r source) int {
	switch r.IntN(10) {
	case 0, 1, 2:
		return 5 + r.IntN(45)
	case 3, 4, 5, 6:
		return 50 + r.IntN(200)
	case 7, 8:
		return 250 + r.IntN(750)
	default:
		return 1000 + r.IntN(9000)
	}
}

// companyName returns a company name with its country's legal form, and a
// domain no other company has.
func (g *generator) companyName(c *country, ci city) (name, domain string) {
	german := c.Code == "DE"
	last := g.rnd.pick(peopleNames[c.Code].Last)
	trade := g.rnd.pick(companyTrades[c.Code])
	var base string
	switch g.rnd.IntN(4) {
	case 0:
		base = g.rnd.pick(companyPlaces[c.Code]) + " " + trade
	case 1:
		base = capitalize(last) + " & " + capitalize(g.rnd.pick(peopleNames[c.Code].Last))
	case 2:
		base = trade + " " + capitalize(last)
	default:
		base = capitalize(last) + " " + trade
	}
	name = base + " " + g.rnd.pick(c.LegalForms)

	stem := slug(base, "-", german)
	if g.rnd.chance(40) {
		stem = strings.ReplaceAll(stem, "-", "")
	}
	for _, candidate := range []string{stem, stem + "-" + slug(ci.Name, "", german)} {
		if d := candidate + "." + c.TLD; !g.domains[d] {
			g.domains[d] = true
			return name, d
		}
	}
	for i := 2; ; i++ {
		if d := fmt.Sprintf("%s%d.%s", stem, i, c.TLD); !g.domains[d] {
			g.domains[d] = true
			return name, d
		}
	}
}

// capitalize upper-cases the first letter, as a name at the start of a
// company name is written: "van Dijk" becomes "Van Dijk", "'t Hart" stays.
func capitalize(s string) string {
	for i, r := range s {
		if r == '\'' {
			return s
		}
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

var freemail = map[string][]string{
	"NL": {"gmail.com", "outlook.com", "hotmail.com", "ziggo.nl", "kpnmail.nl", "live.nl"},
	"BE": {"gmail.com", "telenet.be", "skynet.be", "outlook.be", "hotmail.com"},
	"DE": {"gmail.com", "web.de", "gmx.de", "t-online.de", "outlook.de"},
}

func (g *generator) makePeople() {
	n := g.opts.People
	g.people = make([]*person, n)
	for i := range n {
		c := g.rnd.pickCountry()
		nm := peopleNames[c.Code]
		p := &person{country: c, city: c.Cities[g.rnd.IntN(len(c.Cities))], female: g.rnd.chance(45)}
		if p.female {
			p.first = g.rnd.pick(nm.Female)
		} else {
			p.first = g.rnd.pick(nm.Male)
		}
		p.last = g.rnd.pick(nm.Last)
		p.title = g.rnd.pick(jobTitles[c.Code])
		p.phone = g.rnd.phone(c, p.city)
		if g.rnd.chance(60) {
			p.mobile = g.rnd.mobile(c)
		}
		p.street = g.rnd.street(c)
		p.postcode = g.rnd.postcode(c, p.city)
		if c.Code != "NL" && g.rnd.chance(50) {
			p.state = p.city.Province
		}
		p.ownerUID = g.randomUser()
		g.people[i] = p
	}

	// Exact counts per presence, drawn at random.
	order := g.rnd.Perm(n)
	both, sfOnly := share(n, shareBoth), share(n, shareSalesforceOnly)
	for k, i := range order {
		switch {
		case k < both:
			g.people[i].presence = inBoth
		case k < both+sfOnly:
			g.people[i].presence = inSalesforceOnly
		default:
			g.people[i].presence = inHubSpotOnly
		}
	}

	// Exact count of Contacts among the people in Salesforce.
	var inSF []*person
	for _, p := range g.people {
		if p.presence != inHubSpotOnly {
			inSF = append(inSF, p)
		}
	}
	contacts := share(len(inSF), shareContacts)
	for k, i := range g.rnd.Perm(len(inSF)) {
		inSF[i].isContact = k < contacts
	}

	for _, p := range g.people {
		g.placePerson(p)
	}
}

// placePerson gives p an employer and an email address.
func (g *generator) placePerson(p *person) {
	switch {
	case p.isContact:
		p.account = g.accountFor(p.country)
	case p.presence == inHubSpotOnly && g.rnd.chance(15):
		// Someone at a customer's company who only filled in a form.
		p.account = g.accountFor(p.country)
	}

	var domain string
	switch {
	case p.account != nil:
		p.company = p.account.Name
		p.website = p.account.Website
		domain = p.account.domain
	case g.rnd.chance(85):
		name, d := g.companyName(p.country, p.city)
		p.company, p.website, domain = name, "https://www."+d, d
	default:
		// A freelancer or a private address: company left out or only
		// the name typed into a form.
		domain = g.rnd.pick(freemail[p.country.Code])
		name, _ := g.companyName(p.country, p.city)
		p.company = name
	}
	p.email = g.uniqueEmail(p, domain)
}

func (g *generator) accountFor(c *country) *Account {
	if list := g.accountsByCountry[c.Code]; len(list) > 0 && g.rnd.chance(90) {
		return list[g.rnd.IntN(len(list))]
	}
	return &g.ds.Accounts[g.rnd.IntN(len(g.ds.Accounts))]
}

// uniqueEmail returns an email at domain that no other person has,
// written the way mailboxes are usually named at a company or a
// free-mail provider.
func (g *generator) uniqueEmail(p *person, domain string) string {
	german := p.country.Code == "DE"
	first := slug(p.first, "", german)
	last := slug(p.last, "", german)
	isFree := slices.Contains(freemail[p.country.Code], domain)

	var candidates []string
	if isFree {
		candidates = []string{first + "." + last, first + last + g.rnd.digits(2), first[:1] + last + g.rnd.digits(3)}
	} else {
		switch g.rnd.IntN(4) {
		case 0:
			candidates = []string{first[:1] + "." + last, first + "." + last}
		case 1:
			candidates = []string{first, first + "." + last}
		default:
			candidates = []string{first + "." + last, first[:1] + "." + last}
		}
	}
	for _, local := range candidates {
		if e := local + "@" + domain; !g.emails[e] {
			g.emails[e] = true
			return e
		}
	}
	for i := 2; ; i++ {
		if e := fmt.Sprintf("%s.%s%d@%s", first, last, i, domain); !g.emails[e] {
			g.emails[e] = true
			return e
		}
	}
}

// assignDefects gives each defect of defectPlan to its exact share of its
// pool, at most one defect per person.
func (g *generator) assignDefects() {
	for _, d := range defectPlan {
		members := g.pool(d.Pool)
		want := share(len(members), d.Share)
		for _, i := range g.rnd.Perm(len(members)) {
			if want == 0 {
				break
			}
			if members[i].defect != "" {
				continue
			}
			members[i].defect = d.Defect
			want--
		}
	}
}

func (g *generator) pool(p pool) []*person {
	var out []*person
	for _, x := range g.people {
		var in bool
		switch p {
		case poolBoth:
			in = x.presence == inBoth
		case poolBothContacts:
			in = x.presence == inBoth && x.isContact
		case poolContacts:
			in = x.presence != inHubSpotOnly && x.isContact
		case poolSalesforceOnly:
			in = x.presence == inSalesforceOnly
		case poolHubSpotOnly:
			in = x.presence == inHubSpotOnly
		}
		if in {
			out = append(out, x)
		}
	}
	return out
}
