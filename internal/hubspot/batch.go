package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// BatchSize is the maximum number of inputs per batch call.
const BatchSize = 100

// BatchInput is one record of a batch call. ID is the record id for
// read/update/archive, or the unique value for upsert (with IDProperty).
// TraceID is sent as objectWriteTraceId; the client fills a unique one when
// it is empty, so partial failures map back to the input.
type BatchInput struct {
	ID           string
	IDProperty   string
	Properties   map[string]string
	TraceID      string
	Associations []AssociationInput
}

// BatchResult is the outcome of one input, in input order.
type BatchResult struct {
	Index   int    // position of the input
	TraceID string // the objectWriteTraceId sent
	Object  *Object
	Err     *Error // nil on success
}

// BatchReadOptions selects properties for BatchRead.
type BatchReadOptions struct {
	Properties            []string
	PropertiesWithHistory []string
	IDProperty            string
	Archived              bool
}

type wireBatchResponse struct {
	Status    string       `json:"status"`
	Results   []wireObject `json:"results"`
	NumErrors int          `json:"numErrors"`
	Errors    []struct {
		Status      string              `json:"status"`
		Category    string              `json:"category"`
		SubCategory string              `json:"subCategory"`
		Message     string              `json:"message"`
		Context     map[string][]string `json:"context"`
		Errors      []ErrorDetail       `json:"errors"`
	} `json:"errors"`
}

// BatchRead reads records by id (or by IDProperty values), 100 per call.
// Ids that do not exist get a result with an OBJECT_NOT_FOUND Err.
func (c *Client) BatchRead(ctx context.Context, t ObjectType, ids []string, opts BatchReadOptions) ([]BatchResult, error) {
	inputs := make([]BatchInput, len(ids))
	for i, id := range ids {
		inputs[i] = BatchInput{ID: id, IDProperty: opts.IDProperty}
	}
	// Results carry no input key, so ask for the values that show which
	// input each result belongs to, merged ids and emails included.
	if opts.IDProperty != "" {
		opts.Properties = appendMissing(opts.Properties, opts.IDProperty)
		if opts.IDProperty == "email" && t == Contacts {
			opts.Properties = appendMissing(opts.Properties, "hs_additional_emails")
		}
	} else {
		opts.Properties = appendMissing(opts.Properties, "hs_merged_object_ids")
	}
	return c.batch(ctx, t, "read", inputs, func(chunk []BatchInput) any {
		in := make([]map[string]string, len(chunk))
		for i, b := range chunk {
			in[i] = map[string]string{"id": b.ID}
		}
		body := map[string]any{"inputs": in, "properties": nonNil(opts.Properties), "propertiesWithHistory": nonNil(opts.PropertiesWithHistory)}
		if opts.IDProperty != "" {
			body["idProperty"] = opts.IDProperty
		}
		return body
	}, opts.Archived)
}

// BatchCreate creates records, 100 per call.
func (c *Client) BatchCreate(ctx context.Context, t ObjectType, inputs []BatchInput) ([]BatchResult, error) {
	return c.batch(ctx, t, "create", inputs, func(chunk []BatchInput) any {
		in := make([]map[string]any, len(chunk))
		for i, b := range chunk {
			m := map[string]any{"properties": nonNilMap(b.Properties), "objectWriteTraceId": b.TraceID}
			if len(b.Associations) > 0 {
				m["associations"] = b.Associations
			}
			in[i] = m
		}
		return map[string]any{"inputs": in}
	}, false)
}

// BatchUpdate updates records by id, 100 per call.
func (c *Client) BatchUpdate(ctx context.Context, t ObjectType, inputs []BatchInput) ([]BatchResult, error) {
	return c.batch(ctx, t, "update", inputs, func(chunk []BatchInput) any {
		in := make([]map[string]any, len(chunk))
		for i, b := range chunk {
			m := map[string]any{"id": b.ID, "properties": nonNilMap(b.Properties), "objectWriteTraceId": b.TraceID}
			if b.IDProperty != "" {
				m["idProperty"] = b.IDProperty
			}
			in[i] = m
		}
		return map[string]any{"inputs": in}
	}, false)
}

// BatchUpsert creates or updates records by a unique property (IDProperty,
// e.g. email or a custom unique property), 100 per call. Object.New is set
// on the records that were created.
func (c *Client) BatchUpsert(ctx context.Context, t ObjectType, inputs []BatchInput) ([]BatchResult, error) {
	for i, b := range inputs {
		if b.IDProperty == "" {
			return nil, fmt.Errorf("batch upsert input %d: missing IDProperty; use email or a unique property", i)
		}
	}
	return c.batch(ctx, t, "upsert", inputs, func(chunk []BatchInput) any {
		in := make([]map[string]any, len(chunk))
		for i, b := range chunk {
			in[i] = map[string]any{"id": b.ID, "idProperty": b.IDProperty, "properties": nonNilMap(b.Properties), "objectWriteTraceId": b.TraceID}
		}
		return map[string]any{"inputs": in}
	}, false)
}

// BatchArchive archives records by id, 100 per call. HubSpot returns 204
// for the whole chunk, so results carry no per-record errors.
func (c *Client) BatchArchive(ctx context.Context, t ObjectType, ids []string) error {
	for start := 0; start < len(ids); start += BatchSize {
		chunk := ids[start:min(start+BatchSize, len(ids))]
		in := make([]map[string]string, len(chunk))
		for i, id := range chunk {
			in[i] = map[string]string{"id": id}
		}
		path := "/crm/v3/objects/" + string(t) + "/batch/archive"
		if _, err := c.do(ctx, request{method: "POST", path: path, body: map[string]any{"inputs": in}}, nil); err != nil {
			return err
		}
	}
	return nil
}

// batch sends inputs in chunks of BatchSize and maps every result and
// error back to its input. A whole-call failure is returned as error; per
// input failures of a 207 land in BatchResult.Err.
func (c *Client) batch(ctx context.Context, t ObjectType, op string, inputs []BatchInput, encode func([]BatchInput) any, archived bool) ([]BatchResult, error) {
	results := make([]BatchResult, len(inputs))
	path := "/crm/v3/objects/" + string(t) + "/batch/" + op
	var q map[string][]string
	if archived {
		q = map[string][]string{"archived": {"true"}}
	}

	for start := 0; start < len(inputs); start += BatchSize {
		chunk := append([]BatchInput(nil), inputs[start:min(start+BatchSize, len(inputs))]...)
		for i := range chunk {
			if chunk[i].TraceID == "" {
				chunk[i].TraceID = "koppel-" + strconv.Itoa(start+i)
			}
			results[start+i] = BatchResult{Index: start + i, TraceID: chunk[i].TraceID}
		}

		var w wireBatchResponse
		req := request{method: "POST", path: path, query: q, body: encode(chunk), okStatus: []int{http.StatusMultiStatus}}
		status, err := c.do(ctx, req, &w)
		var he *Error
		if err != nil && len(chunk) > 1 && op != "read" && errors.As(err, &he) && he.Class() == ClassPark {
			// HubSpot rejects a whole batch for some input errors, such as
			// a duplicate email on create. Send the inputs one by one so
			// only the bad ones fail.
			if err := c.batchOneByOne(ctx, t, op, req, chunk, results[start:start+len(chunk)], encode); err != nil {
				return results[:start], err
			}
			continue
		}
		if err != nil {
			return results[:start], err
		}
		mapBatch(t, op, status, chunk, results[start:start+len(chunk)], w)
	}
	return results, nil
}

// batchOneByOne sends each input of a rejected chunk as its own batch call
// and records a per-input error for the ones HubSpot rejects.
func (c *Client) batchOneByOne(ctx context.Context, t ObjectType, op string, req request, chunk []BatchInput, results []BatchResult, encode func([]BatchInput) any) error {
	c.log.Debug("hubspot rejected a whole batch; sending inputs one by one", "object", string(t), "operation", op, "inputs", len(chunk))
	for i := range chunk {
		one := chunk[i : i+1]
		req.body = encode(one)
		var w wireBatchResponse
		status, err := c.do(ctx, req, &w)
		var he *Error
		switch {
		case err == nil:
			mapBatch(t, op, status, one, results[i:i+1], w)
		case errors.As(err, &he) && (he.Class() == ClassPark || he.Class() == ClassDeleted):
			results[i].Err = he
		default:
			return err
		}
	}
	return nil
}

// mapBatch fills results for one chunk. Errors map by objectWriteTraceId
// or by context ids. Successes map by id (read, update), by the unique
// property value (upsert), and otherwise by order among the inputs that
// did not fail, which is the order HubSpot returns them in.
func mapBatch(t ObjectType, op string, status int, chunk []BatchInput, results []BatchResult, w wireBatchResponse) {
	byTrace := map[string]int{}
	byID := map[string]int{}
	for i, in := range chunk {
		byTrace[in.TraceID] = i
		if in.ID != "" {
			byID[strings.ToLower(in.ID)] = i
		}
	}

	for _, we := range w.Errors {
		e := &Error{Status: status, Method: "POST", Path: "/crm/v3/objects/" + string(t) + "/batch/" + op,
			Category: we.Category, SubCategory: we.SubCategory, Message: we.Message, Context: we.Context, Details: we.Errors}
		e.fill(errorBody{Category: we.Category, SubCategory: we.SubCategory, Message: we.Message, Errors: we.Errors, Context: we.Context})
		matched := false
		for _, tr := range we.Context["objectWriteTraceId"] {
			if i, ok := byTrace[tr]; ok && results[i].Err == nil {
				results[i].Err = e
				matched = true
			}
		}
		if !matched {
			for _, id := range we.Context["ids"] {
				if i, ok := byID[strings.ToLower(id)]; ok {
					results[i].Err = e
					matched = true
				}
			}
		}
		if !matched && len(chunk) == 1 {
			results[0].Err = e
		}
	}

	var rest []wireObject
	for _, r := range w.Results {
		o := r.object()
		matched := false
		for j, in := range chunk {
			if results[j].Object != nil || results[j].Err != nil || !identifies(op, in, o) {
				continue
			}
			results[j].Object = &o
			matched = true
			if op != "read" {
				// A write result belongs to one input; reads of one
				// record under two keys share it.
				break
			}
		}
		if !matched {
			rest = append(rest, r)
		}
	}
	// NOTE: inputs without an identifying value take the remaining
	// results in order, which is right only if HubSpot keeps input order.
	k := 0
	for i := range results {
		if results[i].Object != nil || results[i].Err != nil {
			continue
		}
		if k < len(rest) {
			o := rest[k].object()
			results[i].Object = &o
			k++
			continue
		}
		results[i].Err = &Error{Status: status, Category: "MISSING_RESULT",
			Message: fmt.Sprintf("HubSpot returned no result and no error for batch %s input %q", op, chunk[i].TraceID)}
	}
}

// identifies reports whether result o is the record input names: by id
// for reads and updates, by the unique property value for reads by
// IDProperty and for upserts, and by email or a Salesforce id for creates.
// A contact's hs_additional_emails identify it like its email.
func identifies(op string, in BatchInput, o Object) bool {
	if op == "create" {
		// HubSpot does not promise results in input order, so match on a
		// value that only one record can hold when the input has one.
		for _, key := range identifyingProperties {
			if v := in.Properties[key]; v != "" {
				return strings.EqualFold(strings.TrimSpace(o.Properties[key]), strings.TrimSpace(v))
			}
		}
		return false
	}
	if in.IDProperty == "" {
		if op != "read" && op != "update" || in.ID == "" {
			return false
		}
		if in.ID == o.ID {
			return true
		}
		// A read by a merged record's old id returns the surviving record.
		return op == "read" && containsFold(o.Properties["hs_merged_object_ids"], in.ID)
	}
	if op != "read" && op != "upsert" {
		return false
	}
	want := strings.ToLower(strings.TrimSpace(in.ID))
	if strings.ToLower(strings.TrimSpace(o.Properties[in.IDProperty])) == want {
		return true
	}
	return in.IDProperty == "email" && containsFold(o.Properties["hs_additional_emails"], want)
}

// identifyingProperties hold values unique to one record, used to match
// batch create results to inputs.
var identifyingProperties = []string{"email", "salesforcecontactid", "salesforceleadid", "salesforceaccountid"}

// containsFold reports whether the ';'-separated list holds v, ignoring
// case and spaces.
func containsFold(list, v string) bool {
	for _, item := range strings.Split(list, ";") {
		if strings.EqualFold(strings.TrimSpace(item), strings.TrimSpace(v)) {
			return true
		}
	}
	return false
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func appendMissing(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(append([]string(nil), list...), v)
}
