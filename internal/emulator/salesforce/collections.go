package salesforce

import (
	"net/http"
	"strings"
)

// collectionLimit is the most records one sObject Collections write takes.
const collectionLimit = 200

// retrieveLimit is the most ids one POST collection retrieve takes.
const retrieveLimit = 2000

type collectionBody struct {
	AllOrNone bool             `json:"allOrNone"`
	Records   []map[string]any `json:"records"`
}

// saveResult is one entry of a collection result.
type saveResult struct {
	id      string
	created *bool
	err     *apiError
}

func (s saveResult) wire() *orderedObject {
	out := &orderedObject{}
	if s.err == nil {
		out.set("id", s.id)
		out.set("success", true)
		out.set("errors", []any{})
	} else {
		out.set("success", false)
		out.set("errors", []any{s.err.perRecord()})
	}
	if s.created != nil {
		out.set("created", *s.created)
	}
	return out
}

func errRolledBack() *apiError {
	return &apiError{Code: "ALL_OR_NONE_OPERATION_ROLLED_BACK", Message: "Record rolled back because not all records were valid and the request was using AllOrNone header", Fields: []string{}}
}

// serveCollections handles /composite/sobjects[/{object}[/{field}]].
func (e *Emulator) serveCollections(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	p := req.parts[2:]
	switch {
	case len(p) == 0 && r.Method == http.MethodPost:
		e.writeCollection(w, r, "create", nil, nil)
	case len(p) == 0 && r.Method == http.MethodPatch:
		e.writeCollection(w, r, "update", nil, nil)
	case len(p) == 0 && r.Method == http.MethodDelete:
		e.deleteCollection(w, r)
	case len(p) == 0:
		writeErrors(w, errMethodNotAllowed(r.Method, "POST", "PATCH", "DELETE"))
	case len(p) == 1:
		o := e.schema.object(p[0])
		if o == nil {
			writeErrors(w, newError(http.StatusBadRequest, "INVALID_TYPE", "sObject type '%s' is not supported.", p[0]))
			return
		}
		e.retrieveCollection(w, r, req, o)
	case len(p) == 2 && r.Method == http.MethodPatch:
		o := e.schema.object(p[0])
		if o == nil {
			writeErrors(w, newError(http.StatusBadRequest, "INVALID_TYPE", "sObject type '%s' is not supported.", p[0]))
			return
		}
		f := o.field(p[1])
		if f == nil || !(f.ExternalID || f.IDLookup) {
			writeErrors(w, newError(http.StatusNotFound, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: %s", p[1]))
			return
		}
		e.writeCollection(w, r, "upsert", o, f)
	case len(p) == 2:
		writeErrors(w, errMethodNotAllowed(r.Method, "PATCH"))
	default:
		writeErrors(w, errNotFound())
	}
}

// writeCollection creates, updates or upserts up to 200 records.
func (e *Emulator) writeCollection(w http.ResponseWriter, r *http.Request, op string, upsertObj *objectDef, extField *fieldDef) {
	var body collectionBody
	if aerr := decodeBody(r, &body); aerr != nil {
		writeErrors(w, aerr)
		return
	}
	if len(body.Records) == 0 {
		writeErrors(w, newError(http.StatusBadRequest, "INVALID_FIELD", "No records to process"))
		return
	}
	if len(body.Records) > collectionLimit {
		writeErrors(w, newError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than %d records into this call", collectionLimit))
		return
	}

	opt := apiWriteOptions(r)
	tx := &txn{}
	if body.AllOrNone {
		opt.tx = tx
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	results := make([]saveResult, len(body.Records))
	failed := false
	for i, in := range body.Records {
		results[i] = e.writeOne(op, in, upsertObj, extField, opt)
		if results[i].err != nil {
			failed = true
		}
	}
	if body.AllOrNone && failed {
		tx.rollback()
		for i := range results {
			if results[i].err == nil {
				results[i] = saveResult{created: results[i].created, err: errRolledBack()}
			}
		}
	}
	out := make([]*orderedObject, len(results))
	for i, res := range results {
		out[i] = res.wire()
	}
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) writeOne(op string, in map[string]any, upsertObj *objectDef, extField *fieldDef, opt writeOptions) saveResult {
	if in == nil {
		return saveResult{err: newError(http.StatusBadRequest, "INVALID_FIELD", "record is null")}
	}
	typeName := ""
	if attrs, ok := in["attributes"].(map[string]any); ok {
		typeName, _ = attrs["type"].(string)
	}
	fields := cloneFields(in)
	delete(fields, "attributes")

	switch op {
	case "create":
		o := e.schema.object(typeName)
		if o == nil {
			return saveResult{err: newError(http.StatusBadRequest, "INVALID_TYPE", "sObject type '%s' is not supported.", typeName)}
		}
		if _, hasID := fieldKey(fields, "Id"); hasID {
			return saveResult{err: fieldError("INVALID_FIELD", "Id", "cannot specify Id in an insert call")}
		}
		rec, aerr := e.insertLocked(o, fields, opt)
		if aerr != nil {
			return saveResult{err: aerr}
		}
		return saveResult{id: rec.id}

	case "update":
		rawID := takeRecordID(fields)
		id, ok := normalizeID(rawID)
		if !ok {
			return saveResult{err: fieldError("MALFORMED_ID", "Id", "Record ID: id value of incorrect type: %s", rawID)}
		}
		rec := e.records[id]
		if rec == nil {
			return saveResult{err: newError(http.StatusBadRequest, "ENTITY_IS_DELETED", "entity is deleted")}
		}
		if typeName != "" && !strings.EqualFold(typeName, rec.obj.Name) {
			return saveResult{err: fieldError("MALFORMED_ID", "Id", "Record ID: id value of incorrect type: %s", rawID)}
		}
		if aerr := e.updateLocked(rec, fields, opt); aerr != nil {
			return saveResult{err: aerr}
		}
		return saveResult{id: rec.id}

	default: // upsert
		created := false
		if typeName != "" && !strings.EqualFold(typeName, upsertObj.Name) {
			return saveResult{created: &created, err: newError(http.StatusBadRequest, "INVALID_TYPE", "records must all be %s", upsertObj.Name)}
		}
		raw, present := fields[extField.Name]
		value := ""
		if present {
			value = toText(raw)
		}
		for k := range fields {
			if strings.EqualFold(k, extField.Name) {
				value = toText(fields[k])
				present = true
			}
		}
		if !present || value == "" {
			return saveResult{created: &created, err: fieldError("MISSING_ARGUMENT", extField.Name, "%s not specified", extField.Name)}
		}
		matches := e.matchExternalLocked(upsertObj, extField, value)
		if len(matches) > 1 {
			return saveResult{created: &created, err: fieldError("DUPLICATE_EXTERNAL_ID", extField.Name, "%s: more than one record found for external id field: %s", extField.Label, value)}
		}
		if len(matches) == 1 {
			takeRecordID(fields)
			if aerr := e.updateLocked(matches[0], fields, opt); aerr != nil {
				return saveResult{created: &created, err: aerr}
			}
			return saveResult{id: matches[0].id, created: &created}
		}
		rec, aerr := e.insertLocked(upsertObj, fields, opt)
		if aerr != nil {
			return saveResult{created: &created, err: aerr}
		}
		created = true
		return saveResult{id: rec.id, created: &created}
	}
}

// takeRecordID removes the record id from fields and returns it. Salesforce
// matches field names without regard to case, and jsforce 3.10.16 sends
// the id of a collection update as "id", so any spelling counts.
func takeRecordID(fields map[string]any) string {
	key, ok := fieldKey(fields, "Id")
	if !ok {
		return ""
	}
	raw, _ := fields[key].(string)
	delete(fields, key)
	return raw
}

// fieldKey returns the key of fields that names the field, preferring the
// exact spelling over a case-insensitive match.
func fieldKey(fields map[string]any, name string) (string, bool) {
	if _, ok := fields[name]; ok {
		return name, true
	}
	for k := range fields {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}

func (e *Emulator) deleteCollection(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ids []string
	for _, id := range strings.Split(q.Get("ids"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		writeErrors(w, newError(http.StatusBadRequest, "MISSING_ARGUMENT", "ids not specified"))
		return
	}
	if len(ids) > collectionLimit {
		writeErrors(w, newError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than %d records into this call", collectionLimit))
		return
	}
	allOrNone := q.Get("allOrNone") == "true"
	opt := apiWriteOptions(r)
	tx := &txn{}
	if allOrNone {
		opt.tx = tx
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	results := make([]saveResult, len(ids))
	failed := false
	for i, raw := range ids {
		id, ok := normalizeID(raw)
		switch {
		case !ok:
			results[i] = saveResult{err: newError(http.StatusBadRequest, "MALFORMED_ID", "malformed id %s", raw)}
		case e.records[id] == nil:
			results[i] = saveResult{err: newError(http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id: no record has the id %s", raw)}
		default:
			if aerr := e.deleteLocked(e.records[id], opt, ""); aerr != nil {
				results[i] = saveResult{err: aerr}
			} else {
				results[i] = saveResult{id: id}
			}
		}
		if results[i].err != nil {
			failed = true
		}
	}
	if allOrNone && failed {
		tx.rollback()
		for i := range results {
			if results[i].err == nil {
				results[i] = saveResult{err: errRolledBack()}
			}
		}
	}
	out := make([]*orderedObject, len(results))
	for i, res := range results {
		out[i] = res.wire()
		if res.err != nil {
			// Salesforce names the id in failed delete results too.
			out[i] = &orderedObject{}
			out[i].set("id", nilIfEmpty(normalizeOr(ids[i])))
			out[i].set("success", false)
			out[i].set("errors", []any{res.err.perRecord()})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func normalizeOr(raw string) string {
	if id, ok := normalizeID(raw); ok {
		return id
	}
	return ""
}

// retrieveCollection serves GET ?ids=&fields= and POST {ids, fields}.
func (e *Emulator) retrieveCollection(w http.ResponseWriter, r *http.Request, req *apiRequest, o *objectDef) {
	var ids, names []string
	switch r.Method {
	case http.MethodGet:
		q := r.URL.Query()
		ids = splitList(q.Get("ids"))
		names = splitList(q.Get("fields"))
		if len(ids) > collectionLimit*4 {
			writeErrors(w, newError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "too many ids in the URL; use POST for up to %d", retrieveLimit))
			return
		}
	case http.MethodPost:
		var body struct {
			IDs    []string `json:"ids"`
			Fields []string `json:"fields"`
		}
		if aerr := decodeBody(r, &body); aerr != nil {
			writeErrors(w, aerr)
			return
		}
		ids, names = body.IDs, body.Fields
	default:
		writeErrors(w, errMethodNotAllowed(r.Method, "GET", "POST"))
		return
	}
	if len(ids) == 0 || len(names) == 0 {
		writeErrors(w, newError(http.StatusBadRequest, "MISSING_ARGUMENT", "ids and fields are required"))
		return
	}
	if len(ids) > retrieveLimit {
		writeErrors(w, newError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "cannot retrieve more than %d records", retrieveLimit))
		return
	}
	fields, aerr := selectFields(o, strings.Join(names, ","))
	if aerr != nil {
		writeErrors(w, aerr)
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]any, len(ids))
	for i, raw := range ids {
		id, ok := normalizeID(raw)
		if !ok {
			writeErrors(w, newError(http.StatusBadRequest, "MALFORMED_ID", "malformed id %s", raw))
			return
		}
		rec := e.records[id]
		if rec == nil || rec.deleted || rec.obj != o {
			out[i] = nil
			continue
		}
		out[i] = e.renderRecord(req.version, rec, fields)
	}
	writeJSON(w, http.StatusOK, out)
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
