package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// protectedRoutes lists every route that needs a session.
var protectedRoutes = []struct{ method, path string }{
	{"GET", "/"},
	{"POST", "/signout"},
	{"GET", "/connections"},
	{"GET", "/connections/connect"},
	{"POST", "/connections/connect"},
	{"GET", "/c/default/settings"},
	{"POST", "/c/default/settings/preview"},
	{"POST", "/c/default/settings"},
	{"GET", "/c/default/mappings"},
	{"POST", "/c/default/mappings/preview"},
	{"POST", "/c/default/mappings"},
	{"GET", "/c/default/mappings/new"},
	{"POST", "/c/default/mappings/new/preview"},
	{"POST", "/c/default/mappings/new"},
	{"GET", "/c/default/health"},
	{"GET", "/c/default/errors"},
	{"GET", "/c/default/errors.csv"},
	{"GET", "/c/default/errors/1"},
	{"POST", "/c/default/errors/retry"},
	{"GET", "/c/default/activity"},
	{"GET", "/c/default/record?q=a@b.nl"},
	{"POST", "/c/default/record/sync"},
	{"GET", "/api/connections"},
	{"GET", "/api/c/default/errors"},
	{"GET", "/no/such/page"},
}

func TestRoutesRequireSession(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	for _, rt := range protectedRoutes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			req, _ := http.NewRequest(rt.method, f.URL+rt.path, strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if strings.HasPrefix(rt.path, "/api/") {
				if resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("status %d, want 401", resp.StatusCode)
				}
				return
			}
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d, want 303 to /signin", resp.StatusCode)
			}
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/signin") {
				t.Errorf("redirect to %q, want /signin", loc)
			}
		})
	}
}

func TestPostWithoutCSRFRejected(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	token := f.signIn(c)
	before := f.connView().Rec.SettingsVersion

	for _, rt := range protectedRoutes {
		if rt.method != "POST" {
			continue
		}
		for _, tc := range []struct {
			name  string
			token string
		}{{"missing", ""}, {"wrong", token[:len(token)-2] + "xx"}} {
			t.Run(rt.path+" "+tc.name, func(t *testing.T) {
				form := url.Values{"version": {"1"}, "rule.contact.jobtitle": {"two_way"}, "all": {"1"}, "category": {"property_value"},
					"hubspot_on_salesforce_change": {"do_nothing"}, "salesforce_on_hubspot_change": {"create_or_update_lead"},
					"hubspot_on_salesforce_delete": {"keep"}, "salesforce_on_hubspot_delete": {"keep"}}
				if tc.token != "" {
					form.Set("csrf_token", tc.token)
				}
				resp := f.post(c, rt.path, form)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("status %d, want 403", resp.StatusCode)
				}
			})
		}
	}

	if after := f.connView().Rec.SettingsVersion; after != before {
		t.Errorf("settings version moved from %d to %d without a CSRF token", before, after)
	}
	// The session still works: sign-out was rejected too.
	f.get(c, "/connections", http.StatusOK)
}

func TestPublicFormsNeedCSRF(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	pre := csrfInput.FindStringSubmatch(f.get(c, "/signin", http.StatusOK))[1]
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		// The language switch comes first: after sign-in the session's
		// token replaces the cookie's.
		{"/lang", url.Values{"lang": {"nl"}}},
		{"/signin", url.Values{"username": {testUser}, "password": {testPassword}}},
	} {
		resp := f.post(c, tc.path, tc.form)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s without token: status %d, want 403", tc.path, resp.StatusCode)
		}
		tc.form.Set("csrf_token", pre)
		resp = f.post(c, tc.path, tc.form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("POST %s with the cookie's token: status %d, want 303", tc.path, resp.StatusCode)
		}
	}
}

func TestCrossOriginPostRejected(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	token := f.signIn(c)
	req, _ := http.NewRequest("POST", f.URL+"/signout", strings.NewReader(url.Values{"csrf_token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", resp.StatusCode)
	}
}

func TestSignInRateLimited(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	pre := csrfInput.FindStringSubmatch(f.get(c, "/signin", http.StatusOK))[1]
	for i := range maxFailsPerUser {
		resp := f.post(c, "/signin", url.Values{"username": {testUser}, "password": {"wrong password " + string(rune('a'+i))}, "csrf_token": {pre}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, resp.StatusCode)
		}
	}
	resp := f.post(c, "/signin", url.Values{"username": {testUser}, "password": {testPassword}, "csrf_token": {pre}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password after %d failures: status %d, want 429", maxFailsPerUser, resp.StatusCode)
	}

	f.clock.Advance(signInWindow + time.Minute)
	resp = f.post(c, "/signin", url.Values{"username": {testUser}, "password": {testPassword}, "csrf_token": {pre}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window: status %d, want 303", resp.StatusCode)
	}
}

func TestSessionCookieFlags(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	pre := csrfInput.FindStringSubmatch(f.get(c, "/signin", http.StatusOK))[1]
	resp, err := c.PostForm(f.URL+"/signin", url.Values{"username": {testUser}, "password": {testPassword}, "csrf_token": {pre}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name != sessionCookie {
			continue
		}
		found = true
		if !ck.HttpOnly {
			t.Error("session cookie is not HttpOnly")
		}
		if ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("session cookie SameSite = %v, want Lax", ck.SameSite)
		}
	}
	if !found {
		t.Fatal("no session cookie set")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

func TestSignInRedirectStaysLocal(t *testing.T) {
	for in, want := range map[string]string{
		"/c/default/health":  "/c/default/health",
		"https://evil.test/": "/connections",
		"//evil.test/":       "/connections",
		"/\\evil.test":       "/connections",
		"":                   "/connections",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLanguageFromAcceptLanguage(t *testing.T) {
	f := setup(t, setupOptions{})
	for header, want := range map[string]string{
		"nl-NL,nl;q=0.9,en;q=0.8": "Aanmelden",
		"nl-BE":                   "Aanmelden",
		"en-GB,en;q=0.9":          "Sign in",
		"de-DE":                   "Sign in",
		"":                        "Sign in",
	} {
		req, _ := http.NewRequest("GET", f.URL+"/signin", nil)
		req.Header.Set("Accept-Language", header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b := make([]byte, 4096)
		n, _ := resp.Body.Read(b)
		resp.Body.Close()
		if !strings.Contains(string(b[:n]), "<h1>"+want+"</h1>") {
			t.Errorf("Accept-Language %q: page lacks heading %q", header, want)
		}
	}
}

// TestEveryPageRendersInBothLanguages visits every page with data on it,
// in English and Dutch, and fails on a message the catalog lacks.
func TestEveryPageRendersInBothLanguages(t *testing.T) {
	f := setup(t, setupOptions{})
	f.HubSpot.CreateRecord("contacts", map[string]string{"firstname": "Zonder", "lastname": "Adres"})
	f.HubSpot.CreateRecord("contacts", map[string]string{"email": "anne@voorbeeld.nl", "firstname": "Anne", "lastname": "de Vries", "company": "Bakkerij"})
	f.sync()

	c := f.client()
	f.signIn(c)
	open, err := f.Store.ListErrors(f.ctx, errorQueryAll(f.Conn.ID))
	if err != nil || len(open) == 0 {
		t.Fatalf("want a parked error for the contact without email, got %v, %v", open, err)
	}
	pages := []string{"/connections", "/c/default/settings", "/c/default/mappings", "/c/default/health",
		"/c/default/errors", "/c/default/errors?category=property_value", "/c/default/errors/" + itoa(open[0].ID),
		"/c/default/activity", "/c/default/record", "/c/default/record?q=anne@voorbeeld.nl", "/signin?x=1"}
	for _, lang := range []string{"en", "nl"} {
		u, _ := url.Parse(f.URL)
		c.Jar.SetCookies(u, []*http.Cookie{{Name: langCookie, Value: lang}})
		for _, p := range pages {
			want := http.StatusOK
			if strings.HasPrefix(p, "/signin") {
				want = http.StatusSeeOther
			}
			body := f.get(c, p, want)
			assertNoMissingMessages(t, lang+" "+p, body)
			if want == http.StatusOK && !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s %s: page is not in language %s", lang, p, lang)
			}
		}
	}
}

func TestMappingRuleNotAllowedRejected(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	token := f.signIn(c)
	before := f.connView()
	resp := f.post(c, "/c/default/mappings", url.Values{"csrf_token": {token}, "version": {itoa(before.Rec.SettingsVersion)},
		"rule.contact.email": {"always_hubspot"}, "rule.contact.jobtitle": {"two_way"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	after := f.connView()
	if after.Rec.SettingsVersion != before.Rec.SettingsVersion {
		t.Error("a form with one bad rule saved the others")
	}
	for _, m := range after.Mappings {
		if m.ID == "contact.jobtitle" && m.Rule != before.Mappings[3].Rule {
			t.Errorf("jobtitle rule changed to %s", m.Rule)
		}
	}
}

func TestSettingsRejectBadAllocation(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	token := f.signIn(c)
	before := f.connView()
	form := url.Values{"csrf_token": {token}, "version": {itoa(before.Rec.SettingsVersion)},
		"hubspot_on_salesforce_change": {"create_or_update_contact"}, "salesforce_on_hubspot_change": {"create_or_update_lead"},
		"hubspot_on_salesforce_delete": {"keep"}, "salesforce_on_hubspot_delete": {"keep"}, "salesforce_api_allocation": {"veel"}}
	req, _ := http.NewRequest("POST", f.URL+"/c/default/settings", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	u, _ := url.Parse(f.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: langCookie, Value: "nl"}})
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b := new(strings.Builder)
	_, _ = readBody(b, resp)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	if !strings.Contains(b.String(), "„veel” is geen aantal aanroepen") {
		t.Errorf("the Dutch page does not name the bad value:\n%s", truncate(b.String()))
	}
	if f.connView().Rec.SettingsVersion != before.Rec.SettingsVersion {
		t.Error("settings were saved despite the bad value")
	}
}

func TestHealthShowsOrgLimit(t *testing.T) {
	f := setup(t, setupOptions{})
	f.HubSpot.CreateRecord("contacts", map[string]string{"email": "anne@voorbeeld.nl", "lastname": "de Vries", "company": "Bakkerij"})
	f.sync()
	c := f.client()
	f.signIn(c)
	body := f.get(c, "/c/default/health", http.StatusOK)
	// The emulator's org has the 15,000-call daily limit of a Developer
	// Edition org, reported in every response's Sforce-Limit-Info header.
	if !strings.Contains(body, `<span class="big">15,000</span>Daily limit of the Salesforce org`) {
		t.Errorf("health page does not show the org's limit:\n%s", truncate(body))
	}
}

func TestSettingsKeepMissingInclusionList(t *testing.T) {
	f := setup(t, setupOptions{})
	cv := f.connView()
	s := cv.Settings
	s.InclusionListID = "999"
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.UpdateSettings(f.ctx, cv.Rec.ID, cv.Rec.SettingsVersion, raw); err != nil {
		t.Fatal(err)
	}
	c := f.client()
	f.signIn(c)

	body := f.get(c, "/c/default/settings", http.StatusOK)

	if !regexp.MustCompile(`value="999"[^>]*checked`).MatchString(body) {
		t.Errorf("the stored list 999 is not chosen on the page, so a save would clear it:\n%s", truncate(body))
	}
	if !strings.Contains(body, "HubSpot has no contact list with this ID any more") {
		t.Errorf("the page does not say the list is missing:\n%s", truncate(body))
	}
}
