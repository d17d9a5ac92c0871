package hubspot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxSignatureAge is the maximum age of X-HubSpot-Request-Timestamp.
const MaxSignatureAge = 5 * time.Minute

// ErrBadSignature is returned (wrapped) when a webhook signature does not
// match.
var ErrBadSignature = errors.New("webhook signature does not match")

// SignatureV3 computes X-HubSpot-Signature-v3: base64 of HMAC-SHA256, keyed
// with the app's client secret, over method + URI + body + timestamp.
func SignatureV3(secret, method, uri string, body []byte, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(method + uri))
	mac.Write(body)
	mac.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignatureV2 computes the v2 X-HubSpot-Signature: hex SHA-256 of secret +
// method + URI + body.
func SignatureV2(secret, method, uri string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret + method + uri))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// SignatureV1 computes the v1 X-HubSpot-Signature: hex SHA-256 of secret +
// body.
func SignatureV1(secret string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// uriDecoder undoes the percent-encodings HubSpot's request-validation
// guide lists before the URI is signed.
var uriDecoder = strings.NewReplacer(
	"%3A", ":", "%2F", "/", "%3F", "?", "%40", "@", "%21", "!", "%24", "$", "%27", "'",
	"%28", "(", "%29", ")", "%2A", "*", "%2C", ",", "%3B", ";",
)

// VerifyV3 checks a v3 signature and the timestamp window. uri is the full
// URL HubSpot called (scheme, host, path and query).
func VerifyV3(secret, method, uri string, body []byte, timestamp, signature string, now time.Time) error {
	ms, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("invalid X-HubSpot-Request-Timestamp %q: %w", timestamp, err)
	}
	age := now.Sub(time.UnixMilli(ms))
	if age > MaxSignatureAge {
		return fmt.Errorf("webhook timestamp is %s old, more than the %s allowed", age.Round(time.Second), MaxSignatureAge)
	}
	want := SignatureV3(secret, method, uriDecoder.Replace(uri), body, timestamp)
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return ErrBadSignature
	}
	return nil
}

// VerifyV2 checks a v2 signature. v2 has no timestamp, so replays cannot
// be detected.
func VerifyV2(secret, method, uri string, body []byte, signature string) error {
	if !hmac.Equal([]byte(SignatureV2(secret, method, uri, body)), []byte(strings.ToLower(signature))) {
		return ErrBadSignature
	}
	return nil
}

// VerifyV1 checks a v1 signature, which covers only the body.
func VerifyV1(secret string, body []byte, signature string) error {
	if !hmac.Equal([]byte(SignatureV1(secret, body)), []byte(strings.ToLower(signature))) {
		return ErrBadSignature
	}
	return nil
}

// VerifyRequest checks the signature of a webhook request whose body was
// already read. publicURL is the URL HubSpot posted to (as configured in
// the app), because a proxy may change the host in the request; empty
// uses the request's own URL. v3 is preferred; v1 and v2 are accepted only
// when no v3 header is present.
func VerifyRequest(r *http.Request, body []byte, secret, publicURL string, now time.Time) error {
	if secret == "" {
		return errors.New("verify webhook: missing client secret")
	}
	uri := publicURL
	if uri == "" {
		scheme := "https"
		if r.TLS == nil {
			scheme = "http"
		}
		uri = scheme + "://" + r.Host + r.URL.RequestURI()
	}
	if sig := r.Header.Get("X-HubSpot-Signature-v3"); sig != "" {
		return VerifyV3(secret, r.Method, uri, body, r.Header.Get("X-HubSpot-Request-Timestamp"), sig, now)
	}
	sig := r.Header.Get("X-HubSpot-Signature")
	if sig == "" {
		return errors.New("verify webhook: no X-HubSpot-Signature-v3 or X-HubSpot-Signature header")
	}
	switch r.Header.Get("X-HubSpot-Signature-Version") {
	case "v2":
		return VerifyV2(secret, r.Method, uri, body, sig)
	case "v1", "":
		return VerifyV1(secret, body, sig)
	}
	return fmt.Errorf("verify webhook: unknown X-HubSpot-Signature-Version %q", r.Header.Get("X-HubSpot-Signature-Version"))
}

// WebhookEvent is one event of a webhook batch.
type WebhookEvent struct {
	EventID              int64   `json:"eventId"`
	SubscriptionID       int64   `json:"subscriptionId"`
	PortalID             int64   `json:"portalId"`
	AppID                int64   `json:"appId"`
	OccurredAt           int64   `json:"occurredAt"` // epoch ms
	SubscriptionType     string  `json:"subscriptionType"`
	AttemptNumber        int     `json:"attemptNumber"`
	ObjectID             int64   `json:"objectId"`
	PropertyName         string  `json:"propertyName,omitempty"`
	PropertyValue        *string `json:"propertyValue,omitempty"`
	ChangeSource         string  `json:"changeSource,omitempty"`
	SourceID             string  `json:"sourceId,omitempty"`
	PrimaryObjectID      int64   `json:"primaryObjectId,omitempty"`
	MergedObjectIDs      []int64 `json:"mergedObjectIds,omitempty"`
	NewObjectID          int64   `json:"newObjectId,omitempty"`
	FromObjectID         int64   `json:"fromObjectId,omitempty"`
	ToObjectID           int64   `json:"toObjectId,omitempty"`
	AssociationType      string  `json:"associationType,omitempty"`
	AssociationRemoved   bool    `json:"associationRemoved,omitempty"`
	IsPrimaryAssociation bool    `json:"isPrimaryAssociation,omitempty"`
}

// FromApp reports whether the change was made through the API by appID,
// so the engine can drop echoes of its own writes.
func (e WebhookEvent) FromApp(appID int64) bool {
	return (e.ChangeSource == "INTEGRATION" || e.ChangeSource == "API") && e.SourceID == strconv.FormatInt(appID, 10)
}
