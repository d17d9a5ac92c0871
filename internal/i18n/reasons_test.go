package i18n

import "testing"

func TestPrinterReason(t *testing.T) {
	const engineText = `Changed only in HubSpot, which holds "Utrecht" for city.`
	cases := []struct {
		name, lang, code, text, want string
	}{
		{"English keeps the engine text", English, "changed_in_hubspot", engineText, engineText},
		{"English without text uses the catalog", English, "changed_in_hubspot", "", "Changed only in HubSpot, so Salesforce gets the HubSpot value."},
		{"Dutch uses the catalog", Dutch, "changed_in_hubspot", engineText, "Alleen in HubSpot gewijzigd, dus Salesforce krijgt de waarde uit HubSpot."},
		{"Dutch unknown code keeps the engine text", Dutch, "made_up_code", engineText, engineText},
		{"Dutch without code keeps the engine text", Dutch, "", engineText, engineText},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := New(tc.lang).Reason(tc.code, tc.text); got != tc.want {
				t.Errorf("Reason(%q) = %q, want %q", tc.code, got, tc.want)
			}
		})
	}
}
