package daemon

import (
	"context"
	"errors"
	"net"
	"net/url"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// Categories of a failed cycle, as the category label of the cycle error
// metric and the category key of its log line. They tell how long the
// scheduler waits before the next try.
const (
	// CategoryAPILimit: a side's API quota ran out. The next try waits at
	// least one interval.
	CategoryAPILimit = "api_limit"

	// CategoryCredentials: a side rejected the credentials or lacks a
	// permission. A person has to act; tries continue at the interval
	// floor so a fix is picked up.
	CategoryCredentials = "credentials"

	// CategoryTransient: a network failure, timeout or 5xx response. The
	// next try comes soon, after a short backoff.
	CategoryTransient = "transient"

	// CategoryCanceled: the cycle was cancelled by shutdown.
	CategoryCanceled = "canceled"

	// CategoryOther is any other failure, such as a store error.
	CategoryOther = "other"
)

// Category returns the category of a cycle error.
func Category(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, engine.ErrPaused):
		return CategoryAPILimit
	case errors.Is(err, context.Canceled):
		return CategoryCanceled
	}

	var he *hubspot.Error
	if errors.As(err, &he) {
		switch he.Class() {
		case hubspot.ClassRetry:
			return CategoryTransient
		case hubspot.ClassPause:
			if he.Category == hubspot.CategoryRateLimits {
				return CategoryAPILimit
			}
			return CategoryCredentials
		}
		return CategoryOther
	}

	var se *salesforce.Error
	if errors.As(err, &se) {
		switch se.Class() {
		case salesforce.ClassRetry:
			return CategoryTransient
		case salesforce.ClassPause:
			return CategoryAPILimit
		case salesforce.ClassReauth:
			return CategoryCredentials
		}
		return CategoryOther
	}

	var ne net.Error
	var ue *url.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) || errors.As(err, &ue) {
		return CategoryTransient
	}
	return CategoryOther
}

// waitsForQuota reports whether a category should wait at least one
// interval before the next try.
func waitsForQuota(category string) bool {
	return category == CategoryAPILimit || category == CategoryCredentials
}
