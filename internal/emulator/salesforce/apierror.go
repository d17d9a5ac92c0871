package salesforce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// apiError is one Salesforce error. It is written as {errorCode, message,
// fields} in a top-level error array and as {statusCode, message, fields}
// inside collection results.
type apiError struct {
	Code    string
	Message string
	Fields  []string
	// Status is the HTTP status of a top-level response carrying it.
	Status int
	// Extra holds additional keys such as duplicateResult.
	Extra map[string]any
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func fieldError(code string, field string, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...), Fields: []string{field}}
}

// topLevel returns the error in the errorCode shape.
func (e *apiError) topLevel() map[string]any {
	m := map[string]any{"errorCode": e.Code, "message": e.Message}
	if e.Fields != nil {
		m["fields"] = e.Fields
	}
	for k, v := range e.Extra {
		m[k] = v
	}
	return m
}

// perRecord returns the error in the statusCode shape of collections.
func (e *apiError) perRecord() map[string]any {
	fields := e.Fields
	if fields == nil {
		fields = []string{}
	}
	m := map[string]any{"statusCode": e.Code, "message": e.Message, "fields": fields}
	for k, v := range e.Extra {
		m[k] = v
	}
	return m
}

func writeErrors(w http.ResponseWriter, errs ...*apiError) {
	status := http.StatusBadRequest
	if len(errs) > 0 && errs[0].Status != 0 {
		status = errs[0].Status
	}
	body := make([]map[string]any, len(errs))
	for i, e := range errs {
		body[i] = e.topLevel()
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Salesforce does not escape <, > and & in JSON.
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	data := bytes.TrimRight(buf.Bytes(), "\n")
	if err != nil {
		status = http.StatusInternalServerError
		data = []byte(`[{"errorCode":"UNKNOWN_EXCEPTION","message":"encode response failed"}]`)
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	w.Write(data)
}

func errNotFound() *apiError {
	return newError(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
}

func errEntityDeleted() *apiError {
	return newError(http.StatusNotFound, "ENTITY_IS_DELETED", "entity is deleted")
}

func errInvalidField(object, field string) *apiError {
	return newError(http.StatusBadRequest, "INVALID_FIELD", "No such column '%s' on sobject of type %s", field, object)
}

func errRequired(fields []string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "REQUIRED_FIELD_MISSING",
		Message: "Required fields are missing: [" + strings.Join(fields, ", ") + "]", Fields: fields}
}

func errReadOnly(fields []string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "INVALID_FIELD_FOR_INSERT_UPDATE",
		Message: "Unable to create/update fields: " + strings.Join(fields, ", ") +
			". Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
		Fields: fields}
}

func errMethodNotAllowed(method string, allowed ...string) *apiError {
	return newError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '%s' not allowed. Allowed are %s", method, strings.Join(allowed, ","))
}
