package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/store"
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
	result, err := checkHubSpot(ctx, creds, base)
	if err != nil {
		return err
	}
	if !g.JSON {
		printHubSpotCheck(p, result, stdout)
	}

	out := stdout
	if g.JSON {
		out = io.Discard
	}
	// TODO: refuse a token of another portal once the HubSpot client reads
	// the account details (portal id); a token alone does not name it.
	if err := saveCredentials(ctx, g, p, store.HubSpot, creds, nil, out); err != nil {
		return err
	}

	setup, err := setUpHubSpot(ctx, g)
	if g.JSON {
		result.Connection, result.Setup = g.Connection, setup
		if jerr := json.NewEncoder(stdout).Encode(result); jerr != nil && err == nil {
			err = jerr
		}
		return err
	}
	printHubSpotSetup(p, setup, stdout)
	return err
}

// hubspotCheck is the result of checking a HubSpot token.
type hubspotCheck struct {
	Connection string `json:"connection"`
	BaseURL    string `json:"base_url"`
	// Remaining and Limit are the daily API calls, -1 when HubSpot did not
	// report them.
	Remaining         int      `json:"daily_api_calls_remaining"`
	Limit             int      `json:"daily_api_calls_limit"`
	PropertiesCreated []string `json:"properties_created"`

	// Setup is what the HubSpot setup of the default mappings did, nil
	// while Salesforce is not connected.
	Setup *connection.PropertySetup `json:"mapped_properties"`
}

func checkHubSpot(ctx context.Context, creds connection.HubSpotCredentials, base string) (hubspotCheck, error) {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()

	cfg := creds.Config()
	// A wrong token should fail now, not after five retries.
	cfg.MaxRetries = 1
	client, err := hubspot.New(cfg)
	if err != nil {
		return hubspotCheck{}, err
	}
	if _, err := client.Properties(ctx, hubspot.Contacts); err != nil {
		return hubspotCheck{}, hubspotFailure(base, err)
	}

	result := hubspotCheck{BaseURL: base, Remaining: -1, Limit: -1, PropertiesCreated: []string{}}
	// The usage endpoint is informational: a token without the scope or
	// an account that does not report it still connects.
	if usage, err := client.DailyUsage(ctx); err == nil && len(usage) > 0 && usage[0].UsageLimit > 0 {
		result.Limit = usage[0].UsageLimit
		result.Remaining = usage[0].UsageLimit - usage[0].CurrentUsage
	}

	created, err := client.EnsureKoppelProperties(ctx)
	result.PropertiesCreated = append(result.PropertiesCreated, created...)
	if err != nil {
		return result, hubspotFailure(base, err)
	}
	return result, nil
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

// hubspotFailure maps a failed check to the message for people: a
// rejected token, missing scopes, another HubSpot error, or an unreachable
// host.
func hubspotFailure(base string, err error) error {
	var he *hubspot.Error
	if !errors.As(err, &he) {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return &i18n.Error{ID: i18n.ConnectErrUnreachable, Data: i18n.Data{"URL": base, "Detail": err.Error()}, Err: err}
	}

	detail := he.Category
	if he.Message != "" {
		detail += " (" + he.Message + ")"
	}
	switch {
	case he.Status == http.StatusUnauthorized:
		return &i18n.Error{ID: i18n.ConnectErrHubSpotAuth, Data: i18n.Data{"Detail": detail}, Err: err}
	case he.Status == http.StatusForbidden || he.Category == "MISSING_SCOPES":
		if scopes := he.Context["requiredGranularScopes"]; len(scopes) > 0 {
			detail = strings.Join(scopes, ", ")
		}
		return &i18n.Error{ID: i18n.ConnectErrHubSpotScopes, Data: i18n.Data{"Detail": detail}, Err: err}
	}
	return &i18n.Error{ID: i18n.ConnectErrHubSpotCheck, Data: i18n.Data{"Detail": err.Error()}, Err: err}
}
