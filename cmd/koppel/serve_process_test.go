package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// buildKoppel builds the koppel binary into a temporary directory.
func buildKoppel(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "koppel")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a koppel process started by a test.
type process struct {
	cmd    *exec.Cmd
	url    string // from the first line of output, "listening on URL"
	stdout *lockedBuffer
	stderr *lockedBuffer
	done   chan struct{}
	err    error
}

// lockedBuffer is a bytes.Buffer written by a process's copier goroutine
// and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startListening starts bin with args and waits for the "listening on"
// line that each of koppel's servers prints first. The process is killed
// when the test ends, if it still runs.
func startListening(t *testing.T, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, args...), stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", strings.Join(args, " "), err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})

	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(out)
		line, _ := r.ReadString('\n')
		first <- line
		io.Copy(p.stdout, r)
		p.err = p.cmd.Wait()
		close(p.done)
	}()

	select {
	case line := <-first:
		url, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
		if !ok {
			t.Fatalf("koppel %s printed %q first, want \"listening on URL\"; stderr:\n%s", strings.Join(args, " "), line, p.stderr)
		}
		p.url = url
	case <-time.After(60 * time.Second):
		t.Fatalf("koppel %s printed no address within 60s; stderr:\n%s", strings.Join(args, " "), p.stderr)
	}
	return p
}

// stop sends SIGTERM and returns the exit code.
func (p *process) stop(t *testing.T, within time.Duration) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("send SIGTERM: %v", err)
	}
	select {
	case <-p.done:
	case <-time.After(within):
		t.Fatalf("process still running %s after SIGTERM; stderr:\n%s", within, p.stderr)
	}
	if p.err == nil {
		return 0
	}
	if ee, ok := p.err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	t.Fatalf("wait: %v", p.err)
	return -1
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// serveEnv is a running koppel serve against two emulator processes.
type serveEnv struct {
	ds        *generate.Dataset
	sf, hs    *process
	serve     *process
	interval  time.Duration
	appSecret string
}

// setupServe starts both emulators and koppel serve as processes, with a
// connection whose job title mapping is two-way, so an edit on either
// side reaches the other.
func setupServe(t *testing.T) *serveEnv {
	t.Helper()
	bin := buildKoppel(t)
	dir := t.TempDir()
	env := &serveEnv{interval: 5 * time.Second, appSecret: "hs-app-secret-for-tests-7d41"}

	ds, err := generate.Generate(generate.Options{People: 80, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	env.ds = ds
	sfSeed, hsSeed := filepath.Join(dir, "salesforce.json"), filepath.Join(dir, "hubspot.json")
	writeJSON(t, sfSeed, ds.SalesforceSeed())
	hs := ds.HubSpotSeed()
	hs.Config.ClientSecret = env.appSecret
	writeJSON(t, hsSeed, hs)

	servePort := freePort(t)
	webhookURL := fmt.Sprintf("http://127.0.0.1:%d/webhooks/hubspot", servePort)
	env.sf = startListening(t, bin, nil, "emulate", "salesforce", "--listen", "127.0.0.1:0", "--seed", sfSeed)
	env.hs = startListening(t, bin, nil, "emulate", "hubspot", "--listen", "127.0.0.1:0", "--seed", hsSeed, "--webhook-url", webhookURL)

	dataDir := filepath.Join(dir, "data")
	saveTestConnection(t, dataDir, ds, env.sf.url, env.hs.url, env.interval)
	env.serve = startListening(t, bin, []string{envHubSpotAppSecret + "=" + env.appSecret},
		"--data-dir", dataDir, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", servePort), "--log-format", "json", "--log-level", "debug")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve stderr:\n%s", env.serve.stderr)
		}
	})
	return env
}

// saveTestConnection stores connection "default" for the emulators, as
// koppel connect would, with a two-way job title and the given interval.
func saveTestConnection(t *testing.T, dataDir string, ds *generate.Dataset, sfURL, hsURL string, interval time.Duration) {
	t.Helper()
	ctx := context.Background()
	noEnv := func(string) string { return "" }
	st, err := connection.OpenStore(ctx, dataDir, noEnv, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	box, err := secret.OpenWithEnv(dataDir, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	creds := ds.Credentials()
	sf := connection.SalesforceCredentials{Auth: salesforce.AuthClientCredentials, LoginURL: sfURL,
		ClientID: creds.SalesforceClientID, ClientSecret: creds.SalesforceClientSecret}
	if _, _, err := connection.SaveCredentials(ctx, st, box, "default", store.Salesforce, sf, ""); err != nil {
		t.Fatal(err)
	}
	hs := connection.HubSpotCredentials{BaseURL: hsURL, AccessToken: creds.HubSpotToken}
	rec, _, err := connection.SaveCredentials(ctx, st, box, "default", store.HubSpot, hs, "4000001")
	if err != nil {
		t.Fatal(err)
	}

	contacts := mapping.NewContactSet()
	if err := contacts.SetRule("contact.jobtitle", mapping.TwoWay); err != nil {
		t.Fatal(err)
	}
	s := settings.Default()
	s.Interval = settings.Duration(interval)
	if _, err := connection.Apply(ctx, st, rec, s, append(contacts.All(), mapping.NewCompanySet().All()...)); err != nil {
		t.Fatal(err)
	}

	// koppel connect prepares the HubSpot properties once both sides are
	// connected; this test stores the credentials itself, so it does too.
	c, err := connection.OpenWith(ctx, dataDir, "default", connection.Options{Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.EnsureHubSpotProperties(ctx); err != nil {
		t.Fatalf("prepare the HubSpot properties: %v", err)
	}
}

var cycleLine = regexp.MustCompile(`(?m)^koppel_sync_cycles_total\{connection="default",status="[a-z]+"\} (\d+)`)

// waitCycles waits until serve's metrics count at least n cycles.
func (env *serveEnv) waitCycles(t *testing.T, n int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		total := 0
		for _, m := range cycleLine.FindAllStringSubmatch(getBody(t, env.serve.url+"/metrics"), -1) {
			c, _ := strconv.Atoi(m[1])
			total += c
		}
		if total >= n {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("fewer than %d sync cycles within %s; serve stderr:\n%s", n, within, env.serve.stderr)
}

func getBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", url, resp.StatusCode, body)
	}
	return string(body)
}

func sendJSON(t *testing.T, method, url string, body any) {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, url, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: status %d: %s", method, url, resp.StatusCode, msg)
	}
}

// hubspotJobTitle and salesforceTitle read a record through the
// emulators' admin endpoints, which no API budget counts.
func (env *serveEnv) hubspotJobTitle(t *testing.T, id string) string {
	return env.hubspotProperty(t, id, "jobtitle")
}

func (env *serveEnv) hubspotProperty(t *testing.T, id, name string) string {
	var rec struct {
		Properties map[string]string `json:"properties"`
	}
	json.Unmarshal([]byte(getBody(t, env.hs.url+"/_emulator/records/contacts/"+id)), &rec)
	return rec.Properties[name]
}

func (env *serveEnv) salesforceTitle(t *testing.T, id string) string {
	var rec map[string]any
	json.Unmarshal([]byte(getBody(t, env.sf.url+"/_emulator/records/"+id)), &rec)
	s, _ := rec["Title"].(string)
	return s
}

// syncedPair returns a HubSpot contact and a Salesforce Contact with the
// same email that the first cycles linked and brought in step.
func (env *serveEnv) syncedPair(t *testing.T) (hubspotID, salesforceID string) {
	t.Helper()
	defective := map[string]bool{}
	for _, e := range env.ds.Manifest.Entries {
		defective[e.ID] = true
		for _, r := range e.Related {
			defective[r[strings.LastIndex(r, ":")+1:]] = true
		}
	}
	byEmail := map[string]string{}
	for _, c := range env.ds.Contacts {
		if !defective[c.Id] && c.Email != "" {
			byEmail[strings.ToLower(c.Email)] = c.Id
		}
	}
	for _, r := range env.ds.HubSpotContacts {
		sfID, ok := byEmail[strings.ToLower(r.Properties["email"])]
		if !ok || defective[r.ID] {
			continue
		}
		// The mirrored Salesforce id shows that koppel linked the pair
		// and that a write to the HubSpot contact succeeded.
		if env.hubspotProperty(t, r.ID, "salesforcecontactid") == sfID {
			return r.ID, sfID
		}
	}
	t.Fatalf("no HubSpot contact carries the id of its Salesforce Contact after the first cycles")
	return "", ""
}

// waitFor polls get until it returns want and returns the time it took.
func waitFor(t *testing.T, what string, within time.Duration, get func() string, want string) time.Duration {
	t.Helper()
	start := time.Now()
	for time.Since(start) < within {
		if get() == want {
			return time.Since(start)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("%s: still %q after %s, want %q", what, get(), within, want)
	return 0
}

func TestServeSyncsEditsBothWays(t *testing.T) {
	env := setupServe(t)
	env.waitCycles(t, 2, 60*time.Second)
	hsID, sfID := env.syncedPair(t)

	// Two intervals, plus room for the cycle in progress on a loaded
	// machine.
	within := 2*env.interval + 3*time.Second

	sendJSON(t, http.MethodPatch, env.hs.url+"/_emulator/records/contacts/"+hsID,
		map[string]any{"properties": map[string]string{"jobtitle": "Hoofd inkoop"}})
	took := waitFor(t, "Salesforce Title after a HubSpot edit", within, func() string { return env.salesforceTitle(t, sfID) }, "Hoofd inkoop")
	t.Logf("HubSpot edit reached Salesforce in %s", took.Round(time.Millisecond))

	sendJSON(t, http.MethodPatch, env.sf.url+"/_emulator/records/"+sfID, map[string]any{"Title": "Directeur operations"})
	took = waitFor(t, "HubSpot jobtitle after a Salesforce edit", within, func() string { return env.hubspotJobTitle(t, hsID) }, "Directeur operations")
	t.Logf("Salesforce edit reached HubSpot in %s", took.Round(time.Millisecond))

	// The HubSpot emulator posted the edit as a signed webhook, which
	// started a cycle before the interval ended.
	if !regexp.MustCompile(`(?m)^koppel_webhook_requests_total\{result="accepted"\} [1-9]`).MatchString(getBody(t, env.serve.url+"/metrics")) {
		t.Error("no webhook from the HubSpot emulator was accepted")
	}
	if body := getBody(t, env.serve.url+"/healthz"); !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("/healthz = %s, want status ok", body)
	}
	if body := getBody(t, env.serve.url+"/signin"); !strings.Contains(body, "<form") {
		t.Errorf("/signin does not serve the web UI's sign-in form:\n%.300s", body)
	}
	resp, err := http.Post(env.serve.url+"/webhooks/hubspot", "application/json", strings.NewReader(`[]`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned webhook: status %d, want 401", resp.StatusCode)
	}

	if code := env.serve.stop(t, 20*time.Second); code != 0 {
		t.Errorf("serve exited %d after SIGTERM, want 0; stderr:\n%s", code, env.serve.stderr)
	}
	logs := env.serve.stderr.String()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, `"msg":"koppel serve stopped"`) {
		t.Errorf("last log line = %s, want the stop line", last)
	}
	if strings.Contains(logs, env.appSecret) {
		t.Error("serve logged the webhook secret")
	}
}
