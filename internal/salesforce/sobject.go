package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SaveResult is the outcome of writing one record.
type SaveResult struct {
	ID      string   `json:"id"`
	Success bool     `json:"success"`
	Created bool     `json:"created"`
	Errors  []*Error `json:"-"`
}

// Err returns the first error of a failed result, or nil.
func (r SaveResult) Err() error {
	if r.Success || len(r.Errors) == 0 {
		if !r.Success {
			return &Error{Code: "UNKNOWN_ERROR", Message: "record failed without an error", HTTPStatus: 200}
		}
		return nil
	}
	return r.Errors[0]
}

type wireSaveResult struct {
	ID      string       `json:"id"`
	Success bool         `json:"success"`
	Created bool         `json:"created"`
	Errors  []errorEntry `json:"errors"`
}

func (w wireSaveResult) result() SaveResult {
	r := SaveResult{ID: w.ID, Success: w.Success, Created: w.Created}
	for _, e := range w.Errors {
		r.Errors = append(r.Errors, e.toError(http.StatusOK))
	}
	return r
}

// Create inserts one record and returns its id.
func (c *Client) Create(ctx context.Context, object string, fields map[string]any) (string, error) {
	if err := checkName(object); err != nil {
		return "", fmt.Errorf("create: %w", err)
	}
	resp, err := c.do(ctx, request{method: http.MethodPost, path: "/sobjects/" + object, body: fields})
	if err != nil {
		return "", err
	}
	var w wireSaveResult
	if err := decodeJSON(resp.body, &w); err != nil {
		return "", fmt.Errorf("decode create %s response: %w", object, err)
	}
	return w.ID, nil
}

// Get reads one record. With no fields, Salesforce returns all fields.
func (c *Client) Get(ctx context.Context, object, id string, fields ...string) (*Record, error) {
	if err := checkName(object); err != nil {
		return nil, fmt.Errorf("get: %w", err)
	}
	var q url.Values
	if len(fields) > 0 {
		q = url.Values{"fields": {strings.Join(fields, ",")}}
	}
	var r Record
	if err := c.getJSON(ctx, "/sobjects/"+object+"/"+escapePathValue(id), q, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Update changes the given fields of one record. A nil value clears the
// field.
func (c *Client) Update(ctx context.Context, object, id string, fields map[string]any) error {
	if err := checkName(object); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	_, err := c.do(ctx, request{method: http.MethodPatch, path: "/sobjects/" + object + "/" + escapePathValue(id), body: fields})
	return err
}

// Delete moves one record to the recycle bin.
func (c *Client) Delete(ctx context.Context, object, id string) error {
	if err := checkName(object); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	_, err := c.do(ctx, request{method: http.MethodDelete, path: "/sobjects/" + object + "/" + escapePathValue(id)})
	return err
}

// Upsert creates or updates the record whose externalIDField equals
// value. Several matching records give an *Error with code
// MULTIPLE_CHOICES and the matching record URLs in Body.
func (c *Client) Upsert(ctx context.Context, object, externalIDField, value string, fields map[string]any) (SaveResult, error) {
	if err := checkName(object); err != nil {
		return SaveResult{}, fmt.Errorf("upsert: %w", err)
	}
	if err := checkName(externalIDField); err != nil {
		return SaveResult{}, fmt.Errorf("upsert: external ID field: %w", err)
	}
	p := "/sobjects/" + object + "/" + externalIDField + "/" + escapePathValue(value)
	resp, err := c.do(ctx, request{method: http.MethodPatch, path: p, body: fields, okStatus: []int{http.StatusMultipleChoices}})
	if err != nil {
		return SaveResult{}, err
	}
	if resp.status == http.StatusMultipleChoices {
		var urls []string
		_ = json.Unmarshal(resp.body, &urls)
		return SaveResult{}, &Error{
			Code:       "MULTIPLE_CHOICES",
			Message:    fmt.Sprintf("%d records match %s = %q", len(urls), externalIDField, value),
			Fields:     []string{externalIDField},
			HTTPStatus: resp.status, Method: http.MethodPatch, URL: p, Body: resp.body,
		}
	}
	if resp.status == http.StatusNoContent || len(resp.body) == 0 {
		// API versions before 46.0 answer an update with 204 and no body.
		return SaveResult{Success: true}, nil
	}
	var w wireSaveResult
	if err := decodeJSON(resp.body, &w); err != nil {
		return SaveResult{}, fmt.Errorf("decode upsert %s response: %w", object, err)
	}
	return w.result(), nil
}
