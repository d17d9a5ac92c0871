package demo

import (
	"strconv"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/i18n"
)

// seconds formats d in seconds with two decimals for lang, with a
// decimal comma in Dutch: "44.27 s" or "44,27 s". Whole seconds drop the
// decimals ("5 s"), and under a second it gives milliseconds ("850 ms").
func seconds(d time.Duration, lang string) string {
	if d < time.Second {
		return strconv.FormatInt(d.Round(time.Millisecond).Milliseconds(), 10) + " ms"
	}
	var s string
	if d%time.Second == 0 {
		s = strconv.FormatInt(int64(d/time.Second), 10)
	} else {
		s = strconv.FormatFloat(d.Seconds(), 'f', 2, 64)
	}
	if lang == i18n.Dutch {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " s"
}
