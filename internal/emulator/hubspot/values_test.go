package hubspot

import (
	"testing"
	"time"
)

func TestStoredMillisMatchesTimeParse(t *testing.T) {
	cases := []string{"2025-01-31T10:11:12.345Z", "1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z"}
	for _, v := range cases {
		t.Run(v, func(t *testing.T) {
			want, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := storedMillis(v)
			if !ok || got != want.UnixMilli() {
				t.Errorf("storedMillis = %d, %v; want %d", got, ok, want.UnixMilli())
			}
		})
	}
	for _, bad := range []string{"2025-01-31", "2025-01-31T10:11:12Z", "2025-01-31T10:11:1x.345Z", "1738281600000"} {
		if _, ok := storedMillis(bad); ok {
			t.Errorf("storedMillis accepted %q", bad)
		}
	}
}
