package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Class is what a caller should do about a failed call.
type Class int

const (
	// ClassNone is the class of a nil error.
	ClassNone Class = iota
	// ClassRetry: a passing fault (rate limit window, 423, 477, 5xx,
	// network); retry the call later.
	ClassRetry
	// ClassPause: the connection cannot work until something changes
	// (credentials, scopes, the daily cap); stop syncing this account.
	ClassPause
	// ClassPark: this record or request is wrong (validation, conflict);
	// park the record with the error and go on with the rest.
	ClassPark
	// ClassDeleted: the record does not exist (404); treat it as deleted.
	ClassDeleted
)

func (c Class) String() string {
	switch c {
	case ClassNone:
		return "none"
	case ClassRetry:
		return "retry"
	case ClassPause:
		return "pause"
	case ClassPark:
		return "park"
	case ClassDeleted:
		return "deleted"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

// HubSpot error categories seen in error bodies.
const (
	CategoryValidation       = "VALIDATION_ERROR"
	CategoryNotFound         = "OBJECT_NOT_FOUND"
	CategoryConflict         = "CONFLICT"
	CategoryInvalidAuth      = "INVALID_AUTHENTICATION"
	CategoryExpiredAuth      = "EXPIRED_AUTHENTICATION"
	CategoryMissingScopes    = "MISSING_SCOPES"
	CategoryRateLimits       = "RATE_LIMITS"
	CategoryLocked           = "LOCKED"
	CategoryInternal         = "INTERNAL_ERROR"
	CategoryTransport        = "TRANSPORT"
	PolicyTenSecondlyRolling = "TEN_SECONDLY_ROLLING"
	PolicyDaily              = "DAILY"
	PolicySecondly           = "SECONDLY"
)

// Error is a failed HubSpot call or a failed input of a batch call.
type Error struct {
	Status        int    // HTTP status; 207 results carry the status of the whole call
	Method        string // request method
	Path          string // request path without query
	Category      string // e.g. VALIDATION_ERROR, OBJECT_NOT_FOUND, CONFLICT
	SubCategory   string
	Code          string // first error code, e.g. INVALID_OPTION, PROPERTY_DOESNT_EXIST
	Property      string // first offending property, when HubSpot names one
	Message       string
	CorrelationID string
	PolicyName    string        // for 429: TEN_SECONDLY_ROLLING, DAILY, SECONDLY
	RetryAfter    time.Duration // from Retry-After, when present
	ExistingID    string        // for 409 on a duplicate: the id HubSpot names
	Details       []ErrorDetail
	Context       map[string][]string
}

// ErrorDetail is one entry of errors[] in a HubSpot error body.
type ErrorDetail struct {
	Message string              `json:"message"`
	Code    string              `json:"code,omitempty"`
	In      string              `json:"in,omitempty"`
	Context map[string][]string `json:"context,omitempty"`
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Method != "" {
		fmt.Fprintf(&b, "hubspot %s %s: ", e.Method, e.Path)
	} else {
		b.WriteString("hubspot: ")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d ", e.Status)
	}
	if e.Category != "" {
		b.WriteString(e.Category)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, "/%s", e.Code)
	}
	if e.Property != "" {
		fmt.Fprintf(&b, " on %q", e.Property)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.CorrelationID != "" {
		fmt.Fprintf(&b, " (correlation id %s)", e.CorrelationID)
	}
	return b.String()
}

// Class classifies the error.
func (e *Error) Class() Class {
	switch {
	case e.Category == CategoryTransport:
		return ClassRetry
	case e.Status == http.StatusTooManyRequests:
		if e.PolicyName == PolicyDaily {
			return ClassPause
		}
		return ClassRetry
	case e.Status == http.StatusUnauthorized, e.Status == http.StatusForbidden,
		e.Category == CategoryInvalidAuth, e.Category == CategoryExpiredAuth, e.Category == CategoryMissingScopes:
		return ClassPause
	case e.Status == http.StatusNotFound, e.Category == CategoryNotFound:
		return ClassDeleted
	case retryableStatus(e.Status):
		return ClassRetry
	}
	return ClassPark
}

// Temporary reports whether retrying later may succeed.
func (e *Error) Temporary() bool { return e.Class() == ClassRetry }

func retryableStatus(s int) bool {
	switch s {
	case http.StatusLocked, 477, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, 521, 522, 523, 524:
		return true
	}
	return false
}

// ClassOf classifies any error from this package or from the transport
// below it. Network failures and timeouts are ClassRetry; a cancelled
// context is ClassPause; anything else unknown is ClassPark.
func ClassOf(err error) Class {
	if err == nil {
		return ClassNone
	}
	var he *Error
	if errors.As(err, &he) {
		return he.Class()
	}
	if errors.Is(err, context.Canceled) {
		return ClassPause
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ClassRetry
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return ClassRetry
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return ClassRetry
	}
	// A connection closed mid-response surfaces as EOF.
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ClassRetry
	}
	return ClassPark
}

// errorBody is HubSpot's error body, including the 429 fields.
type errorBody struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   string              `json:"subCategory"`
	Errors        []ErrorDetail       `json:"errors"`
	Context       map[string][]string `json:"context"`
	ErrorType     string              `json:"errorType"`
	PolicyName    string              `json:"policyName"`
}

// decodeError builds an *Error from a non-2xx response body.
func decodeError(status int, method, path string, header http.Header, body []byte) *Error {
	e := &Error{Status: status, Method: method, Path: path}
	var b errorBody
	if json.Unmarshal(body, &b) == nil {
		e.fill(b)
	} else {
		e.Message = strings.TrimSpace(truncate(string(body), 300))
	}
	if e.CorrelationID == "" {
		e.CorrelationID = header.Get("X-HubSpot-Correlation-Id")
	}
	if status == http.StatusTooManyRequests && e.Category == "" {
		e.Category = CategoryRateLimits
	}
	if status == http.StatusLocked && e.Category == "" {
		e.Category = CategoryLocked
	}
	if ra := header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil {
			e.RetryAfter = time.Duration(secs) * time.Second
		}
	}
	return e
}

func (e *Error) fill(b errorBody) {
	e.Category, e.SubCategory, e.Message, e.CorrelationID = b.Category, b.SubCategory, b.Message, b.CorrelationID
	e.PolicyName, e.Details, e.Context = b.PolicyName, b.Errors, b.Context
	if e.Category == "" && b.ErrorType == "RATE_LIMIT" {
		e.Category = CategoryRateLimits
	}
	for _, d := range b.Errors {
		if e.Code == "" && d.Code != "" {
			e.Code = d.Code
		}
		if e.Property == "" {
			if names := d.Context["propertyName"]; len(names) > 0 {
				e.Property = names[0]
			} else if d.In != "" {
				e.Property = d.In
			}
		}
	}
	if e.Code == "" || e.Property == "" {
		code, prop := parsePropertyMessage(b.Message)
		if e.Code == "" {
			e.Code = code
		}
		if e.Property == "" {
			e.Property = prop
		}
	}
	if i := strings.Index(b.Message, "Existing ID: "); i >= 0 {
		rest := b.Message[i+len("Existing ID: "):]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		e.ExistingID = rest[:j]
	}
}

// parsePropertyMessage reads the JSON list HubSpot embeds in
// "Property values were not valid: [...]" messages.
func parsePropertyMessage(msg string) (code, property string) {
	i := strings.Index(msg, "[{")
	if i < 0 {
		return "", ""
	}
	var list []struct {
		Error string `json:"error"`
		Name  string `json:"name"`
	}
	if json.Unmarshal([]byte(msg[i:]), &list) != nil || len(list) == 0 {
		return "", ""
	}
	return list[0].Error, list[0].Name
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
