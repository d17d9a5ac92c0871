package salesforce_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// clock is an injectable clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a running emulator and a client logged in to it.
type env struct {
	emu    *sfemu.Emulator
	srv    *httptest.Server
	client *salesforce.Client
	clock  *clock
	ctx    context.Context
}

const (
	testClientID     = "3MVG9-koppel-test"
	testClientSecret = "test-secret-not-real"
	testUsername     = "sync@koppel.example"
)

// baseSeed returns a seed with one user, an external ID field and the
// OAuth client used by the tests.
func baseSeed() *sfemu.Seed {
	return &sfemu.Seed{
		Config: sfemu.Config{
			OAuth: sfemu.OAuthConfig{ClientID: testClientID, ClientSecret: testClientSecret, Username: testUsername},
			CustomFields: []sfemu.CustomField{
				{Object: "Contact", Name: "Sync_Id__c", Type: "string", Length: 40, ExternalID: true, Unique: true},
				{Object: "Lead", Name: "Legacy_Id__c", Type: "string", Length: 40, ExternalID: true},
			},
		},
		Records: map[string][]map[string]any{
			"User": {{"Username": testUsername, "LastName": "Sync", "Email": testUsername}},
		},
	}
}

// setup starts an emulator over httptest and a client using client
// credentials. Pass a modified seed or nil for baseSeed.
func setup(t *testing.T, seed *sfemu.Seed, mutate ...func(*salesforce.Config)) *env {
	t.Helper()
	if seed == nil {
		seed = baseSeed()
	}
	// The clock starts at the real time, because the JWT bearer flow signs
	// assertions with the real clock.
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	emu, err := sfemu.New(seed, sfemu.Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)

	cfg := salesforce.Config{
		LoginURL:     srv.URL,
		Auth:         salesforce.AuthClientCredentials,
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		HTTPClient:   srv.Client(),
		Timeout:      5 * time.Second,
		Now:          clk.Now,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := salesforce.New(cfg)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return &env{emu: emu, srv: srv, client: c, clock: clk, ctx: ctx}
}

// newKeyPair returns an RSA private key and a self-signed certificate
// for it, both PEM, made at test time.
func newKeyPair(t *testing.T) (keyPEM []byte, certPEM string) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "koppel test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	return keyPEM, certPEM
}

func mustCreate(t *testing.T, e *env, object string, fields map[string]any) string {
	t.Helper()
	id, err := e.client.Create(e.ctx, object, fields)
	if err != nil {
		t.Fatalf("create %s: %v", object, err)
	}
	return id
}
