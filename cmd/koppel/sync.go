package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/store"
)

func init() {
	registerCommand(command{
		Name:    "sync",
		Summary: "run one sync cycle now (sync --once); the exit status tells whether every record synced",
		Run:     runSync,
	})
}

// TODO: route the messages of sync, plan and explain through internal/i18n
// once it has IDs for them; they are English only for now.

func runSync(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	once := fs.Bool("once", false, "run one cycle and exit")
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; sync takes only flags", fs.Arg(0))}
	}
	if !*once {
		return &usageError{"missing --once; koppel sync runs a single cycle, koppel serve keeps syncing"}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return err
	}
	defer conn.Close()

	res, err := eng.SyncOnce(ctx)
	if g.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(res); jerr != nil && err == nil {
			err = jerr
		}
	} else {
		printResult(stdout, res)
	}
	if err != nil {
		return fmt.Errorf("sync run %d: %w", res.RunID, err)
	}
	if res.Status != store.RunSucceeded {
		return fmt.Errorf("run %d finished %s: %d records failed and were parked for retry; run 'koppel explain ID' on one to see why",
			res.RunID, res.Status, res.Counts["failed"])
	}
	return nil
}

func printResult(w io.Writer, res engine.Result) {
	c := res.Counts
	fmt.Fprintf(w, "run %d %s: %d created, %d linked, %d relinked, %d HubSpot and %d Salesforce records updated, %d skipped, %d failed\n",
		res.RunID, res.Status, c["created"], c["linked"], c["relinked"], c["updated_hubspot"], c["updated_salesforce"], c["skipped"], c["failed"])
	fmt.Fprintf(w, "API calls: %d to HubSpot, %d to Salesforce\n", res.APICallsHubSpot, res.APICallsSalesforce)
}

// openEngine opens the connection named by the global options and builds
// its engine with the portal's and the org's field definitions.
func openEngine(ctx context.Context, g *globalOptions, stderr io.Writer, verbose bool) (*connection.Connection, *engine.Engine, error) {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("connection", g.Connection)

	conn, err := connection.OpenWith(ctx, g.DataDir, g.Connection, connection.Options{Logger: logger})
	if err != nil {
		return nil, nil, err
	}

	synced, deferred := engine.ContactMappings(conn.Mappings)
	for _, m := range deferred {
		logger.Debug("mapping not synced by the contact cycle yet", "mapping", m.ID)
	}
	ms, dropped, err := engine.LoadMetadata(ctx, conn.HubSpot, conn.Salesforce, synced)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	for _, f := range dropped {
		logger.Warn("mapped Salesforce field not in the org; records of that object skip it", "field", f)
	}

	eng, err := engine.New(engine.Config{
		ConnectionID: conn.Record.ID, Settings: conn.Settings, Mappings: ms,
		HubSpot:    &engine.HubSpotClient{Client: conn.HubSpot},
		Salesforce: &engine.SalesforceClient{Client: conn.Salesforce},
		Store:      conn.Store, Logger: logger,
	})
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, eng, nil
}
