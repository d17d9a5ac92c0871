package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/i18n"
)

func init() {
	registerCommand(command{
		Name:    "generate",
		Summary: "write realistic test data for both emulators (generate --people N --seed S --out DIR)",
		Run:     runGenerate,
	})
}

// Files that koppel generate writes into --out.
const (
	generatedSalesforceSeed   = "salesforce.json"
	generatedHubSpotSeed      = "hubspot.json"
	generatedManifest         = "manifest.json"
	generatedSalesforceSecret = "salesforce-client-secret"
	generatedHubSpotToken     = "hubspot-token"
)

func runGenerate(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	people := fs.String("people", strconv.Itoa(generate.DefaultPeople), "number of distinct people across both systems")
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same files")
	out := fs.String("out", "koppel-testdata", "directory to write the seed files and the manifest to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; flags are --people, --seed and --out", fs.Arg(0))}
	}
	n, err := strconv.Atoi(*people)
	if err != nil || n < 1 || n > generate.MaxPeople {
		return &usageError{p.T(i18n.GenerateErrPeople, i18n.Data{"Value": *people, "Max": generate.MaxPeople})}
	}

	ds, err := generate.Generate(generate.Options{People: n, Seed: *seed})
	if err != nil {
		return err
	}
	creds := ds.Credentials()

	// The seeds carry the emulators' credentials, so every file is
	// readable by its owner only.
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	files := []struct {
		name string
		v    any
	}{
		{generatedSalesforceSeed, ds.SalesforceSeed()},
		{generatedHubSpotSeed, ds.HubSpotSeed()},
		{generatedManifest, ds.Manifest},
	}
	for _, f := range files {
		data, err := json.MarshalIndent(f.v, "", "  ")
		if err != nil {
			return fmt.Errorf("encode %s: %w", f.name, err)
		}
		if err := writeFileAtomic(filepath.Join(*out, f.name), append(data, '\n')); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(*out, generatedSalesforceSecret), []byte(creds.SalesforceClientSecret+"\n")); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(*out, generatedHubSpotToken), []byte(creds.HubSpotToken+"\n")); err != nil {
		return err
	}

	if g.JSON {
		return json.NewEncoder(stdout).Encode(ds.Manifest)
	}
	m := ds.Manifest
	p.Println(stdout, i18n.GenerateDone, i18n.Data{
		"People": n, "Dir": *out, "Leads": m.Counts["salesforce.Lead"], "Contacts": m.Counts["salesforce.Contact"],
		"Accounts": m.Counts["salesforce.Account"], "Campaigns": m.Counts["salesforce.Campaign"],
		"HubSpotContacts": m.Counts["hubspot.contacts"], "Defects": len(m.Entries),
	})
	p.Println(stdout, i18n.GenerateNext)
	fmt.Fprintf(stdout, "  koppel emulate salesforce --listen 127.0.0.1:8091 --seed %s\n", filepath.Join(*out, generatedSalesforceSeed))
	fmt.Fprintf(stdout, "  koppel emulate hubspot --listen 127.0.0.1:8092 --seed %s\n", filepath.Join(*out, generatedHubSpotSeed))
	fmt.Fprintf(stdout, "  koppel connect salesforce --login-url http://127.0.0.1:8091 --client-id %s --client-secret-file %s\n",
		creds.SalesforceClientID, filepath.Join(*out, generatedSalesforceSecret))
	fmt.Fprintf(stdout, "  koppel connect hubspot --base-url http://127.0.0.1:8092 --token-file %s\n", filepath.Join(*out, generatedHubSpotToken))
	return nil
}

// writeFileAtomic writes data to a temporary file with mode 0600 and
// renames it over path, so a reader never sees half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
