// Command koppel keeps Salesforce and HubSpot in step, both ways.
//
// Each subcommand lives in its own file and registers itself with
// registerCommand from an init function, so adding a command touches
// no shared switch.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/koppel-sync/koppel/internal/datadir"
)

// globalOptions are the flags accepted before any subcommand.
type globalOptions struct {
	DataDir    string // directory for the store, keys and state; default ./koppel-data
	Connection string // connection name; default "default"
	JSON       bool   // machine-readable output where a command supports it
	Lang       string // "nl" or "en"; default from LANG, else "en"
}

// command is one subcommand of the koppel binary.
type command struct {
	Name    string
	Summary string // one line for the usage listing, in English
	Run     func(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func registerCommand(c command) {
	if _, dup := commands[c.Name]; dup {
		panic("koppel: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// usageError marks a mistake in how the command was called; main exits 2 for it.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g, rest, err := parseGlobal(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return 0
		}
		fmt.Fprintln(stderr, "koppel:", err)
		return 2
	}

	if len(rest) == 0 || rest[0] == "help" {
		printUsage(stdout)
		return 0
	}

	c, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "koppel: unknown command %q; run 'koppel help' for the list\n", rest[0])
		return 2
	}

	cmdArgs, err := extractGlobal(rest[1:], g)
	if err != nil {
		fmt.Fprintf(stderr, "koppel %s: %v\n", c.Name, err)
		return 2
	}

	if exclusiveCommands[c.Name] && !isHelp(cmdArgs) {
		release, err := datadir.Lock(g.DataDir)
		if err != nil {
			fmt.Fprintf(stderr, "koppel %s: %v\n", c.Name, err)
			return 1
		}
		defer release()
	}

	err = c.Run(ctx, g, cmdArgs, stdout, stderr)
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "koppel %s: %v\n", c.Name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "koppel %s: %v\n", c.Name, err)
		return 1
	}
}

func parseGlobal(args []string, stderr io.Writer) (*globalOptions, []string, error) {
	g := &globalOptions{}
	fs := flag.NewFlagSet("koppel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&g.DataDir, "data-dir", envOr("KOPPEL_DATA_DIR", "koppel-data"), "directory for the store, keys and state")
	fs.StringVar(&g.Connection, "connection", "default", "name of the connection to act on")
	fs.BoolVar(&g.JSON, "json", false, "print machine-readable JSON where the command supports it")
	fs.StringVar(&g.Lang, "lang", "", "language of messages: nl or en (default from LANG)")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}

	lang := resolveLang(g.Lang, os.Getenv("LANG"))
	if lang == "" {
		return nil, nil, fmt.Errorf("invalid --lang value %q; use nl or en", g.Lang)
	}
	g.Lang = lang
	return g, fs.Args(), nil
}

// resolveLang picks "nl" or "en" from the flag, else from a POSIX locale
// such as nl_NL.UTF-8. It returns "" for an explicit flag it does not know.
func resolveLang(flagValue, locale string) string {
	switch strings.ToLower(flagValue) {
	case "nl", "en":
		return strings.ToLower(flagValue)
	case "":
	default:
		return ""
	}
	if strings.HasPrefix(strings.ToLower(locale), "nl") {
		return "nl"
	}
	return "en"
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "koppel keeps Salesforce and HubSpot in step, both ways.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: koppel [--data-dir DIR] [--connection NAME] [--json] [--lang nl|en] COMMAND [ARGS]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Summary)
	}
}
