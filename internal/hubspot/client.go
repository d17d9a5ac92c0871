package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is HubSpot's API host.
const DefaultBaseURL = "https://api.hubapi.com"

// Config configures a Client. Set exactly one of AccessToken and OAuth.
type Config struct {
	// BaseURL is the API root. Default https://api.hubapi.com.
	BaseURL string

	// AccessToken is a private-app (or static) access token.
	AccessToken string

	// OAuth configures the authorization-code flow with refresh.
	OAuth *OAuthConfig

	// HTTPClient sends the requests. Default a new http.Client.
	HTTPClient *http.Client

	// Timeout bounds one HTTP attempt. Default 30s.
	Timeout time.Duration

	// Logger receives retries and rate-limit waits. Default discards.
	Logger *slog.Logger

	// RateLimit paces calls on the client side.
	RateLimit RateLimitConfig

	// MaxRetries is how often a call is retried after 429, 423, 477, 5xx or a
	// network failure. Default 5; negative disables retries.
	MaxRetries int

	// RetryBaseDelay is the first backoff; it doubles per attempt up to
	// 30s, with jitter. Default 500ms.
	RetryBaseDelay time.Duration

	// Now is the clock used for token expiry and the daily cap. Default
	// time.Now.
	Now func() time.Time
}

// Client calls the HubSpot CRM APIs for one account.
type Client struct {
	base    *url.URL
	http    *http.Client
	timeout time.Duration
	log     *slog.Logger
	now     func() time.Time
	tokens  tokenSource
	limiter *accountLimiter

	maxRetries int
	baseDelay  time.Duration

	mu          sync.Mutex
	usage       Usage
	lastWarning time.Time // of warnRateLimited, which logs at most once a minute
}

// Usage counts calls and keeps the rate-limit headers last seen.
type Usage struct {
	Calls       int64         // HTTP requests sent, retries included
	Retries     int64         // requests repeated after a retryable response
	RateLimited int64         // 429 answers
	Waited      time.Duration // time spent waiting for the client-side limiter
	ByStatus    map[int]int64 // responses per HTTP status
	Last        RateLimitHeaders
}

// RateLimitHeaders are the X-HubSpot-RateLimit-* values of one response.
// A value of -1 means the header was absent.
type RateLimitHeaders struct {
	Max            int
	Remaining      int
	IntervalMillis int
	Daily          int
	DailyRemaining int
	SeenAt         time.Time
}

// New returns a client for the configured account.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("invalid HubSpot base URL %q; use a URL such as https://api.hubapi.com", cfg.BaseURL)
	}
	if (cfg.AccessToken == "") == (cfg.OAuth == nil) {
		return nil, errors.New("configure exactly one of a private-app access token and OAuth")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 5
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryBaseDelay <= 0 {
		cfg.RetryBaseDelay = 500 * time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}

	c := &Client{
		base: base, http: cfg.HTTPClient, timeout: cfg.Timeout, log: cfg.Logger, now: cfg.Now,
		maxRetries: cfg.MaxRetries, baseDelay: cfg.RetryBaseDelay,
		usage: Usage{ByStatus: map[int]int64{}, Last: RateLimitHeaders{Max: -1, Remaining: -1, IntervalMillis: -1, Daily: -1, DailyRemaining: -1}},
	}
	if cfg.OAuth != nil {
		ts, err := newOAuthSource(cfg, c.base)
		if err != nil {
			return nil, err
		}
		c.tokens = ts
	} else {
		c.tokens = staticToken(cfg.AccessToken)
	}
	c.limiter = limiterFor(accountKey(cfg), cfg.RateLimit, cfg.Now)
	return c, nil
}

// Usage returns a copy of the call counters.
func (c *Client) Usage() Usage {
	c.mu.Lock()
	defer c.mu.Unlock()

	u := c.usage
	u.ByStatus = make(map[int]int64, len(c.usage.ByStatus))
	for k, v := range c.usage.ByStatus {
		u.ByStatus[k] = v
	}
	return u
}

// request is one API call.
type request struct {
	method   string
	path     string // already escaped
	query    url.Values
	body     any
	isSearch bool
	// okStatus lists extra statuses that are results, not errors (207).
	okStatus []int
}

// do sends req, retrying retryable responses, and decodes a 2xx body into out
// (when out is not nil). It returns the final HTTP status.
func (c *Client) do(ctx context.Context, req request, out any) (int, error) {
	var payload []byte
	if req.body != nil {
		var err error
		payload, err = json.Marshal(req.body)
		if err != nil {
			return 0, fmt.Errorf("encode %s %s body: %w", req.method, req.path, err)
		}
	}

	u := *c.base
	u.Path = c.base.Path + req.path
	u.RawPath = ""
	if p, err := url.PathUnescape(u.Path); err == nil && p != u.Path {
		u.RawPath = u.Path
		u.Path = p
	}
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}

	var lastErr error
	for attempt := 0; ; attempt++ {
		if err := c.limiter.wait(ctx, req.isSearch, c); err != nil {
			return 0, err
		}
		status, header, body, err := c.send(ctx, req.method, u.String(), payload)
		if err == nil && (status/100 == 2 || contains(req.okStatus, status)) {
			if out != nil && len(body) > 0 && status != http.StatusNoContent {
				if err := json.Unmarshal(body, out); err != nil {
					return status, fmt.Errorf("decode %s %s response: %w", req.method, req.path, err)
				}
			}
			return status, nil
		}

		var wait time.Duration
		var tokenErr *Error
		switch {
		case err != nil && ctx.Err() != nil:
			return 0, ctx.Err()
		case err != nil && errors.As(err, &tokenErr):
			// The token endpoint refused the refresh: retrying the call
			// will not help unless the endpoint itself failed.
			if tokenErr.Class() != ClassRetry {
				return 0, err
			}
			lastErr = err
		case err != nil:
			lastErr = &Error{Method: req.method, Path: req.path, Category: CategoryTransport, Message: err.Error()}
		default:
			he := decodeError(status, req.method, req.path, header, body)
			lastErr = he
			if he.Status == http.StatusTooManyRequests {
				c.warnRateLimited(he)
			}
			if he.Class() != ClassRetry {
				return status, he
			}
			wait = c.limiter.onRetryable(he)
		}
		if attempt >= c.maxRetries {
			return status, lastErr
		}

		backoff := c.backoff(attempt)
		wait = max(wait, backoff)
		c.mu.Lock()
		c.usage.Retries++
		c.mu.Unlock()
		c.log.Debug("retrying hubspot call", "method", req.method, "path", req.path, "attempt", attempt+1, "wait", wait, "error", lastErr)
		select {
		case <-ctx.Done():
			return status, ctx.Err()
		case <-time.After(wait):
		}
	}
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.baseDelay << min(attempt, 16)
	d = min(d, 30*time.Second)
	jitter := time.Duration(rand.Int64N(int64(d)/4 + 1))
	return d + jitter
}

// send makes one HTTP attempt and reads the whole body.
func (c *Client) send(ctx context.Context, method, target string, payload []byte) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()

	token, err := c.tokens.token(ctx)
	if err != nil {
		return 0, nil, nil, err
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return 0, nil, nil, err
	}

	c.record(resp)
	return resp.StatusCode, resp.Header, data, nil
}

func (c *Client) record(resp *http.Response) {
	h := readRateLimitHeaders(resp.Header, c.now())
	c.mu.Lock()
	c.usage.Calls++
	c.usage.ByStatus[resp.StatusCode]++
	if resp.StatusCode == http.StatusTooManyRequests {
		c.usage.RateLimited++
	}
	if h.Max >= 0 || h.Daily >= 0 {
		c.usage.Last = h
	}
	c.mu.Unlock()
	c.limiter.observe(h)
}

func readRateLimitHeaders(h http.Header, now time.Time) RateLimitHeaders {
	num := func(name string) int {
		v := h.Get(name)
		if v == "" {
			return -1
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return -1
		}
		return n
	}
	return RateLimitHeaders{
		Max: num("X-HubSpot-RateLimit-Max"), Remaining: num("X-HubSpot-RateLimit-Remaining"),
		IntervalMillis: num("X-HubSpot-RateLimit-Interval-Milliseconds"),
		Daily:          num("X-HubSpot-RateLimit-Daily"), DailyRemaining: num("X-HubSpot-RateLimit-Daily-Remaining"),
		SeenAt: now,
	}
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func pathEscape(s string) string { return url.PathEscape(s) }

// warnRateLimited logs a 429 at WARN, at most once a minute, because a
// busy sync can hit the limit on many calls in a row.
func (c *Client) warnRateLimited(he *Error) {
	c.mu.Lock()
	now := time.Now()
	if now.Sub(c.lastWarning) < time.Minute {
		c.mu.Unlock()
		return
	}
	c.lastWarning = now
	limited := c.usage.RateLimited
	c.mu.Unlock()

	c.log.Warn("hubspot rate limit reached", "policy", he.PolicyName, "path", he.Path,
		"rate_limited_calls", limited, "correlation_id", he.CorrelationID)
}
