package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/generate"
)

// TestSettingsApplyChecksCustomMappings connects both emulators, which
// carry a custom VAT field on each side, and applies custom mappings that
// are valid, name a missing property, or pair incompatible types.
func TestSettingsApplyChecksCustomMappings(t *testing.T) {
	ds, err := generate.Generate(generate.Options{People: 20, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return generate.DefaultNow.Add(time.Hour) }

	sfSeed := ds.SalesforceSeed()
	for _, object := range []string{"Lead", "Contact"} {
		sfSeed.Config.CustomFields = append(sfSeed.Config.CustomFields,
			sfemu.CustomField{Object: object, Name: "VAT_Number__c", Label: "VAT Number", Type: "string", Length: 20})
	}
	sf, err := sfemu.New(sfSeed, sfemu.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	sfSrv := httptest.NewServer(sf)
	defer sfSrv.Close()

	hsSeed := ds.HubSpotSeed()
	hsSeed.Properties = append(hsSeed.Properties, hsemu.SeedProperty{
		ObjectType: "contacts", Name: "vat_number", Label: "VAT number", Type: "string", FieldType: "text", GroupName: "contactinformation",
	})
	var filter hsemu.FilterBranch
	err = json.Unmarshal([]byte(`{"filterBranchType":"OR","filterBranchOperator":"OR","filters":[],
	  "filterBranches":[{"filterBranchType":"AND","filterBranchOperator":"AND","filterBranches":[],
	    "filters":[{"filterType":"PROPERTY","property":"lifecyclestage",
	      "operation":{"operationType":"ENUMERATION","operator":"IS_ANY_OF","values":["lead"]}}]}]}`), &filter)
	if err != nil {
		t.Fatal(err)
	}
	hsSeed.Lists = append(hsSeed.Lists,
		hsemu.SeedList{ID: "7001", Name: "Leads", ObjectTypeID: "0-1", ProcessingType: "DYNAMIC", FilterBranch: &filter},
		hsemu.SeedList{ID: "7002", Name: "Beurs 2026", ObjectTypeID: "0-1", ProcessingType: "MANUAL"})
	hs, err := hsemu.New(hsSeed, hsemu.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	hsSrv := httptest.NewServer(hs.Handler())
	defer hsSrv.Close()

	t.Setenv("KOPPEL_SECRET_KEY", "")
	t.Setenv("KOPPEL_DATABASE_URL", "")
	creds := ds.Credentials()
	t.Setenv(envSalesforceSecret, creds.SalesforceClientSecret)
	t.Setenv(envHubSpotToken, creds.HubSpotToken)
	dir := filepath.Join(t.TempDir(), "data")
	koppel := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), append([]string{"--data-dir", dir}, args...), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	if code, _, errOut := koppel("connect", "salesforce", "--client-id", creds.SalesforceClientID, "--login-url", sfSrv.URL); code != 0 {
		t.Fatalf("connect salesforce: %s", errOut)
	}
	if code, _, errOut := koppel("connect", "hubspot", "--base-url", hsSrv.URL); code != 0 {
		t.Fatalf("connect hubspot: %s", errOut)
	}
	_, base, _ := koppel("settings", "show")

	custom := func(hubspotName, fields string) string {
		return base + "  - id: custom." + hubspotName + "\n    hubspot: " + hubspotName + "\n    salesforce: " + fields + "\n    rule: two_way\n"
	}
	cases := []struct {
		name  string
		file  string
		code  int
		wants []string
	}{
		{"missing property", custom("btw_nummer", "[Lead.VAT_Number__c]"), 1, []string{`.hubspot: invalid value "btw_nummer"`}},
		{"missing field", custom("vat_number", "[Lead.VAT__c]"), 1, []string{`.salesforce: invalid value "Lead.VAT__c"`}},
		{"incompatible types", custom("hs_persona", "[Lead.VAT_Number__c, Contact.VAT_Number__c]"), 1,
			[]string{`invalid value "Lead.VAT_Number__c"`, `invalid value "Contact.VAT_Number__c"`}},
		{"unknown inclusion list", strings.Replace(base, "settings:\n", "settings:\n  inclusion_list_id: \"999\"\n", 1), 1,
			[]string{`inclusion_list_id: invalid value "999"`, "HubSpot has no list with this ID"}},
		{"static inclusion list", strings.Replace(base, "settings:\n", "settings:\n  inclusion_list_id: \"7002\"\n", 1), 1,
			[]string{`inclusion_list_id: invalid value "7002"`, "MANUAL list"}},
		{"valid", custom("vat_number", "[Lead.VAT_Number__c, Contact.VAT_Number__c]"), 0, []string{"Saved the settings"}},
		{"active inclusion list", strings.Replace(custom("vat_number", "[Lead.VAT_Number__c, Contact.VAT_Number__c]"), "settings:\n", "settings:\n  inclusion_list_id: \"7001\"\n", 1), 0,
			[]string{"Saved the settings"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := koppel("settings", "apply", "-f", writeTemp(t, tc.file))
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			for _, want := range tc.wants {
				if !strings.Contains(out+errOut, want) {
					t.Errorf("output lacks %q:\n%s%s", want, out, errOut)
				}
			}
		})
	}

	_, shown, _ := koppel("settings", "show")
	if !strings.Contains(shown, "id: custom.vat_number\n    hubspot: vat_number\n    salesforce: [Lead.VAT_Number__c, Contact.VAT_Number__c]\n    rule: two_way") {
		t.Errorf("show after apply lacks the custom mapping:\n%s", shown)
	}
}
