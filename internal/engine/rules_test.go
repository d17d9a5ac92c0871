package engine_test

import (
	"testing"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/mapping"
)

// withRule returns the default contact mappings with the job title
// mapping (HubSpot jobtitle, Salesforce Title) under rule.
func withRule(t *testing.T, rule mapping.Rule) []mapping.Mapping {
	t.Helper()
	set, err := mapping.NewSet(enginetest.DefaultMappings(t)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := set.SetRule("contact.jobtitle", rule); err != nil {
		t.Fatalf("set rule %s: %v", rule, err)
	}
	return set.All()
}

// edit is one change a person makes between two cycles: on HubSpot or on
// Salesforce, with "" clearing the field.
type edit struct {
	side  engine.Side
	value string
}

func hs(v string) edit { return edit{engine.HubSpot, v} }
func sf(v string) edit { return edit{engine.Salesforce, v} }

// TestRules runs every sync rule in both directions against the
// emulators: a Lead is created with a Title, synced to a new HubSpot
// contact, edited on either side, synced again, and both sides are
// compared with what the rule says.
func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		rule     mapping.Rule
		created  string
		edits    []edit
		wantHS   string
		wantSF   string
		conflict bool
	}{
		{"prefer salesforce fills blank salesforce", mapping.PreferSalesforceUnlessBlank, "", []edit{hs("CEO")}, "CEO", "CEO", false},
		{"prefer salesforce reverts hubspot edit", mapping.PreferSalesforceUnlessBlank, "CTO", []edit{hs("CFO")}, "CTO", "CTO", false},
		{"prefer salesforce copies salesforce edit", mapping.PreferSalesforceUnlessBlank, "CTO", []edit{sf("COO")}, "COO", "COO", false},
		{"prefer salesforce copies salesforce clear", mapping.PreferSalesforceUnlessBlank, "CTO", []edit{sf("")}, "", "", false},
		{"prefer salesforce restores hubspot clear", mapping.PreferSalesforceUnlessBlank, "CTO", []edit{hs("")}, "CTO", "CTO", false},

		{"always salesforce never writes salesforce", mapping.AlwaysSalesforce, "", []edit{hs("CEO")}, "CEO", "", false},
		{"always salesforce copies salesforce edit", mapping.AlwaysSalesforce, "", []edit{sf("VP")}, "VP", "VP", false},
		{"always salesforce copies salesforce clear", mapping.AlwaysSalesforce, "VP", []edit{sf("")}, "", "", false},
		{"always salesforce reverts hubspot edit", mapping.AlwaysSalesforce, "VP", []edit{hs("Boss")}, "VP", "VP", false},

		{"two way later hubspot edit wins", mapping.TwoWay, "A", []edit{sf("B"), hs("C")}, "C", "C", true},
		{"two way later salesforce edit wins", mapping.TwoWay, "A", []edit{hs("B"), sf("C")}, "C", "C", true},
		{"two way copies hubspot edit", mapping.TwoWay, "A", []edit{hs("B")}, "B", "B", false},
		{"two way copies hubspot clear", mapping.TwoWay, "A", []edit{hs("")}, "", "", false},
		{"two way copies salesforce clear", mapping.TwoWay, "A", []edit{sf("")}, "", "", false},

		{"dont sync ignores edits", mapping.DontSync, "A", []edit{hs("B"), sf("C")}, "B", "C", false},
		{"dont sync ignores clears", mapping.DontSync, "A", []edit{hs("X"), sf("")}, "X", "", false},

		{"prefer hubspot fills new hubspot", mapping.PreferHubSpotUnlessBlank, "A", []edit{sf("B")}, "A", "A", false},
		{"prefer hubspot copies hubspot edit", mapping.PreferHubSpotUnlessBlank, "A", []edit{hs("B")}, "B", "B", false},
		{"prefer hubspot copies hubspot clear", mapping.PreferHubSpotUnlessBlank, "A", []edit{hs("")}, "", "", false},

		{"always hubspot never writes hubspot", mapping.AlwaysHubSpot, "A", []edit{sf("B")}, "", "B", false},
		{"always hubspot copies hubspot edit", mapping.AlwaysHubSpot, "A", []edit{hs("C")}, "C", "C", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := enginetest.Setup(t, enginetest.Options{Mappings: withRule(t, tt.rule)})
			fields := map[string]any{"LastName": "Jansen", "Company": "Acme", "Email": "rule@example.nl"}
			if tt.created != "" {
				fields["Title"] = tt.created
			}
			leadID := env.CreateRecord(t, "Lead", fields)
			env.SyncUntilQuiet(t, 3)

			link := env.Link(t, leadID)
			if link == nil {
				t.Fatal("Lead was not linked to a HubSpot contact")
			}
			contactID := link.HubSpotID

			for _, e := range tt.edits {
				if e.side == engine.HubSpot {
					env.UpdateContact(t, contactID, map[string]string{"jobtitle": e.value})
				} else {
					var v any
					if e.value != "" {
						v = e.value
					}
					env.UpdateRecord(t, leadID, map[string]any{"Title": v})
				}
			}
			env.SyncUntilQuiet(t, 3)

			if got := env.Contact(t, contactID)["jobtitle"]; got != tt.wantHS {
				t.Errorf("HubSpot jobtitle = %q, want %q", got, tt.wantHS)
			}
			if got := enginetest.Str(env.Record(t, leadID)["Title"]); got != tt.wantSF {
				t.Errorf("Salesforce Title = %q, want %q", got, tt.wantSF)
			}
			if got := hasConflict(t, env, link.ID); got != tt.conflict {
				t.Errorf("conflict in audit = %v, want %v", got, tt.conflict)
			}
			if items := env.Plan(t); len(items) != 0 {
				t.Errorf("next cycle still plans %d writes: %+v", len(items), items[0])
			}
		})
	}
}

func hasConflict(t *testing.T, env *enginetest.Env, linkID int64) bool {
	t.Helper()
	for _, a := range env.Audit(t, linkID) {
		if a.Field == "jobtitle" && a.Conflict {
			return true
		}
	}
	return false
}

// TestTwoWayConflictUsesPropertyTime checks that a two-way conflict is
// decided by when the HubSpot property changed, not by the contact's last
// change: a later edit of another HubSpot field does not win it.
func TestTwoWayConflictUsesPropertyTime(t *testing.T) {
	env := enginetest.Setup(t, enginetest.Options{Mappings: withRule(t, mapping.TwoWay)})
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Tijd", "Company": "T", "Email": "tijd@example.nl", "Title": "A"})
	env.SyncUntilQuiet(t, 3)
	link := env.Link(t, leadID)

	env.UpdateContact(t, link.HubSpotID, map[string]string{"jobtitle": "B"})
	env.UpdateRecord(t, leadID, map[string]any{"Title": "C"})
	env.UpdateContact(t, link.HubSpotID, map[string]string{"firstname": "Later"})
	env.SyncUntilQuiet(t, 3)

	if got := env.Contact(t, link.HubSpotID)["jobtitle"]; got != "C" {
		t.Errorf("HubSpot jobtitle = %q, want C, the later change to the field", got)
	}
	if got := enginetest.Str(env.Record(t, leadID)["Title"]); got != "C" {
		t.Errorf("Salesforce Title = %q, want C", got)
	}
	if !hasConflict(t, env, link.ID) {
		t.Error("the conflict is not in the audit log")
	}
}
