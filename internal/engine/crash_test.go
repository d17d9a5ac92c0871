package engine_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// TestCrashDuringApply kills `koppel sync --once` with SIGKILL at random
// moments, many times, while both emulators run as separate processes
// that outlive it, edits records on both sides between the runs, and then
// lets the sync finish. The end state must have one Salesforce record and
// one HubSpot contact per email, a link for every contact, and every edit
// on the other side.
//
// KOPPEL_CRASH_RUNS sets the number of killed runs (default 12) and
// KOPPEL_CRASH_SEED the random seed.
func TestCrashDuringApply(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the koppel binary and runs it many times; skipped with -short")
	}
	runs := envInt(t, "KOPPEL_CRASH_RUNS", 12)
	seed := uint64(envInt(t, "KOPPEL_CRASH_SEED", 7))
	t.Logf("seed %d, %d killed runs", seed, runs)
	rng := rand.New(rand.NewPCG(seed, seed))

	dir := t.TempDir()
	bin := buildKoppel(t, dir)

	const sfEmails, hsOnly = 200, 100
	var sfRecords []map[string]any
	leads, contacts := []map[string]any{}, []map[string]any{}
	for i := range sfEmails {
		rec := map[string]any{"LastName": fmt.Sprintf("Sf%03d", i), "Email": fmt.Sprintf("sf%03d@example.nl", i)}
		if i%2 == 0 {
			rec["Company"] = "Acme"
			leads = append(leads, rec)
		} else {
			contacts = append(contacts, rec)
		}
		sfRecords = append(sfRecords, rec)
	}
	sfSeed := map[string]any{
		"config":  map[string]any{"oauth": map[string]any{"client_id": "crash-app", "client_secret": "crash-secret"}},
		"records": map[string]any{"Lead": leads, "Contact": contacts},
	}
	var hsContacts []map[string]any
	for i := range sfEmails / 2 {
		hsContacts = append(hsContacts, map[string]any{"properties": map[string]string{"email": fmt.Sprintf("sf%03d@example.nl", i*2), "firstname": "Hs"}})
	}
	for i := range hsOnly {
		hsContacts = append(hsContacts, map[string]any{"properties": map[string]string{"email": fmt.Sprintf("hs%03d@example.nl", i), "lastname": fmt.Sprintf("Hs%03d", i)}})
	}
	hsSeed := map[string]any{"contacts": hsContacts}

	sfURL := startEmulator(t, bin, dir, "salesforce", sfSeed)
	hsURL := startEmulator(t, bin, dir, "hubspot", hsSeed)

	data := filepath.Join(dir, "data")
	writeFile(t, filepath.Join(dir, "sf-secret"), "crash-secret")
	writeFile(t, filepath.Join(dir, "hs-token"), "crash-token")
	koppel(t, bin, data, "connect", "salesforce", "--login-url", sfURL, "--client-id", "crash-app", "--client-secret-file", filepath.Join(dir, "sf-secret"))
	koppel(t, bin, data, "connect", "hubspot", "--base-url", hsURL, "--token-file", filepath.Join(dir, "hs-token"))
	applyCrashSettings(t, bin, dir, data)

	// Before the first sync, plan lists the creates and writes nothing.
	planActions := func() map[string]int {
		var doc struct {
			Summary struct {
				Actions map[string]int `json:"actions"`
			} `json:"summary"`
		}
		if err := json.Unmarshal([]byte(koppel(t, bin, data, "--json", "plan")), &doc); err != nil {
			t.Fatalf("decode plan output: %v", err)
		}
		return doc.Summary.Actions
	}
	plan := planActions()
	if plan["create"] != 200 || plan["link"] != 100 {
		t.Errorf("plan before the first sync has actions %v, want 200 creates and 100 links", plan)
	}
	if again := planActions(); !maps.Equal(again, plan) {
		t.Errorf("a second plan differs, so the first one wrote something: %v, then %v", plan, again)
	}

	ctx := context.Background()
	sf, hs := crashClients(t, sfURL, hsURL)

	// Edits people make between runs, and what the other side must end
	// with: a Salesforce Title wins over HubSpot, and a HubSpot city wins
	// over Salesforce.
	wantJobTitle := map[string]string{} // email → jobtitle
	wantCity := map[string]string{}     // email → Salesforce city

	killed := 0
	runTime := 2 * time.Second
	for run := range runs {
		cmd := exec.Command(bin, "--data-dir", data, "sync", "--once")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatalf("start sync: %v", err)
		}
		// The kill lands anywhere between start-up and the end of the
		// last run that finished, so most kills hit a run mid-apply.
		delay := 10*time.Millisecond + time.Duration(rng.Int64N(int64(runTime)))
		started := time.Now()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
			runTime = max(time.Since(started), 50*time.Millisecond)
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed++
		}

		// A batch of edits on both sides gives the next run writes to be
		// killed in.
		for edit := range 15 {
			rec := sfRecords[rng.IntN(len(sfRecords))]
			email := rec["Email"].(string)
			title := fmt.Sprintf("Title %d.%d", run, edit)
			updateSalesforceByEmail(t, sf, email, map[string]any{"Title": title})
			wantJobTitle[email] = title

			hsEmail := fmt.Sprintf("hs%03d@example.nl", rng.IntN(hsOnly))
			city := fmt.Sprintf("City %d.%d", run, edit)
			found, err := hs.BatchRead(ctx, hubspot.Contacts, []string{hsEmail}, hubspot.BatchReadOptions{IDProperty: "email"})
			if err != nil || found[0].Err != nil {
				t.Fatalf("look up HubSpot contact %s: %v %v", hsEmail, err, found)
			}
			if _, err := hs.Update(ctx, hubspot.Contacts, found[0].Object.ID, map[string]string{"city": city}); err != nil {
				t.Fatalf("update HubSpot contact %s: %v", hsEmail, err)
			}
			wantCity[hsEmail] = city
		}
	}
	t.Logf("%d of %d runs killed", killed, runs)

	var last string
	for i := 0; ; i++ {
		out, err := koppelOutput(bin, data, "sync", "--once")
		last = out
		if err == nil {
			plan, _ := koppelOutput(bin, data, "--json", "plan")
			var doc struct {
				Items []json.RawMessage `json:"items"`
			}
			if json.Unmarshal([]byte(plan), &doc) == nil && len(doc.Items) == 0 {
				break
			}
		}
		if i == 6 {
			t.Fatalf("sync not quiet after the crashes: %s", last)
		}
	}

	checkCrashEndState(t, sf, hs, sfEmails, hsOnly, wantJobTitle, wantCity)

	// explain finds the person by email and shows the link and the base.
	var x struct {
		Link *struct {
			Email string `json:"email"`
		} `json:"link"`
		LastSync time.Time `json:"last_sync"`
	}
	if err := json.Unmarshal([]byte(koppel(t, bin, data, "--json", "explain", "SF000@example.nl")), &x); err != nil {
		t.Fatalf("decode explain output: %v", err)
	}
	if x.Link == nil || x.Link.Email != "sf000@example.nl" || x.LastSync.IsZero() {
		t.Errorf("explain = link %+v, last sync %s; want the link of sf000@example.nl and a last sync", x.Link, x.LastSync)
	}
	if text := koppel(t, bin, data, "explain", "sf000@example.nl"); !strings.Contains(text, "jobtitle") {
		t.Errorf("explain output lists no jobtitle field:\n%s", text)
	}
}

func buildKoppel(t testing.TB, dir string) string {
	t.Helper()
	if bin := os.Getenv("KOPPEL_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(dir, "koppel")
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/koppel")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build koppel: %v\n%s", err, out)
	}
	return bin
}

// startEmulator runs `koppel emulate VENDOR` on a free loopback port with
// a seed and a state file, and returns its URL.
func startEmulator(t testing.TB, bin, dir, vendor string, seed any) string {
	t.Helper()
	seedPath := filepath.Join(dir, vendor+"-seed.json")
	b, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, seedPath, string(b))

	cmd := exec.Command(bin, "emulate", vendor, "--listen", "127.0.0.1:0", "--seed", seedPath, "--state", filepath.Join(dir, vendor+"-state.json"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s emulator: %v", vendor, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("read %s emulator address: %v", vendor, err)
	}
	go io.Copy(io.Discard, stdout)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("%s emulator printed %q, want its address", vendor, line)
	}
	return url
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func koppel(t *testing.T, bin, data string, args ...string) string {
	t.Helper()
	out, err := koppelOutput(bin, data, args...)
	if err != nil {
		t.Fatalf("koppel %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func koppelOutput(bin, data string, args ...string) (string, error) {
	cmd := exec.Command(bin, append([]string{"--data-dir", data}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

// applyCrashSettings sets the overlap window to zero, turns the Lead
// Status mapping off, because the
// HubSpot emulator's Lead Status options share no value with Salesforce's
// Lead Status picklist, and lets HubSpot win the city, so that every
// HubSpot city edit must reach Salesforce.
func applyCrashSettings(t *testing.T, bin, dir, data string) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(koppel(t, bin, data, "--json", "settings", "show")), &doc); err != nil {
		t.Fatalf("decode settings: %v", err)
	}
	// Without an overlap window a cursor committed too early would lose
	// changes for good, which is what this test must catch.
	doc["settings"].(map[string]any)["overlap_window"] = "0s"
	for _, m := range doc["mappings"].([]any) {
		switch mm := m.(map[string]any); mm["id"] {
		case "contact.hs_lead_status":
			mm["rule"] = "dont_sync"
		case "contact.city":
			mm["rule"] = "prefer_hubspot_unless_blank"
		}
	}
	b, _ := json.Marshal(doc)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, string(b))
	koppel(t, bin, data, "settings", "apply", "-f", path)
}

func crashClients(t *testing.T, sfURL, hsURL string) (*salesforce.Client, *hubspot.Client) {
	t.Helper()
	sf, err := salesforce.New(salesforce.Config{Auth: salesforce.AuthClientCredentials, LoginURL: sfURL, ClientID: "crash-app", ClientSecret: "crash-secret"})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := hubspot.New(hubspot.Config{BaseURL: hsURL, AccessToken: "crash-token", RateLimit: hubspot.RateLimitConfig{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	return sf, hs
}

func updateSalesforceByEmail(t *testing.T, sf *salesforce.Client, email string, fields map[string]any) {
	t.Helper()
	for _, object := range []string{"Lead", "Contact"} {
		for r, err := range sf.Records(context.Background(), "SELECT Id FROM "+object+" WHERE Email = "+salesforce.Quote(email), salesforce.QueryOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			res, err := sf.UpdateRecords(context.Background(), []salesforce.Record{{Type: object, ID: r.ID, Fields: fields}}, false)
			if err != nil || res[0].Err() != nil {
				t.Fatalf("update %s %s: %v %v", object, r.ID, err, res)
			}
		}
	}
}

func checkCrashEndState(t *testing.T, sf *salesforce.Client, hs *hubspot.Client, sfEmails, hsOnly int, wantJobTitle, wantCity map[string]string) {
	t.Helper()
	ctx := context.Background()

	contacts := map[string][]hubspot.Object{}
	for o, err := range hs.ListAll(ctx, hubspot.Contacts, hubspot.ListOptions{Properties: []string{"email", "jobtitle", engine.PropSalesforceLeadID, engine.PropSalesforceContactID}}) {
		if err != nil {
			t.Fatal(err)
		}
		e := engine.NormalizeEmail(o.Properties["email"])
		contacts[e] = append(contacts[e], o)
	}
	if len(contacts) != sfEmails+hsOnly {
		t.Errorf("HubSpot has contacts for %d emails, want %d", len(contacts), sfEmails+hsOnly)
	}
	for e, os := range contacts {
		if len(os) != 1 {
			t.Errorf("email %s has %d HubSpot contacts", e, len(os))
			continue
		}
		p := os[0].Properties
		if p[engine.PropSalesforceLeadID] == "" && p[engine.PropSalesforceContactID] == "" {
			t.Errorf("HubSpot contact %s (%s) has no Salesforce id", os[0].ID, e)
		}
		if want, ok := wantJobTitle[e]; ok && p["jobtitle"] != want {
			t.Errorf("HubSpot %s jobtitle = %q, want the Salesforce edit %q", e, p["jobtitle"], want)
		}
	}

	records := map[string][]salesforce.Record{}
	for object, city := range map[string]string{"Lead": "City", "Contact": "MailingCity"} {
		for r, err := range sf.Records(ctx, "SELECT Id, Email, "+city+" FROM "+object, salesforce.QueryOptions{}) {
			if err != nil {
				t.Fatal(err)
			}
			e := engine.NormalizeEmail(r.String("Email"))
			records[e] = append(records[e], r)
		}
	}
	for e := range contacts {
		if n := len(records[e]); n != 1 {
			t.Errorf("email %s has %d Salesforce records, want 1", e, n)
		}
	}
	for e, want := range wantCity {
		rs := records[e]
		if len(rs) != 1 {
			continue
		}
		got := rs[0].String("City") + rs[0].String("MailingCity")
		if got != want {
			t.Errorf("Salesforce %s city = %q, want the HubSpot edit %q", e, got, want)
		}
	}
}
