package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// The inclusion list of these tests holds the contacts whose lifecycle
// stage is marketing qualified lead.
const mqlListID = "900"

func mqlList(t *testing.T) hsemu.SeedList {
	t.Helper()
	var fb hsemu.FilterBranch
	err := json.Unmarshal([]byte(`{"filterBranchType":"OR","filterBranchOperator":"OR","filters":[],
	  "filterBranches":[{"filterBranchType":"AND","filterBranchOperator":"AND","filterBranches":[],
	    "filters":[{"filterType":"PROPERTY","property":"lifecyclestage",
	      "operation":{"operationType":"ENUMERATION","operator":"IS_ANY_OF","values":["marketingqualifiedlead"]}}]}]}`), &fb)
	if err != nil {
		t.Fatal(err)
	}
	return hsemu.SeedList{ID: mqlListID, Name: "MQL", ObjectTypeID: "0-1", ProcessingType: "DYNAMIC", FilterBranch: &fb}
}

// semantics is the bundle of a semantics test: the environment and the
// options it was built from.
type semantics struct {
	*enginetest.Env
	t *testing.T
}

type semanticsOptions struct {
	inclusionList bool
	settings      func(*settings.Settings)
	hubspotSeed   *hsemu.Seed
	sfSeed        *sfemu.Seed
}

func setup(t *testing.T, o semanticsOptions) *semantics {
	t.Helper()
	hs := o.hubspotSeed
	if hs == nil {
		hs = &hsemu.Seed{}
	}
	hs.Lists = append(hs.Lists, mqlList(t))
	env := enginetest.Setup(t, enginetest.Options{
		HubSpotSeed: hs, SalesforceSeed: o.sfSeed,
		Settings: func(s *settings.Settings) {
			if o.inclusionList {
				s.InclusionListID = mqlListID
			}
			if o.settings != nil {
				o.settings(s)
			}
		},
	})
	// The first cycle takes the state of the inclusion list as it is when
	// chosen; choosing it sends nothing.
	env.Sync(t)
	return &semantics{Env: env, t: t}
}

func (s *semantics) linkOf(id string) *store.Link {
	s.t.Helper()
	l := s.Link(s.t, id)
	if l == nil {
		s.t.Fatalf("record %s has no link", id)
	}
	return l
}

// onlyContact returns the one HubSpot contact with the email.
func (s *semantics) onlyContact(email string) string {
	s.t.Helper()
	ids := s.ContactsByEmail(s.t, email)
	if len(ids) != 1 {
		s.t.Fatalf("HubSpot contacts with %s = %v, want exactly one", email, ids)
	}
	return ids[0]
}

func (s *semantics) auditHas(linkID int64, reasonCode string) bool {
	s.t.Helper()
	for _, a := range s.Audit(s.t, linkID) {
		if a.ReasonCode == reasonCode {
			return true
		}
	}
	return false
}

// Inclusion list.

func TestInclusionListMustBeActive(t *testing.T) {
	seed := &hsemu.Seed{Lists: []hsemu.SeedList{{ID: "901", Name: "Static", ObjectTypeID: "0-1", ProcessingType: "MANUAL"}}}
	s := setup(t, semanticsOptions{inclusionList: true, hubspotSeed: seed})
	ctx := context.Background()

	if err := s.Engine.CheckInclusionList(ctx, mqlListID); err != nil {
		t.Errorf("active list rejected: %v", err)
	}
	if err := s.Engine.CheckInclusionList(ctx, "901"); !errors.Is(err, engine.ErrListNotDynamic) {
		t.Errorf("static list as inclusion list: error %v, want %v", err, engine.ErrListNotDynamic)
	}

	s.Settings.InclusionListID = "901"
	s.Rebuild(t)
	if _, err := s.Engine.SyncOnce(ctx); !errors.Is(err, engine.ErrListNotDynamic) {
		t.Errorf("cycle with a static inclusion list: error %v, want %v", err, engine.ErrListNotDynamic)
	}
}

func TestNewSalesforceLeadCreatesContactOutsideListButUpdatesWait(t *testing.T) {
	s := setup(t, semanticsOptions{inclusionList: true})
	leadID := s.CreateRecord(t, "Lead", map[string]any{"Email": "b@x.com", "FirstName": "Bea", "LastName": "Bos", "Company": "Acme"})
	s.SyncUntilQuiet(t, 3)

	hsID := s.onlyContact("b@x.com")
	if got := s.Contact(t, hsID)[engine.PropSalesforceLeadID]; got != leadID {
		t.Fatalf("salesforceleadid = %q, want %q", got, leadID)
	}

	s.UpdateRecord(t, leadID, map[string]any{"FirstName": "Bep"})
	s.UpdateContact(t, hsID, map[string]string{"jobtitle": "CMO"})
	s.SyncUntilQuiet(t, 3)
	if got := s.Contact(t, hsID)["firstname"]; got != "Bea" {
		t.Errorf("firstname = %q while outside the list, want Bea unchanged", got)
	}
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "" {
		t.Errorf("Lead Title = %q while outside the list, want blank", got)
	}

	// Entering the list starts a sync that reconciles by the rules.
	s.UpdateContact(t, hsID, map[string]string{"lifecyclestage": "marketingqualifiedlead"})
	s.SyncUntilQuiet(t, 3)
	if got := s.Contact(t, hsID)["firstname"]; got != "Bep" {
		t.Errorf("firstname = %q after entering the list, want Bep", got)
	}
	if got := enginetest.Str(s.Record(t, leadID)["Title"]); got != "CMO" {
		t.Errorf("Lead Title = %q after entering the list, want CMO", got)
	}
}

func TestNewSalesforceLeadLinksExistingContactOutsideList(t *testing.T) {
	s := setup(t, semanticsOptions{inclusionList: true})
	hsID := s.CreateContact(t, map[string]string{"email": "k@x.com", "firstname": "Kees"})
	leadID := s.CreateRecord(t, "Lead", map[string]any{"Email": "k@x.com", "FirstName": "Karel", "LastName": "Kok", "Company": "Acme"})
	s.SyncUntilQuiet(t, 3)

	if l := s.linkOf(leadID); l.HubSpotID != hsID {
		t.Fatalf("Lead linked to %s, want the existing contact %s", l.HubSpotID, hsID)
	}
	if got := s.Contact(t, hsID)["firstname"]; got != "Kees" {
		t.Errorf("firstname = %q, want Kees: no values flow outside the list", got)
	}
}

func TestHubSpotContactOutsideListCreatesNothing(t *testing.T) {
	s := setup(t, semanticsOptions{inclusionList: true})
	s.CreateContact(t, map[string]string{"email": "o@x.com", "lastname": "Oost"})
	s.SyncUntilQuiet(t, 3)
	if n := len(s.RecordsByEmail(t, "Lead", "o@x.com")); n != 0 {
		t.Errorf("%d Leads created for a contact outside the list", n)
	}
}

func TestChoosingListSyncsNothingByItself(t *testing.T) {
	s := setup(t, semanticsOptions{settings: func(st *settings.Settings) { st.CreateSalesforceFromHubSpot = false }})
	s.CreateContact(t, map[string]string{"email": "m@x.com", "lastname": "Mol", "lifecyclestage": "marketingqualifiedlead"})
	s.SyncUntilQuiet(t, 3)
	// A later change moves the cursor past the overlap window, which
	// re-reads the most recent changes.
	s.Clock.Advance(10 * time.Minute)
	s.CreateContact(t, map[string]string{"email": "later@x.com", "lastname": "Later"})
	s.SyncUntilQuiet(t, 3)

	// The admin turns creation on and chooses a list the contact is in.
	s.Settings.CreateSalesforceFromHubSpot = true
	s.Settings.InclusionListID = mqlListID
	s.Rebuild(t)
	s.SyncUntilQuiet(t, 3)
	if n := len(s.RecordsByEmail(t, "Lead", "m@x.com")); n != 0 {
		t.Fatalf("choosing the list created %d Leads, want none until a trigger", n)
	}

	res, err := s.Engine.Resync(context.Background(), engine.ResyncOptions{ListID: mqlListID})
	if err != nil {
		t.Fatalf("resync list: %v", err)
	}
	if res.Counts["created"] != 1 || len(s.RecordsByEmail(t, "Lead", "m@x.com")) != 1 {
		t.Errorf("resync of the list created %d records; want one Lead", res.Counts["created"])
	}
}

// Import and resync.

func TestImportCreatesContactsThenSyncFillsFields(t *testing.T) {
	s := setup(t, semanticsOptions{})
	leadID := s.CreateRecord(t, "Lead", map[string]any{"Email": "a@x.com", "FirstName": "Ann", "LastName": "Aa", "Company": "Acme"})

	res, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{Leads: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	hsID := s.onlyContact("a@x.com")
	props := s.Contact(t, hsID)
	if props["firstname"] != "Ann" || props[engine.PropSalesforceLeadID] != leadID {
		t.Errorf("contact after import = firstname %q, salesforceleadid %q; want Ann and %s", props["firstname"], props[engine.PropSalesforceLeadID], leadID)
	}
	if res.Counts[engine.Lead]["created"] != 1 {
		t.Errorf("import counts = %v, want one created", res.Counts[engine.Lead])
	}
}

func TestImportOutsideListKeepsEmailOnly(t *testing.T) {
	s := setup(t, semanticsOptions{inclusionList: true})
	s.CreateRecord(t, "Lead", map[string]any{"Email": "a@x.com", "FirstName": "Ann", "LastName": "Aa", "Company": "Acme"})
	if _, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{Leads: true}); err != nil {
		t.Fatalf("import: %v", err)
	}
	hsID := s.onlyContact("a@x.com")
	if got := s.Contact(t, hsID)["firstname"]; got != "" {
		t.Errorf("firstname = %q for a contact outside the list, want blank", got)
	}
}

func TestImportCountsRecordsWithoutEmail(t *testing.T) {
	s := setup(t, semanticsOptions{})
	s.CreateRecord(t, "Lead", map[string]any{"LastName": "Leeg", "Company": "Acme"})
	before := s.HubSpotEmulator.Count("contacts", false)

	res, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{Leads: true})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if res.Counts[engine.Lead]["no_email"] != 1 {
		t.Errorf("no_email = %d, want 1", res.Counts[engine.Lead]["no_email"])
	}
	if n := s.HubSpotEmulator.Count("contacts", false); n != before {
		t.Errorf("%d HubSpot contacts created for a Lead without email", n-before)
	}
}

func TestImportLeadAndContactWithOneEmailMakeOneContact(t *testing.T) {
	s := setup(t, semanticsOptions{})
	s.CreateRecord(t, "Lead", map[string]any{"Email": "z@x.com", "LastName": "Zee", "Company": "Acme"})
	contactID := s.CreateRecord(t, "Contact", map[string]any{"Email": "Z@x.com", "LastName": "Zee"})

	if _, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	hsID := s.onlyContact("z@x.com")
	if got := s.Contact(t, hsID)[engine.PropSalesforceContactID]; got != contactID {
		t.Errorf("salesforcecontactid = %q, want the Contact %s", got, contactID)
	}
}

func TestImportResumesWhereItStopped(t *testing.T) {
	s := setup(t, semanticsOptions{})
	for _, e := range []string{"r1@x.com", "r2@x.com", "r3@x.com"} {
		s.CreateRecord(t, "Contact", map[string]any{"Email": e, "LastName": "Rust"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	_, err := s.Engine.ImportSalesforce(ctx, engine.ImportOptions{Contacts: true, Progress: func(engine.Object, map[string]int64) {
		pages++
		cancel()
	}})
	if pages == 0 {
		t.Fatalf("import reported no progress (err %v)", err)
	}

	res, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{Contacts: true})
	if err != nil {
		t.Fatalf("resume import: %v", err)
	}
	if !res.Resumed {
		t.Error("second import did not resume the first")
	}
	for _, e := range []string{"r1@x.com", "r2@x.com", "r3@x.com"} {
		s.onlyContact(e)
	}
}

func TestImportAccountsNeedsCompanySync(t *testing.T) {
	s := setup(t, semanticsOptions{})
	if _, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{Accounts: true}); err == nil {
		t.Error("Account import accepted without company sync")
	}
}

func TestImportCampaignNeedsActiveCampaign(t *testing.T) {
	s := setup(t, semanticsOptions{})
	campaign := s.CreateRecord(t, "Campaign", map[string]any{"Name": "Webinar", "IsActive": false})
	_, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{CampaignID: campaign})
	if err == nil {
		t.Error("import of an inactive campaign accepted")
	}

	s.UpdateRecord(t, campaign, map[string]any{"IsActive": true})
	member := s.CreateRecord(t, "Contact", map[string]any{"Email": "c@x.com", "LastName": "Cam"})
	s.CreateRecord(t, "Contact", map[string]any{"Email": "n@x.com", "LastName": "Niet"})
	if _, err := s.SalesforceEmulator.AddCampaignMember(campaign, member, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Engine.ImportSalesforce(context.Background(), engine.ImportOptions{CampaignID: campaign}); err != nil {
		t.Fatalf("import campaign: %v", err)
	}
	s.onlyContact("c@x.com")
	if ids := s.ContactsByEmail(t, "n@x.com"); len(ids) != 0 {
		t.Errorf("a Contact outside the campaign was imported: %v", ids)
	}
}

func TestResyncBackfillsNewMapping(t *testing.T) {
	env := regionSetup(t, false)
	leadID := env.CreateRecord(t, "Lead", map[string]any{"LastName": "Back", "Company": "B", "Email": "b@x.com", "Region__c": "Noord"})
	env.SyncUntilQuiet(t, 3)
	contactID := env.Link(t, leadID).HubSpotID
	// Later changes move the cursors past the overlap window, which
	// re-reads the most recent changes of each side.
	env.Clock.Advance(10 * time.Minute)
	env.CreateContact(t, map[string]string{"email": "later@x.com", "lastname": "Later"})
	env.CreateRecord(t, "Lead", map[string]any{"LastName": "Later", "Company": "L", "Email": "later2@x.com"})
	env.SyncUntilQuiet(t, 3)

	env.Mappings = append(env.Mappings, regionMapping())
	env.Rebuild(t)
	env.SyncUntilQuiet(t, 3)
	if got := env.Contact(t, contactID)["region"]; got != "" {
		t.Fatalf("region = %q before the resync, want no back-fill", got)
	}

	if _, err := env.Engine.Resync(context.Background(), engine.ResyncOptions{Record: leadID}); err != nil {
		t.Fatalf("resync: %v", err)
	}
	if got := env.Contact(t, contactID)["region"]; got != "Noord" {
		t.Errorf("region = %q after the resync, want Noord", got)
	}
	if _, err := env.Engine.Resync(context.Background(), engine.ResyncOptions{Record: "not an id"}); err == nil {
		t.Error("resync of a bad key accepted")
	}
}

// Creation.

func TestInstallingSyncsNoExistingRecords(t *testing.T) {
	var leads []map[string]any
	for i := range 100 {
		leads = append(leads, map[string]any{"Email": fmt.Sprintf("old%03d@x.com", i), "LastName": "Oud", "Company": "Acme"})
	}
	s := setup(t, semanticsOptions{sfSeed: &sfemu.Seed{Records: map[string][]map[string]any{"Lead": leads}},
		settings: func(st *settings.Settings) { st.ExistingSalesforceByImport = true }})
	for range 3 {
		s.Clock.Advance(10 * time.Minute)
		s.Sync(t)
	}
	if n := s.HubSpotEmulator.Count("contacts", false); n != 0 {
		t.Errorf("%d HubSpot contacts after installing, want none without an import", n)
	}
}

func TestDoNothingSettingCreatesNoContact(t *testing.T) {
	s := setup(t, semanticsOptions{settings: func(st *settings.Settings) {
		st.HubSpotOnSalesforceChange = settings.HubSpotDoNothing
	}})
	s.CreateRecord(t, "Lead", map[string]any{"Email": "c@x.com", "LastName": "Cee", "Company": "Acme"})
	s.SyncUntilQuiet(t, 3)
	if ids := s.ContactsByEmail(t, "c@x.com"); len(ids) != 0 {
		t.Errorf("HubSpot contacts %v created with the do-nothing setting", ids)
	}
}
