package web

import (
	"embed"
	"fmt"
	"net/http"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The UI's languages; English is the fallback.
const (
	langEnglish = "en"
	langDutch   = "nl"
	langCookie  = "koppel_lang"
)

var langMatcher = language.NewMatcher([]language.Tag{language.English, language.Dutch})

//go:embed locales/*.toml
var localeFS embed.FS

// catalog holds the UI's messages in both languages.
type catalog struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	printers   map[string]*message.Printer
}

func loadCatalog() (*catalog, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, name := range []string{"locales/en.toml", "locales/nl.toml"} {
		if _, err := b.LoadMessageFileFS(localeFS, name); err != nil {
			return nil, fmt.Errorf("load UI messages %s: %w", name, err)
		}
	}
	return &catalog{
		bundle: b,
		localizers: map[string]*goi18n.Localizer{
			langEnglish: goi18n.NewLocalizer(b, langEnglish),
			langDutch:   goi18n.NewLocalizer(b, langDutch),
		},
		printers: map[string]*message.Printer{
			langEnglish: message.NewPrinter(language.English),
			langDutch:   message.NewPrinter(language.Dutch),
		},
	}, nil
}

// text renders message id in lang. A missing message shows its id in
// brackets, which the tests catch.
func (c *catalog) text(lang, id string, data map[string]any, count any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if count != nil {
		cfg.PluralCount = count
		if data == nil {
			cfg.TemplateData = map[string]any{"Count": count}
		}
	}
	s, err := c.localizers[lang].Localize(cfg)
	if err != nil {
		return "[" + id + "]"
	}
	return s
}

// withLanguage picks the language: the cookie set by the switcher, else
// the browser's Accept-Language, else English.
func (s *server) withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		state(r).lang = pickLanguage(r)
		w.Header().Add("Vary", "Accept-Language, Cookie")
		next.ServeHTTP(w, r)
	})
}

func pickLanguage(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == langDutch || c.Value == langEnglish) {
		return c.Value
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if len(tags) == 0 {
		return langEnglish
	}
	_, i, conf := langMatcher.Match(tags...)
	if i == 1 && conf != language.No {
		return langDutch
	}
	return langEnglish
}

// postLang stores the chosen language in a cookie for a year and returns
// to the page the switch was on.
func (s *server) postLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if lang != langDutch && lang != langEnglish {
		s.renderError(w, r, http.StatusBadRequest, "error.lang", map[string]any{"Value": lang})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.cfg.TLS, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

var monthNames = map[string][12]string{
	langEnglish: {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	langDutch:   {"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"},
}

// formatTime writes t in UTC the way each language writes dates:
// "Mar 2, 2026 09:00 UTC" and "2 mrt 2026 09:00 UTC".
func formatTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	month := monthNames[lang][t.Month()-1]
	if lang == langDutch {
		return fmt.Sprintf("%d %s %d %s UTC", t.Day(), month, t.Year(), t.Format("15:04"))
	}
	return fmt.Sprintf("%s %d, %d %s UTC", month, t.Day(), t.Year(), t.Format("15:04"))
}

// formatNumber groups digits as the language does: 12,345 and 12.345.
func (c *catalog) formatNumber(lang string, n any) string {
	return c.printers[lang].Sprintf("%d", n)
}

// relativeTime says how long ago t was, in whole units.
func (c *catalog) relativeTime(lang string, t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var id string
	var n int64
	switch {
	case d < time.Minute:
		return c.text(lang, "time.just_now", nil, nil)
	case d < time.Hour:
		id, n = "time.minutes", int64(d/time.Minute)
	case d < 24*time.Hour:
		id, n = "time.hours", int64(d/time.Hour)
	default:
		id, n = "time.days", int64(d/(24*time.Hour))
	}
	if future {
		id += "_ahead"
	}
	return c.text(lang, id, map[string]any{"Count": n}, n)
}
