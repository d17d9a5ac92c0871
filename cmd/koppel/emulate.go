package main

import (
	"context"
	"fmt"
	"io"
)

func init() {
	registerCommand(command{
		Name:    "emulate",
		Summary: "serve a local Salesforce or HubSpot emulator (emulate salesforce|hubspot --listen ADDR --seed FILE)",
		Run:     runEmulate,
	})
}

// emulators maps the vendor name to the function that serves its emulator.
// Each vendor's file adds itself here.
var emulators = map[string]func(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error{}

func runEmulate(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return &usageError{"missing vendor; use 'koppel emulate salesforce' or 'koppel emulate hubspot'"}
	}
	if isHelp(args[:1]) {
		fmt.Fprintln(stdout, "Usage: koppel emulate salesforce|hubspot [--listen ADDR] [--seed FILE] [--state FILE]")
		fmt.Fprintln(stdout, "Run 'koppel emulate salesforce -h' or 'koppel emulate hubspot -h' for every flag.")
		return nil
	}
	serve, ok := emulators[args[0]]
	if !ok {
		return &usageError{"unknown vendor " + quote(args[0]) + "; use salesforce or hubspot"}
	}
	return serve(ctx, g, args[1:], stdout, stderr)
}

func quote(s string) string { return "\"" + s + "\"" }
