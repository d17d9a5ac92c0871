package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/koppel-sync/koppel/internal/engine"
)

func init() {
	registerCommand(command{
		Name:    "explain",
		Summary: "show why a person synced or did not: link, values, base, rule, decision, audit, errors (explain EMAIL|ID)",
		Run:     runExplain,
	})
}

func runExplain(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"give one email address, HubSpot contact id or Salesforce Lead or Contact id"}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return err
	}
	defer conn.Close()

	x, err := eng.Explain(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	if g.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(x)
	}
	printExplanation(stdout, x)
	return nil
}

func printExplanation(w io.Writer, x *engine.Explanation) {
	if x.Link != nil {
		fmt.Fprintf(w, "link %d (%s): HubSpot contact %s <-> Salesforce %s %s, email %s\n",
			x.Link.ID, x.Link.Status, x.Link.HubSpotID, x.Link.SalesforceObject, x.Link.SalesforceID, x.Link.Email)
		for _, ev := range x.LinkHistory {
			fmt.Fprintf(w, "    %s %s %s\n", ev.At.Format("2006-01-02 15:04:05"), ev.Event, ev.Note)
		}
	} else {
		fmt.Fprintln(w, "not linked")
	}
	if !x.LastSync.IsZero() {
		fmt.Fprintf(w, "last sync: %s\n", x.LastSync.Format("2006-01-02 15:04:05 MST"))
	}

	fmt.Fprintf(w, "\nnext cycle: ")
	printItem(w, &x.Next)

	fmt.Fprintf(w, "\n%-16s %-20s %-22s %-22s %-22s %-32s %s\n", "HubSpot", "Salesforce", "HubSpot value", "Salesforce value", "base", "rule", "decision")
	for _, f := range x.Next.Fields {
		base := "(none)"
		if f.HasBase {
			base = valueText(f.Base)
		}
		decision := f.ReasonCode
		if f.Direction != "" {
			decision += ", write " + directionText(string(f.Direction))
		}
		fmt.Fprintf(w, "%-16s %-20s %-22s %-22s %-22s %-32s %s\n", f.Field, f.SalesforceField,
			clip(valueText(f.HubSpot)), clip(valueText(f.Salesforce)), clip(base), f.Rule, decision)
	}

	if len(x.Audit) > 0 {
		fmt.Fprintln(w, "\nrecent audit:")
		for _, a := range x.Audit {
			fmt.Fprintf(w, "    %s run %d %s %s: %s -> %s (%s, %s)\n", a.At.Format("2006-01-02 15:04:05"), a.RunID, a.Direction, a.Field,
				a.OldValue, a.NewValue, a.Rule, a.ReasonCode)
		}
	}
	if len(x.Errors) > 0 {
		fmt.Fprintln(w, "\nopen errors:")
		for _, e := range x.Errors {
			fmt.Fprintf(w, "    %s %s %s: %s %s (attempt %d, next retry %s)\n", e.Side, e.Object, e.RecordID, e.Category, e.Message,
				e.Attempts, e.NextRetryAt.Format("2006-01-02 15:04:05"))
		}
	}
}

func clip(s string) string {
	if len(s) > 22 {
		return s[:19] + "..."
	}
	return s
}
