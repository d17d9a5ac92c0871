package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/datadir"
)

func TestResolveLang(t *testing.T) {
	tests := []struct {
		flag, locale, want string
	}{
		{"", "nl_NL.UTF-8", "nl"},
		{"", "en_US.UTF-8", "en"},
		{"", "", "en"},
		{"NL", "en_US.UTF-8", "nl"},
		{"en", "nl_BE.UTF-8", "en"},
		{"fr", "", ""},
	}
	for _, tt := range tests {
		if got := resolveLang(tt.flag, tt.locale); got != tt.want {
			t.Errorf("resolveLang(%q, %q) = %q, want %q", tt.flag, tt.locale, got, tt.want)
		}
	}
}

func TestRunUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"frobnicate"}, &out, &errOut)
	if code != 2 {
		t.Fatalf("exit code = %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), `"frobnicate"`) {
		t.Errorf("stderr does not name the command: %q", errOut.String())
	}
}

func TestRunEmulateUnknownVendor(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"emulate", "pipedrive"}, &out, &errOut)
	if code != 2 {
		t.Fatalf("exit code = %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), `"pipedrive"`) {
		t.Errorf("stderr does not name the vendor: %q", errOut.String())
	}
}

func TestRunRejectsLockedDataDir(t *testing.T) {
	dir := t.TempDir()
	release, err := datadir.Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--data-dir", dir, "sync", "--once"}, &out, &errOut)

	if code != 1 {
		t.Fatalf("exit code = %d, want 1; stderr: %s", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "in use") {
		t.Errorf("stderr does not say the directory is in use: %q", errOut.String())
	}
}

func TestRunNamesInvalidLanguage(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"--lang", "de", "help"}, &out, &errOut)
	if code != 2 {
		t.Fatalf("exit code = %d, want 2", code)
	}
	if !strings.Contains(errOut.String(), `"de"`) {
		t.Errorf("stderr does not name the value: %q", errOut.String())
	}
}
