package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
)

func init() {
	connectors["hubspot"] = connectHubSpot
}

// envHubSpotToken holds the private-app token when no file is given.
const envHubSpotToken = "KOPPEL_HS_TOKEN"

// connectHubSpot checks a private-app token by reading the contact
// properties, creates koppel's properties when they are missing, and
// stores the token encrypted. When Salesforce is connected too, it then
// prepares the properties of the default mappings.
func connectHubSpot(ctx context.Context, g *globalOptions, p *i18n.Printer, args []string, stdout, stderr io.Writer) error {
	err := rejectSecretFlags(p, args, map[string][2]string{
		"token":        {"--token-file", envHubSpotToken},
		"access-token": {"--token-file", envHubSpotToken},
	})
	if err != nil {
		return err
	}

	fs := flag.NewFlagSet("connect hubspot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tokenFile := fs.String("token-file", "", "file holding the service key or private app access token; else $"+envHubSpotToken+" or a prompt")
	baseURL := fs.String("base-url", hubspot.DefaultBaseURL, "API root; set it to the emulator's URL to rehearse")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; see koppel connect hubspot -h", fs.Arg(0))}
	}

	base, err := checkBaseURL(p, "--base-url", *baseURL, hubspot.DefaultBaseURL)
	if err != nil {
		return err
	}
	token, err := readSecret(p, secretInput{
		Missing: i18n.ConnectErrNoToken, FileFlag: "--token-file", File: *tokenFile,
		Env: envHubSpotToken, Prompt: i18n.ConnectPromptToken,
	}, stderr)
	if err != nil {
		return err
	}
	creds := connection.HubSpotCredentials{AccessToken: token}
	if base != hubspot.DefaultBaseURL {
		creds.BaseURL = base
	}

	if !g.JSON {
		p.Println(stdout, i18n.ConnectHubSpotChecking, i18n.Data{"BaseURL": base})
	}
	report, err := connection.ConnectHubSpot(ctx, g.DataDir, g.Connection, creds)
	result := hubspotCheck{BaseURL: base, Remaining: -1, Limit: -1, PropertiesCreated: []string{}}
	if report.HubSpot != nil {
		result.BaseURL, result.Remaining, result.Limit = report.HubSpot.BaseURL, report.HubSpot.Remaining, report.HubSpot.Limit
		result.PropertiesCreated = append(result.PropertiesCreated, report.HubSpot.PropertiesCreated...)
		if !g.JSON {
			printHubSpotCheck(p, result, stdout)
		}
	}
	printSaved(p, g, report, stdout)
	if !report.Saved {
		return err
	}

	if g.JSON {
		result.Connection, result.Setup = g.Connection, report.Setup
		if jerr := json.NewEncoder(stdout).Encode(result); jerr != nil && err == nil {
			err = jerr
		}
		return err
	}
	printHubSpotSetup(p, report.Setup, stdout)
	return err
}

// hubspotCheck is the JSON result of connect hubspot.
type hubspotCheck struct {
	Connection string `json:"connection"`
	BaseURL    string `json:"base_url"`
	// Remaining and Limit are the daily API calls, -1 when HubSpot did not
	// report them.
	Remaining         int      `json:"daily_api_calls_remaining"`
	Limit             int      `json:"daily_api_calls_limit"`
	PropertiesCreated []string `json:"properties_created"`

	// Setup is the result of the HubSpot setup for the default mappings, nil
	// while Salesforce is not connected.
	Setup *connection.PropertySetup `json:"mapped_properties"`
}

func printHubSpotCheck(p *i18n.Printer, r hubspotCheck, stdout io.Writer) {
	p.Println(stdout, i18n.ConnectHubSpotConnected, i18n.Data{"BaseURL": r.BaseURL})
	if r.Limit >= 0 {
		p.Println(stdout, i18n.ConnectHubSpotBudget, i18n.Data{"Remaining": r.Remaining, "Limit": r.Limit})
	} else {
		p.Println(stdout, i18n.ConnectHubSpotBudgetUnknown)
	}
	if len(r.PropertiesCreated) == 0 {
		p.Println(stdout, i18n.ConnectHubSpotPropsPresent, i18n.Data{"Group": hubspot.KoppelGroup.Name})
		return
	}
	fmt.Fprintln(stdout, p.N(i18n.ConnectHubSpotPropsCreated, len(r.PropertiesCreated),
		i18n.Data{"Group": hubspot.KoppelGroup.Name, "Names": strings.Join(r.PropertiesCreated, ", ")}))
}
