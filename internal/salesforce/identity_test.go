package salesforce_test

import (
	"testing"

	"github.com/koppel-sync/koppel/internal/salesforce"
)

func TestIdentityReturnsOrgAndUser(t *testing.T) {
	e := setup(t, nil)
	id, err := e.client.Identity(e.ctx)
	if err != nil {
		t.Fatalf("identity: %v", err)
	}
	if id.OrgID != e.emu.OrgID() {
		t.Errorf("OrgID = %q, want %q", id.OrgID, e.emu.OrgID())
	}
	if id.UserID != e.emu.UserID() {
		t.Errorf("UserID = %q, want %q", id.UserID, e.emu.UserID())
	}
	if id.Username != testUsername {
		t.Errorf("Username = %q, want %q", id.Username, testUsername)
	}
	wantURL := e.srv.URL + "/id/" + e.emu.OrgID() + "/" + e.emu.UserID()
	if id.URL != wantURL {
		t.Errorf("URL = %q, want %q", id.URL, wantURL)
	}
}

func TestIdentityWithAccessToken(t *testing.T) {
	e := setup(t, nil)
	c, err := salesforce.New(salesforce.Config{
		Auth:        salesforce.AuthAccessToken,
		AccessToken: e.emu.IssueAccessToken(),
		InstanceURL: e.srv.URL,
		HTTPClient:  e.srv.Client(),
	})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	id, err := c.Identity(e.ctx)
	if err != nil {
		t.Fatalf("identity: %v", err)
	}
	if id.OrgID != e.emu.OrgID() {
		t.Errorf("OrgID = %q, want %q", id.OrgID, e.emu.OrgID())
	}
	if id.UserID != e.emu.UserID() {
		t.Errorf("UserID = %q, want %q", id.UserID, e.emu.UserID())
	}
}

func TestIdentityAfterExpiredSession(t *testing.T) {
	e := setup(t, nil)
	if _, err := e.client.Identity(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.emu.ExpireSessions()

	// The version root returns INVALID_SESSION_ID, so the client logs in
	// again before it reads the identity URL.
	id, err := e.client.Identity(e.ctx)
	if err != nil {
		t.Fatalf("identity after expired session: %v", err)
	}
	if id.OrgID != e.emu.OrgID() {
		t.Errorf("OrgID = %q, want %q", id.OrgID, e.emu.OrgID())
	}
}
