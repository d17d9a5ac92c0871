package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/store"
)

func init() {
	registerCommand(command{
		Name:    "sync",
		Summary: "run one sync cycle now (sync --once); the exit status tells whether every record synced",
		Run:     runSync,
	})
}

func runSync(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(stderr)
	once := fs.Bool("once", false, "run one cycle and exit")
	verbose := fs.Bool("v", false, "log each step at debug level to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{p.T(i18n.SyncErrArgument, i18n.Data{"Value": fmt.Sprintf("%q", fs.Arg(0))})}
	}
	if !*once {
		return &usageError{p.T(i18n.SyncErrMissingOnce)}
	}

	conn, eng, err := openEngine(ctx, g, stderr, *verbose)
	if err != nil {
		return localize(p, err)
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
		printResult(stdout, p, res)
	}
	if err != nil {
		return localize(p, &i18n.Error{ID: i18n.SyncErrRun, Data: i18n.Data{"RunID": res.RunID, "Detail": err.Error()}, Err: err})
	}
	// The exit status reports to scripts whether every record synced, so a run
	// that parked records fails the command.
	if res.Status != store.RunSucceeded {
		return localize(p, &i18n.Error{ID: i18n.SyncErrParked, Data: i18n.Data{"RunID": res.RunID, "Count": res.Counts["failed"]}})
	}
	return nil
}

// runStatusIDs has the message of each status a finished run can have.
var runStatusIDs = map[store.RunStatus]i18n.ID{
	store.RunSucceeded: i18n.SyncStatusSucceeded,
	store.RunPartial:   i18n.SyncStatusPartial,
	store.RunFailed:    i18n.SyncStatusFailed,
	store.RunCanceled:  i18n.SyncStatusCanceled,
}

func printResult(w io.Writer, p *i18n.Printer, res engine.Result) {
	status := string(res.Status)
	if id, ok := runStatusIDs[res.Status]; ok {
		status = p.T(id)
	}
	p.Println(w, i18n.SyncRunFinished, i18n.Data{"RunID": res.RunID, "Status": status})
	printCounts(w, p, res.Counts)
	p.Println(w, i18n.SyncAPICalls, i18n.Data{"HubSpot": res.APICallsHubSpot, "Salesforce": res.APICallsSalesforce})
}

// errNoConnection reports that the data directory has no connection
// named g.Connection, with how to create one.
func errNoConnection(g *globalOptions, err error) error {
	return &i18n.Error{ID: i18n.ReadErrNoConnection, Data: i18n.Data{"Connection": g.Connection, "DataDir": g.DataDir}, Err: err}
}

// openEngine opens the connection named by the global options and builds
// its engine with the portal's and the org's field definitions.
//
// Without KOPPEL_DATABASE_URL a data directory that has no database has
// no connection either. openEngine then fails before opening the store,
// because opening it would create the directory and an empty database,
// which a mistyped --data-dir should not leave behind.
func openEngine(ctx context.Context, g *globalOptions, stderr io.Writer, verbose bool) (*connection.Connection, *engine.Engine, error) {
	if os.Getenv(connection.EnvDatabaseURL) == "" {
		if _, err := os.Stat(connection.StoreURL(g.DataDir, os.Getenv)); errors.Is(err, fs.ErrNotExist) {
			return nil, nil, errNoConnection(g, err)
		}
	}

	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("connection", g.Connection)

	conn, err := connection.OpenWith(ctx, g.DataDir, g.Connection, connection.Options{Logger: logger})
	var ie *i18n.Error
	if errors.As(err, &ie) && ie.ID == i18n.ConnectionErrNotFound {
		return nil, nil, errNoConnection(g, err)
	}
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
