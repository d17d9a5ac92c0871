package hubspot

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// limiter enforces the rolling 10-second window, the daily cap and the
// per-second search limit of one account.
type limiter struct {
	cfg        RateLimits
	tenSecond  []time.Time // request times inside the rolling window, oldest first
	search     []time.Time
	day        time.Time // midnight UTC of the counted day
	dailyCount int
}

func newLimiter(cfg RateLimits) *limiter { return &limiter{cfg: cfg} }

func trimWindow(ts []time.Time, now time.Time, window time.Duration) []time.Time {
	cut := 0
	for cut < len(ts) && !ts[cut].After(now.Add(-window)) {
		cut++
	}
	return ts[cut:]
}

// admit counts a request and returns the policy that rejects it, or "".
// Search requests are exempt from the ten-second window, as HubSpot marks
// them, and count against the search limit instead.
func (l *limiter) admit(now time.Time, isSearch bool) string {
	day := now.UTC().Truncate(24 * time.Hour)
	if !day.Equal(l.day) {
		l.day, l.dailyCount = day, 0
	}
	l.tenSecond = trimWindow(l.tenSecond, now, 10*time.Second)
	l.search = trimWindow(l.search, now, time.Second)

	if l.cfg.Daily > 0 && l.dailyCount >= l.cfg.Daily {
		return "DAILY"
	}
	if isSearch {
		if l.cfg.SearchPerSecond > 0 && len(l.search) >= l.cfg.SearchPerSecond {
			return "SECONDLY"
		}
		l.search = append(l.search, now)
	} else {
		if l.cfg.TenSecondly > 0 && len(l.tenSecond) >= l.cfg.TenSecondly {
			return "TEN_SECONDLY_ROLLING"
		}
		l.tenSecond = append(l.tenSecond, now)
	}
	l.dailyCount++
	return ""
}

// setHeaders writes the X-HubSpot-RateLimit-* headers for enabled limits.
// Search responses carry none, as HubSpot's often do not.
func (l *limiter) setHeaders(h http.Header, isSearch bool) {
	if isSearch {
		return
	}
	if l.cfg.TenSecondly > 0 {
		h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(l.cfg.TenSecondly))
		h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(max(0, l.cfg.TenSecondly-len(l.tenSecond))))
		h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
	}
	if l.cfg.Daily > 0 {
		h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(l.cfg.Daily))
		h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(max(0, l.cfg.Daily-l.dailyCount)))
	}
}

func rateLimitError(policy string) *apiError {
	msg := "You have reached your ten_secondly_rolling limit."
	switch policy {
	case "DAILY":
		msg = "You have reached your daily limit."
	case "SECONDLY":
		msg = "You have reached your secondly limit."
	}
	ae := &apiError{status: http.StatusTooManyRequests, body: errorBody{
		Status: "error", Message: msg, ErrorType: "RATE_LIMIT", CorrelationID: newUUID(),
		PolicyName: policy, RequestID: newUUID(),
	}}
	return ae
}

// lockedRecords returns a 423 when an update would exceed the per-record
// write burst for any of recs, and otherwise counts one write for each.
// A batch is rejected whole, before any record is written.
func (e *Emulator) lockedRecords(s *objectStore, recs []*record) *apiError {
	limit := e.cfg.RateLimits.RecordWritesPerSecond
	if limit <= 0 {
		return nil
	}
	now := e.now()
	if e.recentWrites == nil {
		e.recentWrites = map[string][]time.Time{}
	}
	for _, r := range recs {
		key := s.name + "/" + strconv.FormatInt(r.id, 10)
		e.recentWrites[key] = trimWindow(e.recentWrites[key], now, time.Second)
		if len(e.recentWrites[key]) >= limit {
			ae := newAPIError(http.StatusLocked, "LOCKED", fmt.Sprintf("%s %d is locked by other updates in the last second; retry after 2 seconds", s.singular(), r.id))
			return ae
		}
	}
	for _, r := range recs {
		key := s.name + "/" + strconv.FormatInt(r.id, 10)
		e.recentWrites[key] = append(e.recentWrites[key], now)
	}
	return nil
}
