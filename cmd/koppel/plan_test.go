package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/generate"
)

// connectDefects connects both emulators with 300 generated people, some
// of them with values the other side rejects, and syncs nothing yet.
func connectDefects(t *testing.T) (*connectFixture, *generate.Dataset) {
	t.Helper()
	ds, err := generate.Generate(generate.Options{People: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := setupConnectWith(t, ds)
	t.Setenv(envSalesforceSecret, ds.Credentials().SalesforceClientSecret)
	t.Setenv(envHubSpotToken, ds.Credentials().HubSpotToken)
	if code, _, errOut := f.koppel("connect", "salesforce", "--client-id", ds.Credentials().SalesforceClientID, "--login-url", f.sfURL); code != 0 {
		t.Fatalf("connect salesforce: exit %d: %s", code, errOut)
	}
	if code, _, errOut := f.koppel("connect", "hubspot", "--base-url", f.hsURL); code != 0 {
		t.Fatalf("connect hubspot: exit %d: %s", code, errOut)
	}
	return f, ds
}

// planOutput is the part of koppel --json plan the tests read.
type planOutput struct {
	Items []struct {
		Action string `json:"action"`
		Fields []struct {
			Field string `json:"field"`
			New   any    `json:"new"`
		} `json:"fields"`
	} `json:"items"`
	Summary *struct {
		Actions map[string]int64 `json:"actions"`
		Counts  map[string]int64 `json:"counts"`
	} `json:"summary"`
}

func (f *connectFixture) planJSON(t *testing.T) planOutput {
	t.Helper()
	code, out, errOut := f.koppel("--json", "plan")
	var doc planOutput
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json plan: exit %d, output is not one JSON document: %v\nstdout %s\nstderr %s", code, err, out, errOut)
	}
	if doc.Summary == nil {
		t.Fatalf("--json plan has no summary: %s", out)
	}
	return doc
}

func TestPlanCountsMatchSync(t *testing.T) {
	f, _ := connectDefects(t)

	plan := f.planJSON(t)
	res := f.syncOnce(t)
	for _, key := range []string{"created", "linked", "relinked", "updated_hubspot", "updated_salesforce", "failed"} {
		if got, want := plan.Summary.Counts[key], res.Counts[key]; got != want {
			t.Errorf("plan counts %s = %d, sync counted %d", key, got, want)
		}
	}
	if plan.Summary.Counts["created"] == 0 || plan.Summary.Counts["failed"] == 0 {
		t.Errorf("plan counts %v, want creates and parked records", plan.Summary.Counts)
	}
	if got, want := plan.Summary.Actions["create"], plan.Summary.Counts["created"]; got != want {
		t.Errorf("plan has %d create items but counts %d created", got, want)
	}
}

func TestPlanJSONShowsPlainValues(t *testing.T) {
	f := setupConnect(t)
	f.connectBoth(t)

	plan := f.planJSON(t)
	if len(plan.Items) == 0 {
		t.Fatal("plan before the first cycle has no items")
	}
	seen := 0
	for _, it := range plan.Items {
		for _, fp := range it.Fields {
			s, ok := fp.New.(string)
			if !ok {
				continue
			}
			seen++
			if len(s) > 1 && s[1] == ':' && strings.ContainsRune("tnbdm", rune(s[0])) {
				t.Errorf("%s: new value %q carries the base-value encoding", fp.Field, s)
			}
		}
	}
	if seen == 0 {
		t.Error("no field of the plan has a text value")
	}
}

func TestPlanJSONEmptyHasSummary(t *testing.T) {
	f := setupConnect(t)
	f.connectBoth(t)
	// The second cycle writes back the Lead Status Salesforce set on the
	// Leads the first one created; after it nothing is left.
	f.syncOnce(t)
	f.syncOnce(t)

	code, out, errOut := f.koppel("--json", "plan")
	if code != 0 {
		t.Fatalf("--json plan: exit %d, stderr %s", code, errOut)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("--json plan with nothing to do is not one JSON document: %v\n%q", err, out)
	}
	if got := string(doc["items"]); got != "[]" {
		t.Errorf("items = %s, want []", got)
	}
	plan := f.planJSON(t)
	for key, n := range plan.Summary.Counts {
		if key != "skipped" && n != 0 {
			t.Errorf("summary counts %s = %d, want 0", key, n)
		}
	}
}

func TestPlanSpeaksDutch(t *testing.T) {
	f := setupConnect(t)
	f.connectBoth(t)

	code, out, errOut := f.koppel("--lang", "nl", "plan")
	if code != 0 {
		t.Fatalf("plan: exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"De volgende synchronisatie zou dit schrijven", "aangemaakt:", "gekoppeld:", "aanmaken ", "naar Salesforce"} {
		if !strings.Contains(out, want) {
			t.Errorf("Dutch plan lacks %q", want)
		}
	}
	for _, english := range []string{"created:", "linked:", "to Salesforce", "No HubSpot contact has this email"} {
		if strings.Contains(out, english) {
			t.Errorf("Dutch plan contains English %q", english)
		}
	}
}

func TestReadCommandsWithoutConnection(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"plan English", []string{"--lang", "en", "plan"}, []string{"No connection named default in", "koppel connect salesforce", "koppel connect hubspot"}},
		{"plan Dutch", []string{"--lang", "nl", "plan"}, []string{"Er is geen koppeling met de naam default in", "koppel connect salesforce"}},
		{"explain Dutch", []string{"explain", "ada@example.com", "--lang", "nl"}, []string{"Er is geen koppeling met de naam default in"}},
		{"plan other connection", []string{"--lang", "en", "--connection", "acme", "plan"}, []string{"No connection named acme in"}},
	}
	t.Setenv("KOPPEL_DATABASE_URL", "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "typo")
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"--data-dir", dir}, tc.args...), &out, &errOut)
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr %q", code, errOut.String())
			}
			for _, want := range append(tc.want, dir) {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr lacks %q: %q", want, errOut.String())
				}
			}
			if strings.Contains(errOut.String(), "get connection") {
				t.Errorf("stderr shows the store's error: %q", errOut.String())
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the read-only command created %s (stat: %v)", dir, err)
			}
		})
	}
}
