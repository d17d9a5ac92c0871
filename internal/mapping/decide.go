package mapping

import (
	"fmt"
	"time"
)

// Side names HubSpot or Salesforce.
type Side uint8

const (
	SideNone Side = iota
	SideHubSpot
	SideSalesforce
)

func (s Side) String() string {
	switch s {
	case SideHubSpot:
		return "HubSpot"
	case SideSalesforce:
		return "Salesforce"
	}
	return "none"
}

// Action is the write a [Decision] calls for: none, HubSpot or Salesforce.
type Action uint8

const (
	ActionNone Action = iota
	ActionWriteHubSpot
	ActionWriteSalesforce
)

func (a Action) String() string {
	switch a {
	case ActionWriteHubSpot:
		return "write HubSpot"
	case ActionWriteSalesforce:
		return "write Salesforce"
	}
	return "none"
}

// DecideInput is the state of one mapped field of one linked record pair.
// Values are canonical as the [Converter] returns them, and [Absent] means the
// side did not send the field.
type DecideInput struct {
	// Base is the value both sides held after the last successful sync
	// of this field. HasBase is false before the first sync of the pair
	// and after the mapping was added.
	Base    Value
	HasBase bool

	HubSpot    Value
	Salesforce Value

	// HubSpotChangedAt is the timestamp of the property's current value
	// in propertiesWithHistory. SalesforceChangedAt is the record's
	// LastModifiedDate or SystemModstamp, because Salesforce keeps no
	// per-field time without field history tracking. Zero means unknown.
	HubSpotChangedAt    time.Time
	SalesforceChangedAt time.Time

	// HubSpotNew is set when the HubSpot record is being created from the
	// Salesforce record, SalesforceNew when the Salesforce record is
	// being created from the HubSpot record.
	HubSpotNew    bool
	SalesforceNew bool

	// Trigger is the side whose change started this sync. It breaks ties
	// between equal or unknown change times.
	Trigger Side

	// HubSpotOwnerUnmatched is set for an owner mapping when the HubSpot
	// owner matches no active Salesforce user, so HubSpot gets the
	// Salesforce owner back.
	HubSpotOwnerUnmatched bool

	// Location is the connection's time zone, used to compare a Salesforce
	// datetime with a HubSpot date. Nil means UTC.
	Location *time.Location
}

// Decision is the outcome of [Decide] for one field.
type Decision struct {
	Action Action

	// Value is the canonical value to write. Convert it with the [Converter]
	// for the target side. A blank Value clears the target.
	Value Value

	// NewBase is the base to store once the write is acknowledged, or at
	// once when Action is ActionNone. It is [Absent] when the stored base
	// must stay as it is.
	NewBase Value

	// Conflict is set when both sides changed since the base and the
	// later change won.
	Conflict bool

	// ReasonCode is stable and machine-readable. Reason is one English
	// sentence for the audit log.
	ReasonCode ReasonCode
	Reason     string
}

// ReasonCode names why a [Decision] was made.
type ReasonCode string

const (
	ReasonInSync               ReasonCode = "in_sync"
	ReasonDontSync             ReasonCode = "dont_sync"
	ReasonValueMissing         ReasonCode = "value_missing"
	ReasonNewHubSpotRecord     ReasonCode = "new_hubspot_record"
	ReasonNewSalesforceRecord  ReasonCode = "new_salesforce_record"
	ReasonNotSentOnCreate      ReasonCode = "not_sent_on_create"
	ReasonSalesforceWins       ReasonCode = "salesforce_wins"
	ReasonHubSpotWins          ReasonCode = "hubspot_wins"
	ReasonSalesforceCleared    ReasonCode = "salesforce_cleared"
	ReasonHubSpotCleared       ReasonCode = "hubspot_cleared"
	ReasonFillSalesforce       ReasonCode = "fill_blank_salesforce"
	ReasonFillHubSpot          ReasonCode = "fill_blank_hubspot"
	ReasonSalesforceBlankKept  ReasonCode = "salesforce_blank_kept"
	ReasonHubSpotBlankKept     ReasonCode = "hubspot_blank_kept"
	ReasonChangedInHubSpot     ReasonCode = "changed_in_hubspot"
	ReasonChangedInSalesforce  ReasonCode = "changed_in_salesforce"
	ReasonConflictHubSpot      ReasonCode = "conflict_hubspot_later"
	ReasonConflictSalesforce   ReasonCode = "conflict_salesforce_later"
	ReasonFirstSyncHubSpot     ReasonCode = "first_sync_hubspot_later"
	ReasonFirstSyncSalesforce  ReasonCode = "first_sync_salesforce_later"
	ReasonOwnerKeptOnLink      ReasonCode = "owner_salesforce_kept_on_link"
	ReasonOwnerRequired        ReasonCode = "owner_required_in_salesforce"
	ReasonOwnerUnmatched       ReasonCode = "owner_unmatched"
	ReasonOwnerAssignmentRules ReasonCode = "owner_assignment_rules"
	ReasonOptOutFromHubSpot    ReasonCode = "optout_from_hubspot"
	ReasonOptOutFromSalesforce ReasonCode = "optout_from_salesforce"
	ReasonOptOutSticky         ReasonCode = "optout_sticky"
	ReasonResubscribed         ReasonCode = "resubscribed_in_hubspot"
	ReasonUnknownRule          ReasonCode = "unknown_rule"
)

// Decide applies m's rule to one field of one linked record pair and
// returns what to write. It is a pure function of its arguments.
//
// A side counts as changed when its value differs from the base, so an
// echo of koppel's own write (a value equal to the base) never counts as
// a change. Blank values (absent, null, "" and no options) are all the
// same for this comparison, and a side that was not sent counts as
// unchanged.
func Decide(m Mapping, in DecideInput) Decision {
	st := newState(m, in)

	if m.Kind != KindOptOut && m.Kind != KindOwner && m.Rule == DontSync {
		return Decision{NewBase: Absent(), ReasonCode: ReasonDontSync,
			Reason: fmt.Sprintf("The rule of %s is don't sync, so neither side is written.", m.HubSpot.Name)}
	}
	if st.missing() {
		return Decision{NewBase: Absent(), ReasonCode: ReasonValueMissing,
			Reason: "One side did not send the field and there is no base value to compare with, so nothing is written."}
	}

	switch m.Kind {
	case KindOptOut:
		return st.decideOptOut()
	case KindOwner:
		return st.decideOwner()
	}

	if same(st.h, st.s) {
		return st.inSync()
	}

	switch m.Rule {
	case PreferSalesforceUnlessBlank:
		return st.preferUnlessBlank(st.salesforce(), st.hubspot())
	case PreferHubSpotUnlessBlank:
		return st.preferUnlessBlank(st.hubspot(), st.salesforce())
	case AlwaysSalesforce:
		return st.always(st.salesforce(), st.hubspot())
	case AlwaysHubSpot:
		return st.always(st.hubspot(), st.salesforce())
	case TwoWay:
		return st.twoWay()
	}
	return Decision{NewBase: Absent(), ReasonCode: ReasonUnknownRule,
		Reason: fmt.Sprintf("The rule %q of %s is unknown, so neither side is written.", m.Rule, m.HubSpot.Name)}
}

// state holds the aligned values of one decision.
type state struct {
	m  Mapping
	in DecideInput

	// h, s and b are the HubSpot, Salesforce and base values, aligned so
	// they compare: a side that was not sent takes the base, and a
	// Salesforce datetime paired with a HubSpot date becomes a date.
	h, s, b Value
}

func newState(m Mapping, in DecideInput) state {
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	st := state{m: m, in: in,
		h: align(m, in.HubSpot, loc),
		s: align(m, in.Salesforce, loc),
		b: align(m, in.Base, loc),
	}
	if in.HasBase {
		if st.h.Kind() == KindAbsent {
			st.h = st.b
		}
		if st.s.Kind() == KindAbsent {
			st.s = st.b
		}
	}
	return st
}

// missing reports a side that was not sent with nothing to stand in for
// it. A record being created holds nothing yet, so its absent side is
// blank, not missing.
func (st state) missing() bool {
	hMissing := st.h.Kind() == KindAbsent && !st.in.HubSpotNew
	sMissing := st.s.Kind() == KindAbsent && !st.in.SalesforceNew
	return hMissing || sMissing
}

// align converts a Salesforce datetime to the calendar date it has in loc
// when the HubSpot side is a date property, so a value written as
// midnight in loc compares equal to the date it came from.
func align(m Mapping, v Value, loc *time.Location) Value {
	if v.Kind() == KindDateTime && m.HubSpot.Type == "date" {
		return DateValue(DateOf(v.Time().In(loc)))
	}
	return v
}

// same reports whether two values count as equal for syncing: both blank,
// or equal, or a number and a text holding that number.
func same(a, b Value) bool {
	if a.IsBlank() && b.IsBlank() {
		return true
	}
	if a.Kind() != b.Kind() {
		an, aok := asNumber(a)
		bn, bok := asNumber(b)
		return aok && bok && an.Equal(bn)
	}
	return a.Equal(b)
}

// view is one side of a decision, so the rules that mirror each other
// are written once.
type view struct {
	side      Side
	v         Value
	isNew     bool
	changedAt time.Time
	write     Action
	wins      ReasonCode
	cleared   ReasonCode
	fill      ReasonCode
	blankKept ReasonCode
	changed   ReasonCode
	conflict  ReasonCode
	firstSync ReasonCode
}

func (st state) hubspot() view {
	return view{side: SideHubSpot, v: st.h, isNew: st.in.HubSpotNew, changedAt: st.in.HubSpotChangedAt,
		write: ActionWriteHubSpot, wins: ReasonHubSpotWins, cleared: ReasonHubSpotCleared,
		fill: ReasonFillHubSpot, blankKept: ReasonHubSpotBlankKept, changed: ReasonChangedInHubSpot,
		conflict: ReasonConflictHubSpot, firstSync: ReasonFirstSyncHubSpot}
}

func (st state) salesforce() view {
	return view{side: SideSalesforce, v: st.s, isNew: st.in.SalesforceNew, changedAt: st.in.SalesforceChangedAt,
		write: ActionWriteSalesforce, wins: ReasonSalesforceWins, cleared: ReasonSalesforceCleared,
		fill: ReasonFillSalesforce, blankKept: ReasonSalesforceBlankKept, changed: ReasonChangedInSalesforce,
		conflict: ReasonConflictSalesforce, firstSync: ReasonFirstSyncSalesforce}
}

// changed reports whether x differs from the base. Without a base every
// value counts as changed.
func (st state) changed(x Value) bool {
	return !st.in.HasBase || !same(x, st.b)
}

// cleared reports whether x was cleared since the base.
func (st state) cleared(x Value) bool {
	return st.in.HasBase && x.IsBlank() && !st.b.IsBlank()
}

func (st state) inSync() Decision {
	return Decision{NewBase: st.baseOf(st.h, st.s), ReasonCode: ReasonInSync,
		Reason: "Both sides hold the same value."}
}

// baseOf returns the value to store as base when both sides agree: the
// non-blank one, so a base is never absent.
func (st state) baseOf(h, s Value) Value {
	if h.IsBlank() && s.IsBlank() {
		return Null()
	}
	if !s.IsBlank() {
		return s
	}
	return h
}

// writeTo copies from's value to the other side.
func writeTo(to view, v Value, code ReasonCode, reason string) Decision {
	base := v
	if base.IsBlank() {
		base = Null()
	}
	return Decision{Action: to.write, Value: base, NewBase: base, ReasonCode: code, Reason: reason}
}

// preferUnlessBlank implements "prefer X unless blank": a clear on the
// preferred side is copied, a non-blank preferred value is copied, and
// the other side fills the preferred side only while it is blank.
func (st state) preferUnlessBlank(pref, other view) Decision {
	name := st.m.HubSpot.Name

	if other.isNew {
		if pref.v.IsBlank() {
			return st.inSync()
		}
		return writeTo(other, pref.v, newRecordReason(other.side),
			fmt.Sprintf("The new %s record gets %s from %s.", other.side, name, pref.side))
	}
	if pref.isNew {
		return writeTo(pref, other.v, newRecordReason(pref.side),
			fmt.Sprintf("The new %s record gets %s from %s.", pref.side, name, other.side))
	}

	if st.changed(pref.v) && st.cleared(pref.v) {
		return writeTo(other, Null(), pref.cleared,
			fmt.Sprintf("%s was cleared in %s, and the rule prefers %s, so %s is cleared too.", name, pref.side, pref.side, other.side))
	}
	if !pref.v.IsBlank() {
		return writeTo(other, pref.v, pref.wins,
			fmt.Sprintf("The rule prefers %s unless it is blank, and %s holds %s for %s.", pref.side, pref.side, pref.v, name))
	}
	return writeTo(pref, other.v, pref.fill,
		fmt.Sprintf("%s is blank in %s, so it is filled with %s from %s.", name, pref.side, other.v, other.side))
}

// always implements "always use X": the source's values and clears are
// copied, and the source is never written.
func (st state) always(src, dst view) Decision {
	name := st.m.HubSpot.Name

	if src.isNew {
		return Decision{NewBase: Absent(), ReasonCode: ReasonNotSentOnCreate,
			Reason: fmt.Sprintf("The rule always uses %s, so %s is not sent when the %s record is created.", dst.side, name, src.side)}
	}
	if !src.v.IsBlank() {
		return writeTo(dst, src.v, src.wins,
			fmt.Sprintf("The rule always uses %s, which holds %s for %s.", src.side, src.v, name))
	}
	if st.changed(src.v) && st.cleared(src.v) {
		return writeTo(dst, Null(), src.cleared,
			fmt.Sprintf("%s was cleared in %s, and the rule always uses %s, so %s is cleared too.", name, src.side, src.side, dst.side))
	}
	return Decision{NewBase: Null(), ReasonCode: src.blankKept,
		Reason: fmt.Sprintf("%s is blank in %s, and the rule always uses %s and never writes it, so nothing is written.", name, src.side, src.side)}
}

// twoWay copies the side that changed since the base. When both changed,
// or on a first sync where both hold values, the later change wins.
func (st state) twoWay() Decision {
	name := st.m.HubSpot.Name
	h, s := st.hubspot(), st.salesforce()

	if h.isNew {
		return writeTo(h, s.v, ReasonNewHubSpotRecord, fmt.Sprintf("The new HubSpot record gets %s from Salesforce.", name))
	}
	if s.isNew {
		return writeTo(s, h.v, ReasonNewSalesforceRecord, fmt.Sprintf("The new Salesforce record gets %s from HubSpot.", name))
	}

	if !st.in.HasBase {
		switch {
		case h.v.IsBlank():
			return writeTo(h, s.v, ReasonFillHubSpot, fmt.Sprintf("First sync of %s: HubSpot is blank, so it gets the Salesforce value.", name))
		case s.v.IsBlank():
			return writeTo(s, h.v, ReasonFillSalesforce, fmt.Sprintf("First sync of %s: Salesforce is blank, so it gets the HubSpot value.", name))
		}
		winner, loser, why := st.later(h, s)
		return writeTo(loser, winner.v, winner.firstSync,
			fmt.Sprintf("First sync of %s: both sides hold a value and %s changed later (%s).", name, winner.side, why))
	}

	hChanged, sChanged := st.changed(h.v), st.changed(s.v)
	switch {
	case hChanged && !sChanged:
		return writeTo(s, h.v, ReasonChangedInHubSpot, fmt.Sprintf("%s changed in HubSpot only, so Salesforce gets %s.", name, h.v))
	case sChanged && !hChanged:
		return writeTo(h, s.v, ReasonChangedInSalesforce, fmt.Sprintf("%s changed in Salesforce only, so HubSpot gets %s.", name, s.v))
	}

	winner, loser, why := st.later(h, s)
	d := writeTo(loser, winner.v, winner.conflict,
		fmt.Sprintf("%s changed on both sides since the last sync. %s changed later (%s), so its value %s wins.", name, winner.side, why, winner.v))
	d.Conflict = true
	return d
}

// later returns the side that changed later. Equal or unknown times go to
// the side that triggered the sync, and without a trigger to Salesforce,
// the system of record of HubSpot's connector.
func (st state) later(h, s view) (winner, loser view, why string) {
	th, ts := h.changedAt, s.changedAt
	if !th.IsZero() && !ts.IsZero() && !th.Equal(ts) {
		if th.After(ts) {
			return h, s, fmt.Sprintf("HubSpot at %s, Salesforce at %s", th.UTC().Format(isoMillis), ts.UTC().Format(isoMillis))
		}
		return s, h, fmt.Sprintf("Salesforce at %s, HubSpot at %s", ts.UTC().Format(isoMillis), th.UTC().Format(isoMillis))
	}

	if st.in.Trigger == SideHubSpot {
		return h, s, "change times equal or unknown, HubSpot triggered the sync"
	}
	if st.in.Trigger == SideSalesforce {
		return s, h, "change times equal or unknown, Salesforce triggered the sync"
	}
	return s, h, "change times equal or unknown, Salesforce wins ties"
}

// newRecordReason returns the reason code for a value sent to a record
// being created on side.
func newRecordReason(side Side) ReasonCode {
	if side == SideHubSpot {
		return ReasonNewHubSpotRecord
	}
	return ReasonNewSalesforceRecord
}
