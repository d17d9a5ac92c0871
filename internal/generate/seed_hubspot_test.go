package generate

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
)

func TestHubSpotSeedLoads(t *testing.T) {
	ds := setup(t, 1)
	now := func() time.Time { return DefaultNow }

	// The seed goes through JSON, as koppel generate writes it and
	// koppel emulate hubspot --seed reads it.
	raw, err := json.Marshal(ds.HubSpotSeed())
	if err != nil {
		t.Fatal(err)
	}
	var seed hsemu.Seed
	if err := json.Unmarshal(raw, &seed); err != nil {
		t.Fatal(err)
	}
	emu, err := hsemu.New(&seed, hsemu.Options{Now: now})
	if err != nil {
		t.Fatalf("emulator rejected the seed: %v", err)
	}
	defer emu.Close()

	if got := emu.Count("contacts", false); got != len(ds.HubSpotContacts) {
		t.Errorf("emulator has %d contacts, want %d", got, len(ds.HubSpotContacts))
	}
	if got := emu.Count("companies", false); got != len(ds.HubSpotCompanies) {
		t.Errorf("emulator has %d companies, want %d", got, len(ds.HubSpotCompanies))
	}
	for _, email := range ds.OptOuts[:3] {
		if !emu.OptedOut(email) {
			t.Errorf("%s is not opted out in the emulator", email)
		}
	}

	want := ds.HubSpotContacts[0]
	rec, ok := emu.Get("contacts", want.ID)
	if !ok || rec.Properties["email"] != want.Properties["email"] {
		t.Errorf("emulator contact %s = %v, want email %q", want.ID, rec.Properties, want.Properties["email"])
	}

	srv := httptest.NewServer(emu.Handler())
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/crm/v3/objects/contacts/"+want.ID+"?properties=email,firstname", nil)
	req.Header.Set("Authorization", "Bearer "+ds.Credentials().HubSpotToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET contact: status %d", resp.StatusCode)
	}
	var got struct {
		ID         string            `json:"id"`
		Properties map[string]string `json:"properties"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Properties["email"] != want.Properties["email"] || got.Properties["firstname"] != want.Properties["firstname"] {
		t.Errorf("served contact = %v, want email %q firstname %q", got.Properties, want.Properties["email"], want.Properties["firstname"])
	}
}

func TestStatusPropertyIsTheMappedOne(t *testing.T) {
	m, ok := mapping.NewContactSet().Get("contact.salesforceleadstatus")
	if !ok || m.HubSpot.Name != statusProperty {
		t.Fatalf("default Lead.Status mapping = %+v, want HubSpot property %s", m.HubSpot, statusProperty)
	}
	p := statusSeedProperty()
	if p.Type != m.HubSpot.Type || p.FieldType != m.HubSpot.FieldType {
		t.Errorf("seeded %s is %s/%s, the mapping needs %s/%s", p.Name, p.Type, p.FieldType, m.HubSpot.Type, m.HubSpot.FieldType)
	}
}
