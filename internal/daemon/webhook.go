package daemon

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/koppel-sync/koppel/internal/hubspot"
)

// WebhookPath is the path at which koppel serve receives HubSpot webhooks.
const WebhookPath = "/webhooks/hubspot"

// maxWebhookBody bounds a webhook request. HubSpot sends at most 100
// events per request, well under this.
const maxWebhookBody = 1 << 20

// Webhook results, as the result label of koppel_webhook_requests_total.
const (
	webhookAccepted     = "accepted"
	webhookBadSignature = "bad_signature"
	webhookBadRequest   = "bad_request"
	webhookNoSecret     = "no_secret"
)

// WebhookHandler returns the handler of HubSpot webhook requests. It
// checks the signature (X-HubSpot-Signature-v3, or v1/v2 when no v3 header
// is sent) against the app secret of each connection, and starts a cycle
// of every connection whose secret matched and whose account the events
// concern. Events of changes koppel itself made through the API do not
// start a cycle. A bad or stale signature gets status 401.
func (d *Daemon) WebhookHandler() http.Handler {
	return http.HandlerFunc(d.serveWebhook)
}

func (d *Daemon) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		d.webhookResult(webhookBadRequest)
		d.logRejected(r, "webhook rejected: body unreadable or too large", "error", err)
		http.Error(w, "request body unreadable or larger than 1 MiB", http.StatusBadRequest)
		return
	}

	matched, verr := d.verifyWebhook(r, body)
	if len(matched) == 0 {
		if verr == nil {
			d.webhookResult(webhookNoSecret)
			d.logRejected(r, "webhook rejected: no connection has a HubSpot app secret to verify it with")
		} else {
			d.webhookResult(webhookBadSignature)
			d.logRejected(r, "webhook rejected: signature check failed", "error", verr)
		}
		http.Error(w, "invalid webhook signature", http.StatusUnauthorized)
		return
	}

	var events []hubspot.WebhookEvent
	if err := json.Unmarshal(body, &events); err != nil {
		d.webhookResult(webhookBadRequest)
		d.logRejected(r, "webhook rejected: body is not a JSON array of events", "error", err)
		http.Error(w, "body is not a JSON array of webhook events", http.StatusBadRequest)
		return
	}

	d.webhookResult(webhookAccepted)
	for _, s := range matched {
		if n := relevantEvents(events, s.c.PortalID); n > 0 {
			s.log.Debug("webhook starts a sync cycle", "events", len(events), "relevant_events", n)
			s.trigger(TriggerWebhook)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// verifyWebhook returns the schedulers whose app secret signed the
// request. When none did, it returns the last verification error, or nil
// when no connection has a secret.
func (d *Daemon) verifyWebhook(r *http.Request, body []byte) ([]*scheduler, error) {
	now := d.cfg.Clock.Now()
	var matched []*scheduler
	var lastErr error
	for _, name := range d.order {
		s := d.schedulers[name]
		if s.c.WebhookSecret == "" {
			continue
		}
		err := hubspot.VerifyRequest(r, body, s.c.WebhookSecret, d.cfg.WebhookURL, now)
		if err != nil {
			lastErr = err
			continue
		}
		matched = append(matched, s)
	}
	return matched, lastErr
}

// relevantEvents counts the events of portalID (any portal when empty)
// that a person or another integration caused. koppel's own writes come
// back as events with changeSource INTEGRATION or API and the app's id as
// sourceId. They need no cycle, because the engine already stored them.
func relevantEvents(events []hubspot.WebhookEvent, portalID string) int {
	n := 0
	for _, ev := range events {
		if portalID != "" && strconv.FormatInt(ev.PortalID, 10) != portalID {
			continue
		}
		if ev.FromApp(ev.AppID) {
			continue
		}
		n++
	}
	return n
}

func (d *Daemon) webhookResult(result string) {
	if d.cfg.Metrics != nil {
		d.cfg.Metrics.ObserveWebhook(result)
	}
}

// logRejected logs a rejected webhook at WARN, at most once per
// ErrorLogInterval for each message, so a sender that keeps failing
// cannot flood the log. The repeats in between go to DEBUG and are
// counted on the next WARN line.
func (d *Daemon) logRejected(r *http.Request, msg string, attrs ...any) {
	attrs = append([]any{"remote_addr", r.RemoteAddr}, attrs...)

	d.rejectMu.Lock()
	l, ok := d.rejectLogs[msg]
	if !ok {
		l = &errorLog{interval: d.cfg.ErrorLogInterval}
		d.rejectLogs[msg] = l
	}
	log, repeats := l.note(msg, d.cfg.Clock.Now())
	d.rejectMu.Unlock()

	if !log {
		d.log.Debug(msg, attrs...)
		return
	}
	if repeats > 0 {
		attrs = append(attrs, "repeats_not_logged", repeats)
	}
	d.log.Warn(msg, attrs...)
}
