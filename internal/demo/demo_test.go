package demo

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/koppel-sync/koppel/internal/generate"
)

func TestMessagesInBothLanguages(t *testing.T) {
	read := func(lang string) map[string]string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("locales", "active."+lang+".toml"))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("parse %s messages: %v", lang, err)
		}
		return m
	}
	en, nl := read("en"), read("nl")

	ids := []string{msgGenerating, msgEmulators, msgConnection, msgImport, msgCycle, msgConverged, msgLive, msgServing,
		msgAdmin, msgStopping, msgSummaryTitle, msgSummaryPeople, msgSummaryCycles, msgSummaryOutcomes,
		msgSummaryOutcome, msgSummaryParked, msgSummaryCategory, msgSummaryExample, msgSummaryAPICalls,
		msgSummaryDuplicates, msgSummaryExpected, msgSummaryMismatch, msgYes, msgNo, msgErrPeople, msgErrListen, msgErrListenBusy, msgErrNotConverged}
	for _, id := range outcomeIDs {
		ids = append(ids, id)
	}
	for _, tr := range []string{"start", "interval", "webhook", "retry", "manual", string(triggerImport), string(triggerCatchUp)} {
		ids = append(ids, "trigger."+tr)
	}
	for _, id := range ids {
		if en[id] == "" {
			t.Errorf("%s has no English text", id)
		}
		if nl[id] == "" {
			t.Errorf("%s has no Dutch text", id)
		}
	}
	for id := range en {
		if _, ok := nl[id]; !ok {
			t.Errorf("%s is English only", id)
		}
	}
	for id := range nl {
		if _, ok := en[id]; !ok {
			t.Errorf("%s is Dutch only", id)
		}
	}
}

func TestOptionsRejectBadInput(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		want string
	}{
		{"negative people", Options{People: -3}, "--people -3"},
		{"too many people", Options{People: generate.MaxPeople + 1}, "--people 1000001"},
		{"remote listen", Options{Listen: "192.0.2.7:8080"}, "--listen 192.0.2.7:8080"},
		{"listen without port", Options{Listen: "127.0.0.1"}, "--listen 127.0.0.1"},
		{"listen with bad port", Options{Listen: "127.0.0.1:http-alt"}, "--listen 127.0.0.1:http-alt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Run error = %v, want one naming %s", err, tc.want)
			}
			if !IsUsage(err) {
				t.Errorf("Run error %v is not a usage error", err)
			}
			var de *Error
			if !errors.As(err, &de) || de.Localize("nl") == de.Localize("en") {
				t.Errorf("error %v has no Dutch message", err)
			}
		})
	}
}

func TestExpectParked(t *testing.T) {
	m := generate.Manifest{Entries: []generate.Entry{
		{Side: "hubspot", ID: "1001", Expect: generate.Expectation{Outcome: generate.OutcomePark, Category: "property_value", Code: "TOO_LONG"}},
		{Side: "hubspot", ID: "1002", Expect: generate.Expectation{Outcome: generate.OutcomePark, Category: "property_value", Code: "PICKLIST_NOT_ALLOWED"}},
		{Side: "hubspot", ID: "1003", Expect: generate.Expectation{Outcome: generate.OutcomePark, Category: "property_value", Code: "TOO_LONG"}},
		{Side: "salesforce", ID: "00Q1", Expect: generate.Expectation{Outcome: generate.OutcomeSkip, Code: "no_email"}},
	}}
	parked := []ParkedRecord{
		{Side: "hubspot", ID: "1001", Category: "property_value", Code: "TOO_LONG"},
		{Side: "hubspot", ID: "1002", Category: "property_value", Code: "INVALID_OPTION"},
		{Side: "salesforce", ID: "00Q1", Category: "property_value", Code: "REQUIRED"},
	}

	got := expectParked(m, parked)
	if got.Parked != 3 {
		t.Errorf("Parked = %d, want the 3 park entries", got.Parked)
	}
	if want := []string{"hubspot:1002", "hubspot:1003"}; strings.Join(got.Missing, ",") != strings.Join(want, ",") {
		t.Errorf("Missing = %v, want %v (wrong code, not parked)", got.Missing, want)
	}
	if want := []string{"salesforce:00Q1"}; strings.Join(got.Unexpected, ",") != strings.Join(want, ",") {
		t.Errorf("Unexpected = %v, want %v", got.Unexpected, want)
	}
	if got.Matches() {
		t.Error("Matches() = true for a mismatch")
	}
}

func TestNewDuplicates(t *testing.T) {
	before := map[string]int{"a@x.nl": 2, "b@x.nl": 1}
	after := map[string]int{"a@x.nl": 2, "b@x.nl": 2, "c@x.nl": 1, "d@x.nl": 3}
	if n := newDuplicates(before, after); n != 2 {
		t.Errorf("newDuplicates = %d, want 2 (b grew to 2, d is new with 3; a was already shared)", n)
	}
}

// syncWriter is a bytes.Buffer safe for the demo's goroutines.
type syncWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestLiveCyclesFollowWebhooks(t *testing.T) {
	out := &syncWriter{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The actor edits a HubSpot contact in the first of every six edits.
	// The webhook of that edit starts a cycle before the 5-second
	// interval would.
	webhookCycle := regexp.MustCompile(`(?m)^Cycle \d+ \(HubSpot webhook,`)
	go func() {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) && !webhookCycle.MatchString(out.String()) {
			time.Sleep(100 * time.Millisecond)
		}
		cancel()
	}()

	s, err := Run(ctx, Options{
		People: 60, Seed: 5, Listen: "127.0.0.1:0", EditEvery: 300 * time.Millisecond, Progress: out,
		DataDir: t.TempDir(),
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if !webhookCycle.MatchString(out.String()) {
		t.Fatalf("no cycle started by a webhook within 60s:\n%s", out)
	}
	if !s.Converged {
		t.Error("summary says the first phase did not converge")
	}
	if !strings.Contains(out.String(), "/metrics") {
		t.Errorf("progress does not name the metrics address:\n%s", out)
	}
	if !regexp.MustCompile(`sign in as demo with password [A-Za-z0-9_-]{16} `).MatchString(out.String()) {
		t.Errorf("progress does not show the admin's password:\n%s", out)
	}
}

func TestListenBusyNamesFlag(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	_, err = Run(context.Background(), Options{People: 10, Listen: ln.Addr().String(), DataDir: t.TempDir()})
	var de *Error
	if !errors.As(err, &de) || de.ID != msgErrListenBusy {
		t.Fatalf("Run on a busy port: %v, want the listen_busy message", err)
	}
	if msg := de.Localize("nl"); !strings.Contains(msg, ln.Addr().String()) || !strings.Contains(msg, "--listen") {
		t.Errorf("message %q does not name the address and --listen", msg)
	}
}
