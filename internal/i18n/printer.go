package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The languages koppel speaks. English is the fallback for a message that a
// translation lacks, which the tests do not allow to happen.
const (
	English = "en"
	Dutch   = "nl"
)

// ID identifies one message in the locale files.
type ID string

// Data fills the {{.Name}} placeholders of a message.
type Data map[string]any

//go:embed locales/*.toml
var localeFS embed.FS

var (
	bundleOnce sync.Once
	bundle     *goi18n.Bundle
	bundleErr  error
)

func loadBundle() (*goi18n.Bundle, error) {
	bundleOnce.Do(func() {
		bundle, bundleErr = LoadBundle(localeFS, "locales/active.en.toml", "locales/active.nl.toml")
	})
	return bundle, bundleErr
}

// LoadBundle reads go-i18n message files in TOML from fsys, with English as
// the fallback language. Packages with messages of their own, such as the
// demo, load them with it.
func LoadBundle(fsys fs.FS, names ...string) (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(fsys, name); err != nil {
			return nil, fmt.Errorf("load %s: %w", name, err)
		}
	}
	return b, nil
}

// Printer renders messages in one language. The zero value is not usable;
// call New.
type Printer struct {
	lang      string
	localizer *goi18n.Localizer
}

// New returns a Printer for lang ("nl" or "en"); any other value gives
// English. It panics when the embedded locale files do not parse, which the
// package tests rule out.
func New(lang string) *Printer {
	b, err := loadBundle()
	if err != nil {
		panic("i18n: " + err.Error())
	}
	if lang != Dutch {
		lang = English
	}
	return &Printer{lang: lang, localizer: goi18n.NewLocalizer(b, lang)}
}

// Lang returns "nl" or "en".
func (p *Printer) Lang() string { return p.lang }

// T renders message id with data. A missing ID renders as the ID itself in
// brackets, so a mistake shows on screen instead of hiding.
func (p *Printer) T(id ID, data ...Data) string {
	return p.render(id, nil, data)
}

// N renders message id in the plural form for count. The count is also
// available to the message as {{.Count}}.
func (p *Printer) N(id ID, count int, data ...Data) string {
	return p.render(id, count, data)
}

func (p *Printer) render(id ID, count any, data []Data) string {
	td := Data{}
	for _, d := range data {
		for k, v := range d {
			td[k] = v
		}
	}
	if count != nil {
		td["Count"] = count
	}
	s, err := p.localizer.Localize(&goi18n.LocalizeConfig{
		MessageID:    string(id),
		TemplateData: map[string]any(td),
		PluralCount:  count,
	})
	if err != nil {
		return "[" + string(id) + "]"
	}
	return s
}

// Println writes message id and a newline to w.
func (p *Printer) Println(w io.Writer, id ID, data ...Data) {
	fmt.Fprintln(w, p.T(id, data...))
}

// Error is an error whose message is shown to people in their language. Err
// keeps the underlying cause for errors.Is and for logs.
type Error struct {
	ID   ID
	Data Data
	Err  error
}

func (e *Error) Error() string {
	// Error returns English so logs and wrapped errors stay English; the
	// CLI renders the message through a Printer with Localize.
	msg := New(English).T(e.ID, e.Data)
	if e.Err != nil && !strings.Contains(msg, e.Err.Error()) {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Localize returns err's message in p's language when err is or wraps an
// *Error, else err.Error().
func (p *Printer) Localize(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	return p.T(e.ID, e.Data)
}
