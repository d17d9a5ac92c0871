package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/koppel-sync/koppel/internal/connection"
	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/store"
)

// browser drives a headless Chromium and keeps a screenshot of every
// step. The screenshots stay on disk, in a directory the test log names,
// when the test fails or KOPPEL_KEEP_SCREENSHOTS is set.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
	n     int
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := os.Getenv("KOPPEL_CHROMIUM")
	if path == "" {
		t.Skip("KOPPEL_CHROMIUM is not set: set it to a Chromium binary, such as /usr/bin/chromium, to run the browser tests (scripts/test does)")
	}

	userData, err := os.MkdirTemp("", "koppel-chromium-profile-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(userData) })
	shots, err := os.MkdirTemp("", "koppel-browser-screenshots-*")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("KOPPEL_KEEP_SCREENSHOTS") != "" {
			t.Logf("screenshots of every step are kept in %s", shots)
			return
		}
		os.RemoveAll(shots)
	})

	// Without the background-networking flags Chromium reaches out to
	// Google's hosts, which the test machines block.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(userData),
		chromedp.WindowSize(1280, 1000),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first call starts the browser, whose life is that call's
	// context, so it gets no timeout; each step below gets one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium %s: %v", path, err)
	}
	return &browser{t: t, ctx: ctx, shots: shots}
}

// stepTimeout bounds one browser step.
const stepTimeout = 30 * time.Second

// run performs one step and takes a screenshot after it.
func (b *browser) run(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	err := chromedp.Do(ctx, actions...)
	b.shot(step)
	if err != nil {
		b.t.Fatalf("%s: %v (screenshots in %s)", step, err, b.shots)
	}
}

// value runs an action that returns a value.
func value[T any](b *browser, step string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.shot(step)
		b.t.Fatalf("%s: %v (screenshots in %s)", step, err, b.shots)
	}
	return v
}

func (b *browser) shot(step string) {
	b.n++
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot after %s: %v", step, err)
		return
	}
	name := fmt.Sprintf("%02d-%s.png", b.n, strings.ReplaceAll(step, " ", "-"))
	if err := os.WriteFile(filepath.Join(b.shots, name), png, 0o644); err != nil {
		b.t.Logf("write screenshot: %v", err)
	}
}

func (b *browser) errorf(format string, args ...any) {
	b.t.Helper()
	b.t.Errorf(format+" (screenshots in %s)", append(args, b.shots)...)
}

// text returns the text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(value(b, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// browserSeed has one active and one static HubSpot list.
func browserSeed() *hsemu.Seed {
	return &hsemu.Seed{Lists: []hsemu.SeedList{
		{Name: "Nieuwsbrief NL", ProcessingType: "DYNAMIC", FilterBranch: &hsemu.FilterBranch{FilterBranchType: "OR",
			FilterBranches: []hsemu.FilterBranch{{FilterBranchType: "AND", Filters: []hsemu.ListFilter{{FilterType: "PROPERTY", Property: "country",
				Operation: &hsemu.ListOperation{OperationType: "STRING", Operator: "IS_EQUAL_TO", Value: []byte(`"Nederland"`)}}}}}}},
		{Name: "Beurs Utrecht 2026", ProcessingType: "MANUAL"},
	}}
}

var people = []struct{ email, first, last, title string }{
	{"anne@bakkerij-devries.nl", "Anne", "de Vries", "Eigenaar"},
	{"joris@fietsenjansen.nl", "Joris", "Jansen", "Inkoper"},
	{"sanne@tuincentrum-bos.nl", "Sanne", "Bos", "Marketingmanager"},
}

// TestBrowser drives the UI in Chromium against both emulators, as an
// admin would: sign in, change a rule with a preview, pick an inclusion
// list, retry a parked record after fixing it, and read every page in
// Dutch.
func TestBrowser(t *testing.T) {
	b := newBrowser(t)
	f := setup(t, setupOptions{HubSpotSeed: browserSeed()})

	f.skipLeadStatus()

	// Three people exist on both sides with the same job title; the
	// first cycles link them.
	for _, p := range people {
		if _, err := f.HubSpot.CreateRecord("contacts", map[string]string{"email": p.email, "firstname": p.first, "lastname": p.last, "jobtitle": p.title, "country": "Nederland"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.Salesforce.Create("Lead", map[string]any{"Email": p.email, "FirstName": p.first, "LastName": p.last, "Title": p.title, "Company": "Bakkerij"}); err != nil {
			t.Fatal(err)
		}
	}
	f.sync()
	f.sync()
	links, err := f.Store.CountLinks(f.ctx, store.LinkQuery{ConnectionID: f.Conn.ID})
	if err != nil || links != 3 {
		t.Fatalf("links after the first cycles = %d, %v; want 3", links, err)
	}
	if open, _ := f.Store.ListErrors(f.ctx, errorQueryAll(f.Conn.ID)); len(open) > 0 {
		t.Fatalf("the first cycles parked records: %+v", open)
	}

	t.Run("sign in", func(t *testing.T) { browserSignIn(t, b, f) })
	t.Run("rule change preview matches next cycle", func(t *testing.T) { browserRuleChange(t, b, f) })
	t.Run("pick inclusion list", func(t *testing.T) { browserInclusionList(t, b, f) })
	t.Run("retry parked record", func(t *testing.T) { browserRetry(t, b, f) })
	t.Run("Dutch on every page", func(t *testing.T) { browserDutch(t, b, f) })
}

func browserSignIn(t *testing.T, b *browser, f *fixture) {
	b.run("open health page", chromedp.Navigate(f.URL+"/c/default/health"), chromedp.WaitVisible(chromedp.ID("username")))
	if h := b.text("h1"); h != "Sign in" {
		b.errorf("without a session the page shows %q, want the sign-in page", h)
	}
	b.run("sign in",
		chromedp.SendKeys(chromedp.ID("username"), testUser),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("error-cards")),
	)
	if h := b.text("h1"); h != "Sync health" {
		b.errorf("after sign-in the page is %q, want the health page it was asked for", h)
	}
}

func browserRuleChange(t *testing.T, b *browser, f *fixture) {
	// Job titles change in HubSpot. Under "prefer Salesforce unless
	// blank" the next cycle writes Salesforce's titles back to HubSpot;
	// under two-way it writes HubSpot's titles to Salesforce.
	f.clock.Advance(time.Minute)
	for _, p := range people {
		ids := hubspotIDs(t, f, p.email)
		if _, err := f.HubSpot.UpdateRecord("contacts", ids[0], map[string]string{"jobtitle": "Directeur " + p.last}); err != nil {
			t.Fatal(err)
		}
	}

	b.run("open mappings", chromedp.Navigate(f.URL+"/c/default/mappings"), chromedp.WaitVisible(chromedp.ID("mappings-form")))
	emailOptions := value(b, "read email rules", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('select[name="rule.contact.email"] option')).map(o => o.value)`))
	if strings.Join(emailOptions, ",") != "prefer_salesforce_unless_blank,two_way" {
		b.errorf("email mapping offers rules %v, want only prefer_salesforce_unless_blank and two_way", emailOptions)
	}
	b.run("choose two-way", chromedp.SetValue(chromedp.CSS(`select[name="rule.contact.jobtitle"]`), "two_way"),
		chromedp.Click(chromedp.ID("preview-button")), chromedp.WaitVisible(chromedp.ID("preview")))

	cell := func(key, col string) string {
		return b.text(fmt.Sprintf(`#preview-counts tr[data-key="%s"] td:nth-child(%s)`, key, col))
	}
	if got := cell("preview.updated_hubspot", "2"); got != "3" {
		b.errorf("preview: updated in HubSpot with the saved rule = %q, want 3", got)
	}
	previewSF := cell("preview.updated_salesforce", "3")
	if previewSF != "3" {
		b.errorf("preview: updated in Salesforce with two-way = %q, want 3", previewSF)
	}
	if got := cell("preview.updated_hubspot", "3"); got != "0" {
		b.errorf("preview: updated in HubSpot with two-way = %q, want 0", got)
	}
	if m := ruleOf(f, "contact.jobtitle"); m != mapping.PreferSalesforceUnlessBlank {
		b.errorf("the rule was saved before confirming: %s", m)
	}

	b.run("confirm", chromedp.Click(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if m := ruleOf(f, "contact.jobtitle"); m != mapping.TwoWay {
		b.errorf("after confirming the rule is %s, want two_way", m)
	}

	// The next cycle runs from the record page's button.
	f.clock.Advance(time.Minute)
	b.run("sync now", chromedp.Navigate(f.URL+"/c/default/record?q="+people[0].email), chromedp.WaitVisible(chromedp.ID("sync-now")),
		chromedp.Click(chromedp.ID("sync-now")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	b.run("open activity", chromedp.Navigate(f.URL+"/c/default/activity"), chromedp.WaitVisible(chromedp.ID("runs")))
	if got := b.text(`#runs tbody tr:first-child td[data-key="updated_salesforce"]`); got != previewSF {
		b.errorf("the cycle updated %q records in Salesforce, the preview said %q", got, previewSF)
	}
	if got := b.text(`#runs tbody tr:first-child td[data-key="updated_hubspot"]`); got != "0" {
		b.errorf("the cycle updated %q records in HubSpot, the preview said 0", got)
	}
	for _, p := range people {
		rec, err := f.Salesforce.Get(salesforceID(t, f, p.email))
		if err != nil {
			t.Fatal(err)
		}
		if rec["Title"] != "Directeur "+p.last {
			b.errorf("Salesforce Title of %s = %v, want HubSpot's new title", p.email, rec["Title"])
		}
	}
}

func browserInclusionList(t *testing.T, b *browser, f *fixture) {
	b.run("open settings", chromedp.Navigate(f.URL+"/c/default/settings"), chromedp.WaitVisible(chromedp.ID("inclusion")))
	manualDisabled := value(b, "check static list", chromedp.Evaluate[bool](`document.querySelector('input[data-list="Beurs Utrecht 2026"]').disabled`))
	if !manualDisabled {
		b.errorf("the static list can be chosen as inclusion list")
	}
	if txt := b.text("#inclusion"); !strings.Contains(txt, "Static list") {
		b.errorf("the static list shows no reason why it cannot be chosen: %q", txt)
	}

	b.run("choose list", chromedp.Click(chromedp.CSS(`input[data-list="Nieuwsbrief NL"]`)),
		chromedp.Click(chromedp.ID("preview-button")), chromedp.WaitVisible(chromedp.ID("preview")))
	if f.connView().Settings.InclusionListID != "" {
		b.errorf("the inclusion list was saved before confirming")
	}
	b.run("confirm list", chromedp.Click(chromedp.ID("confirm")), chromedp.WaitVisible(chromedp.CSS(".flash")))

	lists, err := f.clients.HubSpot.SearchLists(f.ctx, "Nieuwsbrief")
	if err != nil || len(lists) != 1 {
		t.Fatalf("find list: %v, %v", lists, err)
	}
	if got := f.connView().Settings.InclusionListID; got != lists[0].ListID {
		b.errorf("inclusion list = %q, want %q", got, lists[0].ListID)
	}
	b.run("reread settings", chromedp.Navigate(f.URL+"/c/default/settings"), chromedp.WaitVisible(chromedp.ID("inclusion")))
	checked := value(b, "read choice", chromedp.Evaluate[bool](`document.querySelector('input[data-list="Nieuwsbrief NL"]').checked`))
	if !checked {
		b.errorf("the saved list is not selected on the settings page")
	}
}

func browserRetry(t *testing.T, b *browser, f *fixture) {
	// A contact without email cannot sync and is parked.
	f.clock.Advance(time.Minute)
	rec, err := f.HubSpot.CreateRecord("contacts", map[string]string{"firstname": "Pieter", "lastname": "Smit", "country": "Nederland"})
	if err != nil {
		t.Fatal(err)
	}
	f.sync()

	b.run("open health", chromedp.Navigate(f.URL+"/c/default/health"), chromedp.WaitVisible(chromedp.ID("error-cards")))
	if got := b.text(`a[data-category="property_value"] .big`); got != "1" {
		b.errorf("property values card shows %q errors, want 1", got)
	}
	b.run("open category", chromedp.Click(chromedp.CSS(`a[data-category="property_value"]`)), chromedp.WaitVisible(chromedp.ID("errors")))
	b.run("open error", chromedp.Click(chromedp.CSS(`#errors tbody tr:first-child td:nth-child(2) a`)), chromedp.WaitVisible(chromedp.ID("error-detail")))
	if code := b.text("#error-code"); code != "EMAIL_MISSING" {
		b.errorf("error code = %q, want EMAIL_MISSING", code)
	}

	// The admin adds the address in HubSpot and retries.
	f.clock.Advance(time.Minute)
	if _, err := f.HubSpot.UpdateRecord("contacts", rec.ID, map[string]string{"email": "pieter@smit-installatie.nl"}); err != nil {
		t.Fatal(err)
	}
	b.run("retry", chromedp.Click(chromedp.ID("retry")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if status := b.text("#error-status"); !strings.HasPrefix(status, "Resolved") {
		b.errorf("after the retry the error status is %q, want resolved", status)
	}
	if id := salesforceID(t, f, "pieter@smit-installatie.nl"); id == "" {
		b.errorf("no Salesforce Lead for the fixed contact")
	}
}

func browserDutch(t *testing.T, b *browser, f *fixture) {
	b.run("switch to Dutch", chromedp.Navigate(f.URL+"/connections"), chromedp.WaitVisible(chromedp.ID("lang-switch")),
		chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.ID("connections")))
	pages := []struct{ path, heading, phrase string }{
		{"/connections", "Koppelingen", "Open fouten"},
		{"/c/default/settings", "Instellingen", "Inclusielijst"},
		{"/c/default/mappings", "Veldkoppelingen", "Synchronisatieregel"},
		{"/c/default/health", "Synchronisatiestatus", "API-gebruik"},
		{"/c/default/errors", "Synchronisatiefouten", "open fout"},
		{"/c/default/activity", "Activiteit", "Bijgewerkt in Salesforce"},
		{"/c/default/record?q=" + people[1].email, "Record", "Gekoppelde velden"},
		{"/c/default/errors/" + itoa(anyErrorID(t, f)), "Synchronisatiefout", "Pogingen"},
		{"/c/default/mappings/new", "Veldkoppeling toevoegen", "Waarom niet te kiezen"},
		{"/c/default/mappings/new?hubspot=firstname", "Veldkoppeling toevoegen", "Al gekoppeld."},
	}
	for _, p := range pages {
		b.run("nl "+p.heading, chromedp.Navigate(f.URL+p.path), chromedp.WaitVisible(chromedp.CSS("h1")))
		lang := value(b, "read lang", chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value
		body := value(b, "read body", chromedp.Text(chromedp.CSS("body")))
		if lang != "nl" {
			b.errorf("%s: html lang = %q, want nl", p.path, lang)
		}
		if h := b.text("h1"); h != p.heading {
			b.errorf("%s: heading %q, want %q", p.path, h, p.heading)
		}
		if !strings.Contains(body, p.phrase) {
			b.errorf("%s: page lacks the Dutch text %q", p.path, p.phrase)
		}
		assertNoMissingMessages(t, p.path, body)
	}

	b.run("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("username")))
	if h := b.text("h1"); h != "Aanmelden" {
		b.errorf("after signing out the sign-in page is titled %q, want Aanmelden", h)
	}
	if lang := value(b, "read lang", chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value; lang != "nl" {
		b.errorf("sign-in page: html lang = %q, want nl", lang)
	}
}

// anyErrorID returns the id of a sync error of the connection, resolved
// or not.
func anyErrorID(t *testing.T, f *fixture) int64 {
	t.Helper()
	q := errorQueryAll(f.Conn.ID)
	q.IncludeResolved = true
	es, err := f.Store.ListErrors(f.ctx, q)
	if err != nil || len(es) == 0 {
		t.Fatalf("no sync error to open: %v", err)
	}
	return es[0].ID
}

// skipLeadStatus sets the Lead Status mapping to dont_sync. The mapping
// needs HubSpot options that match the org's Status picklist, which the
// test portal lacks, so every Lead would be parked on that field.
func (f *fixture) skipLeadStatus() {
	f.t.Helper()
	f.setRuleOf(func(m mapping.Mapping) bool {
		lf, ok := m.Field(mapping.ObjectLead)
		return ok && lf.Name == "Status"
	}, mapping.DontSync)
}

// setRuleOf stores the rule of the mappings that match, as an admin would
// have saved it. It fails when none matches.
func (f *fixture) setRuleOf(match func(mapping.Mapping) bool, r mapping.Rule) {
	f.t.Helper()
	cv := f.connView()
	found := false
	for i := range cv.Mappings {
		if match(cv.Mappings[i]) {
			cv.Mappings[i].Rule = r
			found = true
		}
	}
	if !found {
		f.t.Fatal("set rule: no mapping matches")
	}
	if _, err := connection.Apply(f.ctx, f.Store, cv.Rec, cv.Settings, cv.Mappings); err != nil {
		f.t.Fatalf("set rule: %v", err)
	}
}

func ruleOf(f *fixture, id string) mapping.Rule {
	for _, m := range f.connView().Mappings {
		if m.ID == id {
			return m.Rule
		}
	}
	return ""
}

func hubspotIDs(t *testing.T, f *fixture, email string) []string {
	t.Helper()
	links, err := f.Store.ListLinks(f.ctx, store.LinkQuery{ConnectionID: f.Conn.ID, Email: email})
	if err != nil || len(links) != 1 {
		t.Fatalf("link of %s: %v, %v", email, links, err)
	}
	return []string{links[0].HubSpotID}
}

func salesforceID(t *testing.T, f *fixture, email string) string {
	t.Helper()
	links, err := f.Store.ListLinks(f.ctx, store.LinkQuery{ConnectionID: f.Conn.ID, Email: email})
	if err != nil {
		t.Fatal(err)
	}
	if len(links) == 0 {
		return ""
	}
	return links[0].SalesforceID
}
