package hubspot_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
)

func operation(opType, operator string, value any, values ...string) *hsemu.ListOperation {
	op := &hsemu.ListOperation{OperationType: opType, Operator: operator, Values: values}
	if value != nil {
		raw, _ := json.Marshal(value)
		op.Value = raw
	}
	return op
}

// TestDynamicListFilters creates one DYNAMIC list per filter over the same
// three companies and checks which companies each list holds.
func TestDynamicListFilters(t *testing.T) {
	e := setup(t, nil)
	big, _ := e.emu.CreateRecord("companies", map[string]string{"name": "Big Bakery", "numberofemployees": "500", "is_public": "true",
		"industry": "FOOD_BEVERAGES", "closedate": "2025-06-15T12:00:00Z"})
	small, _ := e.emu.CreateRecord("companies", map[string]string{"name": "Small Shop", "numberofemployees": "5", "is_public": "false",
		"industry": "RETAIL", "closedate": "2024-01-01T00:00:00Z"})
	bare, _ := e.emu.CreateRecord("companies", map[string]string{"name": "Bare"})

	june := &hsemu.TimePoint{TimeType: "DATE", Year: 2025, Month: 6, Day: 15, ZoneID: "UTC"}
	cases := []struct {
		name string
		op   *hsemu.ListOperation
		prop string
		want []string
	}{
		{"string equal", operation("STRING", "IS_EQUAL_TO", "big bakery"), "name", []string{big.ID}},
		{"string contains", operation("STRING", "CONTAINS", "sho"), "name", []string{small.ID}},
		{"string starts with", operation("STRING", "STARTS_WITH", "b"), "name", []string{big.ID, bare.ID}},
		{"number greater", operation("NUMBER", "IS_GREATER_THAN", 10), "numberofemployees", []string{big.ID}},
		{"number less or equal", operation("NUMBER", "IS_LESS_THAN_OR_EQUAL_TO", 5), "numberofemployees", []string{small.ID}},
		{"bool true", operation("BOOL", "IS_EQUAL_TO", true), "is_public", []string{big.ID}},
		{"enumeration any of", operation("ENUMERATION", "IS_ANY_OF", nil, "RETAIL", "UTILITIES"), "industry", []string{small.ID}},
		{"enumeration none of", operation("ENUMERATION", "IS_NONE_OF", nil, "RETAIL"), "industry", []string{big.ID}},
		{"datetime on day", &hsemu.ListOperation{OperationType: "DATETIME", Operator: "IS_EQUAL_TO", TimePoint: june}, "closedate", []string{big.ID}},
		{"datetime before", &hsemu.ListOperation{OperationType: "DATETIME", Operator: "IS_BEFORE", TimePoint: june}, "closedate", []string{small.ID}},
		{"known", operation("ALL_PROPERTY", "IS_KNOWN", nil), "industry", []string{big.ID, small.ID}},
		{"unknown", operation("ALL_PROPERTY", "IS_UNKNOWN", nil), "industry", []string{bare.ID}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{
				"name": "filter " + tc.name, "objectTypeId": "0-2", "processingType": "DYNAMIC",
				"filterBranch": hsemu.FilterBranch{FilterBranchType: "OR", FilterBranches: []hsemu.FilterBranch{{
					FilterBranchType: "AND", Filters: []hsemu.ListFilter{{FilterType: "PROPERTY", Property: tc.prop, Operation: tc.op}},
				}}},
			})
			status, resp := e.call(t, "POST", "/crm/v3/lists", string(body))
			if status != 200 {
				t.Fatalf("create list %d: status %d %v", i, status, resp)
			}
			id := resp["list"].(map[string]any)["listId"].(string)
			got, err := e.emu.ListMembers(id)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("members = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSnapshotListDoesNotFollowData(t *testing.T) {
	e := setup(t, nil)
	lead, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "l@example.com", "lifecyclestage": "lead"})
	filter := &hsemu.FilterBranch{FilterBranchType: "OR", FilterBranches: []hsemu.FilterBranch{{FilterBranchType: "AND",
		Filters: []hsemu.ListFilter{{FilterType: "PROPERTY", Property: "lifecyclestage", Operation: operation("ENUMERATION", "IS_ANY_OF", nil, "lead")}}}}}
	body, _ := json.Marshal(map[string]any{"name": "Leads then", "objectTypeId": "0-1", "processingType": "SNAPSHOT", "filterBranch": filter})
	_, resp := e.call(t, "POST", "/crm/v3/lists", string(body))
	id := resp["list"].(map[string]any)["listId"].(string)

	later, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "m@example.com", "lifecyclestage": "lead"})
	if _, err := e.emu.UpdateRecord("contacts", lead.ID, map[string]string{"lifecyclestage": "customer"}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.emu.ListMembers(id)
	if !slices.Equal(got, []string{lead.ID}) {
		t.Errorf("snapshot members = %v, want only %s (not %s)", got, lead.ID, later.ID)
	}
	if status, _ := e.call(t, "PUT", "/crm/v3/lists/"+id+"/memberships/add", `["`+later.ID+`"]`); status != 200 {
		t.Errorf("add to SNAPSHOT list: status %d, want 200", status)
	}
}

func TestArchivedRecordLeavesLists(t *testing.T) {
	e := setup(t, &hsemu.Seed{Lists: []hsemu.SeedList{{ID: "900", Name: "Manual", ProcessingType: "MANUAL"}}})
	c, _ := e.emu.CreateRecord("contacts", map[string]string{"email": "a@example.com"})
	if err := e.emu.AddListMembers("900", c.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.emu.ArchiveRecord("contacts", c.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.emu.ListMembers("900"); len(got) != 0 {
		t.Errorf("archived contact still a member: %v", got)
	}
}

func TestLatencyFault(t *testing.T) {
	e := setup(t, &hsemu.Seed{Config: hsemu.Config{Faults: hsemu.Faults{Latency: hsemu.Duration(80 * time.Millisecond)}}})
	start := time.Now()
	if status, _ := e.call(t, "GET", "/crm/v3/objects/contacts", ""); status != 200 {
		t.Fatalf("status %d", status)
	}
	if took := time.Since(start); took < 80*time.Millisecond {
		t.Errorf("call took %s, want at least the injected 80ms", took)
	}
	if err := e.emu.SetFaults(hsemu.Faults{ServerErrors: 2}); err == nil {
		t.Error("SetFaults accepted a share of 2")
	}
}
