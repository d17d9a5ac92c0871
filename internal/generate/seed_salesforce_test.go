package generate

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

func TestSalesforceSeedLoads(t *testing.T) {
	ds := setup(t, 1)

	// Through JSON, as koppel emulate salesforce --seed reads the file.
	raw, err := json.Marshal(ds.SalesforceSeed())
	if err != nil {
		t.Fatal(err)
	}
	seed, err := sfemu.ParseSeed(raw)
	if err != nil {
		t.Fatalf("ParseSeed: %v", err)
	}
	emu, err := sfemu.New(seed, sfemu.Options{Now: func() time.Time { return DefaultNow.Add(time.Hour) }})
	if err != nil {
		t.Fatalf("emulator rejected the seed: %v", err)
	}

	counts := map[string]int{
		"User":           len(ds.Users) + 1, // and the integration user
		"Account":        len(ds.Accounts),
		"Contact":        len(ds.Contacts),
		"Lead":           len(ds.Leads),
		"Campaign":       len(ds.Campaigns),
		"CampaignMember": len(ds.CampaignMembers),
	}
	for object, want := range counts {
		if got := emu.Count(object, false); got != want {
			t.Errorf("emulator has %d %s records, want %d", got, object, want)
		}
	}

	// Sign in with the generated credentials and read through the API.
	srv := httptest.NewServer(emu)
	defer srv.Close()
	creds := ds.Credentials()
	client, err := salesforce.New(salesforce.Config{
		LoginURL: srv.URL, Auth: salesforce.AuthClientCredentials,
		ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret,
		HTTPClient: srv.Client(),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n, err := client.Count(ctx, "SELECT COUNT() FROM Lead WHERE IsConverted = true", salesforce.QueryOptions{})
	if err != nil {
		t.Fatalf("count converted Leads: %v", err)
	}
	if want := ds.Manifest.CountDefects()[ConvertedLead]; n != want {
		t.Errorf("converted Leads = %d, want %d", n, want)
	}

	c := ds.Contacts[0]
	rec, err := client.Get(ctx, "Contact", c.Id, "Email", "AccountId", "LastName")
	if err != nil {
		t.Fatalf("get Contact: %v", err)
	}
	if rec.Fields["LastName"] != c.LastName || rec.Fields["AccountId"] != c.AccountId {
		t.Errorf("Contact %s = %v, want LastName %q AccountId %q", c.Id, rec.Fields, c.LastName, c.AccountId)
	}
}
