package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/metrics"
)

// Defaults of Config and Connection.
const (
	DefaultInterval         = 30 * time.Second
	DefaultShutdownGrace    = 10 * time.Second
	DefaultMinBackoff       = time.Second
	DefaultMaxBackoff       = 5 * time.Minute
	DefaultErrorLogInterval = time.Minute
)

// Syncer runs one sync cycle. *engine.Engine implements it.
type Syncer interface {
	SyncOnce(ctx context.Context) (engine.Result, error)
}

// Connection is one connection the daemon schedules.
type Connection struct {
	// Name is the connection's name, unique in a Daemon.
	Name string

	Syncer Syncer

	// Interval is the time between the end of one cycle and the start of
	// the next. Default DefaultInterval.
	Interval time.Duration

	// Budget, when set, returns the API calls left on each side as the
	// vendors last reported them, or -1 where unknown. It is read after
	// every cycle for the koppel_api_remaining metric.
	Budget func() (hubspot, salesforce int)

	// OpenErrors, when set, returns the parked records per sync-error
	// category. It is read after every cycle that handled records.
	OpenErrors func(ctx context.Context) (map[string]int64, error)

	// WebhookSecret is the client secret of the HubSpot app whose
	// webhooks start a cycle of this connection. Empty turns webhook
	// triggers off for the connection.
	WebhookSecret string

	// PortalID, when set, limits webhook triggers to events of this
	// HubSpot account.
	PortalID string
}

// Config configures a Daemon.
type Config struct {
	Connections []Connection

	// Logger receives the daemon's logs. Default slog.Default().
	Logger *slog.Logger

	// Metrics, when set, receives every cycle.
	Metrics *metrics.Metrics

	// Clock is the time source. Default SystemClock.
	Clock Clock

	// ShutdownGrace is how long a cycle in progress may go on after Run's
	// context ended before the cycle's own context is cancelled. Default
	// DefaultShutdownGrace.
	ShutdownGrace time.Duration

	// MinBackoff is the wait after the first failed cycle; it doubles with
	// every further failure up to MaxBackoff. Defaults DefaultMinBackoff
	// and DefaultMaxBackoff.
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// ErrorLogInterval is how often the same cycle error is logged at
	// ERROR while it repeats; the repeats in between are counted. Default
	// DefaultErrorLogInterval.
	ErrorLogInterval time.Duration

	// WebhookURL is the public URL HubSpot posts webhooks to, as set in
	// the HubSpot app, for when a proxy changes the host koppel sees.
	// Empty uses the URL of the request.
	WebhookURL string

	// OnCycle, when set, is called after every cycle from the
	// connection's goroutine; it must return quickly.
	OnCycle func(Report)
}

// Trigger names what started a cycle.
type Trigger string

const (
	TriggerStart    Trigger = "start"
	TriggerInterval Trigger = "interval"
	TriggerWebhook  Trigger = "webhook"
	TriggerRetry    Trigger = "retry"
	TriggerManual   Trigger = "manual"
)

// Report describes one finished cycle.
type Report struct {
	Connection string
	Trigger    Trigger
	Start      time.Time
	Duration   time.Duration
	Result     engine.Result
	Err        error

	// Category is the category of Err, empty when Err is nil.
	Category string

	// Failures is the number of failed cycles in a row, this one included.
	Failures int

	// NextIn is the wait before the next scheduled cycle.
	NextIn time.Duration
}

// Daemon runs the schedulers of its connections.
type Daemon struct {
	cfg        Config
	log        *slog.Logger
	schedulers map[string]*scheduler
	order      []string

	mu      sync.Mutex
	running bool

	// rejectMu guards rejectLogs, the rate limits of the log lines of
	// rejected webhooks, keyed by message.
	rejectMu   sync.Mutex
	rejectLogs map[string]*errorLog
}

// New returns a Daemon for cfg after checking it.
func New(cfg Config) (*Daemon, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.ShutdownGrace <= 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = DefaultMinBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		return nil, fmt.Errorf("create daemon: max backoff %s is below min backoff %s", cfg.MaxBackoff, cfg.MinBackoff)
	}
	if cfg.ErrorLogInterval <= 0 {
		cfg.ErrorLogInterval = DefaultErrorLogInterval
	}

	d := &Daemon{cfg: cfg, log: cfg.Logger, schedulers: map[string]*scheduler{}, rejectLogs: map[string]*errorLog{}}
	for _, c := range cfg.Connections {
		if c.Name == "" || c.Syncer == nil {
			return nil, errors.New("create daemon: every connection needs a name and a syncer")
		}
		if _, dup := d.schedulers[c.Name]; dup {
			return nil, fmt.Errorf("create daemon: connection %q is listed twice", c.Name)
		}
		if c.Interval <= 0 {
			c.Interval = DefaultInterval
		}
		d.schedulers[c.Name] = newScheduler(d, c)
		d.order = append(d.order, c.Name)
	}
	return d, nil
}

// Run runs a scheduler per connection until ctx ends, then waits for the
// cycles in progress to finish or be cancelled after ShutdownGrace. It
// returns nil after a clean shutdown.
func (d *Daemon) Run(ctx context.Context) error {
	d.mu.Lock()
	if d.running {
		d.mu.Unlock()
		return errors.New("run daemon: already running")
	}
	d.running = true
	d.mu.Unlock()

	d.log.Info("scheduler started", "connections", len(d.order))
	var wg sync.WaitGroup
	for _, name := range d.order {
		s := d.schedulers[name]
		wg.Go(func() { s.run(ctx) })
	}
	wg.Wait()
	d.log.Info("scheduler stopped")
	return nil
}

// Trigger requests a cycle of connection name as soon as the one in
// progress, if any, has finished. Triggers that arrive before that cycle
// starts are merged into one. It reports whether the connection exists.
func (d *Daemon) Trigger(name string) bool {
	s, ok := d.schedulers[name]
	if !ok {
		return false
	}
	s.trigger(TriggerManual)
	return true
}

// Connections returns the names of the scheduled connections, in the
// order of Config.Connections.
func (d *Daemon) Connections() []string { return append([]string(nil), d.order...) }
