package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

var templateFuncs = template.FuncMap{
	"join": strings.Join,
	// dict passes several values to a shared template.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// parsePages parses each page template together with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// pageData is the data of every page template.
type pageData struct {
	// Title is the message id of the page title.
	Title string

	// Conn is the connection whose pages the navigation shows, if any.
	Conn *store.Connection
	Nav  string

	// Flash is a message id shown above the page, such as "saved".
	Flash string
	// FlashLink, when set, is the path of the page where the flash's
	// outcome shows, such as the activity page after a cycle started.
	FlashLink string

	Body any

	L    *loc
	CSRF string
	Path string
	User string
}

// loc renders messages, numbers and times in the request's language.
type loc struct {
	Lang string
	c    *catalog
	now  time.Time
}

// T renders message id; kv are name/value pairs for its placeholders.
// A "Count" value also picks the plural form.
func (l *loc) T(id string, kv ...any) string {
	var data map[string]any
	var count any
	if len(kv) > 0 {
		data = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			k := fmt.Sprint(kv[i])
			data[k] = kv[i+1]
			if k == "Count" {
				count = kv[i+1]
			}
		}
	}
	return l.c.text(l.Lang, id, data, count)
}

// N formats a whole number with the language's digit grouping.
func (l *loc) N(n any) string { return l.c.formatNumber(l.Lang, n) }

// Time formats an instant in UTC.
func (l *loc) Time(t time.Time) string { return formatTime(l.Lang, t) }

// Ago returns how long ago t was, or how far ahead it is.
func (l *loc) Ago(t time.Time) string { return l.c.relativeTime(l.Lang, t, l.now) }

// Other returns the language the switcher offers.
func (l *loc) Other() string {
	if l.Lang == langDutch {
		return langEnglish
	}
	return langDutch
}

func (s *server) loc(r *http.Request) *loc {
	return &loc{Lang: state(r).lang, c: s.msgs, now: s.now()}
}

func (s *server) render(w http.ResponseWriter, r *http.Request, status int, page string, d pageData) {
	t, ok := s.pages[page]
	if !ok {
		s.serverError(w, r, fmt.Errorf("render: no template %q", page))
		return
	}
	st := state(r)
	d.L = s.loc(r)
	d.CSRF = csrfToken(r)
	d.Path = r.URL.RequestURI()
	if status == http.StatusNotFound && strings.HasPrefix(d.Path, setupPathPrefix) {
		// A dead setup link's token is not repeated in the page.
		d.Path = "/signin"
	}
	if st.session != nil {
		d.User = st.user.Username
	}

	// Rendering into a buffer first turns a template error into a clean
	// 500 instead of half a page.
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", st.lang)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type errorPage struct {
	Message string
	Data    map[string]any
}

// renderError shows message id with data as the page.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, id string, data map[string]any) {
	s.render(w, r, status, "error", pageData{Title: "error.title", Body: errorPage{Message: id, Data: data}})
}

func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("web request failed", "method", r.Method, "path", redactPath(r), "err", err)
	s.renderError(w, r, http.StatusInternalServerError, "error.internal", nil)
}

func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "error.not_found", map[string]any{"Path": r.URL.Path})
}

// TM renders message id with a map of placeholder values.
func (l *loc) TM(id string, data map[string]any) string {
	var count any
	if c, ok := data["Count"]; ok {
		count = c
	}
	return l.c.text(l.Lang, id, data, count)
}

// Reason returns the engine's reason for a decision in the page's
// language, with the sentences per reason code that the CLI shows too.
func (l *loc) Reason(code, text string) string {
	return i18n.New(l.Lang).Reason(code, text)
}
