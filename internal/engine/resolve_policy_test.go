package engine

import (
	"testing"
	"time"
)

func TestChooseSalesforce(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	lead := func(id string, mod time.Time) Candidate {
		return Candidate{Object: Lead, ID: id, LastModified: mod, Alive: true}
	}
	contact := func(id string, mod time.Time) Candidate {
		return Candidate{Object: Contact, ID: id, LastModified: mod, Alive: true}
	}
	dead := func(c Candidate) Candidate { c.Alive = false; return c }

	tests := []struct {
		name       string
		candidates []Candidate
		linked     string
		wantID     string
		wantReason string
	}{
		{"no candidates", nil, "", "", ""},
		{"only dead", []Candidate{dead(lead("00Q1", t0))}, "", "", ""},
		{"single", []Candidate{lead("00Q1", t0)}, "", "00Q1", ReasonOnlyMatch},
		{"linked alive beats contact", []Candidate{lead("00Q1", t0), contact("0031", t0.Add(time.Hour))}, "00Q1", "00Q1", ReasonLinkedAlive},
		{"linked dead falls through", []Candidate{dead(lead("00Q1", t0)), lead("00Q2", t0)}, "00Q1", "00Q2", ReasonOnlyMatch},
		{"contact before lead", []Candidate{lead("00Q1", t0.Add(time.Hour)), contact("0031", t0)}, "", "0031", ReasonContactBefore},
		{"most recent lead", []Candidate{lead("00Q1", t0), lead("00Q2", t0.Add(time.Minute))}, "", "00Q2", ReasonMostRecent},
		{"lowest id on tie", []Candidate{lead("00Q9", t0), lead("00Q2", t0)}, "", "00Q2", ReasonLowestID},
		{"contacts tie beat lead", []Candidate{lead("00Q0", t0.Add(time.Hour)), contact("0039", t0), contact("0032", t0)}, "", "0032", ReasonLowestID},
		{"order does not matter", []Candidate{contact("0032", t0), contact("0039", t0), lead("00Q0", t0.Add(time.Hour))}, "", "0032", ReasonLowestID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, reason := ChooseSalesforce(tt.candidates, tt.linked)
			gotID := ""
			if i >= 0 {
				gotID = tt.candidates[i].ID
			}
			if gotID != tt.wantID {
				t.Errorf("chosen = %q, want %q", gotID, tt.wantID)
			}
			if reason != tt.wantReason {
				t.Errorf("reason = %q, want %q", reason, tt.wantReason)
			}
		})
	}
}

func TestNormalizeEmail(t *testing.T) {
	if got := NormalizeEmail("  Ada@Example.COM\t"); got != "ada@example.com" {
		t.Errorf("NormalizeEmail = %q", got)
	}
}
