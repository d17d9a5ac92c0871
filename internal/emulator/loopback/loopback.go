package loopback

import (
	"fmt"
	"net"
)

// CheckListenAddress returns an error unless addr is HOST:PORT with a
// loopback host, because the /_emulator/ endpoints need no token and must
// not be reachable from another machine.
func CheckListenAddress(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid listen address %q: %w; use HOST:PORT such as 127.0.0.1:8089", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("listen host %q is not a loopback address: the emulator serves /_emulator/ without a token, so it listens on 127.0.0.1, ::1 or localhost only", host)
	}
	return nil
}
