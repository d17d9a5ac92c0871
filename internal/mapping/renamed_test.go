package mapping

import "testing"

func TestRenamedDefaultsFoundByFormerID(t *testing.T) {
	cases := []struct {
		former, current string
		company         bool
	}{
		{"contact.hs_lead_status", "contact.salesforceleadstatus", false},
		{"contact.numemployees", "contact.salesforcenumberofemployees", false},
		{"company.industry", "company.salesforceindustry", true},
	}
	for _, tc := range cases {
		t.Run(tc.former, func(t *testing.T) {
			if got := CurrentDefaultID(tc.former); got != tc.current {
				t.Fatalf("CurrentDefaultID = %q, want %q", got, tc.current)
			}
			s := NewContactSet()
			if tc.company {
				s = NewCompanySet()
			}
			if err := s.SetRule(tc.former, DontSync); err != nil {
				t.Fatalf("SetRule by former ID: %v", err)
			}
			m, ok := s.Get(tc.current)
			if !ok || m.Rule != DontSync {
				t.Errorf("mapping %s = %+v, want rule dont_sync", tc.current, m)
			}
			if m.HubSpot.HubSpotDefined {
				t.Errorf("%s names HubSpot-defined property %s, want one koppel creates", tc.current, m.HubSpot.Name)
			}
		})
	}
	if got := CurrentDefaultID("contact.email"); got != "contact.email" {
		t.Errorf("CurrentDefaultID(contact.email) = %q", got)
	}
}
