package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/store"
)

func init() {
	registerCommand(command{
		Name:    "import",
		Summary: "import salesforce: bring Salesforce Leads and Contacts into HubSpot, then sync them",
		Run:     runImport,
	})
}

func runImport(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	if len(args) == 0 || args[0] != "salesforce" {
		return &usageError{p.T(i18n.ImportErrNoObjects)}
	}
	fs := flag.NewFlagSet("import salesforce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	leads := fs.Bool("leads", false, "import Leads (with --contacts: both; with neither: both)")
	contacts := fs.Bool("contacts", false, "import Contacts")
	accounts := fs.Bool("accounts", false, "import Accounts as companies (needs company sync)")
	campaign := fs.String("campaign", "", "import only the members of this active Salesforce campaign `ID`")
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; import salesforce takes only flags", fs.Arg(0))}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return err
	}
	defer conn.Close()

	progress := func(object engine.Object, c map[string]int64) {
		if g.JSON {
			return
		}
		fmt.Fprintln(stderr, p.T(i18n.ImportProgress, i18n.Data{"Object": string(object), "Read": c["read"], "Created": c["created"],
			"Linked": c["linked"], "Duplicates": c["duplicate_email"], "NoEmail": c["no_email"]}))
	}
	res, err := eng.ImportSalesforce(ctx, engine.ImportOptions{
		Leads: *leads, Contacts: *contacts, Accounts: *accounts, CampaignID: *campaign, Progress: progress,
	})
	if g.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil && err == nil {
			err = jerr
		}
	} else if res.RunID != 0 {
		if res.Resumed {
			fmt.Fprintln(stdout, p.T(i18n.ImportResumed, i18n.Data{"RunID": res.RunID}))
		}
		for object, c := range res.Counts {
			if n := c["no_email"]; n > 0 {
				fmt.Fprintln(stdout, p.N(i18n.ImportNoEmail, int(n), i18n.Data{"Object": string(object)}))
			}
		}
		fmt.Fprintln(stdout, p.T(i18n.ImportDone, i18n.Data{"RunID": res.RunID, "Status": string(res.Sync.Status),
			"Updated": res.Sync.Counts["updated_hubspot"]}))
	}
	if err != nil {
		return fmt.Errorf("import from Salesforce: %w", err)
	}
	if res.Sync.Status != store.RunSucceeded {
		return fmt.Errorf("import run %d finished %s: %d records failed and were parked for retry; run 'koppel explain ID' on one to see why",
			res.RunID, res.Sync.Status, res.Sync.Counts["failed"])
	}
	return nil
}
