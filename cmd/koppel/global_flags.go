package main

import (
	"fmt"
	"strconv"
	"strings"
)

// exclusiveCommands sync from the data directory, so two of them at once
// could create the same record twice. They hold the directory's lock while
// they run.
var exclusiveCommands = map[string]bool{
	"serve":  true,
	"sync":   true,
	"import": true,
	"resync": true,
}

// extractGlobal removes the global options from a command's arguments and
// applies them to g, so `koppel plan --json` works like `koppel --json plan`.
// Arguments after a "--" are left alone.
func extractGlobal(args []string, g *globalOptions) ([]string, error) {
	var rest []string

	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			rest = append(rest, args[i:]...)
			break
		}

		name, value, hasValue := splitFlag(arg)
		switch name {
		case "json":
			if !hasValue {
				g.JSON = true
				continue
			}
			b, err := strconv.ParseBool(value)
			if err != nil {
				return nil, fmt.Errorf("invalid --json value %q; use --json or --json=false", value)
			}
			g.JSON = b

		case "lang", "data-dir", "connection":
			if !hasValue {
				if i+1 >= len(args) {
					return nil, fmt.Errorf("--%s needs a value", name)
				}
				i++
				value = args[i]
			}
			if err := setGlobal(g, name, value); err != nil {
				return nil, err
			}

		default:
			rest = append(rest, arg)
		}
	}

	return rest, nil
}

// splitFlag returns the name of a -name, --name or --name=value argument,
// or "" for anything that is not a flag.
func splitFlag(arg string) (name, value string, hasValue bool) {
	if !strings.HasPrefix(arg, "-") || arg == "-" {
		return "", "", false
	}
	name = strings.TrimLeft(arg, "-")
	name, value, hasValue = strings.Cut(name, "=")
	return name, value, hasValue
}

func setGlobal(g *globalOptions, name, value string) error {
	switch name {
	case "lang":
		lang := resolveLang(value, "")
		if lang == "" {
			return fmt.Errorf("invalid --lang value %q; use nl or en", value)
		}
		g.Lang = lang
	case "data-dir":
		if value == "" {
			return fmt.Errorf("missing --data-dir value; give a directory")
		}
		g.DataDir = value
	case "connection":
		if value == "" {
			return fmt.Errorf("missing --connection value; give a connection name")
		}
		g.Connection = value
	}
	return nil
}

func isHelp(args []string) bool {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			return true
		}
	}
	return false
}
