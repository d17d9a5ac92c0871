package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/store"
)

type settingsFixture struct {
	dir string
}

// setupSettings makes a data directory with connection "default", as
// koppel connect leaves it.
func setupSettings(t *testing.T) *settingsFixture {
	t.Helper()
	t.Setenv("KOPPEL_SECRET_KEY", "")
	t.Setenv("KOPPEL_DATABASE_URL", "")
	f := &settingsFixture{dir: filepath.Join(t.TempDir(), "data")}

	ctx := context.Background()
	st, err := connection.OpenStore(ctx, f.dir, os.Getenv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	box, err := secret.Open(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	creds := connection.HubSpotCredentials{BaseURL: "http://127.0.0.1:9", AccessToken: "pat-test"}
	if _, _, err := connection.SaveCredentials(ctx, st, box, "default", store.HubSpot, creds, ""); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *settingsFixture) koppel(stdin string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	all := append([]string{"--data-dir", f.dir}, args...)
	saved := os.Stdin
	if stdin != "" {
		r, w, _ := os.Pipe()
		w.WriteString(stdin)
		w.Close()
		os.Stdin = r
		defer func() { os.Stdin = saved }()
	}
	code := run(context.Background(), all, &out, &errOut)
	return code, out.String(), errOut.String()
}

func (f *settingsFixture) show(t *testing.T) string {
	t.Helper()
	code, out, errOut := f.koppel("", "settings", "show")
	if code != 0 {
		t.Fatalf("settings show: exit %d, %s", code, errOut)
	}
	return out
}

func (f *settingsFixture) version(t *testing.T) int64 {
	t.Helper()
	st, err := connection.OpenStore(context.Background(), f.dir, os.Getenv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.GetConnectionByName(context.Background(), "default")
	if err != nil {
		t.Fatal(err)
	}
	return rec.SettingsVersion
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "settings.yaml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestSettingsShow(t *testing.T) {
	f := setupSettings(t)
	out := f.show(t)
	for _, want := range []string{`# koppel settings of connection "default".`, "settings:", "placeholder: '[not provided]'", "mappings:", "id: contact.email"} {
		if !strings.Contains(out, want) {
			t.Errorf("YAML lacks %q:\n%s", want, out)
		}
	}

	for _, args := range [][]string{{"settings", "show", "--json"}, {"--json", "settings", "show"}} {
		code, out, errOut := f.koppel("", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
		var doc connection.Document
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: output is not JSON: %v", args, err)
		}
		if doc.Settings.TimeZone != "UTC" || len(doc.Mappings) == 0 {
			t.Errorf("%v: document = %+v", args, doc.Settings)
		}
	}
}

func TestSettingsApplyChanges(t *testing.T) {
	f := setupSettings(t)
	before := f.version(t)
	edited := strings.NewReplacer(
		"time_zone: UTC", "time_zone: Europe/Amsterdam",
		"id: contact.jobtitle\n    hubspot: jobtitle\n    salesforce: [Lead.Title, Contact.Title]\n    rule: prefer_salesforce_unless_blank",
		"id: contact.jobtitle\n    hubspot: jobtitle\n    salesforce: [Lead.Title, Contact.Title]\n    rule: two_way",
	).Replace(f.show(t))

	code, out, errOut := f.koppel("", "--lang", "nl", "settings", "apply", "-f", writeTemp(t, edited))
	if code != 0 {
		t.Fatalf("apply: exit %d, %s", code, errOut)
	}
	if !strings.Contains(out, "zijn opgeslagen (versie ") {
		t.Errorf("output %q does not confirm in Dutch", out)
	}
	if f.version(t) != before+1 {
		t.Errorf("version %d, want %d", f.version(t), before+1)
	}
	now := f.show(t)
	if !strings.Contains(now, "time_zone: Europe/Amsterdam") || !strings.Contains(now, "salesforce: [Lead.Title, Contact.Title]\n    rule: two_way") {
		t.Errorf("show after apply:\n%s", now)
	}

	// The same file again changes nothing, not even the version.
	code, out, _ = f.koppel("", "settings", "apply", "-f", writeTemp(t, edited))
	if code != 0 || !strings.Contains(out, "nothing was changed") || f.version(t) != before+1 {
		t.Errorf("second apply: exit %d, output %q, version %d", code, out, f.version(t))
	}

	// Standard input, and a file with settings only keeps the mappings.
	code, _, errOut = f.koppel("settings:\n  interval: 1m\n", "settings", "apply", "-f", "-")
	if code != 0 {
		t.Fatalf("apply from stdin: exit %d, %s", code, errOut)
	}
	now = f.show(t)
	if !strings.Contains(now, "interval: 1m0s") || !strings.Contains(now, "rule: two_way") || strings.Contains(now, "Europe/Amsterdam") {
		t.Errorf("show after partial apply:\n%s", now)
	}
}

func TestSettingsApplyRejects(t *testing.T) {
	f := setupSettings(t)
	valid := f.show(t)
	invalid := strings.NewReplacer(
		"time_zone: UTC", "time_zone: Mars/Olympus",
		"retry_pause_at_percent: 75", "retry_pause_at_percent: 0",
		"salesforce: [Lead.Title, Contact.Title]\n    rule: prefer_salesforce_unless_blank", "salesforce: [Lead.Title, Contact.Title]\n    rule: whenever",
	).Replace(valid)

	cases := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"every problem", []string{"settings", "apply", "-f", writeTemp(t, invalid)}, 1,
			[]string{"3 problems, so nothing was changed", `settings.time_zone: invalid value "Mars/Olympus"`, `settings.retry_pause_at_percent: invalid value "0"`, `.rule: invalid value "whenever"`}},
		{"every problem in dutch", []string{"--lang", "nl", "settings", "apply", "-f", writeTemp(t, invalid)}, 1,
			[]string{"bevat 3 fouten, dus er is niets gewijzigd", "gebruik een IANA-tijdzone", "gebruik een geheel getal van 1 tot en met 100", "gebruik een van prefer_salesforce_unless_blank"}},
		{"unknown key", []string{"settings", "apply", "-f", writeTemp(t, "settings:\n  timezone: UTC\n")}, 1,
			[]string{"line 2", "timezone"}},
		{"missing file flag", []string{"settings", "apply"}, 2, []string{"-f FILE"}},
		{"missing file", []string{"settings", "apply", "-f", "/nonexistent/settings.yaml"}, 2, []string{"/nonexistent/settings.yaml"}},
		{"unknown subcommand", []string{"settings", "edit"}, 2, []string{"settings show"}},
		{"other connection", []string{"--connection", "acme", "settings", "show"}, 1, []string{"No connection named acme"}},
	}
	before := f.version(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := f.koppel("", tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			for _, want := range tc.wants {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
		})
	}
	if f.version(t) != before || f.show(t) != valid {
		t.Error("a rejected apply changed the stored settings")
	}
}
