package mapping

import (
	"fmt"
	"testing"
	"time"
)

// TestDecideConverges runs every rule over every combination of a small
// set of values, bases and change-time orders, applies the decision the
// way the engine does, and decides again. It checks that a rule never
// writes a side it must not write, that a written value comes from one
// side or clears, and that the second decision writes nothing, so a sync
// never ping-pongs.
func TestDecideConverges(t *testing.T) {
	values := []Value{Absent(), Null(), Text(""), Text("a"), Text("b")}
	bases := []*Value{nil, ptr(Null()), ptr(Text("a")), ptr(Text("b"))}
	times := [][2]time.Time{{t1, t2}, {t2, t1}, {t1, t1}}

	type kindCase struct {
		kind  MappingKind
		rules []Rule
	}
	kinds := []kindCase{
		{KindOrdinary, Rules},
		{KindEmail, []Rule{PreferSalesforceUnlessBlank, TwoWay}},
		{KindOwner, []Rule{PreferSalesforceUnlessBlank, TwoWay}},
	}

	for _, kc := range kinds {
		for _, rule := range kc.rules {
			m := titleMapping(rule)
			m.Kind = kc.kind
			for _, base := range bases {
				for _, h := range values {
					for _, s := range values {
						for _, tt := range times {
							in := DecideInput{HubSpot: h, Salesforce: s, HubSpotChangedAt: tt[0], SalesforceChangedAt: tt[1]}
							if base != nil {
								in.Base, in.HasBase = *base, true
							}
							name := fmt.Sprintf("%s/%s/base=%v/h=%v/s=%v/tH<tS=%v", kc.kind, rule, in.Base, h, s, tt[0].Before(tt[1]))
							checkConverges(t, name, m, in)
						}
					}
				}
			}
		}
	}
}

func TestDecideOptOutConverges(t *testing.T) {
	values := []Value{Null(), Bool(false), Bool(true)}
	bases := []*Value{nil, ptr(Bool(false)), ptr(Bool(true))}
	m := defaultMapping(t, "hs_email_optout")
	for _, base := range bases {
		for _, h := range values {
			for _, s := range values {
				in := DecideInput{HubSpot: h, Salesforce: s}
				if base != nil {
					in.Base, in.HasBase = *base, true
				}
				name := fmt.Sprintf("base=%v/h=%v/s=%v", in.Base, h, s)
				d := checkConverges(t, name, m, in)

				// Either side opted out before the decision means both
				// are opted out after it, unless the contact resubscribed
				// in HubSpot.
				if (optedOut(h) || optedOut(s)) && d.ReasonCode != ReasonResubscribed && !optedOut(d.NewBase) {
					t.Errorf("%s: opt-out lost (%s: %s)", name, d.ReasonCode, d.Reason)
				}
			}
		}
	}
}

func checkConverges(t *testing.T, name string, m Mapping, in DecideInput) Decision {
	t.Helper()
	d := Decide(m, in)

	if m.Kind == KindOrdinary || m.Kind == KindEmail {
		if d.Action == ActionWriteSalesforce && !m.Rule.writesSalesforce() {
			t.Errorf("%s: rule %s wrote Salesforce", name, m.Rule)
		}
		if d.Action == ActionWriteHubSpot && !m.Rule.writesHubSpot() {
			t.Errorf("%s: rule %s wrote HubSpot", name, m.Rule)
		}
	}
	if d.Conflict && m.Rule != TwoWay && m.Kind != KindOwner {
		t.Errorf("%s: conflict under rule %s", name, m.Rule)
	}
	// A side that was not sent stands for the base.
	h, s := in.HubSpot, in.Salesforce
	if h.Kind() == KindAbsent && in.HasBase {
		h = in.Base
	}
	if s.Kind() == KindAbsent && in.HasBase {
		s = in.Base
	}
	if d.Action != ActionNone && !d.Value.IsBlank() && !same(d.Value, h) && !same(d.Value, s) && m.Kind != KindOptOut {
		t.Errorf("%s: wrote %v, which neither side held", name, d.Value)
	}
	if d.ReasonCode == ReasonValueMissing {
		return d
	}

	// Apply the decision as the engine does and decide again.
	next := in
	next.HubSpot, next.Salesforce = h, s
	switch d.Action {
	case ActionWriteHubSpot:
		next.HubSpot = d.Value
	case ActionWriteSalesforce:
		next.Salesforce = d.Value
	}
	if d.NewBase.Kind() != KindAbsent {
		next.Base, next.HasBase = d.NewBase, true
	}

	again := Decide(m, next)
	if again.Action != ActionNone {
		t.Errorf("%s: first %s %v (%s), then %s %v (%s): the sync does not settle",
			name, d.Action, d.Value, d.ReasonCode, again.Action, again.Value, again.ReasonCode)
	}
	return d
}
