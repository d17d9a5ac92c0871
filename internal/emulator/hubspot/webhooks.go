package hubspot

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// WebhookEvent is one event in a webhook batch, in HubSpot's field names.
type WebhookEvent struct {
	EventID          int64   `json:"eventId"`
	SubscriptionID   int64   `json:"subscriptionId"`
	PortalID         int64   `json:"portalId"`
	AppID            int64   `json:"appId"`
	OccurredAt       int64   `json:"occurredAt"`
	SubscriptionType string  `json:"subscriptionType"`
	AttemptNumber    int     `json:"attemptNumber"`
	ObjectID         int64   `json:"objectId,omitempty"`
	PropertyName     string  `json:"propertyName,omitempty"`
	PropertyValue    *string `json:"propertyValue,omitempty"`
	ChangeFlag       string  `json:"changeFlag,omitempty"`
	ChangeSource     string  `json:"changeSource,omitempty"`
	SourceID         string  `json:"sourceId,omitempty"`

	// Merge events.
	PrimaryObjectID         int64   `json:"primaryObjectId,omitempty"`
	MergedObjectIDs         []int64 `json:"mergedObjectIds,omitempty"`
	NewObjectID             int64   `json:"newObjectId,omitempty"`
	NumberOfPropertiesMoved *int    `json:"numberOfPropertiesMoved,omitempty"`

	// Association change events.
	FromObjectID         int64  `json:"fromObjectId,omitempty"`
	ToObjectID           int64  `json:"toObjectId,omitempty"`
	AssociationType      string `json:"associationType,omitempty"`
	AssociationRemoved   *bool  `json:"associationRemoved,omitempty"`
	IsPrimaryAssociation *bool  `json:"isPrimaryAssociation,omitempty"`
}

type propertyChange struct{ name, value string }

// WebhookStats counts webhook deliveries.
type WebhookStats struct {
	Delivered int64 `json:"delivered"` // events acknowledged with 2xx
	Attempts  int64 `json:"attempts"`  // POST requests made
	Failed    int64 `json:"failed"`    // events dropped after the last attempt
	Pending   int   `json:"pending"`   // events waiting to be sent
}

func (e *Emulator) subscribed(eventType, property string) (int64, bool) {
	if e.cfg.Webhook.TargetURL == "" || e.webhooks == nil {
		return 0, false
	}
	if len(e.cfg.Webhook.Subscriptions) == 0 {
		return 1000001, true
	}
	for _, s := range e.cfg.Webhook.Subscriptions {
		if s.EventType == eventType && (s.PropertyName == "" || s.PropertyName == property) {
			return s.ID, true
		}
	}
	return 0, false
}

func (e *Emulator) newEvent(eventType string, subID int64, src source) WebhookEvent {
	e.eventSeq++
	ev := WebhookEvent{
		EventID: e.eventSeq, SubscriptionID: subID, PortalID: e.cfg.PortalID, AppID: e.cfg.AppID,
		OccurredAt: e.clock().UnixMilli(), SubscriptionType: eventType, ChangeSource: src.sourceType, SourceID: src.sourceID,
	}
	return ev
}

func (e *Emulator) emitObject(s *objectStore, kind string, r *record, src source, pc *propertyChange) {
	eventType := s.singular() + "." + kind
	prop := ""
	if pc != nil {
		prop = pc.name
	}
	sub, ok := e.subscribed(eventType, prop)
	if !ok {
		return
	}
	ev := e.newEvent(eventType, sub, src)
	ev.ObjectID = r.id
	if pc != nil {
		v := pc.value
		ev.PropertyName, ev.PropertyValue = pc.name, &v
	}
	switch kind {
	case "creation":
		ev.ChangeFlag = "CREATED"
	case "deletion":
		ev.ChangeFlag = "DELETED"
	case "restore":
		ev.ChangeFlag = "RESTORED"
	}
	e.webhooks.enqueue(ev)
}

func (e *Emulator) emitMerge(s *objectStore, p, m *record, moved int, src source) {
	eventType := s.singular() + ".merge"
	sub, ok := e.subscribed(eventType, "")
	if !ok {
		return
	}
	ev := e.newEvent(eventType, sub, src)
	ev.ObjectID, ev.PrimaryObjectID, ev.NewObjectID = p.id, p.id, p.id
	ev.MergedObjectIDs = []int64{m.id}
	ev.NumberOfPropertiesMoved = &moved
	e.webhooks.enqueue(ev)
}

func (e *Emulator) emitAssociation(contact, company int64, removed, primary bool, src source) {
	for _, side := range []struct {
		eventType, assocType string
		from, to             int64
	}{
		{"contact.associationChange", "CONTACT_TO_COMPANY", contact, company},
		{"company.associationChange", "COMPANY_TO_CONTACT", company, contact},
	} {
		sub, ok := e.subscribed(side.eventType, "")
		if !ok {
			continue
		}
		ev := e.newEvent(side.eventType, sub, src)
		ev.FromObjectID, ev.ToObjectID, ev.AssociationType = side.from, side.to, side.assocType
		rm, pr := removed, primary
		ev.AssociationRemoved, ev.IsPrimaryAssociation = &rm, &pr
		e.webhooks.enqueue(ev)
	}
}

// webhookSender batches events and posts them, signed, to the target URL.
type webhookSender struct {
	e      *Emulator
	client *http.Client

	mu      sync.Mutex
	queue   []WebhookEvent
	wake    chan struct{}
	stats   WebhookStats
	cancel  context.CancelFunc
	done    chan struct{}
	started bool
}

func newWebhookSender(e *Emulator, client *http.Client) *webhookSender {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &webhookSender{e: e, client: client, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

func (w *webhookSender) enqueue(ev WebhookEvent) {
	w.mu.Lock()
	w.queue = append(w.queue, ev)
	if !w.started {
		w.started = true
		ctx, cancel := context.WithCancel(context.Background())
		w.cancel = cancel
		go w.run(ctx)
	}
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *webhookSender) stop() {
	w.mu.Lock()
	started := w.started
	if started {
		w.cancel()
	}
	w.mu.Unlock()
	if started {
		<-w.done
	}
}

func (w *webhookSender) snapshot() WebhookStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.stats
	s.Pending = len(w.queue)
	return s
}

func (w *webhookSender) run(ctx context.Context) {
	defer close(w.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		}

		w.e.mu.Lock()
		cfg := w.e.cfg.Webhook
		secret := w.e.cfg.ClientSecret
		w.e.mu.Unlock()

		// Gather events for a short window so bursts go out in batches.
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(cfg.BatchWindow)):
		}

		for {
			w.mu.Lock()
			n := min(len(w.queue), cfg.MaxBatch)
			batch := append([]WebhookEvent(nil), w.queue[:n]...)
			w.queue = w.queue[n:]
			w.mu.Unlock()
			if n == 0 {
				break
			}
			w.deliver(ctx, cfg, secret, batch)
		}
	}
}

func (w *webhookSender) deliver(ctx context.Context, cfg WebhookConfig, secret string, batch []WebhookEvent) {
	backoff := time.Duration(cfg.RetryBackoff)
	for attempt := 0; attempt < cfg.MaxAttempts; attempt++ {
		for i := range batch {
			batch[i].AttemptNumber = attempt
		}
		err := w.post(ctx, cfg.TargetURL, secret, batch)
		if err == nil {
			w.mu.Lock()
			w.stats.Delivered += int64(len(batch))
			w.mu.Unlock()
			return
		}
		w.e.log.Warn("webhook post failed; retrying", "error", err, "attempt", attempt, "events", len(batch), "wait", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, time.Minute)
	}
	w.mu.Lock()
	w.stats.Failed += int64(len(batch))
	w.mu.Unlock()
	w.e.log.Warn("webhook batch dropped after retries", "events", len(batch), "attempts", cfg.MaxAttempts)
}

func (w *webhookSender) post(ctx context.Context, target, secret string, batch []WebhookEvent) error {
	body, _ := json.Marshal(batch)
	ts := strconv.FormatInt(time.Now().UnixMilli(), 10)

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nonprod)")
	req.Header.Set("X-HubSpot-Request-Timestamp", ts)
	req.Header.Set("X-HubSpot-Signature-v3", SignV3(secret, http.MethodPost, target, body, ts))
	req.Header.Set("X-HubSpot-Signature", SignV1(secret, body))
	req.Header.Set("X-HubSpot-Signature-Version", "v1")

	w.mu.Lock()
	w.stats.Attempts++
	w.mu.Unlock()
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return fmt.Errorf("target returned %s", resp.Status)
	}
	return nil
}

// SignV3 computes X-HubSpot-Signature-v3: base64 of HMAC-SHA256 over
// method, URI, body and timestamp, keyed with the client secret.
func SignV3(secret, method, uri string, body []byte, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(method + uri))
	mac.Write(body)
	mac.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignV1 computes the v1 X-HubSpot-Signature: hex SHA-256 of secret + body.
func SignV1(secret string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// SignV2 computes the v2 X-HubSpot-Signature: hex SHA-256 of secret +
// method + URI + body.
func SignV2(secret, method, uri string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret + method + uri))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// WebhookStats returns the delivery counters.
func (e *Emulator) WebhookStats() WebhookStats { return e.webhooks.snapshot() }
