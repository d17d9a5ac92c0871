package engine_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/store"
)

// Triggers, timing, budget and errors.

func TestFormSubmissionSyncsWithinOnePoll(t *testing.T) {
	s := setup(t, semanticsOptions{})
	_, leadID := s.linkedLead("f@x.com")

	if _, err := s.HubSpotEmulator.SubmitForm(map[string]string{"email": "f@x.com", "jobtitle": "Inkoper"}); err != nil {
		t.Fatal(err)
	}
	s.Sync(t)
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "Inkoper" {
		t.Errorf("Lead Title = %q one poll after the form submission, want Inkoper", got)
	}
}

func TestFormulaChangeAloneTriggersNothing(t *testing.T) {
	t.Skip("the Salesforce emulator has no formula fields; a formula value never moves SystemModstamp, so koppel cannot see one change")
}

func TestSalesforceEditReachesHubSpotWithinOnePoll(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("e@x.com")

	s.UpdateRecord(t, leadID, map[string]any{"FirstName": "Els"})
	s.Sync(t)
	if got := s.Contact(t, hsID)["firstname"]; got != "Els" {
		t.Errorf("firstname = %q one poll after the Salesforce edit, want Els", got)
	}
}

func TestExhaustedQuotaQueuesChangesWithoutLoss(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("q@x.com")

	if err := s.SalesforceEmulator.SetFaults(sfemu.Faults{QuotaExhausted: true}); err != nil {
		t.Fatal(err)
	}
	s.UpdateContact(t, hsID, map[string]string{"jobtitle": "Eerst"})
	s.Clock.Advance(time.Minute)
	s.UpdateContact(t, hsID, map[string]string{"jobtitle": "Daarna"})
	s.Clock.Advance(time.Minute)
	res, err := s.Engine.SyncOnce(context.Background())
	if err == nil && res.Status == store.RunSucceeded {
		t.Errorf("cycle with an exhausted quota succeeded: %+v", res)
	}
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "" {
		t.Errorf("Lead Title = %q while the quota is exhausted, want unchanged", got)
	}

	if err := s.SalesforceEmulator.SetFaults(sfemu.Faults{}); err != nil {
		t.Fatal(err)
	}
	s.SyncUntilQuiet(t, 3)
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "Daarna" {
		t.Errorf("Lead Title = %q after the quota freed, want the last value Daarna", got)
	}
}

func TestValidationRuleErrorClearsAfterFix(t *testing.T) {
	seed := &sfemu.Seed{Config: sfemu.Config{ValidationRules: []sfemu.ValidationRule{{
		Object: "Lead", Name: "NoTest", Field: "Title", Operator: "equals", Value: "Test", Message: "Title may not be Test", ErrorField: "Title",
	}}}}
	s := setup(t, semanticsOptions{sfSeed: seed})
	hsID, leadID := s.linkedLead("v@x.com")

	s.UpdateContact(t, hsID, map[string]string{"jobtitle": "Test"})
	s.Sync(t)
	var found *store.SyncError
	for _, e := range s.OpenErrors(t) {
		if e.RecordID == leadID {
			found = &e
		}
	}
	if found == nil || found.Category != store.ErrorCustomCode {
		t.Fatalf("error of the Lead = %+v, want category custom_code", found)
	}

	// The admin fixes the value; a resync of the record clears the error.
	s.UpdateContact(t, hsID, map[string]string{"jobtitle": "Tester"})
	if _, err := s.Engine.Resync(context.Background(), engine.ResyncOptions{Record: hsID}); err != nil {
		t.Fatalf("resync: %v", err)
	}
	for _, e := range s.OpenErrors(t) {
		if e.RecordID == leadID {
			t.Errorf("error still open after the resync: %+v", e)
		}
	}
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "Tester" {
		t.Errorf("Lead Title = %q, want Tester", got)
	}
}

func TestMissingFieldPermissionNamesField(t *testing.T) {
	seed := &sfemu.Seed{Config: sfemu.Config{ReadOnlyFields: []string{"Lead.Title"}}}
	s := setup(t, semanticsOptions{sfSeed: seed})
	hsID, leadID := s.linkedLead("fls@x.com")

	s.UpdateContact(t, hsID, map[string]string{"jobtitle": "Inkoper"})
	s.Sync(t)
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "" {
		t.Errorf("Lead Title = %q, want unchanged", got)
	}
	var found *store.SyncError
	for _, e := range s.OpenErrors(t) {
		if e.RecordID == leadID {
			found = &e
		}
	}
	if found == nil {
		t.Fatal("no open error for the Lead")
	}
	if found.Category != store.ErrorPermissions {
		t.Errorf("error category = %s, want %s", found.Category, store.ErrorPermissions)
	}
	if found.Code != "INVALID_FIELD_FOR_INSERT_UPDATE" {
		t.Errorf("error code = %s, want INVALID_FIELD_FOR_INSERT_UPDATE", found.Code)
	}
	if len(found.Fields) != 1 || found.Fields[0] != "Title" {
		t.Errorf("error fields = %v, want [Title]", found.Fields)
	}
}

func TestDuplicateRuleBlocksNewLead(t *testing.T) {
	seed := &sfemu.Seed{Config: sfemu.Config{
		DuplicateRules:      map[string]bool{"Lead": true},
		DuplicateRuleFields: map[string][]string{"Lead": {"FirstName", "LastName", "Company"}},
	}}
	s := setup(t, semanticsOptions{sfSeed: seed})
	s.CreateRecord(t, "Lead", map[string]any{"FirstName": "Anna", "LastName": "Jansen", "Company": "Acme", "Email": "anna@acme.nl"})
	s.SyncUntilQuiet(t, 3)

	hsID := s.CreateContact(t, map[string]string{"email": "a.jansen@acme.nl", "firstname": "Anna", "lastname": "Jansen", "company": "Acme"})
	s.Sync(t)
	if n := len(s.RecordsByEmail(t, "Lead", "a.jansen@acme.nl")); n != 0 {
		t.Errorf("%d Leads with the new email, want none", n)
	}
	var found *store.SyncError
	for _, e := range s.OpenErrors(t) {
		if e.RecordID == hsID {
			found = &e
		}
	}
	if found == nil {
		t.Fatalf("no open error for the HubSpot contact; open errors: %+v", s.OpenErrors(t))
	}
	if found.Category != store.ErrorDuplicates {
		t.Errorf("error category = %s, want %s", found.Category, store.ErrorDuplicates)
	}
	if found.Code != "DUPLICATES_DETECTED" {
		t.Errorf("error code = %s, want DUPLICATES_DETECTED", found.Code)
	}
}

func TestNewLeadWithEmailOfLinkedContactDoesNotRelink(t *testing.T) {
	s := setup(t, semanticsOptions{})
	hsID, leadID := s.linkedLead("in@x.com")

	other := s.CreateRecord(t, "Lead", map[string]any{"Email": "in@x.com", "LastName": "Ander", "Company": "Acme"})
	s.SyncUntilQuiet(t, 3)
	if l := s.linkOf(hsID); l.SalesforceID != leadID {
		t.Errorf("link moved to %s, want it kept on %s", l.SalesforceID, leadID)
	}
	if s.Link(t, other) != nil {
		t.Error("the new Lead was linked although its email belongs to a linked contact")
	}
	if n := len(s.ContactsByEmail(t, "in@x.com")); n != 1 {
		t.Errorf("%d HubSpot contacts with the email, want one", n)
	}
}

// Two HubSpot portals on one Salesforce org.

func TestSecondPortalCopiesLeadCreatedByFirst(t *testing.T) {
	s := setup(t, semanticsOptions{})
	ctx := context.Background()

	hs, err := hsemu.New(nil, hsemu.Options{Now: s.Clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hs.Close)
	srv := httptest.NewServer(hs.Handler())
	t.Cleanup(srv.Close)
	client, err := hubspot.New(hubspot.Config{BaseURL: srv.URL, AccessToken: "portal-b", Now: s.Clock.Now,
		RetryBaseDelay: time.Millisecond, RateLimit: hubspot.RateLimitConfig{Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.EnsureKoppelProperties(ctx); err != nil {
		t.Fatal(err)
	}
	conn, err := s.Store.CreateConnection(ctx, store.Connection{Name: "portal-b"})
	if err != nil {
		t.Fatal(err)
	}
	ms, _, err := engine.LoadMetadata(ctx, client, s.Salesforce, s.Mappings)
	if err != nil {
		t.Fatal(err)
	}
	portalB, err := engine.New(engine.Config{ConnectionID: conn.ID, Settings: s.Settings, Mappings: ms,
		HubSpot: &engine.HubSpotClient{Client: client}, Salesforce: &engine.SalesforceClient{Client: s.Salesforce},
		Store: s.Store, Now: s.Clock.Now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}

	s.CreateContact(t, map[string]string{"email": "a@portal.nl", "lastname": "Aaa"})
	s.SyncUntilQuiet(t, 3)
	if n := len(s.RecordsByEmail(t, "Lead", "a@portal.nl")); n != 1 {
		t.Fatalf("%d Leads created by portal A, want one", n)
	}

	s.Clock.Advance(time.Minute)
	if _, err := portalB.SyncOnce(ctx); err != nil {
		t.Fatalf("sync portal B: %v", err)
	}
	if n := hs.Count("contacts", false); n != 1 {
		t.Errorf("portal B has %d contacts, want the copy of portal A's Lead; choose do_nothing in B to avoid it", n)
	}
}
