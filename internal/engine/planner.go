package engine

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// HubSpot properties that show which Salesforce record a contact is
// linked to. HubSpot's connector fills the same ones.
const (
	PropSalesforceLeadID    = "salesforceleadid"
	PropSalesforceContactID = "salesforcecontactid"
)

// Planner turns resolved pairs into plan items. It is pure: the same
// settings, mappings and pairs always give the same plan.
type Planner struct {
	Settings settings.Settings
	Mappings []mapping.Mapping

	// MirrorLinkIDs writes the linked Salesforce id into the HubSpot
	// properties salesforceleadid and salesforcecontactid.
	MirrorLinkIDs bool

	// keepAllFields lists every mapped field in Item.Fields, also those
	// with nothing to do, for explain.
	keepAllFields bool

	converter mapping.Converter

	// Owners matches HubSpot owners with Salesforce users by email; nil
	// leaves the owner mapping alone.
	Owners *OwnerDirectory
}

// NewPlanner returns a Planner for the settings and mappings.
func NewPlanner(s settings.Settings, ms []mapping.Mapping) *Planner {
	return &Planner{Settings: s, Mappings: ms, MirrorLinkIDs: true,
		converter: mapping.Converter{Location: s.Location()}}
}

// Plan plans every pair.
func (p *Planner) Plan(pairs []Pair) Plan {
	var plan Plan
	for i := range pairs {
		plan.Items = append(plan.Items, p.PlanPair(&pairs[i]))
	}
	return plan
}

// PlanPair returns the item for one pair.
func (p *Planner) PlanPair(pair *Pair) Item {
	it := Item{Email: pair.Email, Origin: pair.Origin, Choice: pair.Choice, Relink: pair.Relink}
	if pair.Link != nil {
		it.LinkID = pair.Link.ID
	}
	if pair.HubSpot != nil {
		it.HubSpot = pair.HubSpot.Ref
	} else {
		it.HubSpot = Ref{Side: HubSpot, Object: HubSpotContact}
	}
	if pair.Salesforce != nil {
		it.Salesforce = pair.Salesforce.Ref
	} else {
		it.Salesforce = Ref{Side: Salesforce, Object: p.newSalesforceObject()}
	}

	if pair.SkipCode != "" {
		it.Action, it.ReasonCode, it.Reason = ActionSkip, pair.SkipCode, pair.SkipReason
		return it
	}
	if p.gateInclusion(&it, pair) {
		return it
	}

	switch {
	case pair.HubSpot != nil && pair.Salesforce != nil:
		p.planPairFields(&it, pair)
	case pair.HubSpot != nil:
		p.planCreateSalesforce(&it, pair)
	case pair.Salesforce != nil:
		p.planCreateHubSpot(&it, pair)
	}
	return it
}

func (p *Planner) newSalesforceObject() Object {
	if p.Settings.SalesforceOnHubSpotChange == settings.SalesforceCreateContact {
		return Contact
	}
	return Lead
}

// planPairFields plans a linked pair, or two records matched by email.
func (p *Planner) planPairFields(it *Item, pair *Pair) {
	if pair.Link == nil {
		it.Action, it.ReasonCode = ActionLink, ReasonMatchedByEmail
		it.Reason = "Linked by email: no link existed and both sides hold the address."
	}

	if err := p.decideFields(it, pair, false, false); err != nil {
		p.park(it, err)
		return
	}
	p.mirrorLink(it, pair.HubSpot, pair.Salesforce.Ref)
	p.planCampaigns(it, pair)
	p.decideAccount(it, pair)

	if it.Action == ActionLink {
		return
	}
	if len(it.ToHubSpot) == 0 && len(it.ToSalesforce) == 0 && it.Unsubscribe == nil && it.PrimaryCompany == "" {
		it.Action, it.ReasonCode, it.Reason = ActionSkip, ReasonInSync, "Both sides agree on every mapped field."
		return
	}
	it.Action, it.ReasonCode = ActionUpdate, ReasonFieldsChanged
	it.Reason = fmt.Sprintf("%d field writes follow from the mapping rules.", countWrites(it))
}

func (p *Planner) planCreateSalesforce(it *Item, pair *Pair) {
	if !p.Settings.CreateSalesforceFromHubSpot {
		it.Action, it.ReasonCode = ActionSkip, ReasonCreateOff
		it.Reason = "No Salesforce record has this email, and creating Salesforce records from HubSpot is turned off."
		return
	}

	object := p.newSalesforceObject()
	it.Action, it.ReasonCode = ActionCreate, ReasonNoMatch
	it.Reason = fmt.Sprintf("No Salesforce Lead or Contact has this email, and the setting creates a %s.", object)
	it.Salesforce = Ref{Side: Salesforce, Object: object}
	it.ToSalesforce = map[string]any{}

	if err := p.decideFields(it, pair, false, true); err != nil {
		p.park(it, err)
		return
	}
	if err := p.fillRequired(it, object); err != nil {
		p.park(it, err)
	}
}

func (p *Planner) planCreateHubSpot(it *Item, pair *Pair) {
	if p.Settings.HubSpotOnSalesforceChange == settings.HubSpotDoNothing {
		it.Action, it.ReasonCode = ActionSkip, ReasonHubSpotDoNothing
		it.Reason = "No HubSpot contact has this email, and the setting tells HubSpot to do nothing for new Salesforce records."
		return
	}

	it.Action, it.ReasonCode = ActionCreate, ReasonNoMatch
	it.Reason = "No HubSpot contact has this email, and the setting creates one."
	it.ToHubSpot = map[string]string{}

	if err := p.decideFields(it, pair, true, false); err != nil {
		p.park(it, err)
		return
	}
	// HubSpot requires the email of a contact created by a sync; the email
	// mapping may have a rule that would not send it.
	if it.ToHubSpot["email"] == "" {
		it.ToHubSpot["email"] = pair.Salesforce.RawEmail
	}
	p.mirrorLink(it, nil, pair.Salesforce.Ref)
	p.planCampaigns(it, pair)
}

// decideFields decides every mapped field of the pair and fills the
// item's writes. A value that cannot be converted returns an error that
// parks the whole item, so a record is never half written.
func (p *Planner) decideFields(it *Item, pair *Pair, hubspotNew, salesforceNew bool) error {
	object := string(it.Salesforce.Object)
	trigger := mapping.SideSalesforce
	if pair.Origin == HubSpot {
		trigger = mapping.SideHubSpot
	}

	for _, m := range p.Mappings {
		field, ok := m.Field(object)
		if !ok {
			// A field that exists on the other Salesforce object only is
			// not synced for this record, without an error.
			continue
		}
		if m.Kind == mapping.KindOwner {
			p.decideOwner(it, pair, m, field, hubspotNew, salesforceNew, trigger)
			continue
		}

		in := mapping.DecideInput{
			HubSpotNew:    hubspotNew,
			SalesforceNew: salesforceNew,
			Trigger:       trigger,
			Location:      p.converter.Location,
		}
		if base, ok := pair.Base[m.HubSpot.Name]; ok {
			in.Base, in.HasBase = base, true
		}

		var err error
		if pair.HubSpot != nil {
			// HubSpot leaves out a requested property that has no value. Every
			// read requests every mapped property, so a missing one is blank.
			raw := pair.HubSpot.HubSpotProps[m.HubSpot.Name]
			if in.HubSpot, err = p.converter.FromHubSpot(m.HubSpot, raw, true); err != nil {
				return sideError{HubSpot, err}
			}
			in.HubSpotChangedAt = pair.HubSpot.Edited
			if t, ok := pair.HubSpot.PropertyEdited[m.HubSpot.Name]; ok {
				in.HubSpotChangedAt = t
			}
		}
		if pair.Salesforce != nil {
			raw, present := pair.Salesforce.SalesforceFields[field.Name]
			if present {
				if in.Salesforce, err = p.converter.FromSalesforce(field, raw); err != nil {
					return sideError{Salesforce, err}
				}
			}
			// The placeholder only satisfies a required field, so it counts
			// as blank: HubSpot never gets it, and a HubSpot value replaces it.
			if p.isPlaceholder(object, field.Name, in.Salesforce) {
				in.Salesforce = mapping.Null()
			}
			in.SalesforceChangedAt = pair.Salesforce.Edited
		}

		d := mapping.Decide(m, in)
		fp := FieldPlan{
			Field: m.HubSpot.Name, SalesforceField: field.Name, Rule: m.Rule,
			HubSpot: in.HubSpot, Salesforce: in.Salesforce, Base: in.Base, HasBase: in.HasBase,
			New: d.NewBase, ReasonCode: string(d.ReasonCode), Reason: d.Reason, Conflict: d.Conflict,
		}

		switch d.Action {
		case mapping.ActionWriteHubSpot:
			if m.Kind == mapping.KindOptOut {
				// hs_email_optout is read-only; the opt-out goes through
				// HubSpot's subscription preferences.
				fp.Direction, fp.Old, fp.New = store.ToHubSpot, in.HubSpot, d.Value
				it.Unsubscribe = &fp
				continue
			}
			wire, err := p.converter.ToHubSpot(m.HubSpot, d.Value)
			if err != nil {
				return sideError{HubSpot, err}
			}
			if it.ToHubSpot == nil {
				it.ToHubSpot = map[string]string{}
			}
			it.ToHubSpot[m.HubSpot.Name] = wire
			fp.Direction, fp.Old, fp.New = store.ToHubSpot, in.HubSpot, d.Value
		case mapping.ActionWriteSalesforce:
			wire, err := p.converter.ToSalesforce(field, d.Value)
			if err != nil {
				return sideError{Salesforce, err}
			}
			if d.Value.IsBlank() && slices.Contains(requiredOnCreate[Object(object)], field.Name) {
				// Salesforce rejects a blank required field; the placeholder
				// stands for the blank, as on create.
				wire = p.Settings.Placeholder
			}
			if it.ToSalesforce == nil {
				it.ToSalesforce = map[string]any{}
			}
			it.ToSalesforce[field.Name] = wire
			fp.Direction, fp.Old, fp.New = store.ToSalesforce, in.Salesforce, d.Value
		default:
			// Nothing to write; keep the item only when the base moves.
			unchanged := d.NewBase.Kind() == mapping.KindAbsent || (in.HasBase && d.NewBase.Equal(in.Base))
			if unchanged && !p.keepAllFields {
				continue
			}
			if unchanged {
				fp.New, fp.Unchanged = in.Base, true
			}
		}
		it.Fields = append(it.Fields, fp)
	}
	return nil
}

// Required fields Salesforce rejects a create without.
var requiredOnCreate = map[Object][]string{
	Lead:    {"LastName", "Company"},
	Contact: {"LastName"},
}

// fillRequired gives a new Salesforce record the configured placeholder
// for each required field without a HubSpot value. With missing_required
// set to park it returns a failure instead.
func (p *Planner) fillRequired(it *Item, object Object) error {
	var missing []string
	for _, name := range requiredOnCreate[object] {
		if v, ok := it.ToSalesforce[name]; ok && !blankWire(v) {
			continue
		}
		missing = append(missing, name)
	}
	if len(missing) == 0 {
		return nil
	}

	if p.Settings.MissingRequired == settings.MissingPark {
		return &Failure{
			Side: Salesforce, Category: store.ErrorPropertyValue, Code: "REQUIRED_FIELD_MISSING", Fields: missing,
			Message: fmt.Sprintf("a new %s needs %s, and HubSpot has no value; fill it in HubSpot, or set missing_required to placeholder",
				object, strings.Join(missing, " and ")),
		}
	}
	for _, name := range missing {
		it.ToSalesforce[name] = p.Settings.Placeholder
		it.Fields = append(it.Fields, FieldPlan{
			SalesforceField: name, Direction: store.ToSalesforce, Placeholder: true,
			New: mapping.Text(p.Settings.Placeholder), ReasonCode: ReasonRequiredMissing,
		})
	}
	return nil
}

// isPlaceholder reports whether v is the configured placeholder in a
// field Salesforce requires on create.
func (p *Planner) isPlaceholder(object, field string, v mapping.Value) bool {
	if v.Kind() != mapping.KindText || v.Text() != p.Settings.Placeholder {
		return false
	}
	return slices.Contains(requiredOnCreate[Object(object)], field)
}

func blankWire(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(v) == ""
	}
	return false
}

// mirrorLink writes the linked Salesforce id into HubSpot's Salesforce
// Lead ID or Contact ID property when it differs.
func (p *Planner) mirrorLink(it *Item, hs *Record, sf Ref) {
	if !p.MirrorLinkIDs || sf.ID == "" {
		return
	}
	prop := PropSalesforceLeadID
	if sf.Object == Contact {
		prop = PropSalesforceContactID
	}
	if hs != nil && hs.HubSpotProps[prop] == sf.ID {
		return
	}
	if it.ToHubSpot == nil {
		it.ToHubSpot = map[string]string{}
	}
	it.ToHubSpot[prop] = sf.ID
}

// sideError is a conversion error and the side whose value it concerns.
type sideError struct {
	side Side
	err  error
}

func (e sideError) Error() string { return e.err.Error() }
func (e sideError) Unwrap() error { return e.err }

// park turns the item into ActionPark with the error as its failure.
func (p *Planner) park(it *Item, err error) {
	f := &Failure{Category: store.ErrorPropertyValue, Code: "PROPERTY_VALUE", Message: err.Error()}
	var se sideError
	if errors.As(err, &se) {
		f.Side = se.side
	}
	var pve *mapping.PropertyValueError
	var given *Failure
	switch {
	case errors.As(err, &given):
		f = given
	case errors.As(err, &pve):
		f.Code = pve.Code
		for _, name := range []string{pve.HubSpotProperty, pve.SalesforceField} {
			if name != "" {
				f.Fields = append(f.Fields, name)
			}
		}
	}
	it.Action, it.ReasonCode, it.Reason, it.Failure = ActionPark, ReasonPropertyValue, f.Message, f
	if f.Code == "REQUIRED_FIELD_MISSING" {
		it.ReasonCode = ReasonRequiredMissing
	}
	it.ToHubSpot, it.ToSalesforce, it.Fields = nil, nil, nil
}

func countWrites(it *Item) int {
	n := 0
	for _, f := range it.Fields {
		if f.Direction != "" {
			n++
		}
	}
	return n
}
