package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/store"
)

// linkedEmail returns the email of a person the first cycle linked.
func (f *connectFixture) linkedEmail(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	c, err := connection.Open(ctx, f.dir, connection.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	links, err := c.Store.ListLinks(ctx, store.LinkQuery{ConnectionID: c.Record.ID, Kind: store.LinkContact, Page: store.Page{Limit: 1}})
	if err != nil || len(links) == 0 {
		t.Fatalf("list links: %d links, %v", len(links), err)
	}
	return links[0].Email
}

// explainOutput is the part of koppel --json explain the tests read.
type explainOutput struct {
	Link *struct {
		ID int64 `json:"id"`
	} `json:"link"`
	Next struct {
		Action string `json:"action"`
		Fields []struct {
			Field           string `json:"field"`
			SalesforceField string `json:"salesforce_field"`
			HubSpot         any    `json:"hubspot"`
		} `json:"fields"`
	} `json:"next"`
	Audit []struct {
		Field    string `json:"field"`
		NewValue any    `json:"new_value"`
	} `json:"audit"`
	Errors []struct {
		Code string `json:"code"`
	} `json:"errors"`
}

func TestExplainParkedRecordShowsValues(t *testing.T) {
	f, _ := connectDefects(t)
	f.syncOnce(t)

	var parked store.SyncError
	for _, se := range f.openErrors(t) {
		if se.Side == store.HubSpot && se.LinkID == 0 && se.Code == "TOO_LONG" {
			parked = se
		}
	}
	if parked.RecordID == "" {
		t.Fatal("no unlinked HubSpot contact parked with TOO_LONG")
	}

	code, out, errOut := f.koppel("--json", "explain", parked.RecordID)
	var x explainOutput
	if err := json.Unmarshal([]byte(out), &x); err != nil {
		t.Fatalf("--json explain %s: exit %d: %v\nstderr %s", parked.RecordID, code, err, errOut)
	}
	if x.Next.Action != "park" {
		t.Errorf("next action = %q, want park", x.Next.Action)
	}
	blamed := false
	withValue := 0
	for _, fp := range x.Next.Fields {
		if fp.HubSpot != nil {
			withValue++
		}
		if fp.SalesforceField == parked.Fields[0] {
			blamed = true
			if s, _ := fp.HubSpot.(string); len(s) < 128 {
				t.Errorf("%s shows %q, want the value that is too long", fp.Field, s)
			}
		}
	}
	if withValue == 0 {
		t.Errorf("no mapped field shows a HubSpot value: %s", out)
	}
	if !blamed {
		t.Errorf("fields lack %s, the field the error names", parked.Fields[0])
	}

	code, out, errOut = f.koppel("--lang", "nl", "explain", parked.RecordID)
	if code != 0 {
		t.Fatalf("explain: exit %d, stderr %s", code, errOut)
	}
	if !strings.Contains(out, "open fout: TOO_LONG") {
		t.Errorf("explain does not show the open error beside its field:\n%s", out)
	}
	if !strings.Contains(out, "Niet gekoppeld.") || strings.Contains(out, "not linked") {
		t.Errorf("explain is not in Dutch:\n%s", out)
	}
}

func TestExplainAuditShowsPlainValues(t *testing.T) {
	f := setupConnect(t)
	f.connectBoth(t)
	f.syncOnce(t)

	c := f.linkedEmail(t)
	code, out, errOut := f.koppel("--json", "explain", c)
	var x explainOutput
	if err := json.Unmarshal([]byte(out), &x); err != nil {
		t.Fatalf("--json explain: exit %d: %v\nstderr %s", code, err, errOut)
	}
	if x.Link == nil || len(x.Audit) == 0 {
		t.Fatalf("explain of a synced person has no link or audit: %s", out)
	}
	for _, a := range x.Audit {
		if s, ok := a.NewValue.(string); ok && strings.HasPrefix(s, "t:") {
			t.Errorf("audit %s: new value %q carries the base-value encoding", a.Field, s)
		}
	}

	_, out, _ = f.koppel("--lang", "en", "explain", c)
	for _, encoded := range []string{"absent", " t:", "_link:"} {
		if strings.Contains(out, encoded) {
			t.Errorf("explain shows %q:\n%s", encoded, out)
		}
	}
}
