package main

import (
	"encoding/json"
	"os/exec"
	"strconv"
	"testing"

	"github.com/koppel-sync/koppel/internal/demo"
	"github.com/koppel-sync/koppel/internal/generate"
)

// TestDemoOnceParksGeneratedDefects runs koppel demo --once as a user
// would and checks its JSON summary against the generator's manifest. The
// parked records must be exactly the ones the generator made bad on
// purpose, each with its category, code and Dutch explanation. The sync
// must make no duplicate on either side.
func TestDemoOnceParksGeneratedDefects(t *testing.T) {
	const people, seed = 600, 7
	bin := buildKoppel(t)

	cmd := exec.Command(bin, "--json", "--lang", "nl", "--data-dir", t.TempDir(),
		"demo", "--once", "--people", strconv.Itoa(people), "--seed", strconv.Itoa(seed))
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("koppel demo --once: %v; stderr:\n%s", err, stderr)
	}
	var s demo.Summary
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("summary is not JSON: %v\n%s", err, out)
	}

	if !s.Converged {
		t.Errorf("demo did not reach a cycle without writes in %d cycles", s.Cycles)
	}
	if s.Duplicates["hubspot"] != 0 {
		t.Errorf("%d emails are on more HubSpot contacts than before the sync", s.Duplicates["hubspot"])
	}
	if s.Duplicates["salesforce"] != 0 {
		t.Errorf("%d emails are on more Salesforce records than before the sync", s.Duplicates["salesforce"])
	}
	if s.APICalls["hubspot"] == 0 || s.APICalls["salesforce"] == 0 {
		t.Errorf("API calls = %v, want calls on both sides", s.APICalls)
	}

	ds, err := generate.Generate(generate.Options{People: people, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]generate.Entry{}
	for _, e := range ds.Manifest.Entries {
		if e.Expect.Outcome == generate.OutcomePark {
			want[e.Side+":"+e.ID] = e
		}
	}
	if len(want) == 0 {
		t.Fatal("the manifest expects no parked record; use a larger --people")
	}

	got := map[string]demo.ParkedRecord{}
	for _, r := range s.ParkedRecords {
		key := r.Side + ":" + r.ID
		got[key] = r
		e, expected := want[key]
		if !expected {
			t.Errorf("parked %s %s %s with %s %s (%s), which the generator did not make bad", r.Side, r.Object, r.ID, r.Category, r.Code, r.Message)
			continue
		}
		if r.Category != e.Expect.Category || r.Code != e.Expect.Code {
			t.Errorf("%s (%s): parked as %s %s, want %s %s", key, e.Defect, r.Category, r.Code, e.Expect.Category, e.Expect.Code)
		}
		if r.Explanation == "" || r.Explanation == r.Code || r.Explanation != demo.Explain(r.Code, "nl") || r.Explanation == demo.Explain(r.Code, "en") {
			t.Errorf("%s: explanation %q is not the Dutch explanation of %s", key, r.Explanation, r.Code)
		}
	}
	for key, e := range want {
		if _, ok := got[key]; !ok {
			t.Errorf("%s (%s) was not parked, want %s %s", key, e.Defect, e.Expect.Category, e.Expect.Code)
		}
	}

	for _, c := range s.Parked {
		if c.Title == "" || c.Title == c.Category || c.Example.ID == "" {
			t.Errorf("category %s has title %q and example %q, want a readable title and an example", c.Category, c.Title, c.Example.ID)
		}
	}
	if !s.Expected.Matches() {
		t.Errorf("the summary's own check disagrees: missing %v, unexpected %v", s.Expected.Missing, s.Expected.Unexpected)
	}
}
