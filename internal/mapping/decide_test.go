package mapping

import (
	"strings"
	"testing"
	"time"
)

var (
	t1 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	t2 = t1.Add(time.Hour)
)

func titleMapping(rule Rule) Mapping {
	return Mapping{ID: "contact.jobtitle", HubSpot: hsText("jobtitle", "Job Title"),
		Salesforce: both(func(o string) SalesforceField { return sfText(o, "Title", "Title", "string", 128) }),
		Rule:       rule, Default: true, Kind: KindOrdinary}
}

func defaultMapping(t testing.TB, hubspotName string) Mapping {
	t.Helper()
	for _, m := range append(DefaultContactMappings(), DefaultCompanyMappings()...) {
		if m.HubSpot.Name == hubspotName {
			return m
		}
	}
	t.Fatalf("no default mapping of %s", hubspotName)
	return Mapping{}
}

// linked is a field of a linked pair with a stored base.
func linked(base, h, s Value) DecideInput {
	return DecideInput{Base: base, HasBase: true, HubSpot: h, Salesforce: s}
}

// first is a field of a pair linked just now, without a base.
func first(h, s Value) DecideInput {
	return DecideInput{HubSpot: h, Salesforce: s}
}

func at(in DecideInput, th, ts time.Time) DecideInput {
	in.HubSpotChangedAt, in.SalesforceChangedAt = th, ts
	return in
}

func triggered(in DecideInput, side Side) DecideInput {
	in.Trigger = side
	return in
}

func newSalesforce(h Value) DecideInput {
	return DecideInput{HubSpot: h, SalesforceNew: true}
}

func newHubSpot(s Value) DecideInput {
	return DecideInput{Salesforce: s, HubSpotNew: true}
}

type decideCase struct {
	name     string
	m        Mapping
	in       DecideInput
	action   Action
	value    Value // checked unless action is ActionNone
	conflict bool
	code     ReasonCode
	newBase  *Value // checked when set
}

func runDecideCases(t *testing.T, cases []decideCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.m, tc.in)
			if d.Action != tc.action {
				t.Fatalf("action = %s, want %s (%s: %s)", d.Action, tc.action, d.ReasonCode, d.Reason)
			}
			if tc.action != ActionNone && !d.Value.Equal(tc.value) {
				t.Errorf("value = %v (%s), want %v (%s)", d.Value, d.Value.Kind(), tc.value, tc.value.Kind())
			}
			if d.Conflict != tc.conflict {
				t.Errorf("conflict = %v, want %v", d.Conflict, tc.conflict)
			}
			if d.ReasonCode != tc.code {
				t.Errorf("reason code = %s, want %s (%s)", d.ReasonCode, tc.code, d.Reason)
			}
			if d.Reason == "" {
				t.Error("reason is empty")
			}
			if tc.newBase != nil && !d.NewBase.Equal(*tc.newBase) {
				t.Errorf("new base = %v (%s), want %v (%s)", d.NewBase, d.NewBase.Kind(), *tc.newBase, tc.newBase.Kind())
			}
			if tc.action != ActionNone && !d.NewBase.Equal(d.Value) {
				t.Errorf("new base %v differs from the written value %v", d.NewBase, d.Value)
			}
		})
	}
}

func ptr(v Value) *Value { return &v }

func TestDecidePreferSalesforceUnlessBlank(t *testing.T) {
	m := titleMapping(PreferSalesforceUnlessBlank)
	runDecideCases(t, []decideCase{
		{name: "HS edit with SF blank writes SF", m: m, in: linked(Null(), Text("CEO"), Null()),
			action: ActionWriteSalesforce, value: Text("CEO"), code: ReasonFillSalesforce},
		{name: "HS edit with SF value is reverted from SF", m: m, in: linked(Text("CTO"), Text("CFO"), Text("CTO")),
			action: ActionWriteHubSpot, value: Text("CTO"), code: ReasonSalesforceWins},
		{name: "SF edit writes HS", m: m, in: linked(Text("CEO"), Text("CEO"), Text("COO")),
			action: ActionWriteHubSpot, value: Text("COO"), code: ReasonSalesforceWins},
		{name: "SF clear clears HS", m: m, in: linked(Text("CEO"), Text("CEO"), Null()),
			action: ActionWriteHubSpot, value: Null(), code: ReasonSalesforceCleared},
		{name: "SF clear wins over HS edit", m: m, in: linked(Text("CEO"), Text("CFO"), Null()),
			action: ActionWriteHubSpot, value: Null(), code: ReasonSalesforceCleared},
		{name: "HS clear is restored from SF", m: m, in: linked(Text("CEO"), Null(), Text("CEO")),
			action: ActionWriteHubSpot, value: Text("CEO"), code: ReasonSalesforceWins},
		{name: "echo equal to base writes nothing", m: m, in: linked(Text("CEO"), Text("CEO"), Text("CEO")),
			action: ActionNone, code: ReasonInSync, newBase: ptr(Text("CEO"))},
		{name: "null and empty text are in sync", m: m, in: linked(Null(), Text(""), Null()),
			action: ActionNone, code: ReasonInSync, newBase: ptr(Null())},
		{name: "first sync both blank", m: m, in: first(Null(), Null()),
			action: ActionNone, code: ReasonInSync},
		{name: "first sync SF value wins", m: m, in: first(Text("A"), Text("B")),
			action: ActionWriteHubSpot, value: Text("B"), code: ReasonSalesforceWins},
		{name: "first sync SF blank is filled from HS", m: m, in: first(Text("A"), Null()),
			action: ActionWriteSalesforce, value: Text("A"), code: ReasonFillSalesforce},
		{name: "first sync SF blank stays a fill, not a clear", m: m, in: first(Text("A"), Text("")),
			action: ActionWriteSalesforce, value: Text("A"), code: ReasonFillSalesforce},
		{name: "new SF record gets HS value", m: m, in: newSalesforce(Text("CEO")),
			action: ActionWriteSalesforce, value: Text("CEO"), code: ReasonNewSalesforceRecord},
		{name: "new SF record with HS blank writes nothing", m: m, in: newSalesforce(Null()),
			action: ActionNone, code: ReasonInSync},
		{name: "new HS record gets SF value", m: m, in: newHubSpot(Text("CEO")),
			action: ActionWriteHubSpot, value: Text("CEO"), code: ReasonNewHubSpotRecord},
		{name: "HS not sent counts as unchanged", m: m, in: linked(Text("CEO"), Absent(), Text("COO")),
			action: ActionWriteHubSpot, value: Text("COO"), code: ReasonSalesforceWins},
		{name: "SF not sent counts as unchanged", m: m, in: linked(Text("CEO"), Text("CFO"), Absent()),
			action: ActionWriteHubSpot, value: Text("CEO"), code: ReasonSalesforceWins},
		{name: "not sent without base writes nothing", m: m, in: first(Absent(), Text("CEO")),
			action: ActionNone, code: ReasonValueMissing, newBase: ptr(Absent())},
	})
}

func TestDecideAlwaysSalesforce(t *testing.T) {
	m := titleMapping(AlwaysSalesforce)
	runDecideCases(t, []decideCase{
		{name: "HS edit with SF blank does not write SF", m: m, in: linked(Null(), Text("CEO"), Null()),
			action: ActionNone, code: ReasonSalesforceBlankKept, newBase: ptr(Null())},
		{name: "new SF lead does not get the field", m: m, in: newSalesforce(Text("CEO")),
			action: ActionNone, code: ReasonNotSentOnCreate},
		{name: "SF value writes HS", m: m, in: linked(Null(), Null(), Text("VP")),
			action: ActionWriteHubSpot, value: Text("VP"), code: ReasonSalesforceWins},
		{name: "SF clear clears HS", m: m, in: linked(Text("VP"), Text("VP"), Null()),
			action: ActionWriteHubSpot, value: Null(), code: ReasonSalesforceCleared},
		{name: "HS edit is reverted from SF", m: m, in: linked(Text("VP"), Text("CEO"), Text("VP")),
			action: ActionWriteHubSpot, value: Text("VP"), code: ReasonSalesforceWins},
		{name: "first sync SF blank keeps HS value", m: m, in: first(Text("CEO"), Null()),
			action: ActionNone, code: ReasonSalesforceBlankKept},
		{name: "new HS record gets SF value", m: m, in: newHubSpot(Text("VP")),
			action: ActionWriteHubSpot, value: Text("VP"), code: ReasonSalesforceWins},
	})
}

func TestDecideTwoWay(t *testing.T) {
	m := titleMapping(TwoWay)
	runDecideCases(t, []decideCase{
		{name: "SF edit then later HS edit: HS wins the conflict", m: m,
			in:     at(linked(Text("A"), Text("from HS"), Text("from SF")), t2, t1),
			action: ActionWriteSalesforce, value: Text("from HS"), conflict: true, code: ReasonConflictHubSpot},
		{name: "HS edit then later SF edit: SF wins the conflict", m: m,
			in:     at(linked(Text("A"), Text("from HS"), Text("from SF")), t1, t2),
			action: ActionWriteHubSpot, value: Text("from SF"), conflict: true, code: ReasonConflictSalesforce},
		{name: "conflict with equal times goes to the trigger", m: m,
			in:     triggered(at(linked(Text("A"), Text("H"), Text("S")), t1, t1), SideHubSpot),
			action: ActionWriteSalesforce, value: Text("H"), conflict: true, code: ReasonConflictHubSpot},
		{name: "conflict with unknown times and no trigger goes to SF", m: m,
			in:     linked(Text("A"), Text("H"), Text("S")),
			action: ActionWriteHubSpot, value: Text("S"), conflict: true, code: ReasonConflictSalesforce},
		{name: "conflict with one unknown time goes to the trigger", m: m,
			in:     triggered(at(linked(Text("A"), Text("H"), Text("S")), time.Time{}, t2), SideHubSpot),
			action: ActionWriteSalesforce, value: Text("H"), conflict: true, code: ReasonConflictHubSpot},
		{name: "only HS changed writes SF even when SF time is later", m: m,
			in:     at(linked(Text("A"), Text("B"), Text("A")), t1, t2),
			action: ActionWriteSalesforce, value: Text("B"), code: ReasonChangedInHubSpot},
		{name: "only SF changed writes HS", m: m, in: linked(Text("A"), Text("A"), Text("B")),
			action: ActionWriteHubSpot, value: Text("B"), code: ReasonChangedInSalesforce},
		{name: "HS clear clears SF", m: m, in: linked(Text("A"), Null(), Text("A")),
			action: ActionWriteSalesforce, value: Null(), code: ReasonChangedInHubSpot},
		{name: "SF clear clears HS", m: m, in: linked(Text("A"), Text("A"), Null()),
			action: ActionWriteHubSpot, value: Null(), code: ReasonChangedInSalesforce},
		{name: "clear against later edit: edit wins", m: m, in: at(linked(Text("A"), Null(), Text("B")), t1, t2),
			action: ActionWriteHubSpot, value: Text("B"), conflict: true, code: ReasonConflictSalesforce},
		{name: "both changed to the same value is in sync", m: m, in: linked(Text("A"), Text("B"), Text("B")),
			action: ActionNone, code: ReasonInSync, newBase: ptr(Text("B"))},
		{name: "echo of own write is in sync", m: m, in: at(linked(Text("B"), Text("B"), Text("B")), t2, t1),
			action: ActionNone, code: ReasonInSync},
		{name: "first sync HS blank gets SF value", m: m, in: first(Null(), Text("S")),
			action: ActionWriteHubSpot, value: Text("S"), code: ReasonFillHubSpot},
		{name: "first sync SF blank gets HS value", m: m, in: first(Text("H"), Null()),
			action: ActionWriteSalesforce, value: Text("H"), code: ReasonFillSalesforce},
		{name: "first sync both values: later HS wins, no conflict", m: m, in: at(first(Text("H"), Text("S")), t2, t1),
			action: ActionWriteSalesforce, value: Text("H"), code: ReasonFirstSyncHubSpot},
		{name: "first sync both values: later SF wins", m: m, in: at(first(Text("H"), Text("S")), t1, t2),
			action: ActionWriteHubSpot, value: Text("S"), code: ReasonFirstSyncSalesforce},
		{name: "new SF record gets HS value", m: m, in: newSalesforce(Text("H")),
			action: ActionWriteSalesforce, value: Text("H"), code: ReasonNewSalesforceRecord},
		{name: "new HS record gets SF value", m: m, in: newHubSpot(Text("S")),
			action: ActionWriteHubSpot, value: Text("S"), code: ReasonNewHubSpotRecord},
	})
}

func TestDecideDontSync(t *testing.T) {
	m := titleMapping(DontSync)
	runDecideCases(t, []decideCase{
		{name: "edits on both sides write nothing", m: m, in: linked(Text("A"), Text("B"), Text("C")),
			action: ActionNone, code: ReasonDontSync, newBase: ptr(Absent())},
		{name: "HS clear writes nothing", m: m, in: linked(Text("A"), Null(), Text("A")),
			action: ActionNone, code: ReasonDontSync},
		{name: "SF clear writes nothing", m: m, in: linked(Text("A"), Text("A"), Null()),
			action: ActionNone, code: ReasonDontSync},
		{name: "new SF record gets nothing", m: m, in: newSalesforce(Text("A")),
			action: ActionNone, code: ReasonDontSync},
		{name: "unknown rule writes nothing", m: titleMapping(Rule("newest_wins")), in: linked(Text("A"), Text("B"), Text("A")),
			action: ActionNone, code: ReasonUnknownRule, newBase: ptr(Absent())},
	})
}

func TestDecidePreferHubSpotUnlessBlank(t *testing.T) {
	m := titleMapping(PreferHubSpotUnlessBlank)
	runDecideCases(t, []decideCase{
		{name: "SF edit with HS blank writes HS", m: m, in: linked(Null(), Null(), Text("CEO")),
			action: ActionWriteHubSpot, value: Text("CEO"), code: ReasonFillHubSpot},
		{name: "SF edit with HS value is reverted from HS", m: m, in: linked(Text("CTO"), Text("CTO"), Text("CFO")),
			action: ActionWriteSalesforce, value: Text("CTO"), code: ReasonHubSpotWins},
		{name: "HS edit writes SF", m: m, in: linked(Text("CEO"), Text("COO"), Text("CEO")),
			action: ActionWriteSalesforce, value: Text("COO"), code: ReasonHubSpotWins},
		{name: "HS clear clears SF", m: m, in: linked(Text("CEO"), Null(), Text("CEO")),
			action: ActionWriteSalesforce, value: Null(), code: ReasonHubSpotCleared},
		{name: "SF clear is restored from HS", m: m, in: linked(Text("CEO"), Text("CEO"), Null()),
			action: ActionWriteSalesforce, value: Text("CEO"), code: ReasonHubSpotWins},
		{name: "new SF record gets HS value", m: m, in: newSalesforce(Text("CEO")),
			action: ActionWriteSalesforce, value: Text("CEO"), code: ReasonNewSalesforceRecord},
		{name: "new HS record gets SF value", m: m, in: newHubSpot(Text("CEO")),
			action: ActionWriteHubSpot, value: Text("CEO"), code: ReasonNewHubSpotRecord},
	})
}

func TestDecideAlwaysHubSpot(t *testing.T) {
	m := titleMapping(AlwaysHubSpot)
	runDecideCases(t, []decideCase{
		{name: "SF edit with HS blank does not write HS", m: m, in: linked(Null(), Null(), Text("CEO")),
			action: ActionNone, code: ReasonHubSpotBlankKept, newBase: ptr(Null())},
		{name: "HS value writes SF", m: m, in: linked(Null(), Text("VP"), Null()),
			action: ActionWriteSalesforce, value: Text("VP"), code: ReasonHubSpotWins},
		{name: "HS clear clears SF", m: m, in: linked(Text("VP"), Null(), Text("VP")),
			action: ActionWriteSalesforce, value: Null(), code: ReasonHubSpotCleared},
		{name: "SF edit is reverted from HS", m: m, in: linked(Text("VP"), Text("VP"), Text("CEO")),
			action: ActionWriteSalesforce, value: Text("VP"), code: ReasonHubSpotWins},
		{name: "new HS record does not get the field", m: m, in: newHubSpot(Text("VP")),
			action: ActionNone, code: ReasonNotSentOnCreate},
		{name: "new SF record gets HS value", m: m, in: newSalesforce(Text("VP")),
			action: ActionWriteSalesforce, value: Text("VP"), code: ReasonHubSpotWins},
	})
}

func TestDecideEmail(t *testing.T) {
	m := defaultMapping(t, "email")
	runDecideCases(t, []decideCase{
		{name: "HS email change after link leaves SF unchanged", m: m,
			in:     linked(Text("ada@old.example"), Text("ada@new.example"), Text("ada@old.example")),
			action: ActionWriteHubSpot, value: Text("ada@old.example"), code: ReasonSalesforceWins},
		{name: "SF email change writes HS", m: m,
			in:     linked(Text("ada@old.example"), Text("ada@old.example"), Text("ada@new.example")),
			action: ActionWriteHubSpot, value: Text("ada@new.example"), code: ReasonSalesforceWins},
	})

	m.Rule = TwoWay
	runDecideCases(t, []decideCase{
		{name: "two-way HS email change writes SF", m: m,
			in:     linked(Text("ada@old.example"), Text("ada@new.example"), Text("ada@old.example")),
			action: ActionWriteSalesforce, value: Text("ada@new.example"), code: ReasonChangedInHubSpot},
	})
}

func TestDecideAlignsValues(t *testing.T) {
	revenue := defaultMapping(t, "annualrevenue")
	renewal := Mapping{ID: "renewal", HubSpot: hsDateP, Salesforce: []SalesforceField{sfDateTimeF}, Rule: TwoWay}
	chicago := mustLoad(t, "America/Chicago")

	inChicago := func(in DecideInput) DecideInput { in.Location = chicago; return in }
	runDecideCases(t, []decideCase{
		{name: "numeric HS text equals SF number", m: revenue, in: linked(num(t, "1000"), Text("1000.00"), num(t, "1000")),
			action: ActionNone, code: ReasonInSync},
		{name: "HS date equals SF midnight UTC", m: renewal,
			in:     linked(date(2024, 5, 1), date(2024, 5, 1), instant(t, "2024-05-01T00:00:00Z")),
			action: ActionNone, code: ReasonInSync},
		{name: "HS date equals SF midnight in Chicago", m: renewal,
			in:     inChicago(linked(date(2024, 5, 1), date(2024, 5, 1), instant(t, "2024-05-01T05:00:00Z"))),
			action: ActionNone, code: ReasonInSync},
		{name: "SF time change within the day is no change", m: renewal,
			in:     linked(date(2024, 5, 1), date(2024, 5, 1), instant(t, "2024-05-01T15:00:00Z")),
			action: ActionNone, code: ReasonInSync},
		{name: "SF datetime on a new day writes the UTC date", m: renewal,
			in:     linked(date(2024, 5, 1), date(2024, 5, 1), instant(t, "2024-05-01T23:30:00-05:00")),
			action: ActionWriteHubSpot, value: date(2024, 5, 2), code: ReasonChangedInSalesforce},
		{name: "SF datetime in Chicago keeps the Chicago date", m: renewal,
			in:     inChicago(linked(date(2024, 4, 30), date(2024, 4, 30), instant(t, "2024-05-01T23:30:00-05:00"))),
			action: ActionWriteHubSpot, value: date(2024, 5, 1), code: ReasonChangedInSalesforce},
		{name: "base stored as datetime still compares as a date", m: renewal,
			in:     linked(instant(t, "2024-05-01T00:00:00Z"), date(2024, 5, 1), instant(t, "2024-05-01T00:00:00Z")),
			action: ActionNone, code: ReasonInSync},
	})
}

func TestDecideOwner(t *testing.T) {
	m := defaultMapping(t, "hubspot_owner_id")
	unmatched := linked(Text("bob@example.com"), Text("nobody@example.com"), Text("bob@example.com"))
	unmatched.HubSpotOwnerUnmatched = true
	runDecideCases(t, []decideCase{
		{name: "first link keeps the SF owner", m: m, in: first(Text("ann@example.com"), Text("bob@example.com")),
			action: ActionWriteHubSpot, value: Text("bob@example.com"), code: ReasonOwnerKeptOnLink},
		{name: "HS owner empty is filled from SF", m: m, in: first(Null(), Text("bob@example.com")),
			action: ActionWriteHubSpot, value: Text("bob@example.com"), code: ReasonOwnerKeptOnLink},
		{name: "SF owner empty is filled from HS", m: m, in: first(Text("ann@example.com"), Null()),
			action: ActionWriteSalesforce, value: Text("ann@example.com"), code: ReasonFillSalesforce},
		{name: "owner changed in SF writes HS", m: m, in: linked(Text("bob@example.com"), Text("bob@example.com"), Text("carol@example.com")),
			action: ActionWriteHubSpot, value: Text("carol@example.com"), code: ReasonChangedInSalesforce},
		{name: "owner changed in HS writes SF despite prefer-SF rule", m: m,
			in:     linked(Text("bob@example.com"), Text("dave@example.com"), Text("bob@example.com")),
			action: ActionWriteSalesforce, value: Text("dave@example.com"), code: ReasonChangedInHubSpot},
		{name: "owner changed on both sides: later wins", m: m,
			in:     at(linked(Text("bob@example.com"), Text("dave@example.com"), Text("carol@example.com")), t2, t1),
			action: ActionWriteSalesforce, value: Text("dave@example.com"), conflict: true, code: ReasonConflictHubSpot},
		{name: "unmatched HS owner reverts to SF owner", m: m, in: unmatched,
			action: ActionWriteHubSpot, value: Text("bob@example.com"), code: ReasonOwnerUnmatched},
		{name: "HS owner cleared: SF keeps its owner", m: m, in: linked(Text("bob@example.com"), Null(), Text("bob@example.com")),
			action: ActionWriteHubSpot, value: Text("bob@example.com"), code: ReasonOwnerRequired},
		{name: "new SF lead without owner leaves it to assignment rules", m: m, in: newSalesforce(Null()),
			action: ActionNone, code: ReasonOwnerAssignmentRules},
		{name: "new SF lead gets the HS owner", m: m, in: newSalesforce(Text("ann@example.com")),
			action: ActionWriteSalesforce, value: Text("ann@example.com"), code: ReasonNewSalesforceRecord},
		{name: "new HS contact gets the SF owner", m: m, in: newHubSpot(Text("bob@example.com")),
			action: ActionWriteHubSpot, value: Text("bob@example.com"), code: ReasonNewHubSpotRecord},
	})
}

func TestDecideOptOut(t *testing.T) {
	m := defaultMapping(t, "hs_email_optout")
	runDecideCases(t, []decideCase{
		{name: "HS unsubscribe checks SF", m: m, in: linked(Bool(false), Bool(true), Bool(false)),
			action: ActionWriteSalesforce, value: Bool(true), code: ReasonOptOutFromHubSpot},
		{name: "SF checkbox opts HS out", m: m, in: linked(Bool(false), Bool(false), Bool(true)),
			action: ActionWriteHubSpot, value: Bool(true), code: ReasonOptOutFromSalesforce},
		{name: "SF unchecked while HS opted out sets SF back", m: m, in: linked(Bool(true), Bool(true), Bool(false)),
			action: ActionWriteSalesforce, value: Bool(true), code: ReasonOptOutSticky},
		{name: "HS resubscribe unchecks SF", m: m, in: linked(Bool(true), Bool(false), Bool(true)),
			action: ActionWriteSalesforce, value: Bool(false), code: ReasonResubscribed},
		{name: "HS blank means not opted out", m: m, in: linked(Bool(false), Null(), Bool(false)),
			action: ActionNone, code: ReasonInSync, newBase: ptr(Bool(false))},
		{name: "first sync SF opt-out reaches HS", m: m, in: first(Null(), Bool(true)),
			action: ActionWriteHubSpot, value: Bool(true), code: ReasonOptOutFromSalesforce},
		{name: "first sync HS opt-out reaches SF", m: m, in: first(Bool(true), Bool(false)),
			action: ActionWriteSalesforce, value: Bool(true), code: ReasonOptOutFromHubSpot},
		{name: "new SF lead of opted-out contact is checked", m: m, in: newSalesforce(Bool(true)),
			action: ActionWriteSalesforce, value: Bool(true), code: ReasonOptOutFromHubSpot},
		{name: "new HS contact of opted-out lead is opted out", m: m, in: newHubSpot(Bool(true)),
			action: ActionWriteHubSpot, value: Bool(true), code: ReasonOptOutFromSalesforce},
		{name: "opt-out ignores a rule set outside the Set", m: Mapping{ID: "x", HubSpot: m.HubSpot, Salesforce: m.Salesforce, Rule: DontSync, Kind: KindOptOut},
			in: linked(Bool(false), Bool(true), Bool(false)), action: ActionWriteSalesforce, value: Bool(true), code: ReasonOptOutFromHubSpot},
	})

	d := Decide(m, linked(Bool(true), Bool(true), Bool(false)))
	if !strings.Contains(d.Reason, "set back to true") {
		t.Errorf("sticky opt-out reason %q does not say Salesforce is set back to true", d.Reason)
	}
}

func TestDecideAccountID(t *testing.T) {
	m := defaultMapping(t, "salesforceaccountid")
	runDecideCases(t, []decideCase{
		{name: "SF account writes HS", m: m, in: linked(Null(), Null(), Text("001000000000001AAA")),
			action: ActionWriteHubSpot, value: Text("001000000000001AAA"), code: ReasonSalesforceWins},
		{name: "HS edit of account id is reverted", m: m,
			in:     linked(Text("001000000000001AAA"), Text("001000000000002AAA"), Text("001000000000001AAA")),
			action: ActionWriteHubSpot, value: Text("001000000000001AAA"), code: ReasonSalesforceWins},
		{name: "HS value never written to SF", m: m, in: linked(Null(), Text("001000000000002AAA"), Null()),
			action: ActionNone, code: ReasonSalesforceBlankKept},
	})
}

// TestDecideIsDeterministic guards the pure-function contract: the same
// input gives the same decision.
func TestDecideIsDeterministic(t *testing.T) {
	m := titleMapping(TwoWay)
	in := at(linked(Text("A"), Text("H"), Text("S")), t2, t1)
	a, b := Decide(m, in), Decide(m, in)
	if a.Action != b.Action || !a.Value.Equal(b.Value) || a.Reason != b.Reason || a.ReasonCode != b.ReasonCode {
		t.Errorf("decisions differ: %+v and %+v", a, b)
	}
}
