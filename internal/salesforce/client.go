package salesforce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Client calls one Salesforce org. It is safe for concurrent use.
type Client struct {
	cfg  Config
	auth *authenticator
	log  *slog.Logger

	calls atomic.Int64

	usageMu sync.Mutex
	usage   Usage

	describeMu    sync.Mutex
	describeCache map[string]*cachedDescribe
}

// New returns a Client for cfg. It does not call Salesforce; the first
// API call authenticates.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("configure salesforce client: %w", err)
	}
	if err := cfg.validateAuth(); err != nil {
		return nil, fmt.Errorf("configure salesforce client: %w", err)
	}
	return &Client{
		cfg:           cfg,
		auth:          newAuthenticator(cfg),
		log:           cfg.Logger,
		describeCache: map[string]*cachedDescribe{},
	}, nil
}

// APIVersion returns the REST API version the client calls, such as "66.0".
func (c *Client) APIVersion() string { return c.cfg.APIVersion }

// Usage is the org's API usage as last reported by Salesforce, and the
// calls this client made.
type Usage struct {
	// Used and Max come from the last Sforce-Limit-Info header
	// (api-usage=Used/Max); both are 0 until a response carried it.
	Used int
	Max  int
	// Seen is when that header was read.
	Seen time.Time
	// Calls counts the HTTP requests this client sent to the REST API,
	// token requests excluded.
	Calls int64
}

// Remaining returns Max - Used, or -1 when no header was seen yet.
func (u Usage) Remaining() int {
	if u.Max == 0 {
		return -1
	}
	return u.Max - u.Used
}

// Usage returns the last seen API usage of the org and this client's call
// count.
func (c *Client) Usage() Usage {
	c.usageMu.Lock()
	u := c.usage
	c.usageMu.Unlock()
	u.Calls = c.calls.Load()
	return u
}

// Authenticate obtains a token now, so a bad configuration shows up before
// the first real call. It returns the token's instance URL.
func (c *Client) Authenticate(ctx context.Context) (string, error) {
	t, err := c.auth.token(ctx, nil)
	if err != nil {
		return "", err
	}
	return t.InstanceURL, nil
}

// request is one REST call.
type request struct {
	method string
	// path is absolute from the host ("/services/..."), relative to the
	// version root ("/query"), or a full URL such as the identity URL.
	path   string
	query  url.Values
	body   any
	header http.Header
	// okStatus lists extra statuses that are not errors (304, 300).
	okStatus []int
	// stream leaves the body open for the caller and skips the per-call
	// timeout's cancellation on return.
	stream bool
}

// response is a finished REST call.
type response struct {
	status int
	header http.Header
	body   []byte
	// stream is set instead of body for streaming requests; the caller
	// closes it.
	stream io.ReadCloser
}

// isAbsoluteURL reports whether a request path is a full URL, such as the
// identity URL, which Salesforce serves from the login host.
func isAbsoluteURL(p string) bool {
	return strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "http://")
}

func (c *Client) versionPath(p string) string {
	if strings.HasPrefix(p, "/services/") {
		return p
	}
	return "/services/data/v" + c.cfg.APIVersion + p
}

// do sends req, re-authenticating and retrying once on INVALID_SESSION_ID.
func (c *Client) do(ctx context.Context, req request) (*response, error) {
	var payload []byte
	if req.body != nil {
		var err error
		payload, err = json.Marshal(req.body)
		if err != nil {
			return nil, fmt.Errorf("encode %s %s body: %w", req.method, req.path, err)
		}
	}

	var stale *Token
	for attempt := 0; ; attempt++ {
		tok, err := c.auth.token(ctx, stale)
		if err != nil {
			return nil, err
		}
		resp, err := c.send(ctx, tok, req, payload)
		if err != nil {
			var se *Error
			if attempt == 0 && errors.As(err, &se) && se.Class() == ClassReauth {
				c.log.Info("salesforce session rejected, authenticating again", "auth", string(c.cfg.Auth))
				stale = tok
				continue
			}
			return nil, err
		}
		return resp, nil
	}
}

func (c *Client) send(ctx context.Context, tok *Token, req request, payload []byte) (*response, error) {
	timeout := c.cfg.Timeout
	if req.stream {
		timeout *= 10
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	cancelOnReturn := true
	defer func() {
		if cancelOnReturn {
			cancel()
		}
	}()

	u := tok.InstanceURL + c.versionPath(req.path)
	if isAbsoluteURL(req.path) {
		u = req.path
	}
	if len(req.query) > 0 {
		u += "?" + req.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", req.method, req.path, err)
	}
	for k, v := range c.cfg.Header {
		hr.Header[k] = v
	}
	for k, v := range req.header {
		hr.Header[k] = v
	}
	if hr.Header.Get("Sforce-Call-Options") == "" {
		hr.Header.Set("Sforce-Call-Options", "client="+c.cfg.CallClient)
	}
	hr.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	hr.Header.Set("Accept", "application/json")
	if payload != nil {
		hr.Header.Set("Content-Type", "application/json")
	}

	start := time.Now()
	c.calls.Add(1)
	resp, err := c.cfg.HTTPClient.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.method, req.path, err)
	}
	c.readLimitInfo(resp.Header)

	ok := resp.StatusCode < 300
	for _, s := range req.okStatus {
		ok = ok || resp.StatusCode == s
	}
	if req.stream && ok {
		cancelOnReturn = false
		return &response{status: resp.StatusCode, header: resp.Header, stream: cancelingBody{resp.Body, cancel}}, nil
	}

	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s %s response: %w", req.method, req.path, err)
	}
	c.log.Debug("salesforce call", "method", req.method, "path", req.path, "status", resp.StatusCode, "duration_ms", time.Since(start).Milliseconds())

	if !ok {
		e := decodeErrorBody(resp.StatusCode, data)
		e.Method = req.method
		e.URL = req.path
		return nil, e
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// cancelingBody cancels the call's context when the caller closes the
// streamed body.
type cancelingBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelingBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// readLimitInfo records "api-usage=used/max" from Sforce-Limit-Info.
func (c *Client) readLimitInfo(h http.Header) {
	v := h.Get("Sforce-Limit-Info")
	if v == "" {
		return
	}
	for part := range strings.SplitSeq(v, ";") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || name != "api-usage" {
			continue
		}
		usedS, maxS, ok := strings.Cut(val, "/")
		if !ok {
			continue
		}
		used, err1 := strconv.Atoi(usedS)
		maxV, err2 := strconv.Atoi(maxS)
		if err1 != nil || err2 != nil {
			continue
		}
		c.usageMu.Lock()
		c.usage.Used, c.usage.Max, c.usage.Seen = used, maxV, c.cfg.Now()
		c.usageMu.Unlock()
	}
}

// decodeJSON decodes data into out keeping numbers as json.Number.
func decodeJSON(data []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(out)
}

func (c *Client) getJSON(ctx context.Context, path string, query url.Values, out any) error {
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, query: query})
	if err != nil {
		return err
	}
	if err := decodeJSON(resp.body, out); err != nil {
		return fmt.Errorf("decode GET %s response: %w", path, err)
	}
	return nil
}
