package hubspot_test

import (
	"testing"
)

func TestSearchByAssociation(t *testing.T) {
	e := setup(t, nil)
	company, err := e.emu.CreateRecord("companies", map[string]string{"name": "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.emu.CreateRecord("companies", map[string]string{"name": "Other"})
	if err != nil {
		t.Fatal(err)
	}
	contact, err := e.emu.CreateRecord("contacts", map[string]string{"email": "anna@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.emu.CreateRecord("contacts", map[string]string{"email": "bram@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := e.emu.Associate(contact.ID, company.ID, true); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, objectType, property, value string
		want                              []string
	}{
		{"contacts of a company", "contacts", "associations.company", company.ID, []string{contact.ID}},
		{"companies of a contact", "companies", "associations.contact", contact.ID, []string{company.ID}},
		{"company without contacts", "contacts", "associations.company", other.ID, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"filterGroups":[{"filters":[{"propertyName":"` + tc.property + `","operator":"EQ","value":"` + tc.value + `"}]}]}`
			status, out := e.call(t, "POST", "/crm/v3/objects/"+tc.objectType+"/search", body)
			if status != 200 {
				t.Fatalf("status = %d, body %v", status, out)
			}
			var got []string
			for _, r := range out["results"].([]any) {
				got = append(got, r.(map[string]any)["id"].(string))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("ids = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("ids = %v, want %v", got, tc.want)
				}
			}
		})
	}
}
