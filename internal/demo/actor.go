package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// actor edits records in both emulators the way a person in each UI
// would, so the live phase has changes to carry across.
type actor struct {
	d   *demo
	rnd *rand.Rand

	// IDs of generated records without a defect, so the edits do not
	// change which records are parked.
	hubspotContacts    []string
	salesforceContacts []string
	salesforceLeads    []string

	edits int
}

var (
	actorTitles = []string{"Inkoper", "Marketingmanager", "Directeur", "Office manager", "Salesmanager",
		"Controller", "HR-adviseur", "Projectleider", "Accountmanager", "Operationeel manager"}
	actorFirstNames = []string{"Sanne", "Daan", "Lotte", "Bram", "Femke", "Thijs", "Anouk", "Ruben", "Lieke", "Joris"}
	actorLastNames  = []string{"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Peeters", "Claes"}
)

func newActor(d *demo) *actor {
	a := &actor{d: d, rnd: rand.New(rand.NewPCG(d.opts.Seed, 0x6163746f72))}
	defective := map[string]bool{}
	for _, e := range d.ds.Manifest.Entries {
		defective[e.ID] = true
		for _, r := range e.Related {
			defective[r[strings.LastIndex(r, ":")+1:]] = true
		}
	}
	for _, r := range d.ds.HubSpotContacts {
		if !defective[r.ID] {
			a.hubspotContacts = append(a.hubspotContacts, r.ID)
		}
	}
	for _, c := range d.ds.Contacts {
		if !defective[c.Id] && c.Email != "" {
			a.salesforceContacts = append(a.salesforceContacts, c.Id)
		}
	}
	for _, l := range d.ds.Leads {
		if !defective[l.Id] && !l.IsConverted && l.Email != "" {
			a.salesforceLeads = append(a.salesforceLeads, l.Id)
		}
	}
	return a
}

// run makes one edit every interval until ctx ends.
func (a *actor) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := a.edit(); err != nil {
			a.d.log.Warn("demo edit failed", "edit", a.edits, "error", err)
		}
	}
}

// edit makes the next edit, alternating between the sides.
func (a *actor) edit() error {
	a.edits++
	emus := a.d.emus
	switch a.edits % 6 {
	case 1:
		id, ok := pick(a.rnd, a.hubspotContacts)
		if !ok {
			return nil
		}
		title := pickString(a.rnd, actorTitles)
		a.d.log.Debug("demo edit", "side", "hubspot", "contact_id", id, "property", "jobtitle")
		_, err := emus.hubspot.UpdateRecord("contacts", id, map[string]string{"jobtitle": title})
		return err
	case 2:
		id, ok := pick(a.rnd, a.salesforceContacts)
		if !ok {
			return nil
		}
		a.d.log.Debug("demo edit", "side", "salesforce", "record_id", id, "field", "Title")
		return emus.salesforce.Update(id, map[string]any{"Title": pickString(a.rnd, actorTitles)})
	case 3:
		first, last := pickString(a.rnd, actorFirstNames), pickString(a.rnd, actorLastNames)
		a.d.log.Debug("demo edit", "side", "hubspot", "action", "form submission")
		_, err := emus.hubspot.SubmitForm(map[string]string{
			"email": a.newEmail(first, last), "firstname": first, "lastname": last, "company": "Demo Voorbeeld B.V.",
		})
		return err
	case 4:
		id, ok := pick(a.rnd, a.salesforceLeads)
		if !ok {
			return nil
		}
		a.d.log.Debug("demo edit", "side", "salesforce", "record_id", id, "field", "Phone")
		return emus.salesforce.Update(id, map[string]any{"Phone": a.phone()})
	case 5:
		id, ok := pick(a.rnd, a.hubspotContacts)
		if !ok {
			return nil
		}
		a.d.log.Debug("demo edit", "side", "hubspot", "contact_id", id, "property", "phone")
		_, err := emus.hubspot.UpdateRecord("contacts", id, map[string]string{"phone": a.phone()})
		return err
	default:
		first, last := pickString(a.rnd, actorFirstNames), pickString(a.rnd, actorLastNames)
		a.d.log.Debug("demo edit", "side", "salesforce", "action", "create lead")
		_, err := emus.salesforce.Create("Lead", map[string]any{
			"FirstName": first, "LastName": last, "Company": "Voorbeeld Handel B.V.", "Email": a.newEmail(first, last),
		})
		return err
	}
}

// newEmail returns an address no generated person has: the generator
// never uses the demo-voorbeeld.nl domain.
func (a *actor) newEmail(first, last string) string {
	local := strings.ToLower(strings.ReplaceAll(first+"."+last, " ", ""))
	return fmt.Sprintf("%s.%d@demo-voorbeeld.nl", local, a.edits)
}

func (a *actor) phone() string {
	return fmt.Sprintf("+31 20 %03d %04d", a.rnd.IntN(1000), a.rnd.IntN(10000))
}

func pick(r *rand.Rand, ids []string) (string, bool) {
	if len(ids) == 0 {
		return "", false
	}
	return ids[r.IntN(len(ids))], true
}

func pickString(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }
