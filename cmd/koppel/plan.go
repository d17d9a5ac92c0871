package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/mapping"
)

func init() {
	registerCommand(command{
		Name:    "plan",
		Summary: "show what the next sync cycle would write, field by field, without writing (plan [--all])",
		Run:     runPlan,
	})
}

func runPlan(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "also list records that need no write, with the reason")
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{p.T(i18n.PlanErrArgument, i18n.Data{"Value": fmt.Sprintf("%q", fs.Arg(0))})}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return localize(p, err)
	}
	defer conn.Close()

	// The JSON document ends with the summary, so it is written after the
	// last item. NOTE: JSON output keeps every listed item in memory,
	// unlike the text output, which prints each page as it is planned.
	doc := planDocument{Items: []planItemJSON{}}
	var sum planSummary
	err = eng.PlanNext(ctx, func(it *engine.Item) error {
		sum.add(it)
		if !*all && !it.Writes() && it.Action != engine.ActionPark && it.Action != engine.ActionLink {
			return nil
		}
		if g.JSON {
			doc.Items = append(doc.Items, itemJSON(it))
			return nil
		}
		printItem(stdout, p, it)
		return nil
	})
	if err != nil {
		return localize(p, &i18n.Error{ID: i18n.PlanErrFailed, Data: i18n.Data{"Detail": err.Error()}, Err: err})
	}

	if g.JSON {
		doc.Summary = sum.json()
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	p.Println(stdout, i18n.PlanHeading)
	printCounts(stdout, p, sum.counts())
	return nil
}

// planSummary counts a plan's items by action, and the writes they lead
// to with the definitions of the run counts of koppel sync, so both
// commands report the same numbers for the same work.
//
// TODO: count the Account and HubSpot company writes of the cycle's
// company steps, which the dry run does not plan yet.
type planSummary struct {
	actions                   map[engine.Action]int64
	created, linked, relinked int64
	updatedHubSpot, updatedSF int64
	skipped, parked           int64
}

func (s *planSummary) add(it *engine.Item) {
	if s.actions == nil {
		s.actions = map[engine.Action]int64{}
	}
	s.actions[it.Action]++
	if it.Relink != nil {
		s.relinked++
	}

	switch it.Action {
	case engine.ActionCreate:
		// Each create also links the new record, and a new Salesforce
		// record's id is then written to the HubSpot contact.
		s.created++
		s.linked++
		if it.Target() == engine.Salesforce {
			s.updatedHubSpot++
		}
	case engine.ActionLink, engine.ActionUpdate:
		if it.Action == engine.ActionLink {
			s.linked++
		}
		if len(it.ToHubSpot) > 0 {
			s.updatedHubSpot++
		}
		if len(it.ToSalesforce) > 0 {
			s.updatedSF++
		}
	}
	// koppel sync counts the email opt-out and the primary company
	// association as HubSpot updates of their own, apart from the
	// property writes, because they go through their own HubSpot APIs.
	if it.Unsubscribe != nil {
		s.updatedHubSpot++
	}
	if it.PrimaryCompany != "" {
		s.updatedHubSpot++
	}

	switch it.Action {
	case engine.ActionSkip:
		s.skipped++
	case engine.ActionPark:
		s.parked++
	}
}

// counts returns the summary under the keys of engine.Result.Counts.
func (s *planSummary) counts() map[string]int64 {
	return map[string]int64{
		"created": s.created, "linked": s.linked, "relinked": s.relinked,
		"updated_hubspot": s.updatedHubSpot, "updated_salesforce": s.updatedSF,
		"skipped": s.skipped, "failed": s.parked,
	}
}

func (s *planSummary) json() planSummaryJSON {
	actions := map[string]int64{}
	for _, a := range []engine.Action{engine.ActionCreate, engine.ActionLink, engine.ActionUpdate, engine.ActionSkip, engine.ActionPark} {
		actions[string(a)] = s.actions[a]
	}
	return planSummaryJSON{Actions: actions, Counts: s.counts()}
}

// countLines lists the run counts in print order with their messages.
var countLines = []struct {
	key string
	id  i18n.ID
}{
	{"created", i18n.CountCreated},
	{"linked", i18n.CountLinked},
	{"relinked", i18n.CountRelinked},
	{"updated_hubspot", i18n.CountUpdatedHubSpot},
	{"updated_salesforce", i18n.CountUpdatedSF},
	{"skipped", i18n.CountSkipped},
	{"failed", i18n.CountParked},
}

// printCounts writes one line per count, each saying what it counts.
func printCounts(w io.Writer, p *i18n.Printer, counts map[string]int64) {
	for _, c := range countLines {
		fmt.Fprintln(w, "    "+p.T(c.id, i18n.Data{"Count": counts[c.key]}))
	}
}

// printItem writes one plan item and its field writes for people.
func printItem(w io.Writer, p *i18n.Printer, it *engine.Item) {
	fmt.Fprintf(w, "%s %s <-> %s", actionText(p, it.Action), refText(p, it.HubSpot), refText(p, it.Salesforce))
	if it.Email != "" {
		fmt.Fprintf(w, " (%s)", it.Email)
	}
	fmt.Fprintf(w, "\n    %s [%s]\n", p.Reason(it.ReasonCode, it.Reason), it.ReasonCode)
	if it.Relink != nil {
		fmt.Fprintln(w, "    "+p.T(i18n.PlanLinkMoves, i18n.Data{"Note": it.Relink.Note}))
	}
	if it.Failure != nil {
		fmt.Fprintln(w, "    "+p.T(i18n.PlanWouldPark, i18n.Data{"Message": it.Failure.Message}))
	}
	for _, f := range planFields(it) {
		if f.Direction == "" {
			continue
		}
		fmt.Fprintf(w, "    %-15s %s: %s -> %s  (%s, %s)\n", directionText(p, string(f.Direction)), fieldName(f),
			valueText(p, f.Old), valueText(p, f.New), f.Rule, f.ReasonCode)
	}
	var extra []string
	for k, v := range it.ToHubSpot {
		if _, mapped := fieldByName(it, k); !mapped {
			extra = append(extra, fmt.Sprintf("%s=%s", k, v))
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		fmt.Fprintln(w, "    "+p.T(i18n.PlanAlsoToHubSpot, i18n.Data{"Values": strings.Join(extra, ", ")}))
	}
}

// planFields returns the item's field plans with the opt-out and the
// primary company, which are written through their own HubSpot APIs and
// so are kept apart from the property writes in the item.
func planFields(it *engine.Item) []engine.FieldPlan {
	fields := append([]engine.FieldPlan(nil), it.Fields...)
	for _, f := range []*engine.FieldPlan{it.Unsubscribe, it.PrimaryCompanyField} {
		if f != nil {
			fields = append(fields, *f)
		}
	}
	return fields
}

func fieldByName(it *engine.Item, name string) (engine.FieldPlan, bool) {
	for _, f := range it.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return engine.FieldPlan{}, false
}

func actionText(p *i18n.Printer, a engine.Action) string {
	ids := map[engine.Action]i18n.ID{
		engine.ActionCreate: i18n.PlanActionCreate, engine.ActionLink: i18n.PlanActionLink,
		engine.ActionUpdate: i18n.PlanActionUpdate, engine.ActionSkip: i18n.PlanActionSkip,
		engine.ActionPark: i18n.PlanActionPark,
	}
	if id, ok := ids[a]; ok {
		return p.T(id)
	}
	return string(a)
}

func refText(p *i18n.Printer, r engine.Ref) string {
	side := "HubSpot"
	if r.Side == engine.Salesforce {
		side = "Salesforce"
	}
	if r.ID == "" {
		return side + " " + string(r.Object) + " " + p.T(i18n.PlanNewRecord)
	}
	return side + " " + string(r.Object) + " " + r.ID
}

func directionText(p *i18n.Printer, d string) string {
	if d == "to_hubspot" {
		return p.T(i18n.PlanToHubSpot)
	}
	return p.T(i18n.PlanToSalesforce)
}

func fieldName(f engine.FieldPlan) string {
	if f.Field == "" {
		return f.SalesforceField
	}
	return f.Field + "/" + f.SalesforceField
}

// valueText shows a value to people: text without quotes, a blank as
// "(blank)".
func valueText(p *i18n.Printer, v mapping.Value) string {
	if v.IsBlank() {
		return p.T(i18n.PlanBlank)
	}
	if v.Kind() == mapping.KindText {
		return v.Text()
	}
	return v.String()
}

// planDocument is the JSON output of koppel --json plan.
type planDocument struct {
	Items   []planItemJSON  `json:"items"`
	Summary planSummaryJSON `json:"summary"`
}

// planSummaryJSON has the item counts per action and the run counts of
// koppel sync that the items lead to, under the same keys.
type planSummaryJSON struct {
	Actions map[string]int64 `json:"actions"`
	Counts  map[string]int64 `json:"counts"`
}

// planItemJSON is a plan item with its values in plain JSON instead of
// the engine's base-value encoding. The outer fields replace the embedded
// item's fields of the same JSON name.
type planItemJSON struct {
	*engine.Item
	Fields              []fieldPlanJSON `json:"fields,omitempty"`
	Unsubscribe         *fieldPlanJSON  `json:"unsubscribe,omitempty"`
	PrimaryCompanyField *fieldPlanJSON  `json:"primary_company_field,omitempty"`
	Failure             *failureJSON    `json:"failure,omitempty"`
}

type fieldPlanJSON struct {
	engine.FieldPlan
	HubSpot    any `json:"hubspot"`
	Salesforce any `json:"salesforce"`
	Base       any `json:"base"`
	New        any `json:"new"`
	Old        any `json:"old"`
}

type failureJSON struct {
	Category string   `json:"category"`
	Side     string   `json:"side,omitempty"`
	Code     string   `json:"code,omitempty"`
	Message  string   `json:"message"`
	Fields   []string `json:"fields,omitempty"`
	Retry    bool     `json:"retry"`
}

func itemJSON(it *engine.Item) planItemJSON {
	out := planItemJSON{Item: it}
	for _, f := range it.Fields {
		out.Fields = append(out.Fields, fieldJSON(f))
	}
	if it.Unsubscribe != nil {
		f := fieldJSON(*it.Unsubscribe)
		out.Unsubscribe = &f
	}
	if it.PrimaryCompanyField != nil {
		f := fieldJSON(*it.PrimaryCompanyField)
		out.PrimaryCompanyField = &f
	}
	if f := it.Failure; f != nil {
		out.Failure = &failureJSON{Category: string(f.Category), Side: string(f.Side), Code: f.Code, Message: f.Message, Fields: f.Fields, Retry: f.Retry}
	}
	return out
}

func fieldJSON(f engine.FieldPlan) fieldPlanJSON {
	out := fieldPlanJSON{FieldPlan: f,
		HubSpot: plainValue(f.HubSpot), Salesforce: plainValue(f.Salesforce),
		New: plainValue(f.New), Old: plainValue(f.Old),
	}
	if f.HasBase {
		out.Base = plainValue(f.Base)
	}
	return out
}

// plainValue returns v as programs expect it in JSON: null for a blank or
// missing value, a number as a JSON number, a date or time as an ISO 8601
// string and a multi-select as an array of options.
func plainValue(v mapping.Value) any {
	if v.IsBlank() {
		return nil
	}
	switch v.Kind() {
	case mapping.KindText:
		return v.Text()
	case mapping.KindNumber:
		return json.Number(v.NumberString())
	case mapping.KindBool:
		return v.Bool()
	case mapping.KindMulti:
		return v.Options()
	}
	return v.String()
}

// plainEncoded returns a stored base-value encoding, as in the audit log,
// as plainValue does; an encoding that does not decode is kept as is.
func plainEncoded(s string) any {
	if s == "" {
		return nil
	}
	v, err := mapping.DecodeValue(s)
	if err != nil {
		return s
	}
	return plainValue(v)
}

// encodedText shows a stored base-value encoding to people.
func encodedText(p *i18n.Printer, s string) string {
	v, err := mapping.DecodeValue(s)
	if s == "" || err != nil {
		if s == "" {
			return p.T(i18n.PlanBlank)
		}
		return s
	}
	return valueText(p, v)
}
