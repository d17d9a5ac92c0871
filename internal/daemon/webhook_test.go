package daemon

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
)

const personEvent = `[{"eventId":1,"subscriptionId":2,"portalId":4000001,"appId":3000001,"occurredAt":1764579600000,
"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":151,"propertyName":"jobtitle",
"propertyValue":"Inkoper","changeSource":"CRM_UI","sourceId":"userId:882761034"}]`

const echoEvent = `[{"eventId":3,"subscriptionId":2,"portalId":4000001,"appId":3000001,"occurredAt":1764579600000,
"subscriptionType":"contact.propertyChange","attemptNumber":0,"objectId":151,"propertyName":"jobtitle",
"propertyValue":"Inkoper","changeSource":"INTEGRATION","sourceId":"3000001"}]`

// postWebhook posts body to the daemon's webhook handler, signed with
// secret at the given request time.
func postWebhook(t *testing.T, f *fixture, body, secret string, at time.Time) *http.Response {
	t.Helper()
	srv := httptest.NewServer(f.daemon.WebhookHandler())
	t.Cleanup(srv.Close)

	url := srv.URL + WebhookPath
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-HubSpot-Request-Timestamp", ts)
	req.Header.Set("X-HubSpot-Signature-v3", hubspot.SignatureV3(secret, http.MethodPost, url, []byte(body), ts))
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// started runs the daemon and waits for its first cycle and timer.
func started(t *testing.T, edit func(*Config)) *fixture {
	t.Helper()
	f := setup(t, edit)
	f.start(t)
	f.nextReport(t)
	f.waitTimer(t)
	return f
}

func TestWebhookStartsCycle(t *testing.T) {
	f := started(t, nil)

	resp := postWebhook(t, f, personEvent, testSecret, f.clock.Now())
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d, want 204", resp.StatusCode)
	}
	if r := f.nextReport(t); r.Trigger != TriggerWebhook {
		t.Errorf("trigger = %s, want webhook", r.Trigger)
	}
}

func TestWebhookRejectsBadSignature(t *testing.T) {
	f := started(t, nil)

	resp := postWebhook(t, f, personEvent, "some-other-secret", f.clock.Now())
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
	f.noReport(t)
	logs := f.logs.String()
	if !strings.Contains(logs, "webhook rejected: signature check failed") {
		t.Errorf("no log line for the rejected webhook:\n%s", logs)
	}
	if strings.Contains(logs, testSecret) {
		t.Error("the log contains the app secret")
	}
}

func TestWebhookRejectsStaleTimestamp(t *testing.T) {
	f := started(t, nil)

	resp := postWebhook(t, f, personEvent, testSecret, f.clock.Now().Add(-6*time.Minute))
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d for a 6-minute-old signature, want 401", resp.StatusCode)
	}
	f.noReport(t)
}

func TestWebhookIgnoresOwnWrites(t *testing.T) {
	f := started(t, nil)

	resp := postWebhook(t, f, echoEvent, testSecret, f.clock.Now())
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d, want 204", resp.StatusCode)
	}
	f.noReport(t)
}

func TestWebhookIgnoresOtherPortal(t *testing.T) {
	f := started(t, func(c *Config) { c.Connections[0].PortalID = "4000999" })

	resp := postWebhook(t, f, personEvent, testSecret, f.clock.Now())
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d, want 204", resp.StatusCode)
	}
	f.noReport(t)
}

func TestWebhookWithoutSecret(t *testing.T) {
	f := started(t, func(c *Config) { c.Connections[0].WebhookSecret = "" })

	resp := postWebhook(t, f, personEvent, testSecret, f.clock.Now())
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d with no secret configured, want 401", resp.StatusCode)
	}
	if !strings.Contains(f.logs.String(), "no connection has a HubSpot app secret") {
		t.Errorf("no log line naming the missing secret:\n%s", f.logs)
	}
}

func TestWebhookRejectsBadJSON(t *testing.T) {
	f := started(t, nil)

	resp := postWebhook(t, f, `{"not":"an array"}`, testSecret, f.clock.Now())
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d for a body that is not an array, want 400", resp.StatusCode)
	}
}

func TestWebhookRejectsGet(t *testing.T) {
	f := setup(t, nil)
	rec := httptest.NewRecorder()
	f.daemon.WebhookHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, WebhookPath, nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET status %d, want 405", rec.Code)
	}
}

func TestRejectedWebhooksLoggedOncePerInterval(t *testing.T) {
	f := started(t, nil)

	for range 5 {
		resp := postWebhook(t, f, personEvent, "some-other-secret", f.clock.Now())
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
	}
	f.clock.Advance(2 * time.Minute)
	postWebhook(t, f, personEvent, "some-other-secret", f.clock.Now().Add(-time.Second))

	logs := f.logs.String()
	if n := strings.Count(logs, `level=WARN msg="webhook rejected: signature check failed"`); n != 2 {
		t.Errorf("%d WARN lines for 6 bad webhooks over two minutes, want 2:\n%s", n, logs)
	}
	if !strings.Contains(logs, "repeats_not_logged=4") {
		t.Errorf("the second WARN line does not count the 4 repeats:\n%s", logs)
	}
}

func TestWebhookStartsOnlyMatchingConnection(t *testing.T) {
	other := &fakeSyncer{}
	f := setup(t, func(c *Config) {
		c.Connections = append(c.Connections, Connection{Name: "globex", Syncer: other, Interval: 30 * time.Second, WebhookSecret: "globex-secret"})
	})
	f.start(t)
	f.nextReport(t)
	f.nextReport(t)
	f.waitTimer(t)
	f.waitTimer(t)

	resp := postWebhook(t, f, personEvent, "globex-secret", f.clock.Now())
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d, want 204", resp.StatusCode)
	}
	r := f.nextReport(t)
	if r.Connection != "globex" || r.Trigger != TriggerWebhook {
		t.Errorf("cycle of %s by %s, want globex by webhook", r.Connection, r.Trigger)
	}
	f.noReport(t)
}
