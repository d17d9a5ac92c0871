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
		Name:    "resync",
		Summary: "push a HubSpot list's members (--list ID) or one record (--record ID|EMAIL) through the rules now",
		Run:     runResync,
	})
}

func runResync(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	fs := flag.NewFlagSet("resync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	list := fs.String("list", "", "resync the members of the HubSpot list `ID`")
	record := fs.String("record", "", "resync one record: a HubSpot contact id, a Salesforce Lead or Contact id, or an email")
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 || (*list == "") == (*record == "") {
		return &usageError{p.T(i18n.ResyncErrUsage)}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return err
	}
	defer conn.Close()

	res, err := eng.Resync(ctx, engine.ResyncOptions{ListID: *list, Record: *record})
	if g.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil && err == nil {
			err = jerr
		}
	} else if res.RunID != 0 {
		c := res.Counts
		fmt.Fprintln(stdout, p.T(i18n.ResyncDone, i18n.Data{"RunID": res.RunID, "Status": string(res.Status),
			"Created": c["created"], "Linked": c["linked"], "UpdatedHubSpot": c["updated_hubspot"],
			"UpdatedSalesforce": c["updated_salesforce"], "Skipped": c["skipped"], "Failed": c["failed"]}))
	}
	if err != nil {
		return fmt.Errorf("resync run %d: %w", res.RunID, err)
	}
	if res.Status != store.RunSucceeded {
		return fmt.Errorf("resync run %d finished %s: %d records failed and were parked for retry; run 'koppel explain ID' on one to see why",
			res.RunID, res.Status, res.Counts["failed"])
	}
	return nil
}
