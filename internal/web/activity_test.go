package web

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/mapping"
)

func TestActivityCountsConflicts(t *testing.T) {
	f := setup(t, setupOptions{})
	f.skipLeadStatus()
	f.setRuleOf(func(m mapping.Mapping) bool { return m.ID == "contact.jobtitle" }, mapping.TwoWay)
	hs, err := f.HubSpot.CreateRecord("contacts", map[string]string{"email": "lotte@drukkerij-mol.nl", "lastname": "Mol", "company": "Drukkerij Mol", "jobtitle": "Inkoper"})
	if err != nil {
		t.Fatal(err)
	}
	f.sync()
	f.sync()
	sfID := salesforceID(t, f, "lotte@drukkerij-mol.nl")
	if sfID == "" {
		t.Fatal("the contact did not sync")
	}

	// Both sides change the job title before the next cycle.
	f.clock.Advance(time.Minute)
	if _, err := f.HubSpot.UpdateRecord("contacts", hs.ID, map[string]string{"jobtitle": "Hoofd inkoop"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	if err := f.Salesforce.Update(sfID, map[string]any{"Title": "Directeur"}); err != nil {
		t.Fatal(err)
	}
	f.sync()

	c := f.client()
	f.signIn(c)
	body := f.get(c, "/c/default/activity", http.StatusOK)
	cell := regexp.MustCompile(`(?s)<tbody>\s*<tr data-run="\d+">.*?<td class="num" data-key="conflicts">([^<]*)</td>`).FindStringSubmatch(body)
	if cell == nil {
		t.Fatalf("no conflicts cell in the newest run:\n%s", truncate(body))
	}
	if cell[1] != "1" {
		t.Errorf("newest run shows %q conflicts, want 1", cell[1])
	}
}
