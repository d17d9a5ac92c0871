package hubspot_test

import (
	"encoding/json"
	"slices"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

func TestEnsureKoppelProperties(t *testing.T) {
	e := setup(t)
	created, err := e.client.EnsureKoppelProperties(e.ctx)
	if err != nil {
		t.Fatalf("ensure: %v", err)
	}
	want := []string{"contacts.salesforceleadid", "contacts.salesforcecontactid", "contacts.salesforceobjecttype",
		"contacts.salesforcecampaignids", "contacts.salesforcecampaignnames", "contacts.salesforcelastsynctime", "companies.salesforceaccountid", "companies.salesforcelastsynctime"}
	for _, w := range want {
		if !slices.Contains(created, w) {
			t.Errorf("did not create %s (created %v)", w, created)
		}
	}
	again, err := e.client.EnsureKoppelProperties(e.ctx)
	if err != nil || len(again) != 0 {
		t.Errorf("second ensure created %v (%v), want nothing", again, err)
	}

	p, err := e.client.Property(e.ctx, hubspot.Contacts, "salesforceobjecttype")
	if err != nil {
		t.Fatal(err)
	}
	if p.GroupName != "koppel" || p.Type != "enumeration" || len(p.Options) != 2 || p.ReadOnly() {
		t.Errorf("salesforceobjecttype = %+v", p)
	}
	if _, err := e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "l@example.com", "salesforceleadid": "00Q000000000001"}); err != nil {
		t.Errorf("write salesforceleadid: %v", err)
	}
	_, err = e.client.Create(e.ctx, hubspot.Contacts, map[string]string{"email": "m@example.com", "salesforceleadid": "00Q000000000001"})
	if he := asError(t, err); he.Status != 409 {
		t.Errorf("second contact with the same salesforceleadid: status %d, want 409", he.Status)
	}
	results, err := e.client.BatchUpsert(e.ctx, hubspot.Contacts, []hubspot.BatchInput{
		{ID: "00Q000000000001", IDProperty: "salesforceleadid", Properties: map[string]string{"firstname": "Linked"}},
	})
	if err != nil || results[0].Err != nil || results[0].Object.New {
		t.Errorf("upsert by salesforceleadid = %+v (%v), want an update of the linked contact", results, err)
	}
}

func TestEnsureKoppelPropertiesTypeClash(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, _ *hubspot.Config) {
		s.Properties = []hsemu.SeedProperty{{ObjectType: "contacts", Name: "salesforcelastsynctime", Label: "Old", Type: "string", FieldType: "text", GroupName: "contactinformation"}}
	})
	if _, err := e.client.EnsureKoppelProperties(e.ctx); err == nil {
		t.Error("ensure accepted salesforcelastsynctime of type string")
	}
}

func TestDefaultPropertiesHaveRealTypes(t *testing.T) {
	e := setup(t)
	props, err := e.client.Properties(e.ctx, hubspot.Contacts)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]hubspot.Property{}
	for _, p := range props {
		byName[p.Name] = p
	}
	checks := []struct{ name, typ, field string }{
		{"email", "string", "text"}, {"lifecyclestage", "enumeration", "radio"}, {"hs_lead_status", "enumeration", "radio"},
		{"hs_email_optout", "bool", "booleancheckbox"}, {"lastmodifieddate", "datetime", "date"}, {"hs_buying_role", "enumeration", "checkbox"},
	}
	for _, c := range checks {
		p, ok := byName[c.name]
		if !ok {
			t.Errorf("missing property %s", c.name)
			continue
		}
		if p.Type != c.typ || p.FieldType != c.field {
			t.Errorf("%s is %s/%s, want %s/%s", c.name, p.Type, p.FieldType, c.typ, c.field)
		}
	}
	if !byName["lastmodifieddate"].ReadOnly() || byName["email"].ReadOnly() {
		t.Error("read-only flags wrong for lastmodifieddate or email")
	}
}

func TestOwners(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, _ *hubspot.Config) {
		for i := range 120 {
			s.Owners = append(s.Owners, hsemu.Owner{ID: "7" + itoa(1000+i), Email: "owner" + itoa(i) + "@example.com", UserID: int64(i + 1)})
		}
		s.Owners = append(s.Owners, hsemu.Owner{ID: "999", Email: "gone@example.com", Archived: true})
	})
	all, err := e.client.Owners(e.ctx, hubspot.OwnersOptions{})
	if err != nil || len(all) != 120 {
		t.Fatalf("owners = %d (%v), want 120 over two pages", len(all), err)
	}
	one, err := e.client.Owners(e.ctx, hubspot.OwnersOptions{Email: "OWNER7@example.com"})
	if err != nil || len(one) != 1 || one[0].UserID != 8 {
		t.Errorf("owner by email = %+v (%v)", one, err)
	}
	archived, err := e.client.Owners(e.ctx, hubspot.OwnersOptions{Archived: true})
	if err != nil || len(archived) != 1 || archived[0].ID != "999" {
		t.Errorf("archived owners = %+v (%v)", archived, err)
	}
	if _, err := e.client.Owner(e.ctx, "404404"); hubspot.ClassOf(err) != hubspot.ClassDeleted {
		t.Errorf("unknown owner: %v, want not found", err)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestAssociations(t *testing.T) {
	e := setup(t)
	c := mustCreate(t, e, "contacts", map[string]string{"email": "a@example.com"})
	co1 := mustCreate(t, e, "companies", map[string]string{"name": "One"})
	co2 := mustCreate(t, e, "companies", map[string]string{"name": "Two"})

	if err := e.client.AssociateDefault(e.ctx, hubspot.Contacts, c.ID, hubspot.Companies, co1.ID); err != nil {
		t.Fatalf("default: %v", err)
	}
	if err := e.client.SetPrimaryCompany(e.ctx, c.ID, co2.ID); err != nil {
		t.Fatalf("primary: %v", err)
	}
	got, err := e.client.Associations(e.ctx, hubspot.Contacts, c.ID, hubspot.Companies)
	if err != nil || len(got) != 2 {
		t.Fatalf("associations = %+v (%v)", got, err)
	}
	if !got[0].HasType(hubspot.TypeContactToCompany) || got[0].HasType(hubspot.TypeContactToPrimaryCompany) {
		t.Errorf("company One types = %+v, want unlabeled only", got[0].Types)
	}
	if !got[1].HasType(hubspot.TypeContactToPrimaryCompany) {
		t.Errorf("company Two types = %+v, want primary", got[1].Types)
	}
	rec, _ := e.emu.Get("contacts", c.ID)
	if rec.Properties["associatedcompanyid"] != co2.ID {
		t.Errorf("associatedcompanyid = %q, want %s", rec.Properties["associatedcompanyid"], co2.ID)
	}

	back, err := e.client.BatchReadAssociations(e.ctx, hubspot.Companies, hubspot.Contacts, []string{co1.ID, co2.ID})
	if err != nil {
		t.Fatalf("batch read: %v", err)
	}
	if len(back[co2.ID]) != 1 || !back[co2.ID][0].HasType(hubspot.TypeCompanyToPrimaryContact) || back[co2.ID][0].ToObjectID != c.ID {
		t.Errorf("company Two contacts = %+v", back[co2.ID])
	}

	if err := e.client.RemoveAssociations(e.ctx, hubspot.Contacts, c.ID, hubspot.Companies, co2.ID); err != nil {
		t.Fatalf("remove: %v", err)
	}
	rec, _ = e.emu.Get("contacts", c.ID)
	if _, ok := rec.Properties["associatedcompanyid"]; ok {
		t.Errorf("associatedcompanyid still %q after removing the primary company", rec.Properties["associatedcompanyid"])
	}

	if err := e.client.BatchAssociateDefault(e.ctx, hubspot.Contacts, hubspot.Companies, []hubspot.AssociationPair{{FromID: c.ID, ToID: co2.ID}}); err != nil {
		t.Fatalf("batch default: %v", err)
	}
	if err := e.client.BatchRemoveAssociations(e.ctx, hubspot.Contacts, hubspot.Companies, []hubspot.AssociationPair{{FromID: c.ID, ToID: co1.ID}}); err != nil {
		t.Fatalf("batch remove: %v", err)
	}
	got, _ = e.client.Associations(e.ctx, hubspot.Contacts, c.ID, hubspot.Companies)
	if len(got) != 1 || got[0].ToObjectID != co2.ID {
		t.Errorf("after batch calls associations = %+v, want only %s", got, co2.ID)
	}

	obj, err := e.client.Get(e.ctx, hubspot.Contacts, c.ID, hubspot.GetOptions{Associations: []string{"companies"}})
	if err != nil || len(obj.Associations["companies"]) == 0 || obj.Associations["companies"][0].ID != co2.ID {
		t.Errorf("get with associations = %+v (%v)", obj.Associations, err)
	}
}

func TestManualListMemberships(t *testing.T) {
	e := setup(t)
	var ids []string
	for i := range 300 {
		ids = append(ids, mustCreate(t, e, "contacts", map[string]string{"email": "m" + itoa(i) + "@example.com"}).ID)
	}
	list, err := e.client.CreateList(e.ctx, hubspot.ListCreate{Name: "Campaign: Spring", ObjectTypeID: "0-1", ProcessingType: "MANUAL"})
	if err != nil {
		t.Fatalf("create list: %v", err)
	}

	change, err := e.client.AddListMembers(e.ctx, list.ListID, append(ids, "987654321"))
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	if len(change.Added) != 300 || len(change.Missing) != 1 {
		t.Errorf("added %d missing %v, want 300 and the unknown id", len(change.Added), change.Missing)
	}
	var members []string
	for m, err := range e.client.Memberships(e.ctx, list.ListID) {
		if err != nil {
			t.Fatalf("memberships: %v", err)
		}
		members = append(members, m.RecordID)
	}
	if len(members) != 300 || !slices.IsSorted(members) {
		t.Errorf("memberships: %d members, sorted %v", len(members), slices.IsSorted(members))
	}
	joined := 0
	for _, err := range e.client.MembershipsJoinOrder(e.ctx, list.ListID) {
		if err != nil {
			t.Fatalf("join order: %v", err)
		}
		joined++
	}
	if joined != 300 {
		t.Errorf("join-order members = %d, want 300", joined)
	}

	if _, err := e.client.RemoveListMembers(e.ctx, list.ListID, ids[:10]); err != nil {
		t.Fatalf("remove: %v", err)
	}
	lists, err := e.client.RecordLists(e.ctx, "0-1", ids[20])
	if err != nil || len(lists) != 1 || lists[0].ListID != list.ListID {
		t.Errorf("record lists = %+v (%v)", lists, err)
	}
	if lists, _ := e.client.RecordLists(e.ctx, "0-1", ids[0]); len(lists) != 0 {
		t.Errorf("removed record still in lists %+v", lists)
	}
	byName, err := e.client.ListByName(e.ctx, "0-1", "Campaign: Spring")
	if err != nil || byName.ListID != list.ListID || byName.Size != 290 {
		t.Errorf("list by name = %+v (%v), want size 290", byName, err)
	}
	found, err := e.client.SearchLists(e.ctx, "spring", "MANUAL")
	if err != nil || len(found) != 1 {
		t.Errorf("search lists = %+v (%v)", found, err)
	}
}

func TestDynamicListFollowsData(t *testing.T) {
	filter := json.RawMessage(`{"filterBranchType":"OR","filterBranches":[{"filterBranchType":"AND","filters":[
		{"filterType":"PROPERTY","property":"lifecyclestage","operation":{"operationType":"ENUMERATION","operator":"IS_ANY_OF","values":["customer"]}}]}]}`)
	e := setup(t)
	a := mustCreate(t, e, "contacts", map[string]string{"email": "a@example.com", "lifecyclestage": "customer"})
	b := mustCreate(t, e, "contacts", map[string]string{"email": "b@example.com", "lifecyclestage": "lead"})

	list, err := e.client.CreateList(e.ctx, hubspot.ListCreate{Name: "Customers", ObjectTypeID: "0-1", ProcessingType: "DYNAMIC", FilterBranch: filter})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	members := func() []string {
		var out []string
		for m, err := range e.client.Memberships(e.ctx, list.ListID) {
			if err != nil {
				t.Fatalf("memberships: %v", err)
			}
			out = append(out, m.RecordID)
		}
		return out
	}
	if got := members(); !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("members = %v, want [%s]", got, a.ID)
	}

	if _, err := e.client.Update(e.ctx, hubspot.Contacts, b.ID, map[string]string{"lifecyclestage": "customer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.emu.UpdateRecord("contacts", a.ID, map[string]string{"lifecyclestage": "evangelist"}); err != nil {
		t.Fatal(err)
	}
	if got := members(); !slices.Equal(got, []string{b.ID}) {
		t.Errorf("members after changes = %v, want [%s]", got, b.ID)
	}

	_, err = e.client.AddListMembers(e.ctx, list.ListID, []string{a.ID})
	if he := asError(t, err); he.Status != 400 || he.Class() != hubspot.ClassPark {
		t.Errorf("add to DYNAMIC list: status %d class %v, want 400 park", he.Status, he.Class())
	}
	got, err := e.client.GetList(e.ctx, list.ListID, true)
	if err != nil || got.ProcessingType != "DYNAMIC" || len(got.FilterBranch) == 0 {
		t.Errorf("get list = %+v (%v)", got, err)
	}
}

func TestCommunicationPreferences(t *testing.T) {
	e := setup(t)
	c := mustCreate(t, e, "contacts", map[string]string{"email": "news@example.com"})

	st, err := e.client.OptOut(e.ctx, "news@example.com")
	if err != nil || st.OptedOut {
		t.Fatalf("opt-out before = %+v (%v), want not opted out", st, err)
	}
	if err := e.client.UnsubscribeAll(e.ctx, "news@example.com"); err != nil {
		t.Fatalf("unsubscribe all: %v", err)
	}
	st, err = e.client.OptOut(e.ctx, "news@example.com")
	if err != nil || !st.OptedOut || st.Since.IsZero() {
		t.Errorf("opt-out after = %+v (%v), want opted out with a time", st, err)
	}
	rec, _ := e.emu.Get("contacts", c.ID)
	if rec.Properties["hs_email_optout"] != "true" {
		t.Errorf("hs_email_optout = %q, want true", rec.Properties["hs_email_optout"])
	}
	statuses, err := e.client.SubscriptionStatuses(e.ctx, "news@example.com")
	if err != nil || len(statuses) == 0 {
		t.Fatalf("statuses = %+v (%v)", statuses, err)
	}
	for _, s := range statuses {
		if s.Status != "UNSUBSCRIBED" {
			t.Errorf("subscription %s status %s, want UNSUBSCRIBED", s.SubscriptionID, s.Status)
		}
	}
	if err := e.client.UnsubscribeAll(e.ctx, "not-an-email"); hubspot.ClassOf(err) != hubspot.ClassPark {
		t.Errorf("invalid email: %v, want a 400 park", err)
	}
}

func TestDailyUsage(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, _ *hubspot.Config) { s.Config.RateLimits = hsemu.RateLimits{Daily: 500} })
	for range 3 {
		if _, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	usage, err := e.client.DailyUsage(e.ctx)
	if err != nil || len(usage) != 1 {
		t.Fatalf("usage = %+v (%v)", usage, err)
	}
	if usage[0].UsageLimit != 500 || usage[0].CurrentUsage != 4 {
		t.Errorf("usage = %+v, want limit 500 and 4 calls counted", usage[0])
	}
}
