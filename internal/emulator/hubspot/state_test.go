package hubspot_test

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
)

func TestStateKeepsMembershipTimestamps(t *testing.T) {
	leads := &hsemu.FilterBranch{FilterBranchType: "OR", FilterBranches: []hsemu.FilterBranch{{FilterBranchType: "AND",
		Filters: []hsemu.ListFilter{{FilterType: "PROPERTY", Property: "lifecyclestage",
			Operation: &hsemu.ListOperation{OperationType: "ENUMERATION", Operator: "IS_ANY_OF", Values: []string{"lead"}}}}}}}
	first := setup(t, &hsemu.Seed{Lists: []hsemu.SeedList{
		{ID: "7", Name: "Manual", ProcessingType: "MANUAL"},
		{ID: "8", Name: "Leads", ProcessingType: "DYNAMIC", FilterBranch: leads},
	}})

	// Members join a day before the restart, so a timestamp set at load
	// time shows.
	first.clock.Add(-24 * time.Hour)
	joined := first.clock.Now()
	c, err := first.emu.CreateRecord("contacts", map[string]string{"email": "m@example.com", "lifecyclestage": "lead"})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.emu.AddListMembers("7", c.ID); err != nil {
		t.Fatal(err)
	}
	first.clock.Add(24 * time.Hour)

	path := filepath.Join(t.TempDir(), "state.json")
	if err := first.emu.SaveState(path); err != nil {
		t.Fatalf("save: %v", err)
	}
	seed, err := hsemu.LoadSeed(path)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	second := setup(t, seed)
	second.clock.Add(time.Hour)

	for _, listID := range []string{"7", "8"} {
		t.Run("list "+listID, func(t *testing.T) {
			status, body := second.call(t, "GET", "/crm/v3/lists/"+listID+"/memberships", "")
			if status != 200 {
				t.Fatalf("status = %d, body %v", status, body)
			}
			results, _ := body["results"].([]any)
			if len(results) != 1 {
				t.Fatalf("memberships = %v, want one", body)
			}
			m := results[0].(map[string]any)
			if m["recordId"] != c.ID {
				t.Errorf("recordId = %v, want %s", m["recordId"], c.ID)
			}
			want := joined.UTC().Format("2006-01-02T15:04:05.000Z")
			if m["membershipTimestamp"] != want {
				t.Errorf("membershipTimestamp = %v, want %s", m["membershipTimestamp"], want)
			}
		})
	}
}

func TestAdminSaveWritesStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	emu, err := hsemu.New(&hsemu.Seed{Config: hsemu.Config{PrivateAppTokens: []string{token}}}, hsemu.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})
	e := &env{emu: emu, srv: srv}
	c, err := emu.CreateRecord("contacts", map[string]string{"email": "saved@example.com"})
	if err != nil {
		t.Fatal(err)
	}

	status, body := e.call(t, "POST", "/_emulator/save", "")
	if status != 200 || body["path"] != path {
		t.Fatalf("save = %d %v, want 200 with path %s", status, body, path)
	}
	seed, err := hsemu.LoadSeed(path)
	if err != nil {
		t.Fatalf("load saved state: %v", err)
	}
	if len(seed.Contacts) != 1 || seed.Contacts[0].ID != c.ID {
		t.Errorf("saved contacts = %+v, want the one with id %s", seed.Contacts, c.ID)
	}
}

func TestAdminSaveWithoutStateFile(t *testing.T) {
	e := setup(t, nil)
	status, body := e.call(t, "POST", "/_emulator/save", "")
	if status != 409 {
		t.Errorf("status = %d, want 409 (body %v)", status, body)
	}
	if msg, _ := body["message"].(string); !strings.Contains(msg, "--state") {
		t.Errorf("message %q does not name --state", msg)
	}
}
