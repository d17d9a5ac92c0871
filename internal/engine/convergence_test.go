package engine_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// envInt reads a positive integer from the environment, else def.
func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("invalid %s=%q: use a positive whole number", name, s)
	}
	return n
}

// convergenceFields are the fields the random edits touch, with the
// Salesforce field on each object.
var convergenceFields = []struct {
	hs, lead, contact string
}{
	{"firstname", "FirstName", "FirstName"},
	{"lastname", "LastName", "LastName"},
	{"jobtitle", "Title", "Title"},
	{"city", "City", "MailingCity"},
	{"phone", "Phone", "Phone"},
}

var convergenceValues = []string{"", "Anna", "Bram", "Cor", "Dewi", "Eline", "Floor"}

// TestConvergence applies random creates, edits and clears on both sides
// between cycles, then syncs until quiet and checks that both sides agree
// wherever the rules require it, that no email has two HubSpot
// contacts, that the sync created no Salesforce record twice, and that
// one more cycle plans nothing.
//
// KOPPEL_CONVERGENCE_SEED picks the random seed (printed on failure) and
// KOPPEL_CONVERGENCE_OPS the number of operations (default 2,000).
func TestConvergence(t *testing.T) {
	seed := uint64(envInt(t, "KOPPEL_CONVERGENCE_SEED", 20260302))
	ops := envInt(t, "KOPPEL_CONVERGENCE_OPS", 2000)
	if testing.Short() {
		ops = min(ops, 300)
	}
	t.Logf("seed %d, %d operations; rerun with KOPPEL_CONVERGENCE_SEED=%d KOPPEL_CONVERGENCE_OPS=%d", seed, ops, seed, ops)
	defer func() {
		if t.Failed() {
			t.Logf("failed with seed %d: rerun with KOPPEL_CONVERGENCE_SEED=%d KOPPEL_CONVERGENCE_OPS=%d", seed, seed, ops)
		}
	}()

	set, err := mapping.NewSet(enginetest.DefaultMappings(t)...)
	if err != nil {
		t.Fatal(err)
	}
	for id, rule := range map[string]mapping.Rule{
		"contact.jobtitle": mapping.TwoWay,
		"contact.city":     mapping.PreferHubSpotUnlessBlank,
		"contact.phone":    mapping.AlwaysSalesforce,
	} {
		if err := set.SetRule(id, rule); err != nil {
			t.Fatal(err)
		}
	}
	env := enginetest.Setup(t, enginetest.Options{Mappings: set.All(), PageSize: 50})
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))

	emails := make([]string, 120)
	for i := range emails {
		emails[i] = fmt.Sprintf("p%03d@example.nl", i)
	}
	var hsIDs []string
	var sfRecs []sfRec
	testCreated := map[string]bool{}

	pick := func(vals []string) string { return vals[rng.IntN(len(vals))] }
	rounds := max(ops/50, 1)
	for i := range ops {
		switch op := rng.IntN(10); {
		case op == 0:
			props := map[string]string{"email": pick(emails)}
			if rng.IntN(20) == 0 {
				delete(props, "email")
			}
			for _, f := range convergenceFields {
				if v := pick(convergenceValues); v != "" {
					props[f.hs] = v
				}
			}
			if r, err := env.HubSpotEmulator.CreateRecord("contacts", props); err == nil {
				hsIDs = append(hsIDs, r.ID)
			}
		case op == 1:
			object := "Lead"
			fields := map[string]any{"Email": pick(emails), "LastName": "Last" + pick(convergenceValues[1:]), "Company": "Acme"}
			if rng.IntN(2) == 0 {
				object = "Contact"
				delete(fields, "Company")
			}
			id := env.CreateRecord(t, object, fields)
			sfRecs = append(sfRecs, sfRec{id, object})
			testCreated[id] = true
		case op < 6 && len(hsIDs) > 0:
			f := convergenceFields[rng.IntN(len(convergenceFields))]
			env.UpdateContact(t, hsIDs[rng.IntN(len(hsIDs))], map[string]string{f.hs: pick(convergenceValues)})
		case len(sfRecs) > 0:
			r := sfRecs[rng.IntN(len(sfRecs))]
			f := convergenceFields[rng.IntN(len(convergenceFields))]
			name := f.lead
			if r.object == "Contact" {
				name = f.contact
			}
			var v any
			if s := pick(convergenceValues); s != "" {
				v = s
			} else if name == "LastName" {
				v = "Required"
			}
			env.UpdateRecord(t, r.id, map[string]any{name: v})
		}

		if (i+1)%(ops/rounds) == 0 {
			env.Sync(t)
			// Records the sync created join the pool of records people edit.
			hsIDs, sfRecs = allHubSpot(t, env), allSalesforce(t, env)
		}
	}
	n := env.SyncUntilQuiet(t, 10)
	t.Logf("quiet after %d more cycles; %d HubSpot contacts, %d Salesforce records", n, len(allHubSpot(t, env)), len(allSalesforce(t, env)))

	checkOneContactPerEmail(t, env)
	checkNoDoubleCreates(t, env, testCreated)
	checkAgreement(t, env, set.All())
	if items := env.Plan(t); len(items) != 0 {
		t.Errorf("one more cycle still plans %d writes, first: %+v", len(items), items[0])
	}
	for _, e := range env.OpenErrors(t) {
		if e.Code != "EMAIL_MISSING" {
			t.Errorf("open sync error: %+v", e)
		}
	}
}

func allHubSpot(t *testing.T, env *enginetest.Env) []string {
	t.Helper()
	var ids []string
	for o, err := range env.HubSpot.ListAll(context.Background(), "contacts", hubspotListOptions()) {
		if err != nil {
			t.Fatalf("list HubSpot contacts: %v", err)
		}
		ids = append(ids, o.ID)
	}
	return ids
}

// sfRec is a Salesforce record the random edits can touch.
type sfRec struct{ id, object string }

func allSalesforce(t *testing.T, env *enginetest.Env) []sfRec {
	t.Helper()
	var out []sfRec
	for _, object := range []string{"Lead", "Contact"} {
		for r, err := range env.Salesforce.Records(context.Background(), "SELECT Id FROM "+object, salesforceQueryOptions()) {
			if err != nil {
				t.Fatalf("list Salesforce %s: %v", object, err)
			}
			out = append(out, sfRec{r.ID, object})
		}
	}
	return out
}

func checkOneContactPerEmail(t *testing.T, env *enginetest.Env) {
	t.Helper()
	seen := map[string]string{}
	for o, err := range env.HubSpot.ListAll(context.Background(), "contacts", hubspotListOptions("email")) {
		if err != nil {
			t.Fatal(err)
		}
		e := engine.NormalizeEmail(o.Properties["email"])
		if e == "" {
			continue
		}
		if other, dup := seen[e]; dup {
			t.Errorf("email %s has two HubSpot contacts: %s and %s", e, other, o.ID)
		}
		seen[e] = o.ID
	}
}

// checkNoDoubleCreates checks that, per email, the sync created at most
// one Salesforce record.
func checkNoDoubleCreates(t *testing.T, env *enginetest.Env, testCreated map[string]bool) {
	t.Helper()
	byEmail := map[string][]string{}
	for _, object := range []string{"Lead", "Contact"} {
		for r, err := range env.Salesforce.Records(context.Background(), "SELECT Id, Email FROM "+object, salesforceQueryOptions()) {
			if err != nil {
				t.Fatal(err)
			}
			if !testCreated[r.ID] {
				e := engine.NormalizeEmail(r.String("Email"))
				byEmail[e] = append(byEmail[e], r.ID)
			}
		}
	}
	for e, ids := range byEmail {
		if len(ids) > 1 {
			t.Errorf("the sync created %d Salesforce records for %s: %v", len(ids), e, ids)
		}
	}
}

// checkAgreement compares both records of every link field by field
// with what each rule requires once the sync is quiet.
func checkAgreement(t *testing.T, env *enginetest.Env, ms []mapping.Mapping) {
	t.Helper()
	links, err := env.Store.ListLinks(context.Background(), store.LinkQuery{ConnectionID: env.ConnectionID, Page: store.Page{Limit: store.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	if len(links) == store.MaxPageSize {
		t.Fatalf("more than %d links; page through them", store.MaxPageSize)
	}
	for _, l := range links {
		h := env.Contact(t, l.HubSpotID)
		s := env.Record(t, l.SalesforceID)
		for _, m := range ms {
			f, ok := m.Field(string(l.SalesforceObject))
			if !ok || m.Rule == mapping.DontSync || m.Kind == mapping.KindOwner {
				// Owners cross as ids of different systems; owners_test.go
				// checks them.
				continue
			}
			hv, sv := h[m.HubSpot.Name], enginetest.Str(s[f.Name])
			if m.Kind == mapping.KindOptOut {
				hv, sv = strconv.FormatBool(hv == "true"), strconv.FormatBool(sv == "true")
			}
			if sv == env.Settings.Placeholder && (f.Name == "LastName" || f.Name == "Company") {
				// The placeholder stands for a blank in a required field.
				sv = ""
			}
			if !agrees(m.Rule, hv, sv) {
				t.Errorf("link %d %s: HubSpot %s=%q, Salesforce %s=%q disagree under %s", l.ID, l.Email, m.HubSpot.Name, hv, f.Name, sv, m.Rule)
			}
		}
	}
}

// agrees reports whether a quiet pair's values satisfy rule. Under the
// "always" rules the source side may be blank while the other keeps its
// own value, because a blank source never writes.
func agrees(rule mapping.Rule, h, s string) bool {
	switch rule {
	case mapping.PreferSalesforceUnlessBlank, mapping.PreferHubSpotUnlessBlank, mapping.TwoWay:
		return h == s
	case mapping.AlwaysSalesforce:
		return s == "" || h == s
	case mapping.AlwaysHubSpot:
		return h == "" || h == s
	}
	return true
}
