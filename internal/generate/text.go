package generate

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// germanFolds spells German letters the way German domains and mailboxes
// do, before the remaining marks are stripped: Müller becomes mueller.
var germanFolds = strings.NewReplacer(
	"ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss",
	"Ä", "Ae", "Ö", "Oe", "Ü", "Ue",
)

// otherFolds covers letters that have no decomposition to strip.
var otherFolds = strings.NewReplacer("ı", "i", "ł", "l", "Ł", "L", "ø", "o", "æ", "ae")

// asciiFold turns "Lefèvre" into "Lefevre" and, with german set,
// "Müller" into "Mueller".
func asciiFold(s string, german bool) string {
	if german {
		s = germanFolds.Replace(s)
	}
	s = otherFolds.Replace(s)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// slug returns s folded to lower-case ASCII letters and digits, with sep
// between words: "Van 't Hof & Zn." gives "van-t-hof-zn" for sep "-" and
// "vanthofzn" for sep "".
func slug(s string, sep string, german bool) string {
	s = strings.ToLower(asciiFold(s, german))
	var b strings.Builder
	pendingSep := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if pendingSep && b.Len() > 0 {
				b.WriteString(sep)
			}
			pendingSep = false
			b.WriteRune(r)
		case r == '\'':
			// An apostrophe joins letters instead of separating words, so
			// D'Hondt gives dhondt.
		default:
			pendingSep = true
		}
	}
	return b.String()
}
