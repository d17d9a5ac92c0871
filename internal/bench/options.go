package bench

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Defaults and bounds of Options.
const (
	DefaultPeople  = 10_000
	DefaultChanges = 1_000

	// MaxPeople bounds --people. One process holds both emulators, the
	// generated data and the engine, so memory grows with the people: a
	// run of 50,000 people peaked at 1,130 MiB RSS (docs/benchmarks.md).
	// NOTE: 250,000 people would need about 6 GiB at that rate, an
	// estimate that no run has checked.
	MaxPeople = 250_000

	// MaxLatency bounds --latency. A real vendor round trip takes tens of
	// milliseconds, and a larger value only makes a run take hours.
	MaxLatency = 2 * time.Second

	// MaxCycles bounds the cycles of one phase before it counts as not
	// converged.
	MaxCycles = 20
)

// Options configure Run.
type Options struct {
	// People is the number of generated people, from 1 to MaxPeople.
	People int

	// Changes is the number of edits before the incremental cycle, half
	// in HubSpot and half in Salesforce. Zero makes none. Run uses at
	// most one edit per linked pair.
	Changes int

	// Seed selects the generated data and the edited records.
	Seed uint64

	// Latency is added to every emulator request before it is served.
	Latency time.Duration

	// StoreURL is a postgres:// URL. Empty means a SQLite file in a
	// temporary directory.
	StoreURL string

	// Pacing keeps the HubSpot client's default limits of 100 calls per
	// 10 seconds and 5 searches per second, as koppel serve does.
	Pacing bool

	// Defects keeps the records the generator makes bad on purpose. By
	// default they are removed, so the numbers are about speed.
	Defects bool

	// Progress receives one message per step; nil discards them.
	Progress func(Message)
}

// UsageError is an invalid option value. The command exits 2 for it.
type UsageError struct {
	Flag  string
	Value string
	Hint  string
}

func (e *UsageError) Error() string {
	return fmt.Sprintf("invalid --%s value %s: %s", e.Flag, e.Value, e.Hint)
}

// Validate returns a *UsageError for the first invalid value.
func (o *Options) Validate() error {
	if o.People < 1 || o.People > MaxPeople {
		return &UsageError{Flag: "people", Value: fmt.Sprint(o.People), Hint: fmt.Sprintf("use a whole number from 1 to %d", MaxPeople)}
	}
	if o.Changes < 0 {
		return &UsageError{Flag: "changes", Value: fmt.Sprint(o.Changes), Hint: "use 0 or more"}
	}
	if o.Changes > o.People {
		return &UsageError{Flag: "changes", Value: fmt.Sprint(o.Changes), Hint: fmt.Sprintf("use at most the number of people (%d), because each edit goes to another linked pair", o.People)}
	}
	if o.Latency < 0 || o.Latency > MaxLatency {
		return &UsageError{Flag: "latency", Value: o.Latency.String(), Hint: fmt.Sprintf("use a duration from 0 to %s, such as 50ms", MaxLatency)}
	}
	if o.StoreURL != "" {
		if err := checkStoreURL(o.StoreURL); err != nil {
			return &UsageError{Flag: "store", Value: redactURL(o.StoreURL), Hint: err.Error()}
		}
	}
	return nil
}

// ParseStore converts the --store value to Options.StoreURL. "sqlite"
// and "" select the SQLite file, and a postgres:// URL selects PostgreSQL.
func ParseStore(v string) (string, error) {
	if v == "" || v == "sqlite" {
		return "", nil
	}
	if err := checkStoreURL(v); err != nil {
		return "", &UsageError{Flag: "store", Value: redactURL(v), Hint: err.Error()}
	}
	return v, nil
}

func checkStoreURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("use sqlite, or a PostgreSQL URL such as postgres://user:password@127.0.0.1:5432/koppel_bench")
	}
	if strings.Trim(u.Path, "/") == "" {
		return fmt.Errorf("the URL names no database; add one, such as /koppel_bench")
	}
	return nil
}

// redactURL quotes v with any password replaced, so an error message
// never shows it.
func redactURL(v string) string {
	if u, err := url.Parse(v); err == nil && u.User != nil {
		return fmt.Sprintf("%q", u.Redacted())
	}
	return fmt.Sprintf("%q", v)
}
