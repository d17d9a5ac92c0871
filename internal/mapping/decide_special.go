package mapping

// decideOwner makes the owner behave two-way whatever rule the mapping
// shows. HubSpot documents three exceptions for its connector. A HubSpot
// owner that matches no Salesforce user is reset to the Salesforce owner.
// The Salesforce owner is kept when an existing record is first linked.
// Salesforce keeps its owner when the HubSpot owner is cleared, because
// every Salesforce record needs one.
func (st state) decideOwner() Decision {
	h, s := st.hubspot(), st.salesforce()

	if st.in.HubSpotOwnerUnmatched && !s.v.IsBlank() {
		return writeTo(h, s.v, ReasonOwnerUnmatched,
			"The HubSpot owner matches no active Salesforce user, so HubSpot gets the Salesforce owner back.")
	}
	if s.isNew {
		if h.v.IsBlank() {
			return Decision{NewBase: Absent(), ReasonCode: ReasonOwnerAssignmentRules,
				Reason: "The HubSpot record has no owner, so Salesforce chooses the owner of the new record (assignment rules for a Lead, the default owner otherwise)."}
		}
		return writeTo(s, h.v, ReasonNewSalesforceRecord, "The new Salesforce record gets the HubSpot owner.")
	}
	if same(h.v, s.v) {
		return st.inSync()
	}
	if h.isNew {
		return writeTo(h, s.v, ReasonNewHubSpotRecord, "The new HubSpot record gets the Salesforce owner.")
	}

	if !st.in.HasBase {
		if !s.v.IsBlank() {
			return writeTo(h, s.v, ReasonOwnerKeptOnLink,
				"On the first sync of an existing Salesforce record its owner is kept and copied to HubSpot.")
		}
		return writeTo(s, h.v, ReasonFillSalesforce, "Salesforce has no owner, so it gets the HubSpot owner.")
	}

	if h.v.IsBlank() && !s.v.IsBlank() {
		return writeTo(h, s.v, ReasonOwnerRequired,
			"The HubSpot owner is blank, but Salesforce requires an owner, so HubSpot gets the Salesforce owner back.")
	}

	d := st.twoWay()
	d.Reason = "The owner syncs two-way by the most recent change. " + d.Reason
	return d
}

// decideOptOut implements the fixed email opt-out mapping. An opt-out on
// either side propagates to the other. Unchecking the Salesforce box does
// not resubscribe the contact in HubSpot, where only the contact can
// resubscribe, so Salesforce is set back to true. A resubscription in
// HubSpot, which only the contact can make, clears the Salesforce box.
//
// Writing true to HubSpot means unsubscribing the contact from all email;
// the engine does that through the communication preferences API,
// because hs_email_optout is read-only.
func (st state) decideOptOut() Decision {
	h, s := st.hubspot(), st.salesforce()
	hOut, sOut, bOut := optedOut(st.h), optedOut(st.s), optedOut(st.b)

	switch {
	case hOut == sOut:
		return Decision{NewBase: Bool(hOut), ReasonCode: ReasonInSync, Reason: optOutState(hOut)}

	case hOut && !sOut:
		if st.in.HasBase && bOut && st.changed(st.s) {
			return Decision{Action: ActionWriteSalesforce, Value: Bool(true), NewBase: Bool(true),
				ReasonCode: ReasonOptOutSticky,
				Reason: "Email Opt Out was unchecked in Salesforce, but the contact stays opted out in HubSpot, " +
					"where only the contact can resubscribe, so Salesforce is set back to true."}
		}
		return Decision{Action: s.write, Value: Bool(true), NewBase: Bool(true), ReasonCode: ReasonOptOutFromHubSpot,
			Reason: "The contact opted out of email in HubSpot, so Email Opt Out is checked in Salesforce."}
	}

	// Salesforce is opted out and HubSpot is not.
	if st.in.HasBase && bOut && st.changed(st.h) && !st.changed(st.s) {
		return Decision{Action: s.write, Value: Bool(false), NewBase: Bool(false), ReasonCode: ReasonResubscribed,
			Reason: "The contact resubscribed in HubSpot, so Email Opt Out is unchecked in Salesforce."}
	}
	return Decision{Action: h.write, Value: Bool(true), NewBase: Bool(true), ReasonCode: ReasonOptOutFromSalesforce,
		Reason: "Email Opt Out is checked in Salesforce, so the contact is opted out of email in HubSpot."}
}

// optedOut reports whether v is a checked opt-out. A blank HubSpot value
// means the contact never opted out.
func optedOut(v Value) bool {
	return v.Kind() == KindBool && v.Bool()
}

func optOutState(out bool) string {
	if out {
		return "The contact is opted out of email on both sides."
	}
	return "The contact is opted out of email on neither side."
}
