package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/store"
)

func init() {
	registerCommand(command{
		Name:    "connect",
		Summary: "check and store credentials, encrypted (connect salesforce|hubspot)",
		Run:     runConnect,
	})
}

var connectors = map[string]func(ctx context.Context, g *globalOptions, p *i18n.Printer, args []string, stdout, stderr io.Writer) error{}

func runConnect(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	p := i18n.New(g.Lang)
	if len(args) == 0 {
		return &usageError{p.T(i18n.ConnectUsage)}
	}
	connect, ok := connectors[args[0]]
	if !ok {
		return &usageError{p.T(i18n.ConnectErrUnknownVendor, i18n.Data{"Value": args[0]})}
	}
	return localize(p, connect(ctx, g, p, args[1:], stdout, stderr))
}

// localize renders an *i18n.Error in the user's language, because main
// prints err.Error() as it is. A usage error keeps its exit code 2.
func localize(p *i18n.Printer, err error) error {
	var ie *i18n.Error
	if err == nil || !errors.As(err, &ie) {
		return err
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return err
	}
	return localizedError{msg: p.Localize(err), err: err}
}

// localizedError is an error whose message is already in the user's
// language; Unwrap keeps the cause for errors.Is.
type localizedError struct {
	msg string
	err error
}

func (e localizedError) Error() string { return e.msg }
func (e localizedError) Unwrap() error { return e.err }

// rejectSecretFlags refuses secrets given as flag values, which end up in
// shell history and in the process list, before the flag package reports
// them as merely unknown.
func rejectSecretFlags(p *i18n.Printer, args []string, names map[string][2]string) error {
	for _, a := range args {
		if a == "--" {
			return nil
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		if alt, ok := names[name]; ok {
			return &usageError{p.T(i18n.ConnectErrSecretFlag, i18n.Data{"Flag": "--" + name, "FileFlag": alt[0], "Env": alt[1]})}
		}
	}
	return nil
}

// secretInput lists the sources a secret may come from.
type secretInput struct {
	Missing  i18n.ID // the message when no source has it
	FileFlag string  // "--client-secret-file"
	File     string  // the flag's value
	Env      string  // "KOPPEL_SF_CLIENT_SECRET"
	Prompt   i18n.ID
}

// promptSecret reads a line from the terminal without echo. It returns
// false when stdin is not a terminal. Tests replace it.
var promptSecret = func(prompt string, stderr io.Writer) (string, bool, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", false, nil
	}
	fmt.Fprint(stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", true, fmt.Errorf("read from terminal: %w", err)
	}
	return string(b), true, nil
}

// readSecret returns the secret from the file flag, else the environment,
// else a prompt without echo. Surrounding white space is dropped, because
// files usually end in a newline.
func readSecret(p *i18n.Printer, in secretInput, stderr io.Writer) (string, error) {
	var value, source string
	switch {
	case in.File != "":
		b, err := os.ReadFile(in.File)
		if err != nil {
			return "", &usageError{p.T(i18n.ConnectErrReadFile, i18n.Data{"Flag": in.FileFlag, "Path": in.File, "Detail": err.Error()})}
		}
		value, source = string(b), in.File
	case os.Getenv(in.Env) != "":
		value, source = os.Getenv(in.Env), in.Env
	default:
		v, ok, err := promptSecret(p.T(in.Prompt), stderr)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", &usageError{p.T(in.Missing, i18n.Data{"FileFlag": in.FileFlag, "Env": in.Env})}
		}
		value, source = v, "terminal"
	}

	value = strings.TrimSpace(value)
	if value == "" {
		return "", &usageError{p.T(i18n.ConnectErrEmptySecret, i18n.Data{"Source": source})}
	}
	return value, nil
}

// checkBaseURL accepts an https URL of a host, or http for loopback hosts
// where the emulators run. It returns the URL without a trailing slash.
func checkBaseURL(p *i18n.Printer, flagName, raw, example string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", &usageError{p.T(i18n.ConnectErrURLInvalid, i18n.Data{"Flag": flagName, "Value": raw, "Example": example})}
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", &usageError{p.T(i18n.ConnectErrURLPath, i18n.Data{"Flag": flagName, "Value": raw})}
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", &usageError{p.T(i18n.ConnectErrURLScheme, i18n.Data{"Flag": flagName, "Value": raw})}
	}
	return u.Scheme + "://" + u.Host, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// printSaved reports the key file a connect created and where it stored
// the credentials. With --json it prints nothing.
func printSaved(p *i18n.Printer, g *globalOptions, report connection.Report, stdout io.Writer) {
	if g.JSON {
		return
	}
	if report.KeyCreated {
		p.Println(stdout, i18n.ConnectKeyCreated, i18n.Data{"Path": report.KeyPath})
	}
	if report.Saved {
		p.Println(stdout, i18n.ConnectSaved, i18n.Data{"Side": sideName(report.Side), "Connection": g.Connection, "DataDir": g.DataDir})
	}
}

func sideName(s store.Side) string {
	if s == store.Salesforce {
		return "Salesforce"
	}
	return "HubSpot"
}
