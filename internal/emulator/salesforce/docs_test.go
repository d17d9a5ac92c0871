package salesforce

import (
	"os"
	"strings"
	"testing"
)

// TestDocumentedSeedLoads starts an emulator from the seed example in
// docs/emulator-salesforce.md, so the example stays one that loads.
func TestDocumentedSeedLoads(t *testing.T) {
	data, err := os.ReadFile("../../../docs/emulator-salesforce.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "## Seed file")
	if !ok {
		t.Fatal("no \"## Seed file\" section")
	}
	_, rest, ok = strings.Cut(rest, "```json\n")
	if !ok {
		t.Fatal("no JSON block in the seed file section")
	}
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("JSON block is not closed")
	}

	seed, err := ParseSeed([]byte(example))
	if err != nil {
		t.Fatalf("parse documented seed: %v", err)
	}
	emu, err := New(seed, Options{})
	if err != nil {
		t.Fatalf("start from documented seed: %v", err)
	}
	if n := emu.Count("Lead", false); n != 1 {
		t.Errorf("leads = %d, want the documented one", n)
	}
}
