package salesforce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// CollectionLimit is the most records one sObject Collections write
// accepts; the collection methods split larger inputs into chunks of it.
const CollectionLimit = 200

// RetrieveLimit is the most ids one POST collection retrieve accepts.
const RetrieveLimit = 2000

// CreateRecords inserts records (each with Type set) and returns one
// result per record, in input order. With allOrNone, a failure rolls back
// its chunk of 200: the failing record keeps its error and the others get
// ALL_OR_NONE_OPERATION_ROLLED_BACK. Chunks before a failing chunk stay
// committed.
func (c *Client) CreateRecords(ctx context.Context, records []Record, allOrNone bool) ([]SaveResult, error) {
	for i, r := range records {
		if r.Type == "" {
			return nil, fmt.Errorf("create records: record %d has no Type", i)
		}
	}
	return c.writeChunks(ctx, http.MethodPost, "/composite/sobjects", records, allOrNone, false)
}

// UpdateRecords updates records, each with Type and ID set, and returns
// one result per record in input order.
func (c *Client) UpdateRecords(ctx context.Context, records []Record, allOrNone bool) ([]SaveResult, error) {
	for i, r := range records {
		if r.Type == "" || r.ID == "" {
			return nil, fmt.Errorf("update records: record %d needs Type and ID", i)
		}
	}
	return c.writeChunks(ctx, http.MethodPatch, "/composite/sobjects", records, allOrNone, true)
}

// UpsertRecords creates or updates records of one object matched on
// externalIDField, which each record's Fields must hold. Results carry
// Created.
func (c *Client) UpsertRecords(ctx context.Context, object, externalIDField string, records []Record, allOrNone bool) ([]SaveResult, error) {
	if err := checkName(object); err != nil {
		return nil, fmt.Errorf("upsert records: %w", err)
	}
	if err := checkName(externalIDField); err != nil {
		return nil, fmt.Errorf("upsert records: external ID field: %w", err)
	}
	for i := range records {
		records[i].Type = object
	}
	return c.writeChunks(ctx, http.MethodPatch, "/composite/sobjects/"+object+"/"+externalIDField, records, allOrNone, false)
}

func (c *Client) writeChunks(ctx context.Context, method, path string, records []Record, allOrNone, withID bool) ([]SaveResult, error) {
	results := make([]SaveResult, 0, len(records))
	for start := 0; start < len(records); start += CollectionLimit {
		chunk := records[start:min(start+CollectionLimit, len(records))]

		body := struct {
			AllOrNone bool             `json:"allOrNone"`
			Records   []map[string]any `json:"records"`
		}{AllOrNone: allOrNone, Records: make([]map[string]any, len(chunk))}
		for i, r := range chunk {
			m := make(map[string]any, len(r.Fields)+2)
			for k, v := range r.Fields {
				m[k] = v
			}
			m["attributes"] = map[string]string{"type": r.Type}
			if withID {
				m["Id"] = r.ID
			}
			body.Records[i] = m
		}

		resp, err := c.do(ctx, request{method: method, path: path, body: body})
		if err != nil {
			return results, err
		}
		var wire []wireSaveResult
		if err := decodeJSON(resp.body, &wire); err != nil {
			return results, fmt.Errorf("decode %s %s results: %w", method, path, err)
		}
		if len(wire) != len(chunk) {
			return results, fmt.Errorf("%s %s: got %d results for %d records", method, path, len(wire), len(chunk))
		}
		for _, w := range wire {
			results = append(results, w.result())
		}
	}
	return results, nil
}

// DeleteRecords moves records to the recycle bin, 200 ids per call, and
// returns one result per id in input order.
func (c *Client) DeleteRecords(ctx context.Context, ids []string, allOrNone bool) ([]SaveResult, error) {
	results := make([]SaveResult, 0, len(ids))
	for start := 0; start < len(ids); start += CollectionLimit {
		chunk := ids[start:min(start+CollectionLimit, len(ids))]
		q := url.Values{"ids": {strings.Join(chunk, ",")}, "allOrNone": {strconv.FormatBool(allOrNone)}}
		resp, err := c.do(ctx, request{method: http.MethodDelete, path: "/composite/sobjects", query: q})
		if err != nil {
			return results, err
		}
		var wire []wireSaveResult
		if err := decodeJSON(resp.body, &wire); err != nil {
			return results, fmt.Errorf("decode delete results: %w", err)
		}
		if len(wire) != len(chunk) {
			return results, fmt.Errorf("delete records: got %d results for %d ids", len(wire), len(chunk))
		}
		for _, w := range wire {
			results = append(results, w.result())
		}
	}
	return results, nil
}

// RetrieveRecords reads records of one object by id, 2,000 per call. The
// result has one entry per id in input order, nil for an id that does not
// exist or is deleted.
func (c *Client) RetrieveRecords(ctx context.Context, object string, ids, fields []string) ([]*Record, error) {
	if err := checkName(object); err != nil {
		return nil, fmt.Errorf("retrieve records: %w", err)
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("retrieve records: missing fields")
	}
	out := make([]*Record, 0, len(ids))
	for start := 0; start < len(ids); start += RetrieveLimit {
		chunk := ids[start:min(start+RetrieveLimit, len(ids))]
		body := map[string]any{"ids": chunk, "fields": fields}
		resp, err := c.do(ctx, request{method: http.MethodPost, path: "/composite/sobjects/" + object, body: body})
		if err != nil {
			return out, err
		}
		var wire []*Record
		if err := decodeJSON(resp.body, &wire); err != nil {
			return out, fmt.Errorf("decode retrieve results: %w", err)
		}
		if len(wire) != len(chunk) {
			return out, fmt.Errorf("retrieve records: got %d results for %d ids", len(wire), len(chunk))
		}
		out = append(out, wire...)
	}
	return out, nil
}
