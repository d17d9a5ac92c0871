package hubspot_test

import (
	"testing"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

func TestAccountDetails(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, _ *hubspot.Config) { s.Config.PortalID = 4123456 })
	got, err := e.client.AccountDetails(e.ctx)
	if err != nil {
		t.Fatalf("account details: %v", err)
	}
	if got.PortalID != 4123456 {
		t.Errorf("PortalID = %d, want 4123456", got.PortalID)
	}
	if got.TimeZone == "" {
		t.Error("TimeZone is empty")
	}
	if got.CompanyCurrency == "" {
		t.Error("CompanyCurrency is empty")
	}
	if got.UIDomain != "app-eu1.hubspot.com" || got.DataHostingLocation != "eu1" {
		t.Errorf("UIDomain, DataHostingLocation = %q, %q, want app-eu1.hubspot.com, eu1", got.UIDomain, got.DataHostingLocation)
	}
}
