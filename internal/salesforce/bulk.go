package salesforce

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// BulkOptions tunes a Bulk API 2.0 query.
type BulkOptions struct {
	// All runs queryAll, which includes deleted records.
	All bool
	// PollInterval is the first wait between job status checks; it
	// doubles up to 10 seconds. Default 500 ms.
	PollInterval time.Duration
	// MaxRecords is the page size of result downloads. Default 50,000.
	MaxRecords int
}

// BulkJob is the state of a Bulk API 2.0 query job.
type BulkJob struct {
	ID                     string `json:"id"`
	State                  string `json:"state"`
	Operation              string `json:"operation"`
	Object                 string `json:"object"`
	ErrorMessage           string `json:"errorMessage"`
	NumberRecordsProcessed int    `json:"numberRecordsProcessed"`
}

// BulkQuery runs soql as a Bulk API 2.0 query job and calls fn for each
// row, reading the CSV results as they arrive, so memory does not grow
// with the result size.
//
// Bulk results are CSV, so every value is a string; an empty cell is nil,
// because Bulk API 2.0 writes null as an empty field. Relationship
// columns keep their dotted names ("Account.Name").
func (c *Client) BulkQuery(ctx context.Context, soql string, opts BulkOptions, fn func(Record) error) error {
	if opts.PollInterval <= 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	if opts.MaxRecords <= 0 {
		opts.MaxRecords = 50000
	}
	op := "query"
	if opts.All {
		op = "queryAll"
	}

	job, err := c.createBulkQuery(ctx, soql, op)
	if err != nil {
		return err
	}
	if job, err = c.waitBulkJob(ctx, job.ID, opts.PollInterval); err != nil {
		return err
	}

	locator := ""
	for {
		next, err := c.streamBulkResults(ctx, job.ID, locator, opts.MaxRecords, fn)
		if err != nil {
			return err
		}
		if next == "" || next == "null" {
			return nil
		}
		locator = next
	}
}

func (c *Client) createBulkQuery(ctx context.Context, soql, op string) (*BulkJob, error) {
	body := map[string]string{
		"operation":       op,
		"query":           soql,
		"contentType":     "CSV",
		"columnDelimiter": "COMMA",
		"lineEnding":      "LF",
	}
	resp, err := c.do(ctx, request{method: http.MethodPost, path: "/jobs/query", body: body})
	if err != nil {
		return nil, err
	}
	var job BulkJob
	if err := decodeJSON(resp.body, &job); err != nil {
		return nil, fmt.Errorf("decode bulk job: %w", err)
	}
	if job.ID == "" {
		return nil, errors.New("create bulk query job: response has no job id")
	}
	return &job, nil
}

// BulkJobStatus returns the state of a query job.
func (c *Client) BulkJobStatus(ctx context.Context, id string) (*BulkJob, error) {
	var job BulkJob
	if err := c.getJSON(ctx, "/jobs/query/"+escapePathValue(id), nil, &job); err != nil {
		return nil, err
	}
	return &job, nil
}

func (c *Client) waitBulkJob(ctx context.Context, id string, wait time.Duration) (*BulkJob, error) {
	for {
		job, err := c.BulkJobStatus(ctx, id)
		if err != nil {
			return nil, err
		}
		switch job.State {
		case "JobComplete":
			return job, nil
		case "Failed", "Aborted":
			return nil, &Error{Code: "BULK_JOB_" + strings.ToUpper(job.State), Message: job.ErrorMessage, HTTPStatus: http.StatusOK, URL: "/jobs/query/" + id}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("wait for bulk job %s: %w", id, ctx.Err())
		case <-t.C:
		}
		wait = min(wait*2, 10*time.Second)
	}
}

// streamBulkResults reads one results page and returns the next locator.
func (c *Client) streamBulkResults(ctx context.Context, id, locator string, maxRecords int, fn func(Record) error) (string, error) {
	q := url.Values{"maxRecords": {strconv.Itoa(maxRecords)}}
	if locator != "" {
		q.Set("locator", locator)
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: "/jobs/query/" + escapePathValue(id) + "/results", query: q, stream: true})
	if err != nil {
		return "", err
	}
	defer resp.stream.Close()

	r := csv.NewReader(resp.stream)
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return resp.header.Get("Sforce-Locator"), nil
	}
	if err != nil {
		return "", fmt.Errorf("read bulk results header: %w", err)
	}
	header = append([]string(nil), header...)
	for {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("read bulk results: %w", err)
		}
		rec := Record{Fields: make(map[string]any, len(header))}
		for i, name := range header {
			if i >= len(row) || row[i] == "" {
				rec.Fields[name] = nil
				continue
			}
			rec.Fields[name] = row[i]
		}
		rec.ID, _ = rec.Fields["Id"].(string)
		if err := fn(rec); err != nil {
			return "", err
		}
	}
	return resp.header.Get("Sforce-Locator"), nil
}

// ReadAll reads every record of "SELECT fields FROM object [WHERE where]",
// first counting them: above Config.BulkThreshold it uses a Bulk API 2.0
// query (values become strings, see BulkQuery), else REST paging. where
// must be built with Quote.
func (c *Client) ReadAll(ctx context.Context, object string, fields []string, where string, fn func(Record) error) error {
	if err := checkName(object); err != nil {
		return fmt.Errorf("read all: %w", err)
	}
	suffix := " FROM " + object
	if where != "" {
		suffix += " WHERE " + where
	}
	n, err := c.Count(ctx, "SELECT COUNT()"+suffix, QueryOptions{})
	if err != nil {
		return err
	}
	soql := "SELECT " + strings.Join(fields, ", ") + suffix
	if n > c.cfg.BulkThreshold {
		c.log.Info("reading with bulk query", "object", object, "rows", n)
		return c.BulkQuery(ctx, soql, BulkOptions{}, func(r Record) error {
			r.Type = object
			return fn(r)
		})
	}
	for r, err := range c.Records(ctx, soql, QueryOptions{}) {
		if err != nil {
			return err
		}
		r.Type = object
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
