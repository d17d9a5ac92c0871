package demo

import (
	"strings"
	"testing"
	"time"
)

func TestSecondsPerLanguage(t *testing.T) {
	cases := []struct {
		d    time.Duration
		lang string
		want string
	}{
		{44270 * time.Millisecond, "en", "44.27 s"},
		{44270 * time.Millisecond, "nl", "44,27 s"},
		{5 * time.Second, "nl", "5 s"},
		{1234 * time.Microsecond, "nl", "1 ms"},
		{850 * time.Millisecond, "en", "850 ms"},
		{1500 * time.Millisecond, "en", "1.50 s"},
	}
	for _, tc := range cases {
		if got := seconds(tc.d, tc.lang); got != tc.want {
			t.Errorf("seconds(%s, %s) = %q, want %q", tc.d, tc.lang, got, tc.want)
		}
	}
}

func TestCycleLineSingular(t *testing.T) {
	data := map[string]any{"Cycle": 5, "Trigger": "interval", "Duration": "1 s", "Written": int64(1), "OpenErrors": int64(1),
		"Conflicts": int64(2), "HubSpotCalls": int64(3), "SalesforceCalls": int64(4)}
	if got, want := newPrinter("en").text(msgCycle, data), "1 record written, 1 open error, 2 conflicts."; !strings.Contains(got, want) {
		t.Errorf("en cycle line = %q, want it to contain %q", got, want)
	}
	if got, want := newPrinter("nl").text(msgCycle, data), "1 record geschreven, 1 open fout, 2 conflicten."; !strings.Contains(got, want) {
		t.Errorf("nl cycle line = %q, want it to contain %q", got, want)
	}
}
