package hubspot_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

const testToken = "pat-na1-test"

// clock is a settable test clock shared by the emulator and the client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is the setup bundle: an emulator over httptest and a client on it.
type env struct {
	emu    *hsemu.Emulator
	srv    *httptest.Server
	client *hubspot.Client
	clock  *clock
	ctx    context.Context
}

type option func(*hsemu.Seed, *hubspot.Config)

func setup(t *testing.T, opts ...option) *env {
	t.Helper()
	seed := &hsemu.Seed{Config: hsemu.Config{PrivateAppTokens: []string{testToken}}}
	clk := newClock()
	cfg := hubspot.Config{
		AccessToken: testToken, RetryBaseDelay: time.Millisecond, Now: clk.Now,
		// Each test gets its own limiter, because limiters are shared per
		// account key across clients in one process.
		RateLimit: hubspot.RateLimitConfig{AccountKey: t.Name(), Disabled: true},
	}
	for _, o := range opts {
		o(seed, &cfg)
	}

	emu, err := hsemu.New(seed, hsemu.Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("new emulator: %v", err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() {
		srv.Close()
		emu.Close()
	})

	cfg.BaseURL = srv.URL
	cfg.HTTPClient = srv.Client()
	client, err := hubspot.New(cfg)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return &env{emu: emu, srv: srv, client: client, clock: clk, ctx: context.Background()}
}

// asError returns err as *hubspot.Error or fails the test.
func asError(t *testing.T, err error) *hubspot.Error {
	t.Helper()
	var he *hubspot.Error
	if !errors.As(err, &he) {
		t.Fatalf("error %v (%T) is not a *hubspot.Error", err, err)
	}
	return he
}

func mustCreate(t *testing.T, e *env, objectType string, props map[string]string) hsemu.Record {
	t.Helper()
	r, err := e.emu.CreateRecord(objectType, props)
	if err != nil {
		t.Fatalf("create %s in emulator: %v", objectType, err)
	}
	return r
}
