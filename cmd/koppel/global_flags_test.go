package main

import (
	"slices"
	"testing"
)

func TestExtractGlobal(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantArgs []string
		want     globalOptions
	}{
		{"json after command", []string{"--json", "a@b.nl"}, []string{"a@b.nl"}, globalOptions{JSON: true, Lang: "en"}},
		{"json after positional", []string{"a@b.nl", "-json"}, []string{"a@b.nl"}, globalOptions{JSON: true, Lang: "en"}},
		{"json false", []string{"--json=false"}, nil, globalOptions{Lang: "en"}},
		{"lang with space", []string{"--once", "--lang", "nl"}, []string{"--once"}, globalOptions{Lang: "nl"}},
		{"lang with equals", []string{"--lang=NL"}, nil, globalOptions{Lang: "nl"}},
		{"data dir and connection", []string{"--data-dir", "/tmp/x", "--connection=eu"}, nil, globalOptions{DataDir: "/tmp/x", Connection: "eu", Lang: "en"}},
		{"command flags kept", []string{"--people", "10", "--seed=3"}, []string{"--people", "10", "--seed=3"}, globalOptions{Lang: "en"}},
		{"after double dash kept", []string{"--", "--json"}, []string{"--", "--json"}, globalOptions{Lang: "en"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := globalOptions{Lang: "en"}

			got, err := extractGlobal(tt.args, &g)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.wantArgs) {
				t.Errorf("args = %q, want %q", got, tt.wantArgs)
			}
			if g != tt.want {
				t.Errorf("options = %+v, want %+v", g, tt.want)
			}
		})
	}
}

func TestExtractGlobalRejects(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"unknown language", []string{"--lang", "de"}},
		{"missing value", []string{"--connection"}},
		{"bad json value", []string{"--json=maybe"}},
		{"empty data dir", []string{"--data-dir="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := globalOptions{Lang: "en"}
			if _, err := extractGlobal(tt.args, &g); err == nil {
				t.Errorf("extractGlobal(%q) = nil error", tt.args)
			}
		})
	}
}
