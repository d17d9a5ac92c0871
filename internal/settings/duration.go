package settings

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a time.Duration written as "30s" or "2m" in YAML and JSON.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("invalid duration %q: use a number with a unit, such as 30s or 2m", b)
	}
	*d = Duration(v)
	return nil
}

// UnmarshalJSON accepts a quoted duration; MarshalText covers encoding.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("invalid duration %s: use a quoted value such as \"30s\"", b)
	}
	return d.UnmarshalText([]byte(s))
}
