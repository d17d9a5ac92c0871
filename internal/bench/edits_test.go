package bench

import (
	"fmt"
	"testing"

	"github.com/koppel-sync/koppel/internal/store"
)

func testLinks(n int) []store.Link {
	links := make([]store.Link, n)
	for i := range links {
		links[i] = store.Link{HubSpotID: fmt.Sprint(1000 + i), SalesforceID: fmt.Sprintf("00Q%012d", i)}
	}
	return links
}

func TestChooseEditsDistinctPairs(t *testing.T) {
	r := &runner{opts: Options{Seed: 3}}
	measured, warm := r.chooseEdits(testLinks(50), 20)
	if len(measured) != 20 {
		t.Fatalf("%d measured edits, want 20", len(measured))
	}
	if len(warm) != warmUpEdits {
		t.Fatalf("%d warm-up edits, want %d", len(warm), warmUpEdits)
	}
	seen := map[string]bool{}
	for _, l := range append(measured, warm...) {
		if seen[l.HubSpotID] {
			t.Errorf("pair %s chosen twice", l.HubSpotID)
		}
		seen[l.HubSpotID] = true
	}
}

func TestChooseEditsSameSeedSamePairs(t *testing.T) {
	a, _ := (&runner{opts: Options{Seed: 3}}).chooseEdits(testLinks(50), 10)
	b, _ := (&runner{opts: Options{Seed: 3}}).chooseEdits(testLinks(50), 10)
	c, _ := (&runner{opts: Options{Seed: 4}}).chooseEdits(testLinks(50), 10)
	same := true
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("edit %d: seed 3 chose %s, then %s", i, a[i].HubSpotID, b[i].HubSpotID)
		}
		same = same && a[i] == c[i]
	}
	if same {
		t.Error("seeds 3 and 4 chose the same pairs")
	}
}

func TestChooseEditsFewLinks(t *testing.T) {
	r := &runner{}
	measured, warm := r.chooseEdits(testLinks(5), 10)
	if len(measured) != 5 {
		t.Errorf("%d measured edits, want all 5 links", len(measured))
	}
	if len(warm) != 0 {
		t.Errorf("%d warm-up edits, want 0 with no link left", len(warm))
	}
}
