package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

// TestCatalogsHaveSameMessages keeps the two languages in step. The
// Dutch texts of the engine's reasons live in internal/i18n, not here.
func TestCatalogsHaveSameMessages(t *testing.T) {
	keys := map[string]map[string]bool{}
	for _, lang := range []string{"en", "nl"} {
		var m map[string]any
		data, err := localeFS.ReadFile("locales/" + lang + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		if err := toml.Unmarshal(data, &m); err != nil {
			t.Fatalf("parse %s: %v", lang, err)
		}
		keys[lang] = map[string]bool{}
		for k := range m {
			if !strings.HasPrefix(k, "reason.") {
				keys[lang][k] = true
			}
		}
	}
	for k := range keys["en"] {
		if !keys["nl"][k] {
			t.Errorf("nl.toml lacks %q", k)
		}
	}
	for k := range keys["nl"] {
		if !keys["en"][k] {
			t.Errorf("en.toml lacks %q", k)
		}
	}
}

func TestFormatting(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	cases := []struct{ name, got, want string }{
		{"en time", formatTime(langEnglish, at), "Mar 2, 2026 09:05 UTC"},
		{"nl time", formatTime(langDutch, at), "2 mrt 2026 09:05 UTC"},
		{"en number", c.formatNumber(langEnglish, 1234567), "1,234,567"},
		{"nl number", c.formatNumber(langDutch, 1234567), "1.234.567"},
		{"en one minute", c.relativeTime(langEnglish, at, at.Add(time.Minute)), "1 minute ago"},
		{"nl minutes", c.relativeTime(langDutch, at, at.Add(5*time.Minute)), "5 minuten geleden"},
		{"nl hours", c.relativeTime(langDutch, at, at.Add(3*time.Hour)), "3 uur geleden"},
		{"en days ahead", c.relativeTime(langEnglish, at.Add(50*time.Hour), at), "in 2 days"},
		{"nl just now", c.relativeTime(langDutch, at, at.Add(10*time.Second)), "zojuist"},
	}
	for _, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestLanguageSwitchStoresCookie(t *testing.T) {
	f := setup(t, setupOptions{})
	c := f.client()
	token := f.signIn(c)
	resp := f.post(c, "/lang", map[string][]string{"lang": {"nl"}, "next": {"/c/default/health"}, "csrf_token": {token}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/c/default/health" {
		t.Fatalf("switch: status %d to %q, want 303 to the page it was on", resp.StatusCode, resp.Header.Get("Location"))
	}
	if body := f.get(c, "/c/default/health", http.StatusOK); !strings.Contains(body, "<h1>Synchronisatiestatus</h1>") {
		t.Error("after switching to nl the health page is not in Dutch")
	}
	resp = f.post(c, "/lang", map[string][]string{"lang": {"fr"}, "csrf_token": {token}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown language: status %d, want 400", resp.StatusCode)
	}
}
