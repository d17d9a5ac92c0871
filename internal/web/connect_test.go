package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/store"
)

func TestConnectPageHiddenWithoutCallback(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	f.signIn(c)
	body := f.get(c, "/connections", http.StatusOK)
	if strings.Contains(body, `id="connect-hubspot"`) {
		t.Error("the connect button shows although koppel serve gave no Connect function")
	}
	if !strings.Contains(body, "koppel connect salesforce") {
		t.Error("the page does not point to koppel connect")
	}
	f.get(c, "/connections/connect", http.StatusNotFound)
}

func TestConnectFromPage(t *testing.T) {
	var got []ConnectRequest
	const token = "pat-eu1-6f1c0e9a-secret"
	f := setup(t, setupOptions{Connect: func(_ context.Context, req ConnectRequest) error {
		got = append(got, req)
		if req.HubSpot != nil && req.HubSpot.AccessToken != token {
			return errors.New("HubSpot rejected the token (401)")
		}
		return nil
	}})
	c := f.client()
	csrf := f.signIn(c)

	body := f.get(c, "/connections", http.StatusOK)
	if !strings.Contains(body, `id="connect-hubspot"`) || !strings.Contains(body, `id="connect-salesforce"`) {
		t.Fatal("the connections page has no connect buttons")
	}
	f.get(c, "/connections/connect?side=salesforce", http.StatusOK)

	cases := []struct {
		name     string
		form     url.Values
		status   int
		contains string
	}{
		{"missing token", url.Values{"side": {"hubspot"}, "connection": {"acme"}}, http.StatusBadRequest, "Enter the access token."},
		{"bad name", url.Values{"side": {"hubspot"}, "connection": {"acme corp"}, "access_token": {token}}, http.StatusBadRequest, "“acme corp” is not a valid connection name"},
		{"bad base URL", url.Values{"side": {"hubspot"}, "connection": {"acme"}, "access_token": {token}, "base_url": {"ftp://x"}}, http.StatusBadRequest, "“ftp://x” is not a web address"},
		{"unknown side", url.Values{"side": {"pipedrive"}, "connection": {"acme"}}, http.StatusBadRequest, "“pipedrive” is not a system"},
		{"salesforce missing secret", url.Values{"side": {"salesforce"}, "connection": {"acme"}, "login_url": {"https://acme.my.salesforce.com"}, "client_id": {"3MVG9"}}, http.StatusBadRequest, "Enter the consumer secret."},
		{"rejected token", url.Values{"side": {"hubspot"}, "connection": {"acme"}, "access_token": {"pat-wrong-secret-value"}}, http.StatusBadGateway, "HubSpot rejected the token"},
		{"stored", url.Values{"side": {"hubspot"}, "connection": {"acme"}, "access_token": {token}}, http.StatusSeeOther, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("csrf_token", csrf)
			resp, err := c.PostForm(f.URL+"/connections/connect", tc.form)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d\n%s", resp.StatusCode, tc.status, truncate(string(b)))
			}
			if !strings.Contains(string(b), tc.contains) {
				t.Errorf("page lacks %q", tc.contains)
			}
			for _, secret := range tc.form["access_token"] {
				if strings.Contains(string(b), secret) {
					t.Errorf("the page shows the secret %q again", secret)
				}
			}
		})
	}

	if n := len(got); n != 2 {
		t.Fatalf("Connect called %d times, want 2 (the rejected and the stored token)", n)
	}
	last := got[1]
	if last.Connection != "acme" || last.Side != store.HubSpot || last.HubSpot == nil || last.HubSpot.AccessToken != token {
		t.Errorf("Connect got %+v", last)
	}
}
