package salesforce

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// serveSObjects handles /sobjects and everything below it.
func (e *Emulator) serveSObjects(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	p := req.parts
	if len(p) == 1 {
		if r.Method != http.MethodGet {
			writeErrors(w, errMethodNotAllowed(r.Method, "GET", "HEAD"))
			return
		}
		e.serveDescribeGlobal(w, req)
		return
	}
	o := e.schema.object(p[1])
	if o == nil {
		writeErrors(w, newError(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist"))
		return
	}
	switch {
	case len(p) == 2:
		switch r.Method {
		case http.MethodGet:
			e.serveObjectInfo(w, req, o)
		case http.MethodPost:
			e.serveCreate(w, r, o)
		default:
			writeErrors(w, errMethodNotAllowed(r.Method, "GET", "HEAD", "POST"))
		}
	case len(p) == 3 && p[2] == "describe":
		if r.Method != http.MethodGet {
			writeErrors(w, errMethodNotAllowed(r.Method, "GET", "HEAD"))
			return
		}
		e.serveDescribe(w, r, req, o)
	case len(p) == 3 && p[2] == "updated":
		e.serveUpdated(w, r, o)
	case len(p) == 3 && p[2] == "deleted":
		e.serveDeleted(w, r, o)
	case len(p) == 3:
		e.serveRecord(w, r, req, o, p[2])
	case len(p) == 4:
		e.serveExternalID(w, r, req, o, p[2], p[3])
	default:
		writeErrors(w, errNotFound())
	}
}

func (e *Emulator) serveCreate(w http.ResponseWriter, r *http.Request, o *objectDef) {
	var input map[string]any
	if err := decodeBody(r, &input); err != nil {
		writeErrors(w, err)
		return
	}
	e.mu.Lock()
	rec, aerr := e.insertLocked(o, input, apiWriteOptions(r))
	e.mu.Unlock()
	if aerr != nil {
		writeErrors(w, aerr)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": rec.id, "success": true, "errors": []any{}})
}

func apiWriteOptions(r *http.Request) writeOptions {
	opt := writeOptions{api: true}
	h := strings.ToLower(r.Header.Get("Sforce-Duplicate-Rule-Header"))
	if strings.Contains(strings.ReplaceAll(h, " ", ""), "allowsave=true") {
		opt.allowDuplicates = true
	}
	return opt
}

// serveRecord handles GET, PATCH and DELETE of /sobjects/{object}/{id}.
func (e *Emulator) serveRecord(w http.ResponseWriter, r *http.Request, req *apiRequest, o *objectDef, rawID string) {
	id, ok := normalizeID(rawID)
	if !ok || id[:3] != o.KeyPrefix {
		// Salesforce reads a segment that is not an id of the object as
		// an external ID value on the Id field.
		writeErrors(w, newError(http.StatusNotFound, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: %s", rawID))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	rec := e.records[id]
	if rec == nil {
		writeErrors(w, errNotFound())
		return
	}

	switch r.Method {
	case http.MethodGet:
		if rec.deleted {
			writeErrors(w, errEntityDeleted())
			return
		}
		fields, aerr := selectFields(o, r.URL.Query().Get("fields"))
		if aerr != nil {
			writeErrors(w, aerr)
			return
		}
		if lm := r.Header.Get("If-Modified-Since"); lm != "" {
			if t, err := http.ParseTime(lm); err == nil {
				if mod, ok := rec.get("LastModifiedDate").(time.Time); ok && !mod.Truncate(time.Second).After(t) {
					w.WriteHeader(http.StatusNotModified)
					return
				}
			}
		}
		if mod, ok := rec.get("LastModifiedDate").(time.Time); ok {
			w.Header().Set("Last-Modified", mod.UTC().Format(http.TimeFormat))
		}
		writeJSON(w, http.StatusOK, e.renderRecord(req.version, rec, fields))
	case http.MethodPatch:
		var input map[string]any
		if err := decodeBody(r, &input); err != nil {
			writeErrors(w, err)
			return
		}
		if aerr := e.updateLocked(rec, input, apiWriteOptions(r)); aerr != nil {
			writeErrors(w, aerr)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case http.MethodDelete:
		if aerr := e.deleteLocked(rec, apiWriteOptions(r), ""); aerr != nil {
			writeErrors(w, aerr)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		writeErrors(w, errMethodNotAllowed(r.Method, "GET", "HEAD", "PATCH", "DELETE"))
	}
}

// selectFields parses a fields= list; empty means all fields.
func selectFields(o *objectDef, list string) ([]*fieldDef, *apiError) {
	if list == "" {
		return nil, nil
	}
	var out []*fieldDef
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		f := o.field(name)
		if f == nil {
			return nil, errInvalidField(o.Name, name)
		}
		out = append(out, f)
	}
	return out, nil
}

// serveExternalID handles /sobjects/{object}/{field}/{value}: GET reads
// by external ID, PATCH upserts, DELETE deletes.
func (e *Emulator) serveExternalID(w http.ResponseWriter, r *http.Request, req *apiRequest, o *objectDef, fieldName, value string) {
	f := o.field(fieldName)
	if f == nil || !(f.ExternalID || f.IDLookup) {
		writeErrors(w, newError(http.StatusNotFound, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: %s", fieldName))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	matches := e.matchExternalLocked(o, f, value)

	switch r.Method {
	case http.MethodGet, http.MethodDelete:
		switch len(matches) {
		case 0:
			writeErrors(w, errNotFound())
		case 1:
			if r.Method == http.MethodGet {
				writeJSON(w, http.StatusOK, e.renderRecord(req.version, matches[0], nil))
				return
			}
			if aerr := e.deleteLocked(matches[0], apiWriteOptions(r), ""); aerr != nil {
				writeErrors(w, aerr)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			writeMultipleChoices(w, req.version, matches)
		}
	case http.MethodPatch:
		var input map[string]any
		if err := decodeBody(r, &input); err != nil {
			writeErrors(w, err)
			return
		}
		status, body, aerr := e.upsertLocked(req.version, o, f, value, input, apiWriteOptions(r), matches, r.URL.Query().Get("updateOnly") == "true")
		if aerr != nil {
			writeErrors(w, aerr)
			return
		}
		if status == http.StatusMultipleChoices {
			writeJSON(w, status, body)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, body)
	default:
		writeErrors(w, errMethodNotAllowed(r.Method, "GET", "HEAD", "PATCH", "DELETE"))
	}
}

func writeMultipleChoices(w http.ResponseWriter, version string, matches []*record) {
	urls := make([]string, len(matches))
	for i, m := range matches {
		urls[i] = attributes(version, m)["url"]
	}
	writeJSON(w, http.StatusMultipleChoices, urls)
}

func (e *Emulator) matchExternalLocked(o *objectDef, f *fieldDef, value string) []*record {
	var out []*record
	if f.Type == "id" {
		if id, ok := normalizeID(value); ok {
			if r := e.records[id]; r != nil && r.obj == o && !r.deleted {
				out = append(out, r)
			}
		}
		return out
	}
	for _, r := range e.byObject[o.Name] {
		if r.deleted {
			continue
		}
		v := r.get(f.Name)
		if v == nil {
			continue
		}
		if strings.EqualFold(toText(wireValue(f, v)), value) {
			out = append(out, r)
		}
	}
	return out
}

func toText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := jsonMarshal(v)
	return string(b)
}

// upsertLocked creates or updates by external ID and returns the status
// and body Salesforce sends: 201 created, 200 updated (204 before API
// version 46.0), 300 when several records match.
func (e *Emulator) upsertLocked(version string, o *objectDef, f *fieldDef, value string, input map[string]any, opt writeOptions, matches []*record, updateOnly bool) (int, any, *apiError) {
	if len(matches) > 1 {
		urls := make([]string, len(matches))
		for i, m := range matches {
			urls[i] = attributes(version, m)["url"]
		}
		return http.StatusMultipleChoices, urls, nil
	}
	for key := range input {
		if strings.EqualFold(key, f.Name) && f.Type != "id" {
			if v, ok := input[key].(string); ok && !strings.EqualFold(v, value) {
				return 0, nil, fieldError("INVALID_FIELD", f.Name, "The value provided for the external ID field (%s) in the request body does not match the value in the URL (%s)", v, value)
			}
		}
	}
	if len(matches) == 1 {
		if aerr := e.updateLocked(matches[0], input, opt); aerr != nil {
			return 0, nil, aerr
		}
		if versionNumber(version) < 46 {
			return http.StatusNoContent, nil, nil
		}
		return http.StatusOK, map[string]any{"id": matches[0].id, "success": true, "errors": []any{}, "created": false}, nil
	}
	if updateOnly {
		return 0, nil, errNotFound()
	}
	if f.Type == "id" {
		return 0, nil, errNotFound()
	}
	fields := cloneFields(input)
	if fields == nil {
		fields = map[string]any{}
	}
	fields[f.Name] = value
	rec, aerr := e.insertLocked(o, fields, opt)
	if aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusCreated, map[string]any{"id": rec.id, "success": true, "errors": []any{}, "created": true}, nil
}

// maxUpdatedIDs is the most ids getUpdated returns before it fails.
const maxUpdatedIDs = 600000

// serveUpdated serves getUpdated, the ids of records changed in the window.
func (e *Emulator) serveUpdated(w http.ResponseWriter, r *http.Request, o *objectDef) {
	start, end, aerr := e.window(r)
	if aerr != nil {
		writeErrors(w, aerr)
		return
	}
	e.mu.Lock()
	ids := []string{}
	for _, rec := range e.byObject[o.Name] {
		if rec.deleted {
			continue
		}
		ts, _ := rec.get("SystemModstamp").(time.Time)
		if !ts.Before(start) && ts.Before(end) {
			ids = append(ids, rec.id)
		}
	}
	e.mu.Unlock()
	if len(ids) > maxUpdatedIDs {
		writeErrors(w, newError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "more than %d ids in the window; use a shorter window", maxUpdatedIDs))
		return
	}
	sort.Strings(ids)
	latest := minTime(end, e.now().UTC().Truncate(time.Minute))
	writeJSON(w, http.StatusOK, map[string]any{"ids": ids, "latestDateCovered": latest.Format(wireDateTime)})
}

// serveDeleted serves getDeleted from the recycle bin, which keeps
// records for 15 days.
func (e *Emulator) serveDeleted(w http.ResponseWriter, r *http.Request, o *objectDef) {
	start, end, aerr := e.window(r)
	if aerr != nil {
		writeErrors(w, aerr)
		return
	}
	earliest := e.now().UTC().Add(-15 * 24 * time.Hour).Truncate(time.Minute)
	e.mu.Lock()
	out := []map[string]string{}
	for _, rec := range e.byObject[o.Name] {
		if !rec.deleted || rec.deletedAt.Before(earliest) {
			continue
		}
		if !rec.deletedAt.Before(start) && rec.deletedAt.Before(end) {
			out = append(out, map[string]string{"id": rec.id, "deletedDate": rec.deletedAt.Format(wireDateTime)})
		}
	}
	e.mu.Unlock()
	latest := minTime(end, e.now().UTC().Truncate(time.Minute))
	writeJSON(w, http.StatusOK, map[string]any{
		"deletedRecords": out, "earliestDateAvailable": earliest.Format(wireDateTime), "latestDateCovered": latest.Format(wireDateTime),
	})
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// window reads start and end of getUpdated/getDeleted. Salesforce drops
// the seconds and reaches back at most 30 days.
func (e *Emulator) window(r *http.Request) (time.Time, time.Time, *apiError) {
	if r.Method != http.MethodGet {
		return time.Time{}, time.Time{}, errMethodNotAllowed(r.Method, "GET", "HEAD")
	}
	q := r.URL.Query()
	parse := func(name string) (time.Time, *apiError) {
		v := q.Get(name)
		if v == "" {
			return time.Time{}, newError(http.StatusBadRequest, "MISSING_ARGUMENT", "%s not specified", name)
		}
		t, ok := parseDateTime(v)
		if !ok {
			return time.Time{}, newError(http.StatusBadRequest, "INVALID_DATE_FORMAT", "%s: invalid date: %s", name, v)
		}
		return t.Truncate(time.Minute), nil
	}
	start, aerr := parse("start")
	if aerr != nil {
		return start, start, aerr
	}
	end, aerr := parse("end")
	if aerr != nil {
		return start, end, aerr
	}
	if !end.After(start) {
		return start, end, newError(http.StatusBadRequest, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate")
	}
	if start.Before(e.now().Add(-30 * 24 * time.Hour)) {
		return start, end, newError(http.StatusBadRequest, "INVALID_REPLICATION_DATE", "startDate cannot be more than 30 days ago")
	}
	return start, end, nil
}
