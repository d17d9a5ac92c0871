package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

func TestClassOf(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want hubspot.Class
	}{
		{"nil", nil, hubspot.ClassNone},
		{"ten-second 429", &hubspot.Error{Status: 429, PolicyName: hubspot.PolicyTenSecondlyRolling}, hubspot.ClassRetry},
		{"daily 429", &hubspot.Error{Status: 429, PolicyName: hubspot.PolicyDaily}, hubspot.ClassPause},
		{"401", &hubspot.Error{Status: 401, Category: hubspot.CategoryInvalidAuth}, hubspot.ClassPause},
		{"403 scopes", &hubspot.Error{Status: 403, Category: hubspot.CategoryMissingScopes}, hubspot.ClassPause},
		{"404", &hubspot.Error{Status: 404}, hubspot.ClassDeleted},
		{"batch not found", &hubspot.Error{Status: 207, Category: hubspot.CategoryNotFound}, hubspot.ClassDeleted},
		{"409", &hubspot.Error{Status: 409, Category: hubspot.CategoryConflict}, hubspot.ClassPark},
		{"400", &hubspot.Error{Status: 400, Category: hubspot.CategoryValidation}, hubspot.ClassPark},
		{"423", &hubspot.Error{Status: 423}, hubspot.ClassRetry},
		{"477", &hubspot.Error{Status: 477}, hubspot.ClassRetry},
		{"502", &hubspot.Error{Status: 502}, hubspot.ClassRetry},
		{"524", &hubspot.Error{Status: 524}, hubspot.ClassRetry},
		{"wrapped", fmt.Errorf("sync contact: %w", &hubspot.Error{Status: 404}), hubspot.ClassDeleted},
		{"transport", &hubspot.Error{Category: hubspot.CategoryTransport}, hubspot.ClassRetry},
		{"net op error", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, hubspot.ClassRetry},
		{"deadline", context.DeadlineExceeded, hubspot.ClassRetry},
		{"connection closed", fmt.Errorf("read response: %w", io.ErrUnexpectedEOF), hubspot.ClassRetry},
		{"cancelled", context.Canceled, hubspot.ClassPause},
		{"unknown", errors.New("boom"), hubspot.ClassPark},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := hubspot.ClassOf(tc.err); got != tc.want {
				t.Errorf("ClassOf = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWrongTokenPauses(t *testing.T) {
	e := setup(t, func(_ *hsemu.Seed, c *hubspot.Config) { c.AccessToken = "pat-wrong" })
	_, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{})
	he := asError(t, err)
	if he.Status != 401 || he.Category != hubspot.CategoryInvalidAuth || he.Class() != hubspot.ClassPause {
		t.Errorf("got status %d category %s class %v, want 401 INVALID_AUTHENTICATION pause", he.Status, he.Category, he.Class())
	}
	if got := e.client.Usage().Calls; got != 1 {
		t.Errorf("made %d calls, want 1 (no retry on 401)", got)
	}
}

func TestRetriesServerErrors(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.Faults = hsemu.Faults{ServerErrors: 0.5, RandSeed: 7}
		c.MaxRetries = 10
	})
	for i := range 20 {
		if _, err := e.client.Create(e.ctx, hubspot.Companies, map[string]string{"name": fmt.Sprint("Retry ", i)}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	u := e.client.Usage()
	if u.Retries == 0 {
		t.Error("no retries made with half of the calls failing")
	}
	if got := e.emu.Count("companies", false); got != 20 {
		t.Errorf("emulator has %d companies, want 20", got)
	}
	if u.ByStatus[502]+u.ByStatus[503]+u.ByStatus[504] == 0 {
		t.Errorf("no 5xx answers counted: %v", u.ByStatus)
	}
}

func TestServerErrorsExhaustRetries(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.Faults = hsemu.Faults{ServerErrors: 1}
		c.MaxRetries = 2
	})
	_, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{})
	he := asError(t, err)
	if he.Status < 500 || he.Class() != hubspot.ClassRetry {
		t.Errorf("status %d class %v, want 5xx retry", he.Status, he.Class())
	}
	if got := e.client.Usage().Calls; got != 3 {
		t.Errorf("made %d calls, want 3 (one try and two retries)", got)
	}
}

func TestLockedIsRetryable(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.Faults = hsemu.Faults{Locked: 1}
		c.MaxRetries = -1
	})
	_, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{})
	he := asError(t, err)
	if he.Status != 423 || he.Class() != hubspot.ClassRetry {
		t.Errorf("status %d class %v, want 423 retry", he.Status, he.Class())
	}
}

func TestDroppedConnectionIsRetryable(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.Faults = hsemu.Faults{Dropped: 1}
		c.MaxRetries = 1
	})
	_, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{})
	if err == nil {
		t.Fatal("list over dropped connections succeeded")
	}
	if got := hubspot.ClassOf(err); got != hubspot.ClassRetry {
		t.Errorf("class = %v (%v), want retry", got, err)
	}
	if got := e.emu.Calls().Faults; got != 2 {
		t.Errorf("emulator dropped %d calls, want 2", got)
	}
}

func TestDailyCapPauses(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, _ *hubspot.Config) { s.Config.Faults = hsemu.Faults{DailyExhausted: true} })
	_, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{})
	he := asError(t, err)
	if he.Status != 429 || he.PolicyName != hubspot.PolicyDaily || he.Class() != hubspot.ClassPause {
		t.Errorf("status %d policy %s class %v, want 429 DAILY pause", he.Status, he.PolicyName, he.Class())
	}
	if got := e.client.Usage().Calls; got != 1 {
		t.Errorf("made %d calls, want 1: a DAILY 429 is not retried", got)
	}
}

func TestTenSecondLimitRetried(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.RateLimits = hsemu.RateLimits{TenSecondly: 3, Daily: 1000}
		c.MaxRetries = 3
	})
	for i := range 4 {
		if _, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
			if i < 3 {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if i == 2 {
			// The emulator's window rolls on its own clock.
			go func() {
				time.Sleep(300 * time.Millisecond)
				e.clock.Add(11 * time.Second)
			}()
		}
	}
	u := e.client.Usage()
	if u.RateLimited == 0 {
		t.Fatalf("no 429 seen with a budget of 3 per 10 s: %+v", u)
	}
	if u.Last.Max != 3 || u.Last.IntervalMillis != 10000 || u.Last.Daily != 1000 {
		t.Errorf("last headers = %+v, want max 3, interval 10000, daily 1000", u.Last)
	}
	if e.emu.Calls().RateLimited == 0 {
		t.Error("emulator counted no rate-limited calls")
	}
}

func TestClientLimiterPacesCalls(t *testing.T) {
	e := setup(t, func(s *hsemu.Seed, c *hubspot.Config) {
		s.Config.RateLimits = hsemu.RateLimits{TenSecondly: 20}
		c.RateLimit = hubspot.RateLimitConfig{AccountKey: t.Name(), TenSecondly: 20}
	})
	for i := range 4 {
		if _, err := e.client.List(e.ctx, hubspot.Contacts, hubspot.ListOptions{}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	u := e.client.Usage()
	if u.RateLimited != 0 {
		t.Errorf("client hit %d 429s although it paces itself", u.RateLimited)
	}
	if u.Waited == 0 {
		t.Error("limiter never waited with a burst of 2 and four calls")
	}
}

func TestErrorMessage(t *testing.T) {
	err := &hubspot.Error{Status: 400, Method: "POST", Path: "/crm/v3/objects/contacts", Category: "VALIDATION_ERROR",
		Code: "INVALID_OPTION", Property: "lifecyclestage", Message: "bad", CorrelationID: "c-1"}
	want := `hubspot POST /crm/v3/objects/contacts: 400 VALIDATION_ERROR/INVALID_OPTION on "lifecyclestage": bad (correlation id c-1)`
	if err.Error() != want {
		t.Errorf("Error() = %s\nwant      %s", err.Error(), want)
	}
}
