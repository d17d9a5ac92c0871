package hubspot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimitConfig paces calls per HubSpot account. Zero fields take the
// defaults; the ten-second budget follows X-HubSpot-RateLimit-Max once a
// response carries it.
type RateLimitConfig struct {
	// AccountKey identifies the HubSpot account, so clients of one account
	// share a limiter. Default: derived from BaseURL and the credentials.
	AccountKey string

	// TenSecondly is the request budget per 10 seconds. Default 100, the
	// Free/Starter limit for private apps.
	TenSecondly int

	// Daily is the request budget per day; 0 relies on the
	// X-HubSpot-RateLimit-Daily-Remaining header only.
	Daily int

	// SearchPerSecond is the search request budget. Default 5.
	SearchPerSecond int

	// Disabled turns client-side pacing off (the server's 429s are still
	// honored).
	Disabled bool
}

// accountLimiter is shared by all clients of one account.
type accountLimiter struct {
	disabled bool
	now      func() time.Time

	mu          sync.Mutex
	tenSecondly *rate.Limiter
	search      *rate.Limiter
	max         int
	daily       int
	dailyUsed   int
	day         time.Time
	dailyEmpty  bool // the last response had Daily-Remaining 0
	pausedUntil time.Time
}

var (
	limitersMu sync.Mutex
	limiters   = map[string]*accountLimiter{}
)

func accountKey(cfg Config) string {
	if cfg.RateLimit.AccountKey != "" {
		return cfg.RateLimit.AccountKey
	}
	secret := cfg.AccessToken
	if cfg.OAuth != nil {
		secret = cfg.OAuth.ClientID + "/" + cfg.OAuth.RefreshToken
	}
	sum := sha256.Sum256([]byte(cfg.BaseURL + "\x00" + secret))
	return hex.EncodeToString(sum[:8])
}

func limiterFor(key string, cfg RateLimitConfig, now func() time.Time) *accountLimiter {
	limitersMu.Lock()
	defer limitersMu.Unlock()

	if l, ok := limiters[key]; ok {
		return l
	}
	if cfg.TenSecondly <= 0 {
		cfg.TenSecondly = 100
	}
	if cfg.SearchPerSecond <= 0 {
		cfg.SearchPerSecond = 5
	}
	l := &accountLimiter{disabled: cfg.Disabled, now: now, daily: cfg.Daily}
	l.setTenSecondly(cfg.TenSecondly)
	// One search token per 1/n s with a burst of one keeps any one-second
	// window at or below n.
	l.search = rate.NewLimiter(rate.Limit(float64(cfg.SearchPerSecond)*0.9), 1)
	limiters[key] = l
	return l
}

// setTenSecondly sizes the token bucket so that no rolling 10-second window
// exceeds n: a burst of n/10 plus a refill of 0.9·n per 10 s.
func (l *accountLimiter) setTenSecondly(n int) {
	l.max = n
	burst := max(1, n/10)
	r := rate.Limit(float64(n) * 0.9 / 10)
	if l.tenSecondly == nil {
		l.tenSecondly = rate.NewLimiter(r, burst)
		return
	}
	l.tenSecondly.SetLimit(r)
	l.tenSecondly.SetBurst(burst)
}

// wait blocks until a call may be sent. It fails fast with a DAILY error
// when the daily cap is used up, because a call should not block for
// hours.
func (l *accountLimiter) wait(ctx context.Context, isSearch bool, c *Client) error {
	if l.disabled {
		return nil
	}
	l.mu.Lock()
	now := l.now()
	day := now.UTC().Truncate(24 * time.Hour)
	if !day.Equal(l.day) {
		l.day, l.dailyUsed, l.dailyEmpty = day, 0, false
	}
	if l.dailyEmpty || (l.daily > 0 && l.dailyUsed >= l.daily) {
		l.mu.Unlock()
		return &Error{Status: 429, Category: CategoryRateLimits, PolicyName: PolicyDaily,
			Message: fmt.Sprintf("daily API call budget of this HubSpot account is used up; calls resume after %s", day.Add(24*time.Hour).Format(time.RFC3339))}
	}
	l.dailyUsed++
	pause := l.pausedUntil.Sub(now)
	lim := l.tenSecondly
	if isSearch {
		lim = l.search
	}
	l.mu.Unlock()

	start := time.Now()
	if pause > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
	if err := lim.Wait(ctx); err != nil {
		return fmt.Errorf("wait for HubSpot rate limit: %w", err)
	}
	if waited := time.Since(start); waited > time.Millisecond {
		c.mu.Lock()
		c.usage.Waited += waited
		c.mu.Unlock()
	}
	return nil
}

// observe adapts the limiter to the headers of a response.
func (l *accountLimiter) observe(h RateLimitHeaders) {
	l.mu.Lock()
	defer l.mu.Unlock()

	if h.Max > 0 && h.Max != l.max {
		l.setTenSecondly(h.Max)
	}
	if h.Remaining == 0 && h.IntervalMillis > 0 {
		// The window is full; hold calls until it has rolled on.
		l.pausedUntil = h.SeenAt.Add(time.Duration(h.IntervalMillis) * time.Millisecond / 10)
	}
	if h.DailyRemaining == 0 {
		l.dailyEmpty = true
	}
}

// onRetryable returns how long to wait before retrying after he.
func (l *accountLimiter) onRetryable(he *Error) time.Duration {
	wait := he.RetryAfter
	switch {
	case he.Status == 429 && he.PolicyName == PolicySecondly:
		wait = max(wait, time.Second)
	case he.Status == 429:
		// TEN_SECONDLY_ROLLING: the window frees up within 10 s.
		wait = max(wait, time.Second)
		l.mu.Lock()
		l.pausedUntil = l.now().Add(wait)
		l.mu.Unlock()
	case he.Status == 423:
		wait = max(wait, 2*time.Second)
	}
	return wait
}
