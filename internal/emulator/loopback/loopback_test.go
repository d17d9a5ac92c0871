package loopback

import (
	"strings"
	"testing"
)

// The addresses are only parsed, never bound.
func TestCheckListenAddress(t *testing.T) {
	cases := []struct {
		name, addr, inError string
	}{
		{"ipv4 loopback", "127.0.0.1:0", ""},
		{"other ipv4 loopback", "127.0.0.2:8089", ""},
		{"ipv6 loopback", "[::1]:8089", ""},
		{"localhost", "localhost:8089", ""},
		{"all interfaces", "0.0.0.0:8089", "not a loopback address"},
		{"empty host", ":8089", "not a loopback address"},
		{"private address", "192.168.1.10:8089", "not a loopback address"},
		{"host name", "example.com:8089", "not a loopback address"},
		{"no port", "127.0.0.1", "use HOST:PORT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckListenAddress(tc.addr)
			if tc.inError == "" {
				if err != nil {
					t.Errorf("CheckListenAddress(%q) = %v, want nil", tc.addr, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.inError) {
				t.Errorf("CheckListenAddress(%q) = %v, want an error containing %q", tc.addr, err, tc.inError)
			}
		})
	}
}
