package connection

import (
	"bytes"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/settings"
)

func defaultDocumentYAML(t *testing.T) string {
	t.Helper()
	ms, err := MappingsFromRows(nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := NewDocument(settings.Default(), ms).EncodeYAML(&buf, "default"); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestDocumentRoundTrip(t *testing.T) {
	text := defaultDocumentYAML(t)
	for _, want := range []string{"hubspot_on_salesforce_change: create_or_update_contact", "interval: 30s", "id: contact.email", "salesforce: [Lead.Email, Contact.Email]"} {
		if !strings.Contains(text, want) {
			t.Errorf("YAML lacks %q:\n%s", want, text)
		}
	}

	doc, hasMappings, err := ParseDocument([]byte(text))
	if err != nil {
		t.Fatalf("ParseDocument: %v", err)
	}
	ms, problems := doc.Validate(hasMappings)
	if len(problems) > 0 {
		t.Fatalf("defaults have problems: %v", problems)
	}
	if doc.Settings != settings.Default() {
		t.Errorf("settings changed in the round trip: %+v", doc.Settings)
	}
	if len(ms) == 0 {
		t.Error("no mappings back")
	}
}

func TestParseDocumentRejectsUnknownKey(t *testing.T) {
	cases := map[string]string{
		"top level": "settngs:\n  interval: 1m\n",
		"setting":   "settings:\n  intervall: 1m\n",
		"mapping":   "mappings:\n  - id: contact.email\n    rul: two_way\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseDocument([]byte(text))
			if err == nil || !strings.Contains(err.Error(), "line") {
				t.Fatalf("ParseDocument error = %v, want one naming the line", err)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	text := defaultDocumentYAML(t)
	edits := []struct{ from, to string }{
		{"time_zone: UTC", "time_zone: Europe/Atlantis"},
		{"retry_pause_at_percent: 75", "retry_pause_at_percent: 120"},
		// The email mapping allows only two rules.
		{"id: contact.email\n    hubspot: email\n    salesforce: [Lead.Email, Contact.Email]\n    rule: prefer_salesforce_unless_blank",
			"id: contact.email\n    hubspot: email\n    salesforce: [Lead.Email, Contact.Email]\n    rule: always_hubspot"},
		{"id: contact.jobtitle\n    hubspot: jobtitle\n    salesforce: [Lead.Title, Contact.Title]\n    rule: prefer_salesforce_unless_blank",
			"id: contact.jobtitle\n    hubspot: jobtitle\n    salesforce: [Lead.Title, Contact.Title]\n    rule: sometimes"},
	}
	for _, e := range edits {
		if !strings.Contains(text, e.from) {
			t.Fatalf("default YAML lacks %q", e.from)
		}
		text = strings.Replace(text, e.from, e.to, 1)
	}
	text += "  - id: custom.vat_number\n    hubspot: vat_number\n    salesforce: [Lead.Title]\n    rule: two_way\n"

	doc, hasMappings, err := ParseDocument([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ms, problems := doc.Validate(hasMappings)
	if ms != nil {
		t.Error("Validate returned mappings despite problems")
	}

	wants := []struct{ path, value string }{
		{"settings.time_zone", "Europe/Atlantis"},
		{"settings.retry_pause_at_percent", "120"},
		{".rule", "always_hubspot"},
		{".rule", "sometimes"},
		{".salesforce", "Lead.Title"},
	}
	for _, w := range wants {
		found := false
		for _, p := range problems {
			if strings.HasSuffix(p.Path, w.path) && p.Value == w.value || strings.Contains(p.Path, w.path) && p.Value == w.value {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem %s = %q in %v", w.path, w.value, problems)
		}
	}
}

func TestValidateRejectsRemovedDefault(t *testing.T) {
	doc := Document{Settings: settings.Default(), Mappings: []DocumentMapping{
		{ID: "contact.email", HubSpot: "email", Salesforce: []string{"Lead.Email", "Contact.Email"}, Rule: "two_way"},
	}}
	_, problems := doc.Validate(true)
	found := false
	for _, p := range problems {
		if p.Path == "mappings" && p.Value == "contact.jobtitle" {
			found = true
		}
	}
	if !found {
		t.Errorf("removing contact.jobtitle gave no problem: %v", problems)
	}
}

func TestValidateRejectsChangedDefaultFields(t *testing.T) {
	text := strings.Replace(defaultDocumentYAML(t), "salesforce: [Lead.Title, Contact.Title]", "salesforce: [Lead.Title]", 1)
	doc, hasMappings, err := ParseDocument([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	_, problems := doc.Validate(hasMappings)
	if len(problems) != 1 || !strings.Contains(problems[0].Hint, "only its rule can change") {
		t.Fatalf("problems = %v, want one about the default's fields", problems)
	}
}

// TestSettingsHintsTranslated checks that every settings problem has a
// translation whose English text equals the settings package's own hint,
// so the Dutch cannot drift from the rule it explains.
func TestSettingsHintsTranslated(t *testing.T) {
	changes := map[string]func(*settings.Settings){
		"hubspot_on_salesforce_change": func(s *settings.Settings) { s.HubSpotOnSalesforceChange = "x" },
		"salesforce_on_hubspot_change": func(s *settings.Settings) { s.SalesforceOnHubSpotChange = "x" },
		"hubspot_on_salesforce_delete": func(s *settings.Settings) { s.HubSpotOnSalesforceDelete = "x" },
		"inclusion_list_id":            func(s *settings.Settings) { s.InclusionListID = "abc" },
		"missing_required":             func(s *settings.Settings) { s.MissingRequired = "x" },
		"placeholder blank":            func(s *settings.Settings) { s.Placeholder = " " },
		"placeholder long":             func(s *settings.Settings) { s.Placeholder = strings.Repeat("x", 200) },
		"time_zone":                    func(s *settings.Settings) { s.TimeZone = "Mars/Olympus" },
		"salesforce_api_allocation":    func(s *settings.Settings) { s.SalesforceAPIAllocation = -1 },
		"retry_pause_at_percent":       func(s *settings.Settings) { s.RetryPauseAtPercent = 0 },
		"interval":                     func(s *settings.Settings) { s.Interval = 0 },
		"overlap_window":               func(s *settings.Settings) { s.OverlapWindow = -1 },
	}
	en, nl := i18n.New(i18n.English), i18n.New(i18n.Dutch)
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			doc := Document{Settings: settings.Default()}
			change(&doc.Settings)
			_, problems := doc.Validate(false)
			if len(problems) != 1 {
				t.Fatalf("problems = %v, want one", problems)
			}
			pr := problems[0]
			if pr.ID == "" {
				t.Fatalf("%s has no translation", pr.Path)
			}
			if got := pr.LocalizedHint(en); got != pr.Hint {
				t.Errorf("English translation %q differs from the settings hint %q", got, pr.Hint)
			}
			if got := pr.LocalizedHint(nl); got == pr.Hint || strings.HasPrefix(got, "[") {
				t.Errorf("Dutch hint = %q", got)
			}
		})
	}
}

func TestValidateAcceptsFormerDefaultIDs(t *testing.T) {
	text := strings.Replace(defaultDocumentYAML(t),
		"id: contact.salesforceleadstatus\n    hubspot: salesforceleadstatus\n    salesforce: [Lead.Status]\n    rule: prefer_salesforce_unless_blank",
		"id: contact.hs_lead_status\n    hubspot: hs_lead_status\n    salesforce: [Lead.Status]\n    rule: dont_sync", 1)
	if !strings.Contains(text, "id: contact.hs_lead_status") {
		t.Fatal("default YAML lacks the Lead Status mapping in the expected form")
	}
	doc, hasMappings, err := ParseDocument([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ms, problems := doc.Validate(hasMappings)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	found := false
	for _, m := range ms {
		if m.ID == "contact.salesforceleadstatus" {
			found = true
			if m.Rule != "dont_sync" {
				t.Errorf("%s rule = %s, want dont_sync from the former ID", m.ID, m.Rule)
			}
		}
	}
	if !found {
		t.Error("no contact.salesforceleadstatus mapping after Validate")
	}
}
