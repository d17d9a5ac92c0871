package main

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

func init() {
	connectors["salesforce"] = connectSalesforce
}

// Salesforce login hosts.
const (
	salesforceProduction = "https://login.salesforce.com"
	salesforceSandbox    = "https://test.salesforce.com"
)

// envSalesforceSecret holds the consumer secret when no file is given.
const envSalesforceSecret = "KOPPEL_SF_CLIENT_SECRET"

// connectSalesforce checks Salesforce credentials with a token request and
// one read of /limits, and stores them encrypted when both succeed.
func connectSalesforce(ctx context.Context, g *globalOptions, p *i18n.Printer, args []string, stdout, stderr io.Writer) error {
	err := rejectSecretFlags(p, args, map[string][2]string{
		"client-secret": {"--client-secret-file", envSalesforceSecret},
		"password":      {"--client-secret-file", envSalesforceSecret},
	})
	if err != nil {
		return err
	}

	fs := flag.NewFlagSet("connect salesforce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clientID := fs.String("client-id", "", "consumer key of the connected app or External Client App")
	secretFile := fs.String("client-secret-file", "", "file holding the consumer secret (client credentials flow); else $"+envSalesforceSecret+" or a prompt")
	username := fs.String("username", "", "Salesforce username of the integration user (JWT bearer flow)")
	keyFile := fs.String("key-file", "", "PEM file with the RSA private key whose certificate the app holds (JWT bearer flow)")
	loginURL := fs.String("login-url", salesforceProduction, "login host: your My Domain URL (required for client credentials), or "+salesforceProduction+" or "+salesforceSandbox+" for JWT")
	sandbox := fs.Bool("sandbox", false, "log in to a sandbox at "+salesforceSandbox)
	replace := fs.Bool("replace", false, "store the credentials even when the connection belongs to another org")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected argument %q; see koppel connect salesforce -h", fs.Arg(0))}
	}

	login := *loginURL
	if *sandbox {
		login = salesforceSandbox
	}
	login, err = checkBaseURL(p, "--login-url", login, "https://acme.my.salesforce.com")
	if err != nil {
		return err
	}
	if *clientID == "" {
		return &usageError{p.T(i18n.ConnectErrMissingClientID)}
	}

	creds := connection.SalesforceCredentials{LoginURL: login, ClientID: *clientID}
	jwt := *username != "" || *keyFile != ""
	switch {
	case jwt && (*secretFile != "" || *username == "" || *keyFile == ""):
		return &usageError{p.T(i18n.ConnectErrAuthMode)}
	case jwt:
		key, err := readPrivateKey(p, *keyFile)
		if err != nil {
			return err
		}
		creds.Auth, creds.Username, creds.PrivateKeyPEM = salesforce.AuthJWTBearer, *username, key
	case login == salesforceProduction || login == salesforceSandbox:
		// Salesforce rejects client credentials on the generic login
		// hosts; saying so before the request also names the fix.
		return &usageError{p.T(i18n.ConnectErrClientCredentialsDomain, i18n.Data{"Value": login})}
	default:
		secretValue, err := readSecret(p, secretInput{
			Missing: i18n.ConnectErrNoClientSecret, FileFlag: "--client-secret-file", File: *secretFile,
			Env: envSalesforceSecret, Prompt: i18n.ConnectPromptClientSecret,
		}, stderr)
		if err != nil {
			return err
		}
		creds.Auth, creds.ClientSecret = salesforce.AuthClientCredentials, secretValue
	}

	if !g.JSON {
		p.Println(stdout, i18n.ConnectSalesforceChecking, i18n.Data{"LoginURL": login})
	}
	report, err := connection.ConnectSalesforceWith(ctx, g.DataDir, g.Connection, creds, connection.ConnectOptions{Replace: *replace})
	var result salesforceCheck
	if report.Salesforce != nil {
		result = salesforceCheck{InstanceURL: report.Salesforce.InstanceURL, Remaining: report.Salesforce.Remaining, Max: report.Salesforce.Max}
		if !g.JSON {
			p.Println(stdout, i18n.ConnectSalesforceConnected, i18n.Data{"InstanceURL": result.InstanceURL})
			p.Println(stdout, i18n.ConnectSalesforceBudget, i18n.Data{"Remaining": result.Remaining, "Max": result.Max})
		}
	}
	printSaved(p, g, report, stdout)
	if !report.Saved {
		return err
	}

	// Connected after HubSpot, the org's picklists can now fill the
	// HubSpot dropdowns of the default mappings.
	if g.JSON {
		result.Connection, result.Setup = g.Connection, report.Setup
		if jerr := json.NewEncoder(stdout).Encode(result); jerr != nil && err == nil {
			err = jerr
		}
		return err
	}
	if report.Setup != nil {
		printHubSpotSetup(p, report.Setup, stdout)
	}
	return err
}

// salesforceCheck is the JSON result of connect salesforce.
type salesforceCheck struct {
	Connection  string `json:"connection"`
	InstanceURL string `json:"instance_url"`
	Remaining   int    `json:"daily_api_requests_remaining"`
	Max         int    `json:"daily_api_requests_max"`

	// Setup is the result of the HubSpot setup for the default mappings, nil
	// while HubSpot is not connected.
	Setup *connection.PropertySetup `json:"mapped_properties,omitempty"`
}

// readPrivateKey reads a PEM file and checks that it holds an RSA private
// key, so a wrong file fails here and not as an opaque signing error.
func readPrivateKey(p *i18n.Printer, path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &usageError{p.T(i18n.ConnectErrReadFile, i18n.Data{"Flag": "--key-file", "Path": path, "Detail": err.Error()})}
	}
	bad := func(detail string) error {
		return &usageError{p.T(i18n.ConnectErrPrivateKey, i18n.Data{"Path": path, "Detail": detail})}
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, bad("no PEM block")
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return data, nil
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, bad(block.Type + ": " + err.Error())
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return nil, bad(fmt.Sprintf("%T is not an RSA key", key))
	}
	return data, nil
}
