package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Class tells the engine what to do about an error.
type Class int

const (
	// ClassNone is the class of a nil error.
	ClassNone Class = iota
	// ClassRetry marks a transient failure: retry with backoff
	// (UNABLE_TO_LOCK_ROW, 5xx, timeouts, dropped connections).
	ClassRetry
	// ClassPause marks an exhausted API quota (REQUEST_LIMIT_EXCEEDED):
	// stop calling the org until the quota recovers.
	ClassPause
	// ClassReauth marks an expired or invalid session.
	ClassReauth
	// ClassPark marks a problem with one record's data or access
	// (validation rule, picklist, too long, required field missing,
	// duplicates, permissions): park the record, continue with the rest.
	ClassPark
	// ClassDeleted marks a record that is in the recycle bin
	// (ENTITY_IS_DELETED): treat it as deleted.
	ClassDeleted
	// ClassConverted marks a write to a converted lead
	// (CANNOT_UPDATE_CONVERTED_LEAD): follow ConvertedContactId.
	ClassConverted
	// ClassFatal marks a request the engine built wrong or credentials the
	// org rejected (MALFORMED_QUERY, INVALID_FIELD, invalid_grant): retrying
	// does not help, a person has to look.
	ClassFatal
)

var classNames = map[Class]string{
	ClassNone:      "none",
	ClassRetry:     "retry",
	ClassPause:     "pause",
	ClassReauth:    "reauth",
	ClassPark:      "park",
	ClassDeleted:   "deleted",
	ClassConverted: "converted",
	ClassFatal:     "fatal",
}

func (c Class) String() string {
	if s, ok := classNames[c]; ok {
		return s
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// codeClasses maps Salesforce error codes to a class. Codes not listed
// fall back to the HTTP status (see Error.Class).
var codeClasses = map[string]Class{
	"UNABLE_TO_LOCK_ROW":                ClassRetry,
	"SERVER_UNAVAILABLE":                ClassRetry,
	"QUERY_TIMEOUT":                     ClassRetry,
	"REQUEST_RUNNING_TOO_LONG":          ClassRetry,
	"ALL_OR_NONE_OPERATION_ROLLED_BACK": ClassRetry,
	"INVALID_QUERY_LOCATOR":             ClassRetry,

	"REQUEST_LIMIT_EXCEEDED": ClassPause,
	"TXN_SECURITY_NO_ACCESS": ClassPause,

	"INVALID_SESSION_ID": ClassReauth,

	"FIELD_CUSTOM_VALIDATION_EXCEPTION":             ClassPark,
	"FIELD_INTEGRITY_EXCEPTION":                     ClassPark,
	"REQUIRED_FIELD_MISSING":                        ClassPark,
	"STRING_TOO_LONG":                               ClassPark,
	"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST":       ClassPark,
	"INVALID_EMAIL_ADDRESS":                         ClassPark,
	"DUPLICATES_DETECTED":                           ClassPark,
	"DUPLICATE_VALUE":                               ClassPark,
	"INSUFFICIENT_ACCESS_OR_READONLY":               ClassPark,
	"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY": ClassPark,
	"INVALID_CROSS_REFERENCE_KEY":                   ClassPark,
	"INVALID_FIELD_FOR_INSERT_UPDATE":               ClassPark,
	"INVALID_TYPE_ON_FIELD_IN_RECORD":               ClassPark,
	"NUMBER_OUTSIDE_VALID_RANGE":                    ClassPark,
	"MALFORMED_ID":                                  ClassPark,
	"NOT_FOUND":                                     ClassPark,
	"MULTIPLE_CHOICES":                              ClassPark,
	"CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY":          ClassPark,
	"ENTITY_IS_LOCKED":                              ClassPark,

	"ENTITY_IS_DELETED": ClassDeleted,

	"CANNOT_UPDATE_CONVERTED_LEAD": ClassConverted,

	"MALFORMED_QUERY":               ClassFatal,
	"INVALID_FIELD":                 ClassFatal,
	"INVALID_TYPE":                  ClassFatal,
	"JSON_PARSER_ERROR":             ClassFatal,
	"INVALID_QUERY_FILTER_OPERATOR": ClassFatal,
	"EXCEEDED_ID_LIMIT":             ClassFatal,
	"invalid_grant":                 ClassFatal,
	"invalid_client":                ClassFatal,
	"invalid_client_id":             ClassFatal,
	"unsupported_grant_type":        ClassFatal,
}

// Error is a failure reported by Salesforce: a top-level error (HTTP
// status with a JSON array of {errorCode, message, fields}), one entry of
// a collection result ({statusCode, message, fields} under HTTP 200), or a
// token endpoint error ({error, error_description}).
type Error struct {
	// Code is the errorCode or statusCode, such as REQUIRED_FIELD_MISSING,
	// or the OAuth error such as invalid_grant.
	Code    string
	Message string
	// Fields names the fields the error is about, when Salesforce says.
	Fields []string
	// HTTPStatus is the response status; 200 for an entry of a collection
	// result.
	HTTPStatus int
	// Method and URL identify the request, without query secrets.
	Method string
	URL    string
	// More holds the further entries when Salesforce returned several.
	More []*Error
	// Body is the raw error body for codes that carry details, such as
	// DUPLICATES_DETECTED with its duplicateResult.
	Body json.RawMessage
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("salesforce: ")
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.URL)
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != 200 {
		fmt.Fprintf(&b, "%d ", e.HTTPStatus)
	}
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Fields) > 0 {
		fmt.Fprintf(&b, " (fields %s)", strings.Join(e.Fields, ", "))
	}
	return b.String()
}

// Class returns what the engine should do about the error: the class of
// its code when known, else one derived from the HTTP status.
func (e *Error) Class() Class {
	if e == nil {
		return ClassNone
	}
	if c, ok := codeClasses[e.Code]; ok {
		return c
	}
	switch {
	case e.HTTPStatus == 401:
		return ClassReauth
	case e.HTTPStatus >= 500:
		return ClassRetry
	case e.HTTPStatus == 403:
		return ClassPark
	case e.HTTPStatus == 200:
		// An unknown code on one record of a collection concerns that
		// record only.
		return ClassPark
	default:
		return ClassFatal
	}
}

// ClassOf classifies any error a Client method returns: an *Error by its
// code, and transport failures (timeouts, refused or dropped connections)
// as ClassRetry. A cancelled context is ClassFatal, because the caller
// asked to stop.
func ClassOf(err error) Class {
	if err == nil {
		return ClassNone
	}
	var se *Error
	if errors.As(err, &se) {
		return se.Class()
	}
	if errors.Is(err, context.Canceled) {
		return ClassFatal
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ClassRetry
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ClassRetry
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) {
		return ClassRetry
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// Other transport failures (connection closed by the server,
		// proxy errors) are worth another try.
		return ClassRetry
	}
	return ClassFatal
}

// errorEntry is the wire form of one error, in either shape.
type errorEntry struct {
	ErrorCode  string   `json:"errorCode"`
	StatusCode string   `json:"statusCode"`
	Message    string   `json:"message"`
	Fields     []string `json:"fields"`
}

func (w errorEntry) toError(status int) *Error {
	code := w.ErrorCode
	if code == "" {
		code = w.StatusCode
	}
	return &Error{Code: code, Message: w.Message, Fields: w.Fields, HTTPStatus: status}
}

// decodeErrorBody turns an error response body into an *Error. It accepts
// the array shape, a single object, and the OAuth shape, and falls back to
// the status text for bodies it cannot read (a proxy's HTML page).
func decodeErrorBody(status int, body []byte) *Error {
	var list []json.RawMessage
	if json.Unmarshal(body, &list) == nil && len(list) > 0 {
		var first *Error
		for _, raw := range list {
			var w errorEntry
			if json.Unmarshal(raw, &w) != nil {
				continue
			}
			e := w.toError(status)
			e.Body = raw
			if first == nil {
				first = e
			} else {
				first.More = append(first.More, e)
			}
		}
		if first != nil {
			return first
		}
	}

	var obj struct {
		errorEntry
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(body, &obj) == nil {
		if obj.Error != "" {
			return &Error{Code: obj.Error, Message: obj.ErrorDescription, HTTPStatus: status}
		}
		if obj.ErrorCode != "" || obj.StatusCode != "" {
			e := obj.errorEntry.toError(status)
			e.Body = body
			return e
		}
	}

	msg := strings.TrimSpace(string(body))
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	code := "HTTP_ERROR"
	if status >= 500 {
		code = "SERVER_UNAVAILABLE"
	}
	return &Error{Code: code, Message: msg, HTTPStatus: status}
}
