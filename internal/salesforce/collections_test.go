package salesforce_test

import (
	"fmt"
	"testing"

	"github.com/koppel-sync/koppel/internal/salesforce"
)

func TestCreateRecordsPartialFailure(t *testing.T) {
	e := setup(t, nil)
	records := []salesforce.Record{
		{Type: "Contact", Fields: map[string]any{"LastName": "Lovelace", "Email": "ada@example.com"}},
		{Type: "Contact", Fields: map[string]any{"Email": "nobody@example.com"}},
		{Type: "Lead", Fields: map[string]any{"LastName": "Turing", "Company": "Bletchley", "Status": "Bogus"}},
	}
	res, err := e.client.CreateRecords(e.ctx, records, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 {
		t.Fatalf("results = %d, want 3", len(res))
	}
	if !res[0].Success || res[0].ID == "" {
		t.Errorf("record 0 = %+v, want success", res[0])
	}
	checkRecordError(t, res[1], "REQUIRED_FIELD_MISSING", "LastName")
	checkRecordError(t, res[2], "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Status")
	if got := e.emu.Count("Contact", false); got != 1 {
		t.Errorf("contacts stored = %d, want 1", got)
	}
}

func checkRecordError(t *testing.T, r salesforce.SaveResult, code, field string) {
	t.Helper()
	if r.Success {
		t.Fatalf("result %+v succeeded, want %s", r, code)
	}
	var se *salesforce.Error
	if !asError(r.Err(), &se) {
		t.Fatalf("Err() = %v", r.Err())
	}
	if se.Code != code || se.HTTPStatus != 200 {
		t.Errorf("code = %q status %d, want %s in a 200 result", se.Code, se.HTTPStatus, code)
	}
	if field != "" && (len(se.Fields) != 1 || se.Fields[0] != field) {
		t.Errorf("fields = %v, want [%s]", se.Fields, field)
	}
	if se.Class() != salesforce.ClassPark {
		t.Errorf("class = %v, want park", se.Class())
	}
}

func TestCreateRecordsAllOrNoneRollsBack(t *testing.T) {
	e := setup(t, nil)
	records := []salesforce.Record{
		{Type: "Contact", Fields: map[string]any{"LastName": "Kept?"}},
		{Type: "Contact", Fields: map[string]any{"LastName": "Bad", "Email": "not-an-email"}},
	}
	res, err := e.client.CreateRecords(e.ctx, records, true)
	if err != nil {
		t.Fatal(err)
	}
	var se *salesforce.Error
	if !asError(res[0].Err(), &se) || se.Code != "ALL_OR_NONE_OPERATION_ROLLED_BACK" || se.Class() != salesforce.ClassRetry {
		t.Errorf("record 0 error = %v, want rolled back (retry)", res[0].Err())
	}
	checkRecordError(t, res[1], "INVALID_EMAIL_ADDRESS", "Email")
	if got := e.emu.Count("Contact", true); got != 0 {
		t.Errorf("contacts stored = %d, want 0 after rollback", got)
	}
}

func TestCollectionsChunkAt200(t *testing.T) {
	e := setup(t, nil)
	records := make([]salesforce.Record, 450)
	for i := range records {
		records[i] = salesforce.Record{Type: "Lead", Fields: map[string]any{"LastName": fmt.Sprintf("L%d", i), "Company": "Bulkish"}}
	}
	res, err := e.client.CreateRecords(e.ctx, records, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 450 {
		t.Fatalf("results = %d", len(res))
	}
	if got := e.client.Usage().Calls; got != 3 {
		t.Errorf("calls = %d, want 3 chunks", got)
	}

	ids := make([]string, len(res))
	updates := make([]salesforce.Record, len(res))
	for i, r := range res {
		ids[i] = r.ID
		updates[i] = salesforce.Record{Type: "Lead", ID: r.ID, Fields: map[string]any{"Title": "T"}}
	}
	up, err := e.client.UpdateRecords(e.ctx, updates, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range up {
		if !r.Success {
			t.Fatalf("update %d: %v", i, r.Err())
		}
	}

	got, err := e.client.RetrieveRecords(e.ctx, "Lead", append(ids[:2:2], "00QKP0000000ZZZ"), []string{"Id", "Title"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] == nil || got[0].String("Title") != "T" || got[2] != nil {
		t.Errorf("retrieve = %+v, want two records and a nil", got)
	}

	del, err := e.client.DeleteRecords(e.ctx, ids, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(del) != 450 || !del[449].Success {
		t.Errorf("delete results = %d, last %+v", len(del), del[len(del)-1])
	}
	if n := e.emu.Count("Lead", false); n != 0 {
		t.Errorf("live leads = %d, want 0", n)
	}
}

func TestUpsertRecordsReportsCreated(t *testing.T) {
	e := setup(t, nil)
	mustCreate(t, e, "Contact", map[string]any{"LastName": "Existing", "Sync_Id__c": "a"})
	res, err := e.client.UpsertRecords(e.ctx, "Contact", "Sync_Id__c", []salesforce.Record{
		{Fields: map[string]any{"Sync_Id__c": "a", "FirstName": "Now"}},
		{Fields: map[string]any{"Sync_Id__c": "b", "LastName": "New"}},
		{Fields: map[string]any{"Sync_Id__c": "c"}},
	}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].Success || res[0].Created {
		t.Errorf("a = %+v, want updated", res[0])
	}
	if !res[1].Success || !res[1].Created {
		t.Errorf("b = %+v, want created", res[1])
	}
	checkRecordError(t, res[2], "REQUIRED_FIELD_MISSING", "LastName")
}
