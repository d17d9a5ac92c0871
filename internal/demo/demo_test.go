package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/daemon"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/store"
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
	for _, id := range recordKinds {
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
	healthURL := regexp.MustCompile(`Health at (http://127\.0\.0\.1:\d+/healthz)`)
	var health daemon.Health
	var healthErr error
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) && !webhookCycle.MatchString(out.String()) {
			time.Sleep(100 * time.Millisecond)
		}
		if m := healthURL.FindStringSubmatch(out.String()); m != nil {
			health, healthErr = getHealth(m[1])
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
	<-stopped
	if !webhookCycle.MatchString(out.String()) {
		t.Fatalf("no cycle started by a webhook within 60s:\n%s", out)
	}
	if healthErr != nil {
		t.Errorf("/healthz: %v", healthErr)
	}
	if health.Status != "ok" || len(health.Connections) != 1 || health.Connections[0].LastSuccess == nil {
		t.Errorf("/healthz = %+v, want status ok and the demo connection with a last success", health)
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

// TestLiveCyclesWithoutEditsAreInterval checks that koppel's own writes
// in HubSpot, which come back as webhooks, start no cycle: with no edits
// every live cycle after the first is started by the interval.
func TestLiveCyclesWithoutEditsAreInterval(t *testing.T) {
	out := &syncWriter{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	intervalCycle := regexp.MustCompile(`(?m)^Cycle \d+ \(interval,`)
	go func() {
		deadline := time.Now().Add(60 * time.Second)
		for time.Now().Before(deadline) && !intervalCycle.MatchString(out.String()) {
			time.Sleep(100 * time.Millisecond)
		}
		cancel()
	}()

	_, err := Run(ctx, Options{
		People: 60, Seed: 5, Listen: "127.0.0.1:0", Interval: 5 * time.Second, EditEvery: time.Hour,
		Progress: out, DataDir: t.TempDir(),
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}
	if !intervalCycle.MatchString(out.String()) {
		t.Errorf("no cycle started by the interval within 60s:\n%s", out)
	}
	if strings.Contains(out.String(), "(HubSpot webhook,") {
		t.Errorf("a webhook started a cycle although nobody edited HubSpot:\n%s", out)
	}
}

// TestSummaryCountsMatchStore checks that the summary's open errors, the
// last progress line and the printed summary all give the store's count
// of parked records, each record once.
func TestSummaryCountsMatchStore(t *testing.T) {
	dir := t.TempDir()
	out := &syncWriter{}
	s, err := Run(context.Background(), Options{People: 300, Seed: 7, Once: true, Progress: out, DataDir: dir})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, out)
	}

	ctx := context.Background()
	st, err := connection.OpenStore(ctx, dir, noEnv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.GetConnectionByName(ctx, ConnectionName)
	if err != nil {
		t.Fatal(err)
	}
	byCategory, err := st.CountErrorsByCategory(ctx, rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, n := range byCategory {
		want += n
	}
	if want == 0 {
		t.Fatal("the store has no open error; use more people so the generator makes bad records")
	}

	if s.OpenErrors != want {
		t.Errorf("summary open errors = %d, store has %d", s.OpenErrors, want)
	}
	if int64(len(s.ParkedRecords)) != want {
		t.Errorf("summary lists %d parked records, store has %d open errors", len(s.ParkedRecords), want)
	}
	for _, c := range s.Parked {
		if got := byCategory[store.ErrorCategory(c.Category)]; int64(c.Count) != got {
			t.Errorf("category %s: summary %d, store %d", c.Category, c.Count, got)
		}
	}

	lines := regexp.MustCompile(`(?m)^Cycle \d+ .*, (\d+) open errors?,`).FindAllStringSubmatch(out.String(), -1)
	if len(lines) == 0 {
		t.Fatalf("no cycle line with open errors:\n%s", out)
	}
	if last := lines[len(lines)-1][1]; last != strconv.FormatInt(want, 10) {
		t.Errorf("last cycle line says %s open errors, store has %d", last, want)
	}

	var printed bytes.Buffer
	s.Print(&printed, "en")
	if !strings.Contains(printed.String(), "Open errors (parked records): "+strconv.FormatInt(want, 10)+"\n") {
		t.Errorf("printed summary does not give %d open errors:\n%s", want, printed.String())
	}
	if strings.Contains(printed.String(), "For example hubspot ") || strings.Contains(printed.String(), "For example salesforce ") {
		t.Errorf("printed summary names a record by its raw side and object:\n%s", printed.String())
	}
	if strings.Contains(printed.String(), "skipped") {
		t.Errorf("printed summary counts re-reads as skipped records:\n%s", printed.String())
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

// getHealth returns the demo's /healthz body, which has koppel serve's
// form.
func getHealth(url string) (daemon.Health, error) {
	var h daemon.Health
	resp, err := http.Get(url)
	if err != nil {
		return h, err
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		return h, fmt.Errorf("Content-Type %q, want application/json", ct)
	}
	err = json.NewDecoder(resp.Body).Decode(&h)
	return h, err
}
