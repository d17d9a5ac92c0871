package demo

import (
	"embed"
	"fmt"
	"io"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/koppel-sync/koppel/internal/i18n"
)

// Message IDs of the demo. Each exists in locales/active.en.toml and
// locales/active.nl.toml; TestMessagesInBothLanguages checks it.
//
// TODO: move these messages into internal/i18n, which holds the other CLI
// messages, once that package takes additions from other packages.
const (
	msgGenerating        = "demo.generating"
	msgEmulators         = "demo.emulators"
	msgConnection        = "demo.connection"
	msgImport            = "demo.import"
	msgCycle             = "demo.cycle"
	msgConverged         = "demo.converged"
	msgLive              = "demo.live"
	msgServing           = "demo.serving"
	msgAdmin             = "demo.admin"
	msgStopping          = "demo.stopping"
	msgSummaryTitle      = "summary.title"
	msgSummaryPeople     = "summary.people"
	msgSummaryCycles     = "summary.cycles"
	msgSummaryOutcomes   = "summary.outcomes"
	msgSummaryOutcome    = "summary.outcome"
	msgSummaryParked     = "summary.parked"
	msgSummaryCategory   = "summary.category"
	msgSummaryExample    = "summary.example"
	msgSummaryAPICalls   = "summary.api_calls"
	msgSummaryDuplicates = "summary.duplicates"
	msgSummaryExpected   = "summary.expected_match"
	msgSummaryMismatch   = "summary.expected_mismatch"
	msgYes               = "summary.yes"
	msgNo                = "summary.no"
	msgErrPeople         = "error.people"
	msgErrListen         = "error.listen"
	msgErrListenBusy     = "error.listen_busy"
	msgErrNotConverged   = "error.not_converged"
)

// outcomeIDs maps each engine outcome to the message that names it.
var outcomeIDs = map[string]string{
	"created":            "outcome.created",
	"linked":             "outcome.linked",
	"relinked":           "outcome.relinked",
	"updated_hubspot":    "outcome.updated_hubspot",
	"updated_salesforce": "outcome.updated_salesforce",
	"skipped":            "outcome.skipped",
	"failed":             "outcome.failed",
}

// outcomeOrder is the order in which the summary lists outcomes.
var outcomeOrder = []string{"created", "linked", "relinked", "updated_hubspot", "updated_salesforce", "skipped", "failed"}

//go:embed locales/*.toml
var localeFS embed.FS

var (
	bundleOnce sync.Once
	bundle     *goi18n.Bundle
	bundleErr  error
)

func loadBundle() (*goi18n.Bundle, error) {
	bundleOnce.Do(func() {
		bundle, bundleErr = i18n.LoadBundle(localeFS, "locales/active.en.toml", "locales/active.nl.toml")
	})
	return bundle, bundleErr
}

// printer renders the demo's messages, and category and error-code
// explanations through internal/i18n, in one language.
type printer struct {
	*i18n.Printer
	localizer *goi18n.Localizer
}

func newPrinter(lang string) *printer {
	b, err := loadBundle()
	if err != nil {
		panic("demo: " + err.Error())
	}
	p := i18n.New(lang)
	return &printer{Printer: p, localizer: goi18n.NewLocalizer(b, p.Lang())}
}

// recordKinds maps "side:object" of a parked record to the message that
// names that kind of record.
var recordKinds = map[string]string{
	"hubspot:contact":    "record.hubspot_contact",
	"hubspot:company":    "record.hubspot_company",
	"salesforce:Lead":    "record.salesforce_lead",
	"salesforce:Contact": "record.salesforce_contact",
	"salesforce:Account": "record.salesforce_account",
}

// recordKind names the kind of a record, such as "HubSpot contact", or
// gives side and object as they are for a kind without a message.
func (p *printer) recordKind(side, object string) string {
	if id, ok := recordKinds[side+":"+object]; ok {
		return p.text(id, nil)
	}
	return side + " " + object
}

// Explain returns the readable explanation of a sync-error code in lang,
// as the summary shows it, or the code itself when none exists.
func Explain(code, lang string) string { return newPrinter(lang).ErrorCode(code) }

// text renders message id; a missing id renders as the id in brackets.
func (p *printer) text(id string, data map[string]any) string {
	s, err := p.localizer.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return "[" + id + "]"
	}
	return s
}

func (p *printer) println(w io.Writer, id string, data map[string]any) {
	fmt.Fprintln(w, p.text(id, data))
}

// Error is a demo error whose message is shown in the user's language.
type Error struct {
	ID   string
	Data map[string]any
	Err  error
}

func (e *Error) Error() string {
	msg := newPrinter(i18n.English).text(e.ID, e.Data)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Localize returns e's message in lang.
func (e *Error) Localize(lang string) string {
	msg := newPrinter(lang).text(e.ID, e.Data)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}
