package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

func init() {
	registerCommand(command{
		Name:    "settings",
		Summary: "show or apply a connection's settings and mappings (settings show [--json] | settings apply -f FILE)",
		Run:     runSettings,
	})
}

// maxSettingsFile bounds the settings file read by apply; a real one is a
// few kilobytes.
const maxSettingsFile = 1 << 20

func runSettings(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	if len(args) == 0 {
		return &usageError{p.T(i18n.SettingsUsage)}
	}
	var err error
	switch args[0] {
	case "show":
		err = settingsShow(ctx, g, p, args[1:], stdout, stderr)
	case "apply":
		err = settingsApply(ctx, g, p, args[1:], os.Stdin, stdout, stderr)
	default:
		return &usageError{p.T(i18n.SettingsUsage)}
	}
	return localize(p, err)
}

// stored is a connection's record with its settings document.
type stored struct {
	st   store.Store
	rec  store.Connection
	doc  connection.Document
	rows []store.Mapping
}

func loadStored(ctx context.Context, g *globalOptions) (*stored, error) {
	st, err := connection.OpenStore(ctx, g.DataDir, os.Getenv, store.Options{})
	if err != nil {
		return nil, err
	}
	rec, err := st.GetConnectionByName(ctx, g.Connection)
	if errors.Is(err, store.ErrNotFound) {
		st.Close()
		return nil, &i18n.Error{ID: i18n.ConnectionErrNotFound, Data: i18n.Data{"Connection": g.Connection, "DataDir": g.DataDir}, Err: err}
	}
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("read connection %q: %w", g.Connection, err)
	}

	s, err := connection.DecodeSettings(rec.Settings)
	if err == nil {
		var rows []store.Mapping
		if rows, err = st.ListMappings(ctx, rec.ID); err == nil {
			var ms []mapping.Mapping
			if ms, err = connection.MappingsFromRows(rows); err == nil {
				return &stored{st: st, rec: rec, doc: connection.NewDocument(s, ms), rows: rows}, nil
			}
		}
	}
	st.Close()
	return nil, err
}

func settingsShow(ctx context.Context, g *globalOptions, p *i18n.Printer, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("settings show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", g.JSON, "print JSON instead of YAML")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{p.T(i18n.SettingsUsage)}
	}

	s, err := loadStored(ctx, g)
	if err != nil {
		return err
	}
	defer s.st.Close()

	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s.doc)
	}
	return s.doc.EncodeYAML(stdout, g.Connection)
}

func settingsApply(ctx context.Context, g *globalOptions, p *i18n.Printer, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("settings apply", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", "", "YAML settings file to apply, or - for standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		return &usageError{p.T(i18n.SettingsErrMissingFile)}
	}

	data, err := readSettingsFile(*file, stdin)
	if err != nil {
		return &usageError{p.T(i18n.SettingsErrParse, i18n.Data{"File": *file, "Detail": err.Error()})}
	}
	doc, hasMappings, err := connection.ParseDocument(data)
	if err != nil {
		return &i18n.Error{ID: i18n.SettingsErrParse, Data: i18n.Data{"File": *file, "Detail": err.Error()}, Err: err}
	}

	// Everything is checked before anything is written, and every problem
	// is reported at once.
	ms, problems := doc.Validate(hasMappings)
	if len(problems) == 0 && (len(connection.CustomMappings(ms)) > 0 || doc.Settings.InclusionListID != "") {
		if problems, err = checkLive(ctx, g, doc, ms); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		var b strings.Builder
		b.WriteString(p.N(i18n.SettingsErrInvalid, len(problems), i18n.Data{"File": *file}))
		for _, pr := range problems {
			b.WriteString("\n")
			b.WriteString(p.T(i18n.SettingsProblem, i18n.Data{"Path": pr.Path, "Value": fmt.Sprintf("%q", pr.Value), "Hint": pr.LocalizedHint(p)}))
		}
		return errors.New(b.String())
	}

	s, err := loadStored(ctx, g)
	if err != nil {
		return err
	}
	defer s.st.Close()

	if doc.Settings == s.doc.Settings && (!hasMappings || sameRows(connection.MappingRows(s.rec.ID, ms), s.rows)) {
		p.Println(stdout, i18n.SettingsUnchanged, i18n.Data{"File": *file})
		return nil
	}

	updated, err := connection.Apply(ctx, s.st, s.rec, doc.Settings, ms)
	if errors.Is(err, store.ErrConflict) {
		return &i18n.Error{ID: i18n.SettingsErrConflict, Data: i18n.Data{"Connection": g.Connection}, Err: err}
	}
	if err != nil {
		return err
	}
	count := len(s.doc.Mappings)
	if hasMappings {
		count = len(ms)
	}
	p.Println(stdout, i18n.SettingsApplied, i18n.Data{"Mappings": count, "Connection": g.Connection, "Version": updated.SettingsVersion})
	return nil
}

// checkLive checks what only the live systems know: the types of custom
// mappings (from the describe and the properties) and whether the
// inclusion list exists and is an active contact list.
func checkLive(ctx context.Context, g *globalOptions, doc connection.Document, ms []mapping.Mapping) ([]connection.Problem, error) {
	c, err := connection.Open(ctx, g.DataDir, g.Connection)
	if err != nil {
		return nil, err
	}
	defer c.Close()

	var problems []connection.Problem
	if custom := connection.CustomMappings(ms); len(custom) > 0 {
		schema, err := c.FetchSchema(ctx, custom)
		if err != nil {
			return nil, err
		}
		problems = doc.CheckCustomMappings(ms, schema)
	}

	if id := doc.Settings.InclusionListID; id != "" {
		p, err := c.CheckInclusionList(ctx, id)
		if err != nil {
			return nil, err
		}
		if p != nil {
			problems = append(problems, *p)
		}
	}
	return problems, nil
}

func readSettingsFile(name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSettingsFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSettingsFile {
		return nil, fmt.Errorf("file is larger than %d bytes", maxSettingsFile)
	}
	return data, nil
}

// sameRows compares mapping rows by content, ignoring database ids.
func sameRows(a, b []store.Mapping) bool {
	key := func(m store.Mapping) string {
		return strings.Join([]string{m.HubSpotProperty, m.SalesforceField, string(m.Objects), m.Rule, m.Kind, fmt.Sprint(m.IsDefault)}, "\x00")
	}
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i, m := range a {
		ka[i] = key(m)
	}
	for i, m := range b {
		kb[i] = key(m)
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}
