package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/generate"
)

// newJWTKey returns an RSA key as PKCS#8 PEM and a self-signed certificate
// for it, as an admin makes them with openssl for the JWT bearer flow.
func newJWTKey(t *testing.T) (keyPEM, certPEM []byte) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "koppel"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestConnectSalesforceJWT(t *testing.T) {
	f := setupConnect(t)
	ds, err := generate.Generate(generate.Options{People: 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, certPEM := newJWTKey(t)
	seed := ds.SalesforceSeed()
	seed.Config.OAuth.JWTCertificatePEM = string(certPEM)
	// The JWT's expiry comes from the real clock, so this emulator uses it too.
	emu, err := sfemu.New(seed, sfemu.Options{Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()

	keyFile := filepath.Join(t.TempDir(), "koppel-jwt.key")
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	otherPEM, _ := newJWTKey(t)
	otherKey := filepath.Join(t.TempDir(), "other.key")
	if err := os.WriteFile(otherKey, otherPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	creds := ds.Credentials()

	cases := []struct {
		name     string
		username string
		key      string
		code     int
		want     string
	}{
		{"valid", creds.SalesforceUsername, keyFile, 0, "Connected to the Salesforce org at " + srv.URL},
		{"unknown user", "nobody@example.com", keyFile, 1, "Salesforce rejected the credentials"},
		{"key the app does not know", creds.SalesforceUsername, otherKey, 1, "Salesforce rejected the credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := f.koppel("connect", "salesforce", "--client-id", creds.SalesforceClientID,
				"--username", tc.username, "--key-file", tc.key, "--login-url", srv.URL)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errOut)
			}
			if !strings.Contains(out+errOut, tc.want) {
				t.Errorf("output lacks %q:\n%s%s", tc.want, out, errOut)
			}
		})
	}
	assertNoSecrets(t, f.dir, string(keyPEM[40:120]))
}
