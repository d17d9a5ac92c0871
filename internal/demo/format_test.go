package demo

import (
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
