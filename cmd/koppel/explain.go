package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/store"
)

func init() {
	registerCommand(command{
		Name:    "explain",
		Summary: "show why a person synced or did not: link, values, base, rule, decision, audit, errors (explain EMAIL|ID)",
		Run:     runExplain,
	})
}

func runExplain(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{p.T(i18n.ExplainErrUsage)}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return localize(p, err)
	}
	defer conn.Close()

	x, err := eng.Explain(ctx, fs.Arg(0))
	if err != nil {
		return localize(p, err)
	}
	if g.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(explanationJSON(x))
	}
	printExplanation(stdout, p, x)
	return nil
}

const timeLayout = "2006-01-02 15:04:05"

func printExplanation(w io.Writer, p *i18n.Printer, x *engine.Explanation) {
	if l := x.Link; l != nil {
		p.Println(w, i18n.ExplainLink, i18n.Data{"ID": l.ID, "Status": l.Status, "HubSpotID": l.HubSpotID,
			"Object": l.SalesforceObject, "SalesforceID": l.SalesforceID, "Email": l.Email})
		for _, ev := range x.LinkHistory {
			fmt.Fprintf(w, "    %s %s %s\n", ev.At.Format(timeLayout), ev.Event, ev.Note)
		}
	} else {
		p.Println(w, i18n.ExplainNotLinked)
	}
	if !x.LastSync.IsZero() {
		p.Println(w, i18n.ExplainLastSync, i18n.Data{"Time": x.LastSync.Format(timeLayout + " MST")})
	}

	fmt.Fprintln(w)
	p.Println(w, i18n.ExplainNextCycle)
	printItem(w, p, &x.Next)

	fmt.Fprintln(w)
	p.Println(w, i18n.ExplainFields)
	// The column names come as one message so a translation keeps them
	// together; tabwriter sizes the columns to the longest field name.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ReplaceAll(p.T(i18n.ExplainColumns), "|", "\t"))
	for _, f := range x.Next.Fields {
		base := p.T(i18n.ExplainNoBase)
		if f.HasBase {
			base = valueText(p, f.Base)
		}
		decision := f.ReasonCode
		if f.Direction != "" {
			decision += ", " + p.T(i18n.ExplainWrite, i18n.Data{"Direction": directionText(p, string(f.Direction))})
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Field, f.SalesforceField,
			clip(valueText(p, f.HubSpot)), clip(valueText(p, f.Salesforce)), clip(base), f.Rule, decision)
		for _, e := range fieldErrors(x, f) {
			fmt.Fprintln(tw, "    "+p.T(i18n.ExplainFieldError, i18n.Data{"Code": e.Code, "Message": e.Message}))
		}
	}
	tw.Flush()

	if len(x.Audit) > 0 {
		fmt.Fprintln(w)
		p.Println(w, i18n.ExplainAudit)
		for _, a := range x.Audit {
			fmt.Fprintln(w, "    "+auditText(p, a))
		}
	}
	if len(x.Errors) > 0 {
		fmt.Fprintln(w)
		p.Println(w, i18n.ExplainErrors)
		for _, e := range x.Errors {
			fmt.Fprintln(w, "    "+p.T(i18n.ExplainErrorLine, i18n.Data{"Side": e.Side, "Object": e.Object, "RecordID": e.RecordID,
				"Category": e.Category, "Message": e.Code + " " + e.Message, "Attempts": e.Attempts, "NextRetry": e.NextRetryAt.Format(timeLayout)}))
		}
	}
}

// fieldErrors returns the open errors that name the field on either side.
func fieldErrors(x *engine.Explanation, f engine.FieldPlan) []store.SyncError {
	var out []store.SyncError
	for _, e := range x.Errors {
		if slices.Contains(e.Fields, f.Field) || slices.Contains(e.Fields, f.SalesforceField) {
			out = append(out, e)
		}
	}
	return out
}

// auditText shows one audit row with readable values. A row about the
// link itself has no values, so it shows the two records instead.
func auditText(p *i18n.Printer, a store.AuditEntry) string {
	reason := p.Reason(a.ReasonCode, a.Reason)
	if a.Field == engine.AuditFieldLink {
		return p.T(i18n.ExplainAuditLinkLine, i18n.Data{"Time": a.At.Format(timeLayout), "RunID": a.RunID,
			"HubSpotID": a.HubSpotID, "SalesforceID": a.SalesforceID, "Reason": reason})
	}
	return p.T(i18n.ExplainAuditLine, i18n.Data{"Time": a.At.Format(timeLayout), "RunID": a.RunID,
		"Direction": directionText(p, string(a.Direction)), "Field": a.Field,
		"Old": encodedText(p, a.OldValue), "New": encodedText(p, a.NewValue), "Rule": a.Rule, "Reason": a.ReasonCode})
}

func clip(s string) string {
	if len([]rune(s)) > 22 {
		return string([]rune(s)[:19]) + "..."
	}
	return s
}

// explanationView is the JSON output of koppel --json explain: snake_case
// names and plain values, like the rest of koppel's JSON.
type explanationView struct {
	Query       string          `json:"query"`
	Link        *linkView       `json:"link,omitempty"`
	LinkHistory []linkEventView `json:"link_history,omitempty"`
	HubSpot     *engine.Ref     `json:"hubspot,omitempty"`
	Salesforce  *engine.Ref     `json:"salesforce,omitempty"`
	LastSync    time.Time       `json:"last_sync,omitzero"`
	Next        planItemJSON    `json:"next"`
	Audit       []auditView     `json:"audit,omitempty"`
	Errors      []syncErrorView `json:"errors,omitempty"`
}

type linkView struct {
	ID               int64     `json:"id"`
	HubSpotID        string    `json:"hubspot_id"`
	SalesforceID     string    `json:"salesforce_id"`
	SalesforceObject string    `json:"salesforce_object"`
	Email            string    `json:"email,omitempty"`
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

type linkEventView struct {
	At    time.Time `json:"at"`
	Event string    `json:"event"`
	Note  string    `json:"note,omitempty"`
}

// auditView is an audit row. A row about the link itself (field "_link")
// has null values; its hubspot_id and salesforce_id name the pair.
type auditView struct {
	At           time.Time `json:"at"`
	RunID        int64     `json:"run_id"`
	LinkID       int64     `json:"link_id,omitempty"`
	HubSpotID    string    `json:"hubspot_id,omitempty"`
	SalesforceID string    `json:"salesforce_id,omitempty"`
	Field        string    `json:"field"`
	OldValue     any       `json:"old_value"`
	NewValue     any       `json:"new_value"`
	Direction    string    `json:"direction"`
	Rule         string    `json:"rule"`
	ReasonCode   string    `json:"reason_code"`
	Reason       string    `json:"reason"`
}

type syncErrorView struct {
	Side        string    `json:"side"`
	Object      string    `json:"object"`
	RecordID    string    `json:"record_id"`
	Category    string    `json:"category"`
	Code        string    `json:"code"`
	Message     string    `json:"message"`
	Fields      []string  `json:"fields,omitempty"`
	Attempts    int       `json:"attempts"`
	NextRetryAt time.Time `json:"next_retry_at,omitzero"`
}

func explanationJSON(x *engine.Explanation) explanationView {
	v := explanationView{Query: x.Query, HubSpot: x.HubSpot, Salesforce: x.Salesforce, LastSync: x.LastSync, Next: itemJSON(&x.Next)}
	if l := x.Link; l != nil {
		v.Link = &linkView{ID: l.ID, HubSpotID: l.HubSpotID, SalesforceID: l.SalesforceID, SalesforceObject: string(l.SalesforceObject),
			Email: l.Email, Status: string(l.Status), CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt}
	}
	for _, ev := range x.LinkHistory {
		v.LinkHistory = append(v.LinkHistory, linkEventView{At: ev.At, Event: string(ev.Event), Note: ev.Note})
	}
	for _, a := range x.Audit {
		v.Audit = append(v.Audit, auditView{At: a.At, RunID: a.RunID, LinkID: a.LinkID, HubSpotID: a.HubSpotID, SalesforceID: a.SalesforceID,
			Field: a.Field, OldValue: plainEncoded(a.OldValue), NewValue: plainEncoded(a.NewValue),
			Direction: string(a.Direction), Rule: a.Rule, ReasonCode: a.ReasonCode, Reason: a.Reason})
	}
	for _, e := range x.Errors {
		v.Errors = append(v.Errors, syncErrorView{Side: string(e.Side), Object: e.Object, RecordID: e.RecordID, Category: string(e.Category),
			Code: e.Code, Message: e.Message, Fields: e.Fields, Attempts: e.Attempts, NextRetryAt: e.NextRetryAt})
	}
	return v
}
