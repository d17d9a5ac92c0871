package salesforce

import (
	"strings"
	"testing"
)

func TestSeedErrorNamesRecord(t *testing.T) {
	cases := []struct {
		name, json, want string
	}{
		{"first record counts as 1", `{"records":{"Lead":[{"LastName":"x"}]}}`, "seed Lead record 1:"},
		{"second record with its Id", `{"records":{"Lead":[{"LastName":"a","Company":"c"},{"Id":"00QKP0000000AAB","LastName":"x"}]}}`, "seed Lead record 2 (Id 00QKP0000000AAB):"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			seed, err := ParseSeed([]byte(tc.json))
			if err != nil {
				t.Fatal(err)
			}
			_, err = New(seed, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
