package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
)

func customPropertySeed() *hsemu.Seed {
	return &hsemu.Seed{Properties: []hsemu.SeedProperty{
		{ObjectType: "contacts", Name: "klantnummer", Label: "Klantnummer", Type: "string", FieldType: "text"},
	}}
}

// radio returns the attributes of the radio button with data-NAME=value.
func radio(body, attr, value string) string {
	re := regexp.MustCompile(`<input type="radio"[^>]*data-` + attr + `="` + regexp.QuoteMeta(value) + `"[^>]*>`)
	return re.FindString(body)
}

func TestAddMappingListsOnlyCompatibleFields(t *testing.T) {
	f := setup(t, setupOptions{HubSpotSeed: customPropertySeed()})
	c := f.client()
	f.signIn(c)

	body := f.get(c, "/c/default/mappings/new", http.StatusOK)
	if r := radio(body, "property", "klantnummer"); r == "" || strings.Contains(r, "disabled") {
		t.Errorf("klantnummer is not offered: %q", r)
	}
	if r := radio(body, "property", "email"); !strings.Contains(r, "disabled") {
		t.Errorf("email, already mapped, is offered: %q", r)
	}
	if r := radio(body, "property", "hubspot_owner_id"); !strings.Contains(r, "disabled") {
		t.Errorf("the owner property is offered: %q", r)
	}
	if !strings.Contains(body, "Already mapped.") {
		t.Error("the page does not say why mapped properties are not offered")
	}

	body = f.get(c, "/c/default/mappings/new?hubspot=klantnummer", http.StatusOK)
	if r := radio(body, "field", "MobilePhone"); r == "" || strings.Contains(r, "disabled") {
		t.Errorf("MobilePhone (phone, fits text) is not offered: %q", r)
	}
	if r := radio(body, "field", "Title"); !strings.Contains(r, "disabled") {
		t.Errorf("Title, mapped to jobtitle, is offered: %q", r)
	}
	if !strings.Contains(body, `does not fit Salesforce type`) {
		t.Error("no field is listed as incompatible with its reason")
	}

	f.get(c, "/c/default/mappings/new?hubspot=nosuchproperty", http.StatusBadRequest)
}

func TestAddMappingPreviewThenSave(t *testing.T) {
	f := setup(t, setupOptions{HubSpotSeed: customPropertySeed()})
	c := f.client()
	token := f.signIn(c)
	version := itoa(f.connView().Rec.SettingsVersion)

	bad := f.post(c, "/c/default/mappings/new/preview", url.Values{"csrf_token": {token}, "version": {version},
		"hubspot": {"klantnummer"}, "salesforce": {"Title"}, "rule": {"two_way"}})
	if bad.StatusCode != http.StatusBadRequest {
		t.Errorf("mapping onto a mapped field: status %d, want 400", bad.StatusCode)
	}

	form := url.Values{"csrf_token": {token}, "version": {version}, "hubspot": {"klantnummer"}, "salesforce": {"MobilePhone"}, "rule": {"two_way"}}
	resp := f.post(c, "/c/default/mappings/new/preview", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: status %d, want 200", resp.StatusCode)
	}
	if hasMapping(f, "custom.klantnummer") {
		t.Fatal("the preview saved the mapping")
	}
	resp = f.post(c, "/c/default/mappings/new", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d, want 303", resp.StatusCode)
	}
	if !hasMapping(f, "custom.klantnummer") {
		t.Fatal("the mapping was not saved")
	}

	// The engine the UI builds syncs the new mapping both ways.
	id, err := f.HubSpot.CreateRecord("contacts", map[string]string{"email": "kees@loodgieter-peters.nl", "lastname": "Peters", "company": "Peters", "klantnummer": "K-1042"})
	if err != nil {
		t.Fatal(err)
	}
	f.sync()
	sfID := salesforceID(t, f, "kees@loodgieter-peters.nl")
	if sfID == "" {
		t.Fatalf("contact %s did not sync", id.ID)
	}
	rec, err := f.Salesforce.Get(sfID)
	if err != nil {
		t.Fatal(err)
	}
	if rec["MobilePhone"] != "K-1042" {
		t.Errorf("Lead MobilePhone = %v, want the klantnummer K-1042", rec["MobilePhone"])
	}
	body := f.get(c, "/c/default/record?q=kees@loodgieter-peters.nl", http.StatusOK)
	if !strings.Contains(body, "klantnummer") {
		t.Error("the record page does not list the new mapping")
	}
	body = f.get(c, "/c/default/mappings", http.StatusOK)
	row := regexp.MustCompile(`(?s)<tr id="m-custom.klantnummer">.*?</tr>`).FindString(body)
	if !strings.Contains(row, "<td>text</td>") || !strings.Contains(row, `Lead.MobilePhone</code> <span class="muted">phone</span>`) {
		t.Errorf("the custom mapping's row lacks the types of both sides:\n%s", row)
	}
	if !strings.Contains(row, `name="remove"`) {
		t.Error("the custom mapping cannot be deleted")
	}

	version = itoa(f.connView().Rec.SettingsVersion)
	resp = f.post(c, "/c/default/mappings", url.Values{"csrf_token": {token}, "version": {version}, "remove": {"contact.email"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("deleting a default mapping: status %d, want 400", resp.StatusCode)
	}
	resp = f.post(c, "/c/default/mappings", url.Values{"csrf_token": {token}, "version": {version}, "remove": {"custom.klantnummer"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deleting the custom mapping: status %d, want 303", resp.StatusCode)
	}
	for _, m := range f.connView().Mappings {
		if m.ID == "custom.klantnummer" {
			t.Error("the custom mapping is still stored after deleting it")
		}
	}
}

func hasMapping(f *fixture, id string) bool {
	for _, m := range f.connView().Mappings {
		if m.ID == id {
			return m.Rule == mapping.TwoWay
		}
	}
	return false
}

func TestPropertyChoiceReasons(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	l := &loc{Lang: langEnglish, c: c}
	sc := schema{props: map[string]mapping.HubSpotProperty{
		"accountmanager": {Name: "accountmanager", Type: "enumeration", FieldType: "select", IsUserType: true},
		"bijlage":        {Name: "bijlage", Type: "string", FieldType: "file"},
		"regio":          {Name: "regio", Type: "enumeration", FieldType: "select"},
	}}
	want := map[string]string{
		"accountmanager": "HubSpot user properties cannot be mapped.",
		"bijlage":        `HubSpot field type “file” cannot be mapped to any Salesforce field.`,
		"regio":          "",
	}
	for _, ch := range sc.propertyChoices(l, nil) {
		if ch.Reason != want[ch.Prop.Name] {
			t.Errorf("%s: reason %q, want %q", ch.Prop.Name, ch.Reason, want[ch.Prop.Name])
		}
	}
}
