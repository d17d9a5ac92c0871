package salesforce_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/salesforce"
)

func TestCreateGetUpdateDelete(t *testing.T) {
	e := setup(t, nil)
	id := mustCreate(t, e, "Lead", map[string]any{"FirstName": "Ada", "LastName": "Lovelace", "Company": "Analytical", "Email": "ada@example.com"})
	if len(id) != 18 || id[:3] != "00Q" {
		t.Fatalf("id = %q, want an 18-character lead id", id)
	}

	r, err := e.client.Get(e.ctx, "Lead", id, "Name", "Status", "CreatedDate", "SystemModstamp")
	if err != nil {
		t.Fatal(err)
	}
	if r.String("Name") != "Ada Lovelace" || r.String("Status") != "Open - Not Contacted" {
		t.Errorf("Name %q Status %q", r.String("Name"), r.String("Status"))
	}
	created, err := salesforce.ParseDateTime(r.String("CreatedDate"))
	if err != nil || !created.Equal(e.clock.Now()) {
		t.Errorf("CreatedDate = %q (%v), want the clock's time", r.String("CreatedDate"), err)
	}

	e.clock.Advance(time.Minute)
	if err := e.client.Update(e.ctx, "Lead", id, map[string]any{"Email": nil, "Title": "Countess"}); err != nil {
		t.Fatal(err)
	}
	r, _ = e.client.Get(e.ctx, "Lead", id, "Email", "Title", "LastModifiedDate", "SystemModstamp")
	if r.Fields["Email"] != nil || r.String("Title") != "Countess" {
		t.Errorf("after update: Email %#v Title %q", r.Fields["Email"], r.String("Title"))
	}
	if mod, _ := salesforce.ParseDateTime(r.String("SystemModstamp")); !mod.Equal(e.clock.Now()) {
		t.Errorf("SystemModstamp = %s, want %s", r.String("SystemModstamp"), e.clock.Now())
	}

	if err := e.client.Delete(e.ctx, "Lead", id); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.Get(e.ctx, "Lead", id)
	if got := salesforce.ClassOf(err); got != salesforce.ClassDeleted {
		t.Errorf("get after delete: class %v (%v), want deleted", got, err)
	}
	err = e.client.Update(e.ctx, "Lead", id, map[string]any{"Title": "x"})
	if got := salesforce.ClassOf(err); got != salesforce.ClassDeleted {
		t.Errorf("update after delete: class %v (%v), want deleted", got, err)
	}
}

func TestUpsertByExternalID(t *testing.T) {
	e := setup(t, nil)
	res, err := e.client.Upsert(e.ctx, "Contact", "Sync_Id__c", "hs-1", map[string]any{"LastName": "Hopper"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.ID == "" {
		t.Fatalf("first upsert = %+v, want created", res)
	}
	again, err := e.client.Upsert(e.ctx, "Contact", "Sync_Id__c", "hs-1", map[string]any{"FirstName": "Grace"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.ID != res.ID {
		t.Fatalf("second upsert = %+v, want update of %s", again, res.ID)
	}
	r, _ := e.client.Get(e.ctx, "Contact", res.ID, "Name")
	if r.String("Name") != "Grace Hopper" {
		t.Errorf("Name = %q", r.String("Name"))
	}

	_, err = e.client.Upsert(e.ctx, "Contact", "Title", "x", map[string]any{"LastName": "X"})
	var se *salesforce.Error
	if !asError(err, &se) || se.HTTPStatus != 404 || se.Code != "NOT_FOUND" {
		t.Errorf("upsert on a field that is no external ID: %v, want 404 NOT_FOUND", err)
	}
}

func TestUpsertMultipleMatches(t *testing.T) {
	e := setup(t, nil)
	mustCreate(t, e, "Lead", map[string]any{"LastName": "A", "Company": "C", "Legacy_Id__c": "dup"})
	mustCreate(t, e, "Lead", map[string]any{"LastName": "B", "Company": "C", "Legacy_Id__c": "dup"})
	_, err := e.client.Upsert(e.ctx, "Lead", "Legacy_Id__c", "dup", map[string]any{"Title": "x"})
	var se *salesforce.Error
	if !asError(err, &se) || se.HTTPStatus != http.StatusMultipleChoices || se.Code != "MULTIPLE_CHOICES" {
		t.Fatalf("error = %v, want 300 MULTIPLE_CHOICES", err)
	}
	if se.Class() != salesforce.ClassPark {
		t.Errorf("class = %v, want park", se.Class())
	}
}

func TestDescribeCachedWithIfModifiedSince(t *testing.T) {
	e := setup(t, nil)
	d, err := e.client.Describe(e.ctx, "Lead")
	if err != nil {
		t.Fatal(err)
	}
	status := d.Field("Status")
	if status == nil || !status.RestrictedPicklist || status.RequiredOnCreate() || len(status.PicklistValues) != 4 {
		t.Fatalf("Lead.Status = %+v", status)
	}
	if f := d.Field("LastName"); f == nil || f.Length != 80 || !f.RequiredOnCreate() {
		t.Errorf("Lead.LastName = %+v, want length 80 and required", f)
	}
	if f := d.Field("Company"); f == nil || !f.RequiredOnCreate() {
		t.Errorf("Lead.Company = %+v, want required", f)
	}
	if f := d.Field("HasOptedOutOfEmail"); f == nil || f.Type != "boolean" || !f.Updateable {
		t.Errorf("Lead.HasOptedOutOfEmail = %+v", f)
	}
	if f := d.Field("CreatedDate"); f == nil || f.Createable || f.Updateable {
		t.Errorf("Lead.CreatedDate = %+v, want read-only", f)
	}
	if d.KeyPrefix != "00Q" {
		t.Errorf("keyPrefix = %q", d.KeyPrefix)
	}

	again, err := e.client.Describe(e.ctx, "Lead")
	if err != nil {
		t.Fatal(err)
	}
	if again != d {
		t.Error("second describe did not reuse the cached result after 304")
	}
	if got := e.client.Usage().Calls; got != 2 {
		t.Errorf("calls = %d, want 2", got)
	}

	global, err := e.client.DescribeGlobal(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, o := range global {
		names[o.Name] = o.KeyPrefix
	}
	for name, prefix := range map[string]string{"Lead": "00Q", "Contact": "003", "Account": "001", "Campaign": "701", "CampaignMember": "00v", "User": "005"} {
		if names[name] != prefix {
			t.Errorf("describeGlobal %s prefix = %q, want %q", name, names[name], prefix)
		}
	}
}

func TestGetUpdatedAndDeleted(t *testing.T) {
	e := setup(t, nil)
	start := e.clock.Now().Truncate(time.Minute)
	e.clock.Advance(time.Minute)
	a := mustCreate(t, e, "Contact", map[string]any{"LastName": "A"})
	b := mustCreate(t, e, "Contact", map[string]any{"LastName": "B"})
	if err := e.client.Delete(e.ctx, "Contact", b); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Minute)
	end := e.clock.Now()

	up, err := e.client.GetUpdated(e.ctx, "Contact", start, end)
	if err != nil {
		t.Fatal(err)
	}
	if len(up.IDs) != 1 || up.IDs[0] != a {
		t.Errorf("updated ids = %v, want [%s]", up.IDs, a)
	}
	del, err := e.client.GetDeleted(e.ctx, "Contact", start, end)
	if err != nil {
		t.Fatal(err)
	}
	if len(del.Records) != 1 || del.Records[0].ID != b || del.Records[0].DeletedDate == "" {
		t.Errorf("deleted = %+v, want %s", del.Records, b)
	}
}

func TestLimitsAndUsage(t *testing.T) {
	seed := baseSeed()
	seed.Config.DailyAPILimit = 500
	e := setup(t, seed)
	limits, err := e.client.Limits(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	daily := limits["DailyApiRequests"]
	if daily.Max != 500 || daily.Remaining != 499 {
		t.Errorf("DailyApiRequests = %+v, want Max 500 Remaining 499", daily)
	}
	u := e.client.Usage()
	if u.Used != 1 || u.Max != 500 || u.Calls != 1 || u.Remaining() != 499 {
		t.Errorf("usage = %+v", u)
	}
}
