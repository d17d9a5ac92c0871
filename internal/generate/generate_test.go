package generate

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// generated caches datasets per seed, because several tests read the same
// default-sized dataset.
var generated = map[uint64]*Dataset{}

func setup(t *testing.T, seed uint64) *Dataset {
	t.Helper()
	if ds, ok := generated[seed]; ok {
		return ds
	}
	ds, err := Generate(Options{Seed: seed})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	generated[seed] = ds
	return ds
}

func encode(t *testing.T, ds *Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, v := range []any{ds, ds.HubSpotSeed(), ds.Manifest} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
	}
	return buf.Bytes()
}

func TestGenerateDeterministic(t *testing.T) {
	a, err := Generate(Options{People: 1500, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(Options{People: 1500, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, a), encode(t, b)) {
		t.Fatal("two runs with the same seed differ")
	}

	c, err := Generate(Options{People: 1500, Seed: 43})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(encode(t, a), encode(t, c)) {
		t.Fatal("two different seeds give the same data")
	}
}

func TestGenerateRejectsPeople(t *testing.T) {
	for _, n := range []int{-1, MaxPeople + 1} {
		if _, err := Generate(Options{People: n}); err == nil {
			t.Errorf("Generate(People: %d) = nil error", n)
		}
	}
}

func TestGenerateShares(t *testing.T) {
	ds := setup(t, 1)
	m := ds.Manifest

	hs := len(ds.HubSpotContacts)
	if got, want := hs, DefaultPeople-share(DefaultPeople, shareSalesforceOnly); got != want {
		t.Errorf("HubSpot contacts = %d, want %d", got, want)
	}
	matched := countMatches(ds)
	if matched != m.MatchedHubSpotContacts {
		t.Errorf("manifest says %d matches, data has %d", m.MatchedHubSpotContacts, matched)
	}
	if ratio := float64(matched) / float64(hs); math.Abs(ratio-1.0/3) > 0.01 {
		t.Errorf("matched share = %.3f, want a third", ratio)
	}

	pools := map[pool]int{}
	both := share(DefaultPeople, shareBoth)
	sfOnly := share(DefaultPeople, shareSalesforceOnly)
	pools[poolBoth] = both
	pools[poolSalesforceOnly] = sfOnly
	pools[poolHubSpotOnly] = DefaultPeople - both - sfOnly
	pools[poolContacts] = share(both+sfOnly, shareContacts)

	counts := m.CountDefects()
	for _, d := range defectPlan {
		if d.Pool == poolBothContacts {
			continue // the size of this pool is random; checked for presence below
		}
		want := share(pools[d.Pool], d.Share)
		if counts[d.Defect] != want {
			t.Errorf("%s: %d entries, want %d", d.Defect, counts[d.Defect], want)
		}
	}
	if counts[LeadAndContactShareEmail] == 0 {
		t.Error("no Lead shares its email with a Contact")
	}
	if counts[OwnerWithoutHubSpotOwner] != 1 {
		t.Errorf("users without HubSpot owner = %d, want 1", counts[OwnerWithoutHubSpotOwner])
	}
	if got := len(ds.Contacts); got != pools[poolContacts] {
		t.Errorf("Contacts = %d, want %d", got, pools[poolContacts])
	}
}

// index holds the records of a dataset by id.
type index struct {
	contacts  map[string]Contact
	leads     map[string]Lead
	hubspot   map[string]HubSpotRecord
	optOuts   map[string]bool
	ownerMail map[string]bool
}

func newIndex(ds *Dataset) index {
	ix := index{map[string]Contact{}, map[string]Lead{}, map[string]HubSpotRecord{}, map[string]bool{}, map[string]bool{}}
	for _, c := range ds.Contacts {
		ix.contacts[c.Id] = c
	}
	for _, l := range ds.Leads {
		ix.leads[l.Id] = l
	}
	for _, h := range ds.HubSpotContacts {
		ix.hubspot[h.ID] = h
	}
	for _, e := range ds.OptOuts {
		ix.optOuts[e] = true
	}
	for _, o := range ds.Owners {
		ix.ownerMail[o.Email] = true
	}
	return ix
}

func (ix index) sfEmail(e Entry) (string, bool) {
	switch e.Object {
	case "Contact":
		c, ok := ix.contacts[e.ID]
		return c.Email, ok
	case "Lead":
		l, ok := ix.leads[e.ID]
		return l.Email, ok
	}
	return "", false
}

func relatedID(t *testing.T, e Entry, prefix string) string {
	t.Helper()
	for _, r := range e.Related {
		if id, ok := strings.CutPrefix(r, prefix); ok {
			return id
		}
	}
	t.Fatalf("%s %s: no related %s", e.Defect, e.ID, prefix)
	return ""
}

// TestManifestMatchesData checks each entry against the records, so the
// manifest cannot claim a defect the data lacks.
func TestManifestMatchesData(t *testing.T) {
	ds := setup(t, 1)
	ix := newIndex(ds)

	for _, e := range ds.Manifest.Entries {
		switch e.Defect {
		case EmailCaseDiffers, EmailSurroundingSpaces:
			sf, ok := ix.sfEmail(e)
			hs := ix.hubspot[relatedID(t, e, "hubspot:contacts:")].Properties["email"]
			if !ok || sf == hs || normalizeEmail(sf) != normalizeEmail(hs) {
				t.Errorf("%s %s: Salesforce %q, HubSpot %q", e.Defect, e.ID, sf, hs)
			}
		case OptedOutSalesforceOnly:
			hs := ix.hubspot[relatedID(t, e, "hubspot:contacts:")]
			optedSF := ix.contacts[e.ID].HasOptedOutOfEmail || ix.leads[e.ID].HasOptedOutOfEmail
			if !optedSF || ix.optOuts[hs.Properties["email"]] {
				t.Errorf("%s %s: Salesforce opted out %v, HubSpot opted out %v", e.Defect, e.ID, optedSF, ix.optOuts[hs.Properties["email"]])
			}
		case OptedOutHubSpotOnly:
			hs := ix.hubspot[e.ID]
			sfID := relatedID(t, e, "salesforce:")
			sfID = sfID[strings.Index(sfID, ":")+1:]
			optedSF := ix.contacts[sfID].HasOptedOutOfEmail || ix.leads[sfID].HasOptedOutOfEmail
			if optedSF || !ix.optOuts[hs.Properties["email"]] {
				t.Errorf("%s %s: Salesforce opted out %v, HubSpot opted out %v", e.Defect, e.ID, optedSF, ix.optOuts[hs.Properties["email"]])
			}
		case LeadAndContactShareEmail:
			l := ix.leads[e.ID]
			c := ix.contacts[relatedID(t, e, "salesforce:Contact:")]
			if l.Email == "" || l.Email != c.Email || l.IsConverted {
				t.Errorf("%s %s: Lead %q converted %v, Contact %q", e.Defect, e.ID, l.Email, l.IsConverted, c.Email)
			}
		case ConvertedLead:
			l := ix.leads[e.ID]
			c := ix.contacts[relatedID(t, e, "salesforce:Contact:")]
			if !l.IsConverted || l.ConvertedContactId != c.Id || l.ConvertedAccountId != c.AccountId || l.Status != leadStatusConverted {
				t.Errorf("%s %s: %+v", e.Defect, e.ID, l)
			}
		case MissingEmail:
			if sf, ok := ix.sfEmail(e); !ok || sf != "" {
				t.Errorf("%s %s: email %q", e.Defect, e.ID, sf)
			}
		case RestrictedPicklistValue:
			s := ix.hubspot[e.ID].Properties[statusProperty]
			for _, v := range append(leadStatuses, weighted{Value: leadStatusConverted}) {
				if s == v.Value || s == "" {
					t.Errorf("%s %s: %s %q is a Lead Status value", e.Defect, e.ID, statusProperty, s)
				}
			}
		case UnrestrictedPicklistValue:
			s := ix.hubspot[e.ID].Properties["salutation"]
			for _, v := range append(femaleSalutations, maleSalutations...) {
				if s == v.Value {
					t.Errorf("%s %s: salutation %q is a picklist value", e.Defect, e.ID, s)
				}
			}
		case TextTooLong:
			if n := utf8.RuneCountInString(ix.hubspot[e.ID].Properties["jobtitle"]); n <= 128 {
				t.Errorf("%s %s: jobtitle has %d characters", e.Defect, e.ID, n)
			}
		case MissingEmailHubSpot:
			if email, ok := ix.hubspot[e.ID].Properties["email"]; ok {
				t.Errorf("%s %s: email %q", e.Defect, e.ID, email)
			}
		case LeadWithoutCompany:
			if c, ok := ix.hubspot[e.ID].Properties["company"]; ok {
				t.Errorf("%s %s: company %q", e.Defect, e.ID, c)
			}
		case OwnerWithoutHubSpotOwner:
			if ix.ownerMail[e.Email] {
				t.Errorf("%s %s: a HubSpot owner has %s", e.Defect, e.ID, e.Email)
			}
		default:
			t.Errorf("entry with unknown defect %q", e.Defect)
		}

		if e.Expect.Outcome == OutcomePark && (e.Expect.Category == "" || e.Expect.Code == "") {
			t.Errorf("%s %s: parked without category or code", e.Defect, e.ID)
		}
		if e.Expect.Reason == "" {
			t.Errorf("%s %s: no reason", e.Defect, e.ID)
		}
	}
}

var (
	phoneFormats = map[string]*regexp.Regexp{
		"Netherlands": regexp.MustCompile(`^\+31 \d{2} \d{3} \d{4}$`),
		"Belgium":     regexp.MustCompile(`^\+32 (\d \d{3} \d{2} \d{2}|\d{2} \d{2} \d{2} \d{2})$`),
		"Germany":     regexp.MustCompile(`^\+49 \d{2,3} \d{7,8}$`),
	}
	postcodeFormats = map[string]*regexp.Regexp{
		"Netherlands": regexp.MustCompile(`^[1-9]\d{3} [A-Z]{2}$`),
		"Belgium":     regexp.MustCompile(`^[1-9]\d{3}$`),
		"Germany":     regexp.MustCompile(`^\d{5}$`),
	}
	emailFormat = regexp.MustCompile(`^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$`)
	idFormat    = regexp.MustCompile(`^[0-9a-zA-Z]{18}$`)
)

func TestGenerateFormats(t *testing.T) {
	ds := setup(t, 1)

	for _, a := range ds.Accounts {
		if !phoneFormats[a.BillingCountry].MatchString(a.Phone) {
			t.Errorf("Account %s: phone %q not in %s format", a.Id, a.Phone, a.BillingCountry)
		}
		if !postcodeFormats[a.BillingCountry].MatchString(a.BillingPostalCode) {
			t.Errorf("Account %s: postcode %q not in %s format", a.Id, a.BillingPostalCode, a.BillingCountry)
		}
		if !idFormat.MatchString(a.Id) || !strings.HasPrefix(a.Id, prefixAccount) {
			t.Errorf("Account id %q", a.Id)
		}
	}

	seen := map[string]bool{}
	for _, c := range ds.Contacts {
		if c.AccountId == "" || c.LastName == "" {
			t.Errorf("Contact %s: AccountId %q LastName %q", c.Id, c.AccountId, c.LastName)
		}
		if seen[c.Id] {
			t.Errorf("duplicate id %s", c.Id)
		}
		seen[c.Id] = true
	}
	for _, l := range ds.Leads {
		if l.Company == "" || l.LastName == "" || l.Status == "" {
			t.Errorf("Lead %s: Company %q LastName %q Status %q", l.Id, l.Company, l.LastName, l.Status)
		}
		if seen[l.Id] {
			t.Errorf("duplicate id %s", l.Id)
		}
		seen[l.Id] = true
	}

	hsEmails := map[string]bool{}
	for _, h := range ds.HubSpotContacts {
		raw, ok := h.Properties["email"]
		if !ok {
			continue // a MissingEmailHubSpot defect, checked with the manifest
		}
		e := normalizeEmail(raw)
		if !emailFormat.MatchString(e) {
			t.Errorf("HubSpot contact %s: email %q", h.ID, e)
		}
		if hsEmails[e] {
			t.Errorf("HubSpot email %q used twice", e)
		}
		hsEmails[e] = true
	}
}

func TestGenerateNamesLookReal(t *testing.T) {
	ds := setup(t, 1)
	var all strings.Builder
	for _, c := range ds.Contacts {
		all.WriteString(c.FirstName + " " + c.LastName + "\n")
	}
	for _, l := range ds.Leads {
		all.WriteString(l.FirstName + " " + l.LastName + "\n")
	}
	names := all.String()
	for _, want := range []string{"ü", "é", "IJ", "'", "van der ", "De "} {
		if !strings.Contains(names, want) {
			t.Errorf("no name contains %q", want)
		}
	}

	var companies strings.Builder
	for _, a := range ds.Accounts {
		companies.WriteString(a.Name + "\n")
	}
	for _, form := range []string{" B.V.\n", " GmbH\n", " SRL\n", " BV\n", " NV\n"} {
		if !strings.Contains(companies.String(), form) {
			t.Errorf("no Account has legal form %q", strings.TrimSpace(form))
		}
	}
}

func TestCaseSafeSuffix(t *testing.T) {
	cases := []struct{ id15, want string }{
		// Worked by hand: each block of five gives a letter from the bits of
		// its upper-case positions.
		{"001000000000001", "AAA"},
		{"00QGk0000000001", "MAA"},
		{"001A0000006Vm9r", "IAC"},
		{"a0B5e00000ABcDe", "EAL"},
	}
	for _, tc := range cases {
		if got := caseSafeSuffix(tc.id15); got != tc.want {
			t.Errorf("caseSafeSuffix(%s) = %s, want %s", tc.id15, got, tc.want)
		}
	}
}

func TestSlug(t *testing.T) {
	cases := []struct {
		in     string
		german bool
		want   string
	}{
		{"Müller & Söhne", true, "mueller-soehne"},
		{"Lefèvre", false, "lefevre"},
		{"van 't Hof", false, "van-t-hof"},
		{"'t Hart", false, "t-hart"},
		{"D'Hondt", false, "dhondt"},
		{"Groß", true, "gross"},
		{"Çelik", false, "celik"},
		{"Małgorzata", true, "malgorzata"},
	}
	for _, tc := range cases {
		if got := slug(tc.in, "-", tc.german); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPicklistValuesMatchDescribe compares the generator's picklist values
// with the standard describe data the Salesforce emulator serves.
func TestPicklistValuesMatchDescribe(t *testing.T) {
	values := func(object, field string) map[string]bool {
		raw, err := os.ReadFile(filepath.Join("..", "emulator", "salesforce", "describe", object+".json"))
		if err != nil {
			t.Fatalf("read %s describe: %v", object, err)
		}
		var d struct {
			Fields []struct {
				Name           string `json:"name"`
				PicklistValues []struct {
					Value string `json:"value"`
				} `json:"picklistValues"`
			} `json:"fields"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{"": true} // blank stands for null
		for _, f := range d.Fields {
			if f.Name == field {
				for _, p := range f.PicklistValues {
					out[p.Value] = true
				}
			}
		}
		if len(out) == 1 {
			t.Fatalf("%s.%s has no picklist values", object, field)
		}
		return out
	}

	cases := []struct {
		object, field string
		list          []weighted
	}{
		{"Lead", "Status", append(slices.Clone(leadStatuses), weighted{Value: leadStatusConverted})},
		{"Lead", "LeadSource", leadSources},
		{"Contact", "LeadSource", leadSources},
		{"Lead", "Industry", industries},
		{"Account", "Industry", industries},
		{"Lead", "Rating", ratings},
		{"Account", "Rating", ratings},
		{"Account", "Type", accountTypes},
		{"Lead", "Salutation", append(slices.Clone(femaleSalutations), maleSalutations...)},
	}
	for _, tc := range cases {
		allowed := values(tc.object, tc.field)
		for _, w := range tc.list {
			if !allowed[w.Value] {
				t.Errorf("%s.%s: %q is not a picklist value", tc.object, tc.field, w.Value)
			}
		}
	}
	status := values("Lead", "Status")
	for _, s := range hubspotOnlyLeadStatuses {
		if status[s] {
			t.Errorf("%q is a Lead Status value, so it would not be rejected", s)
		}
	}
}

// TestOwnersMatchUsers checks that HubSpot owners are the Salesforce users
// by email, and that a matched pair has the same owner on both sides.
func TestOwnersMatchUsers(t *testing.T) {
	ds := setup(t, 1)
	userEmail := map[string]string{}
	for _, u := range ds.Users {
		userEmail[u.Id] = u.Email
	}
	ownerEmail := map[string]string{}
	for _, o := range ds.Owners {
		ownerEmail[o.ID] = o.Email
	}
	if len(ds.Owners) != len(ds.Users)-1 {
		t.Errorf("%d owners for %d users, want one user without an owner", len(ds.Owners), len(ds.Users))
	}
	for _, o := range ds.Owners {
		found := false
		for _, u := range ds.Users {
			found = found || u.Email == o.Email
		}
		if !found {
			t.Errorf("owner %s (%s) matches no Salesforce user", o.ID, o.Email)
		}
	}

	sfOwner := map[string]string{} // normalized email → Salesforce owner's email
	for _, c := range ds.Contacts {
		if c.Email != "" {
			sfOwner[normalizeEmail(c.Email)] = userEmail[c.OwnerId]
		}
	}
	for _, l := range ds.Leads {
		if l.Email != "" && !l.IsConverted {
			sfOwner[normalizeEmail(l.Email)] = userEmail[l.OwnerId]
		}
	}
	checked := 0
	for _, h := range ds.HubSpotContacts {
		want, matched := sfOwner[normalizeEmail(h.Properties["email"])]
		id, hasOwner := h.Properties["hubspot_owner_id"]
		if !matched || !hasOwner {
			continue
		}
		checked++
		if ownerEmail[id] != want {
			t.Errorf("HubSpot contact %s: owner %s, Salesforce owner %s", h.ID, ownerEmail[id], want)
		}
	}
	if checked < len(ds.HubSpotContacts)/5 {
		t.Errorf("only %d matched contacts with an owner checked", checked)
	}
}
