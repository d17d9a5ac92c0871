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
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := fs.Bool("all", false, "also list records that need no write, with the reason")
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; plan takes only flags", fs.Arg(0))}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return err
	}
	defer conn.Close()

	// JSON output is one item per line, so a large plan streams.
	enc := json.NewEncoder(stdout)
	counts := map[engine.Action]int{}
	err = eng.PlanNext(ctx, func(it *engine.Item) error {
		if !*all && !it.Writes() && it.Action != engine.ActionPark && it.Action != engine.ActionLink {
			return nil
		}
		counts[it.Action]++
		if g.JSON {
			return enc.Encode(it)
		}
		printItem(stdout, it)
		return nil
	})
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if !g.JSON {
		fmt.Fprintf(stdout, "plan: %d creates, %d links, %d updates, %d records that would park, %d skipped\n",
			counts[engine.ActionCreate], counts[engine.ActionLink], counts[engine.ActionUpdate], counts[engine.ActionPark], counts[engine.ActionSkip])
	}
	return nil
}

// printItem writes one plan item and its field writes for people.
func printItem(w io.Writer, it *engine.Item) {
	fmt.Fprintf(w, "%s %s <-> %s", it.Action, refText(it.HubSpot), refText(it.Salesforce))
	if it.Email != "" {
		fmt.Fprintf(w, " (%s)", it.Email)
	}
	fmt.Fprintf(w, "\n    %s [%s]\n", it.Reason, it.ReasonCode)
	if it.Relink != nil {
		fmt.Fprintf(w, "    link moves: %s\n", it.Relink.Note)
	}
	if it.Failure != nil {
		fmt.Fprintf(w, "    would park: %s\n", it.Failure.Message)
	}
	fields := it.Fields
	// The opt-out and the primary company are written through their own
	// HubSpot APIs, so they are kept apart from the property writes.
	for _, f := range []*engine.FieldPlan{it.Unsubscribe, it.PrimaryCompanyField} {
		if f != nil {
			fields = append(fields, *f)
		}
	}
	for _, f := range fields {
		if f.Direction == "" {
			continue
		}
		fmt.Fprintf(w, "    %s %s: %s -> %s  (%s, %s)\n", directionText(string(f.Direction)), fieldName(f),
			valueText(f.Old), valueText(f.New), f.Rule, f.ReasonCode)
	}
	var extra []string
	for k, v := range it.ToHubSpot {
		if _, mapped := fieldByName(it, k); !mapped {
			extra = append(extra, fmt.Sprintf("%s=%s", k, v))
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		fmt.Fprintf(w, "    also to HubSpot: %s\n", strings.Join(extra, ", "))
	}
}

func fieldByName(it *engine.Item, name string) (engine.FieldPlan, bool) {
	for _, f := range it.Fields {
		if f.Field == name {
			return f, true
		}
	}
	return engine.FieldPlan{}, false
}

func refText(r engine.Ref) string {
	side := "HubSpot"
	if r.Side == engine.Salesforce {
		side = "Salesforce"
	}
	if r.ID == "" {
		return side + " " + string(r.Object) + " (new)"
	}
	return side + " " + string(r.Object) + " " + r.ID
}

func directionText(d string) string {
	if d == "to_hubspot" {
		return "to HubSpot   "
	}
	return "to Salesforce"
}

func fieldName(f engine.FieldPlan) string {
	if f.Field == "" {
		return f.SalesforceField
	}
	return f.Field + "/" + f.SalesforceField
}

func valueText(v mapping.Value) string {
	if v.IsBlank() {
		return "(blank)"
	}
	return v.String()
}
