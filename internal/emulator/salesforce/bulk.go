package salesforce

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// bulkJob is a Bulk API 2.0 query job. The emulator runs the query when
// the job is created and reports it InProgress until the first status
// check, so clients exercise their polling.
type bulkJob struct {
	id        string
	operation string
	object    string
	query     string
	state     string
	errorMsg  string
	created   time.Time
	header    []string
	rows      [][]string
	polled    bool
}

func (j *bulkJob) info(version string) map[string]any {
	return map[string]any{
		"id": j.id, "operation": j.operation, "object": j.object, "createdById": "",
		"createdDate": j.created.Format(wireDateTime), "systemModstamp": j.created.Format(wireDateTime),
		"state": j.state, "concurrencyMode": "Parallel", "contentType": "CSV",
		"apiVersion": json.Number(version), "lineEnding": "LF", "columnDelimiter": "COMMA",
		"numberRecordsProcessed": len(j.rows), "retries": 0, "totalProcessingTime": 0,
		"errorMessage": nilIfEmpty(j.errorMsg), "jobType": "V2Query",
	}
}

func (e *Emulator) serveJobs(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	p := req.parts
	if len(p) < 2 || p[1] != "query" {
		// TODO: Bulk API 2.0 ingest jobs are not emulated; the engine
		// writes through sObject Collections.
		writeErrors(w, newError(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist"))
		return
	}
	switch {
	case len(p) == 2 && r.Method == http.MethodPost:
		e.createBulkJob(w, r, req)
	case len(p) == 2 && r.Method == http.MethodGet:
		e.mu.Lock()
		list := []map[string]any{}
		for _, j := range e.bulkJobs {
			list = append(list, j.info(req.version))
		}
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"done": true, "records": list, "nextRecordsUrl": nil})
	case len(p) == 3:
		e.serveBulkJob(w, r, req, p[2])
	case len(p) == 4 && p[3] == "results" && r.Method == http.MethodGet:
		e.serveBulkResults(w, r, p[2])
	default:
		writeErrors(w, errNotFound())
	}
}

func (e *Emulator) createBulkJob(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	var body struct {
		Operation       string `json:"operation"`
		Query           string `json:"query"`
		ContentType     string `json:"contentType"`
		ColumnDelimiter string `json:"columnDelimiter"`
		LineEnding      string `json:"lineEnding"`
	}
	if aerr := decodeBody(r, &body); aerr != nil {
		writeErrors(w, aerr)
		return
	}
	if body.Operation != "query" && body.Operation != "queryAll" {
		writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOB", "Invalid operation: %q; use query or queryAll", body.Operation))
		return
	}
	if (body.ContentType != "" && body.ContentType != "CSV") || (body.ColumnDelimiter != "" && body.ColumnDelimiter != "COMMA") || (body.LineEnding != "" && body.LineEnding != "LF") {
		// TODO: only CSV with commas and LF line endings is emulated.
		writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOB", "the emulator supports contentType CSV, columnDelimiter COMMA and lineEnding LF only"))
		return
	}
	parsed, perr := parseSOQL(body.Query)
	if perr != nil {
		writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOB", "%s", perr.message(body.Query)))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	compiled, perr := e.compile(parsed, e.now())
	if perr != nil {
		writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOB", "%s", perr.message(body.Query)))
		return
	}
	e.seq++
	id15 := "750KP" + newID("000", e.seq)[5:15]
	j := &bulkJob{id: id15 + idSuffix(id15), operation: body.Operation, object: compiled.obj.Name,
		query: body.Query, state: "UploadComplete", created: e.nowMillis()}
	if parsed.count {
		j.state, j.errorMsg = "Failed", "COUNT() is not supported by Bulk API 2.0 queries"
	} else {
		for _, rf := range compiled.fields {
			j.header = append(j.header, rf.path.String())
		}
		for _, rec := range e.run(compiled, body.Operation == "queryAll") {
			row := make([]string, len(compiled.fields))
			for i, rf := range compiled.fields {
				row[i] = csvValue(rf.f, e.value(rec, rf))
			}
			j.rows = append(j.rows, row)
		}
	}
	e.bulkJobs[j.id] = j
	writeJSON(w, http.StatusOK, j.info(req.version))
}

// csvValue writes a value as Bulk API 2.0 does: empty for null,
// datetimes in UTC with a Z.
func csvValue(f *fieldDef, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z")
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	}
	return toText(wireValue(f, v))
}

func (e *Emulator) serveBulkJob(w http.ResponseWriter, r *http.Request, req *apiRequest, id string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	j := e.bulkJobs[id]
	if j == nil {
		writeErrors(w, newError(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist"))
		return
	}
	switch r.Method {
	case http.MethodGet:
		if j.state == "UploadComplete" {
			if j.polled {
				j.state = "JobComplete"
			} else {
				j.polled = true
				j.state = "InProgress"
			}
		} else if j.state == "InProgress" {
			j.state = "JobComplete"
		}
		writeJSON(w, http.StatusOK, j.info(req.version))
	case http.MethodPatch:
		var body struct {
			State string `json:"state"`
		}
		if aerr := decodeJSONBytes(mustRead(r), &body); aerr != nil {
			writeErrors(w, aerr)
			return
		}
		if body.State != "Aborted" {
			writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOBSTATE", "a query job can only be set to Aborted"))
			return
		}
		if j.state == "JobComplete" || j.state == "Failed" {
			writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOBSTATE", "Job is already in state %s", j.state))
			return
		}
		j.state = "Aborted"
		writeJSON(w, http.StatusOK, j.info(req.version))
	case http.MethodDelete:
		delete(e.bulkJobs, id)
		w.WriteHeader(http.StatusNoContent)
	default:
		writeErrors(w, errMethodNotAllowed(r.Method, "GET", "PATCH", "DELETE"))
	}
}

func mustRead(r *http.Request) []byte {
	data, _ := readAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	return data
}

func (e *Emulator) serveBulkResults(w http.ResponseWriter, r *http.Request, id string) {
	q := r.URL.Query()
	maxRecords := 50000
	if v := q.Get("maxRecords"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOB", "maxRecords must be a positive number, not %q", v))
			return
		}
		maxRecords = n
	}
	offset := 0
	if v := q.Get("locator"); v != "" {
		n, err := strconv.ParseInt(v, 36, 64)
		if err != nil || n < 0 {
			writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOB", "invalid locator %q", v))
			return
		}
		offset = int(n)
	}

	e.mu.Lock()
	j := e.bulkJobs[id]
	if j == nil {
		e.mu.Unlock()
		writeErrors(w, newError(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist"))
		return
	}
	if j.state != "JobComplete" {
		state := j.state
		e.mu.Unlock()
		writeErrors(w, newError(http.StatusBadRequest, "INVALIDJOBSTATE", "Job is in state %s; results are available once it is JobComplete", state))
		return
	}
	end := min(offset+maxRecords, len(j.rows))
	if offset > len(j.rows) {
		offset = len(j.rows)
	}
	page := j.rows[offset:end]
	header := j.header
	more := end < len(j.rows)
	e.mu.Unlock()

	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(header)
	cw.WriteAll(page)
	locator := "null"
	if more {
		locator = strconv.FormatInt(int64(end), 36)
	}
	w.Header().Set("Content-Type", "text/csv")
	w.Header().Set("Sforce-Locator", locator)
	w.Header().Set("Sforce-NumberOfRecords", strconv.Itoa(len(page)))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}
