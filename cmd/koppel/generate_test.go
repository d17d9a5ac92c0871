package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
)

func koppelGenerate(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"generate"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestGenerateWritesLoadableSeeds(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, dir := range []string{a, b} {
		code, out, errOut := koppelGenerate(t, "--people", "300", "--seed", "9", "--out", dir)
		if code != 0 {
			t.Fatalf("generate: exit %d, %s", code, errOut)
		}
		if !strings.Contains(out, "koppel emulate salesforce") || !strings.Contains(out, "--client-secret-file") {
			t.Errorf("output does not show the next steps:\n%s", out)
		}
	}

	for _, name := range []string{generatedSalesforceSeed, generatedHubSpotSeed, generatedManifest, generatedSalesforceSecret, generatedHubSpotToken} {
		da, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		db, _ := os.ReadFile(filepath.Join(b, name))
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		info, _ := os.Stat(filepath.Join(a, name))
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %04o, want 0600", name, info.Mode().Perm())
		}
	}

	// The files load as koppel emulate loads them.
	sfSeed, err := sfemu.LoadSeedFile(filepath.Join(a, generatedSalesforceSeed))
	if err != nil {
		t.Fatalf("Salesforce seed: %v", err)
	}
	if _, err := sfemu.New(sfSeed, sfemu.Options{}); err != nil {
		t.Fatalf("Salesforce emulator rejected the seed: %v", err)
	}
	hsSeed, err := hsemu.LoadSeed(filepath.Join(a, generatedHubSpotSeed))
	if err != nil {
		t.Fatalf("HubSpot seed: %v", err)
	}
	emu, err := hsemu.New(hsSeed, hsemu.Options{})
	if err != nil {
		t.Fatalf("HubSpot emulator rejected the seed: %v", err)
	}
	emu.Close()
}

func TestGenerateRejectsPeople(t *testing.T) {
	for _, v := range []string{"0", "-5", "many", "2000000"} {
		code, _, errOut := koppelGenerate(t, "--people", v, "--out", t.TempDir())
		if code != 2 || !strings.Contains(errOut, v) {
			t.Errorf("--people %s: exit %d, stderr %q", v, code, errOut)
		}
	}
}
