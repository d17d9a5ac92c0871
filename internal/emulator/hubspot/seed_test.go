package hubspot_test

import (
	"strings"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
)

func TestSeedErrorNamesRecord(t *testing.T) {
	bad := map[string]string{"lifecyclestage": "bogus"}
	good := map[string]string{"email": "ok@example.com"}
	cases := []struct {
		name string
		seed hsemu.Seed
		want string
	}{
		{"first contact counts as 1", hsemu.Seed{Contacts: []hsemu.SeedRecord{{Properties: bad}}}, "seed contacts record 1:"},
		{"second contact with its id", hsemu.Seed{Contacts: []hsemu.SeedRecord{{Properties: good}, {ID: "1002", Properties: bad}}}, "seed contacts record 2 (id 1002):"},
		{"first association counts as 1", hsemu.Seed{Associations: []hsemu.SeedAssociation{{ContactID: "1", CompanyID: "2"}}}, "seed association 1:"},
		{"first list counts as 1", hsemu.Seed{Lists: []hsemu.SeedList{{Name: "L", ProcessingType: "SMART"}}}, "seed list 1 (L):"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := hsemu.New(&tc.seed, hsemu.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
