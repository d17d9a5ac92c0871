package hubspot

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// apiError is an error response in HubSpot's body shape.
type apiError struct {
	status int
	body   errorBody
}

type errorBody struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category,omitempty"`
	SubCategory   string              `json:"subCategory,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
	Links         map[string]string   `json:"links,omitempty"`

	// Rate-limit responses carry these instead of category.
	ErrorType  string `json:"errorType,omitempty"`
	PolicyName string `json:"policyName,omitempty"`
	RequestID  string `json:"requestId,omitempty"`
}

type errorDetail struct {
	Message string              `json:"message"`
	Code    string              `json:"code,omitempty"`
	In      string              `json:"in,omitempty"`
	Context map[string][]string `json:"context,omitempty"`
}

func (e *apiError) Error() string {
	return fmt.Sprintf("hubspot emulator: %d %s: %s", e.status, e.body.Category, e.body.Message)
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func newAPIError(status int, category, message string) *apiError {
	return &apiError{status: status, body: errorBody{Status: "error", Message: message, CorrelationID: newUUID(), Category: category}}
}

func validationError(message string, details []errorDetail) *apiError {
	ae := newAPIError(http.StatusBadRequest, "VALIDATION_ERROR", message)
	ae.body.Errors = details
	return ae
}

func notFoundError(message, id string) *apiError {
	ae := newAPIError(http.StatusNotFound, "OBJECT_NOT_FOUND", message)
	if id != "" {
		ae.body.Context = map[string][]string{"id": {id}}
	}
	return ae
}

func conflictError(message string) *apiError {
	return newAPIError(http.StatusConflict, "CONFLICT", message)
}

// propertyError is one invalid property value, reported in the message
// the way HubSpot lists them and in errors[] with code and propertyName.
type propertyError struct {
	name, code, message string
}

func propertyErrors(errs []propertyError) *apiError {
	type listed struct {
		IsValid               bool   `json:"isValid"`
		Message               string `json:"message"`
		Error                 string `json:"error"`
		Name                  string `json:"name"`
		LocalizedErrorMessage string `json:"localizedErrorMessage"`
	}
	var list []listed
	var details []errorDetail
	for _, pe := range errs {
		list = append(list, listed{Message: pe.message, Error: pe.code, Name: pe.name, LocalizedErrorMessage: pe.message})
		details = append(details, errorDetail{Message: pe.message, Code: pe.code, In: pe.name,
			Context: map[string][]string{"propertyName": {pe.name}}})
	}
	raw, _ := json.Marshal(list)
	return validationError("Property values were not valid: "+string(raw), details)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	if v == nil {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, ae *apiError) {
	w.Header().Set("X-HubSpot-Correlation-Id", ae.body.CorrelationID)
	writeJSON(w, ae.status, ae.body)
}

// badJSON is the error HubSpot sends for a body it cannot parse.
func badJSON(err error) *apiError {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return validationError("Invalid input JSON on line 1: "+msg, nil)
}
