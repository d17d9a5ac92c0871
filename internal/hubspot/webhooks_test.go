package hubspot_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
)

// HubSpot's published test vectors (hubspot-api-python,
// tests/spec/utils/test_signature.py).
const (
	vectorSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
	vectorBody   = "{'example_field':'example_value'}"
	vectorURI    = "https://www.example.com/webhook_uri"
	vectorTS     = "1693657560000"
	vectorV1     = "69fc6631a867edd4f9e9e627fc5c1148e3fbdd8b21837b6d2b8901c1fa57f750"
	vectorV2     = "4fe4e3a7d3cf09db53be39d0a58130e2aaba074ec123a9e355b876a689a1c383"
	vectorV3     = "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y="
)

func TestSignatureVectors(t *testing.T) {
	body := []byte(vectorBody)
	if got := hubspot.SignatureV1(vectorSecret, body); got != vectorV1 {
		t.Errorf("v1 = %s, want %s", got, vectorV1)
	}
	if got := hubspot.SignatureV2(vectorSecret, "POST", vectorURI, body); got != vectorV2 {
		t.Errorf("v2 = %s, want %s", got, vectorV2)
	}
	if got := hubspot.SignatureV3(vectorSecret, "POST", vectorURI, body, vectorTS); got != vectorV3 {
		t.Errorf("v3 = %s, want %s", got, vectorV3)
	}
}

func TestVerifyV3(t *testing.T) {
	signedAt := time.UnixMilli(1693657560000)
	cases := []struct {
		name    string
		secret  string
		uri     string
		body    string
		sig     string
		now     time.Time
		wantErr bool
	}{
		{"valid", vectorSecret, vectorURI, vectorBody, vectorV3, signedAt.Add(time.Minute), false},
		{"valid with encoded URI", vectorSecret, "https%3A%2F%2Fwww.example.com%2Fwebhook_uri", vectorBody, vectorV3, signedAt, false},
		{"too old", vectorSecret, vectorURI, vectorBody, vectorV3, signedAt.Add(6 * time.Minute), true},
		{"wrong secret", "other", vectorURI, vectorBody, vectorV3, signedAt, true},
		{"changed body", vectorSecret, vectorURI, vectorBody + " ", vectorV3, signedAt, true},
		{"changed URI", vectorSecret, vectorURI + "?x=1", vectorBody, vectorV3, signedAt, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := hubspot.VerifyV3(tc.secret, "POST", tc.uri, []byte(tc.body), vectorTS, tc.sig, tc.now)
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want error %v", err, tc.wantErr)
			}
		})
	}
}

func TestVerifyRequestVersions(t *testing.T) {
	body := []byte(vectorBody)
	now := time.UnixMilli(1693657560000).Add(time.Second)

	v3 := httptest.NewRequest("POST", "https://www.example.com/webhook_uri", strings.NewReader(vectorBody))
	v3.Header.Set("X-HubSpot-Signature-v3", vectorV3)
	v3.Header.Set("X-HubSpot-Request-Timestamp", vectorTS)
	if err := hubspot.VerifyRequest(v3, body, vectorSecret, vectorURI, now); err != nil {
		t.Errorf("v3 request: %v", err)
	}

	v2 := httptest.NewRequest("POST", "https://www.example.com/webhook_uri", strings.NewReader(vectorBody))
	v2.Header.Set("X-HubSpot-Signature", vectorV2)
	v2.Header.Set("X-HubSpot-Signature-Version", "v2")
	if err := hubspot.VerifyRequest(v2, body, vectorSecret, vectorURI, now); err != nil {
		t.Errorf("v2 request: %v", err)
	}

	v1 := httptest.NewRequest("POST", "https://www.example.com/webhook_uri", strings.NewReader(vectorBody))
	v1.Header.Set("X-HubSpot-Signature", vectorV1)
	v1.Header.Set("X-HubSpot-Signature-Version", "v1")
	if err := hubspot.VerifyRequest(v1, body, vectorSecret, "", now); err != nil {
		t.Errorf("v1 request: %v", err)
	}

	unsigned := httptest.NewRequest("POST", "https://www.example.com/webhook_uri", strings.NewReader(vectorBody))
	if err := hubspot.VerifyRequest(unsigned, body, vectorSecret, vectorURI, now); err == nil {
		t.Error("unsigned request accepted")
	}

	forged := httptest.NewRequest("POST", "https://www.example.com/webhook_uri", strings.NewReader(vectorBody))
	forged.Header.Set("X-HubSpot-Signature-v3", vectorV3)
	forged.Header.Set("X-HubSpot-Request-Timestamp", "1693657560001")
	if err := hubspot.VerifyRequest(forged, body, vectorSecret, vectorURI, now); !errors.Is(err, hubspot.ErrBadSignature) {
		t.Errorf("changed timestamp: err = %v, want ErrBadSignature", err)
	}
}

func TestWebhookEventFromApp(t *testing.T) {
	cases := []struct {
		name string
		ev   hubspot.WebhookEvent
		want bool
	}{
		{"own integration", hubspot.WebhookEvent{ChangeSource: "INTEGRATION", SourceID: "3000001"}, true},
		{"other app", hubspot.WebhookEvent{ChangeSource: "INTEGRATION", SourceID: "42"}, false},
		{"user", hubspot.WebhookEvent{ChangeSource: "CRM_UI", SourceID: "userId:9"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ev.FromApp(3000001); got != tc.want {
				t.Errorf("FromApp = %v, want %v", got, tc.want)
			}
		})
	}
}
