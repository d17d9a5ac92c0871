package i18n

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// message is one flattened entry of a locale file: a plain string has only
// the "other" form.
type message map[string]string

func readLocale(t *testing.T, lang string) map[string]message {
	t.Helper()
	raw, err := localeFS.ReadFile("locales/active." + lang + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := toml.Unmarshal(raw, &tree); err != nil {
		t.Fatalf("parse %s: %v", lang, err)
	}
	out := map[string]message{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			id := k
			if prefix != "" {
				id = prefix + "." + k
			}
			switch v := v.(type) {
			case string:
				out[id] = message{"other": v}
			case map[string]any:
				if s, ok := v["other"].(string); ok {
					msg := message{"other": s}
					if one, ok := v["one"].(string); ok {
						msg["one"] = one
					}
					out[id] = msg
					continue
				}
				walk(id, v)
			default:
				t.Fatalf("%s: %s has unexpected type %T", lang, id, v)
			}
		}
	}
	walk("", tree)
	return out
}

// declaredIDs returns the values of the ID constants in ids.go.
func declaredIDs(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "ids.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Values) != 1 {
			return true
		}
		lit, ok := vs.Values[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		s, _ := strconv.Unquote(lit.Value)
		ids = append(ids, s)
		return true
	})
	if len(ids) < 10 {
		t.Fatalf("found only %d IDs in ids.go", len(ids))
	}
	return ids
}

// wantIDs is every ID the code can ask for: the constants, and the IDs
// built from the category, error-code and reason-code tables.
func wantIDs(t *testing.T) []string {
	ids := declaredIDs(t)
	for _, c := range SyncErrorCategories {
		ids = append(ids, "category."+c+".title", "category."+c+".hint")
	}
	for _, c := range SyncErrorCodes {
		ids = append(ids, string(codeID(c)))
	}
	for _, c := range ReasonCodes {
		ids = append(ids, string(reasonID(c)))
	}
	return ids
}

func TestEveryIDInBothLanguages(t *testing.T) {
	want := wantIDs(t)
	for _, lang := range []string{English, Dutch} {
		got := readLocale(t, lang)
		for _, id := range want {
			if _, ok := got[id]; !ok {
				t.Errorf("%s: message %s is missing", lang, id)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(got)) {
			if !slices.Contains(want, id) {
				t.Errorf("%s: message %s is not used by any ID constant or table", lang, id)
			}
		}
	}
}

// sameInBothLanguages lists messages whose Dutch is allowed to equal the
// English because it consists of product terms only.
var sameInBothLanguages = map[string]bool{}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

func TestDutchDiffersAndKeepsPlaceholders(t *testing.T) {
	en := readLocale(t, English)
	nl := readLocale(t, Dutch)
	for id, enMsg := range en {
		nlMsg, ok := nl[id]
		if !ok {
			continue // reported by TestEveryIDInBothLanguages
		}
		for form, enText := range enMsg {
			nlText, ok := nlMsg[form]
			if !ok {
				t.Errorf("%s: Dutch lacks the %q plural form", id, form)
				continue
			}
			if enText == nlText && !sameInBothLanguages[id] {
				t.Errorf("%s (%s): Dutch equals English: %q", id, form, enText)
			}
			if a, b := placeholders(enText), placeholders(nlText); !slices.Equal(a, b) {
				t.Errorf("%s (%s): placeholders differ: en %v, nl %v", id, form, a, b)
			}
		}
	}
}

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestNoInformalDutch(t *testing.T) {
	// Dutch product text addresses the user with "u"; "je" and "jij" read
	// as a different voice.
	informal := regexp.MustCompile(`(?i)\b(je|jij|jouw|jullie)\b`)
	for id, msg := range readLocale(t, Dutch) {
		for _, text := range msg {
			if informal.MatchString(text) {
				t.Errorf("%s uses the informal form: %q", id, text)
			}
		}
	}
}

func TestPrinterRenders(t *testing.T) {
	cases := []struct {
		name string
		lang string
		got  func(p *Printer) string
		want string
	}{
		{"english data", English, func(p *Printer) string {
			return p.T(ConnectSalesforceBudget, Data{"Remaining": 14998, "Max": 15000})
		}, "Salesforce API requests in the last 24 hours: 14998 of 15000 left."},
		{"dutch data", Dutch, func(p *Printer) string {
			return p.T(ConnectSalesforceBudget, Data{"Remaining": 14998, "Max": 15000})
		}, "Salesforce-API-aanroepen in de afgelopen 24 uur: nog 14998 van de 15000 over."},
		{"unknown language is english", "fr", func(p *Printer) string {
			return p.T(ConnectErrAuthMode)
		}, New(English).T(ConnectErrAuthMode)},
		{"plural one", Dutch, func(p *Printer) string {
			return p.N(SettingsErrInvalid, 1, Data{"File": "a.yaml"})
		}, "a.yaml bevat 1 fout, dus er is niets gewijzigd:"},
		{"plural other", English, func(p *Printer) string {
			return p.N(SettingsErrInvalid, 3, Data{"File": "a.yaml"})
		}, "a.yaml has 3 problems, so nothing was changed:"},
		{"missing id shows id", English, func(p *Printer) string {
			return p.T("no.such.message")
		}, "[no.such.message]"},
		{"category title", Dutch, func(p *Printer) string {
			return p.CategoryTitle("property_value")
		}, "Eigenschapswaarden"},
		{"unknown category", Dutch, func(p *Printer) string {
			return p.CategoryTitle("weather")
		}, "weather"},
		{"salesforce code", English, func(p *Printer) string {
			return p.ErrorCode("STRING_TOO_LONG")
		}, "The text is longer than the Salesforce field allows."},
		{"unknown code", Dutch, func(p *Printer) string {
			return p.ErrorCode("SOMETHING_NEW")
		}, "SOMETHING_NEW"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.got(New(tc.lang)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorLocalizes(t *testing.T) {
	cause := errors.New("invalid_client_id")
	err := error(&Error{ID: ConnectErrSalesforceAuth, Data: Data{"Detail": "invalid_client_id"}, Err: cause})
	wrapped := errors.Join(errors.New("connect"), err)

	if !errors.Is(wrapped, cause) {
		t.Error("Error does not unwrap to its cause")
	}
	if got := err.Error(); !strings.HasPrefix(got, "Salesforce rejected the credentials") {
		t.Errorf("Error() = %q, want English", got)
	}
	nl := New(Dutch).Localize(err)
	if !strings.HasPrefix(nl, "Salesforce weigert de inloggegevens: invalid_client_id.") {
		t.Errorf("Localize = %q, want Dutch", nl)
	}
	if got := New(Dutch).Localize(errors.New("plain")); got != "plain" {
		t.Errorf("Localize(plain) = %q", got)
	}
}
