package salesforce

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Query cursors: Salesforce keeps a query's result on the server and
// hands out nextRecordsUrl locators; the emulator keeps the rendered rows.
const (
	defaultBatchSize = 2000
	minBatchSize     = 200
	cursorIdleTTL    = 15 * time.Minute
	maxOpenCursors   = 50
)

type queryCursor struct {
	id string
	// rows are the matching records in result order, fixed when the
	// query ran; their fields are rendered when a page is read.
	rows     []*record
	query    *compiledQuery
	batch    int
	lastUsed time.Time
	all      bool
}

func (e *Emulator) serveQuery(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	if r.Method != http.MethodGet {
		writeErrors(w, errMethodNotAllowed(r.Method, "GET", "HEAD"))
		return
	}
	all := req.parts[0] == "queryAll"
	if len(req.parts) == 2 {
		e.serveNextPage(w, req, req.parts[1])
		return
	}
	if len(req.parts) > 2 {
		writeErrors(w, errNotFound())
		return
	}
	q := r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		writeErrors(w, newError(http.StatusBadRequest, "MALFORMED_QUERY", "A query string has to be specified"))
		return
	}
	batch := batchSize(r.Header.Get("Sforce-Query-Options"))

	parsed, perr := parseSOQL(q)
	if perr != nil {
		writeErrors(w, newError(http.StatusBadRequest, perr.code, "%s", perr.message(q)))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	compiled, perr := e.compile(parsed, e.now())
	if perr != nil {
		writeErrors(w, newError(http.StatusBadRequest, perr.code, "%s", perr.message(q)))
		return
	}
	rows := e.run(compiled, all)
	if parsed.count {
		writeJSON(w, http.StatusOK, map[string]any{"totalSize": len(rows), "done": true, "records": []any{}})
		return
	}

	if len(rows) <= batch {
		rendered := make([]*orderedObject, len(rows))
		for i, rec := range rows {
			rendered[i] = e.renderRow(req.version, compiled, rec)
		}
		writeQueryResult(w, len(rows), "", rendered)
		return
	}

	cur := e.openCursorLocked(rows, compiled, batch, all)
	e.writePageLocked(w, req.version, cur, 0)
}

// batchSize reads Sforce-Query-Options: batchSize=n. Salesforce treats
// it as a hint between 200 and 2,000.
func batchSize(header string) int {
	for part := range strings.SplitSeq(header, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "batchSize") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil {
			continue
		}
		return min(max(n, minBatchSize), defaultBatchSize)
	}
	return defaultBatchSize
}

func (e *Emulator) openCursorLocked(rows []*record, query *compiledQuery, batch int, all bool) *queryCursor {
	now := e.now()
	for id, c := range e.cursors {
		if now.Sub(c.lastUsed) > cursorIdleTTL {
			delete(e.cursors, id)
		}
	}
	if len(e.cursors) >= maxOpenCursors {
		// Salesforce closes the oldest cursor when a user opens too many.
		var oldest *queryCursor
		for _, c := range e.cursors {
			if oldest == nil || c.lastUsed.Before(oldest.lastUsed) {
				oldest = c
			}
		}
		delete(e.cursors, oldest.id)
	}
	e.seq++
	id15 := "01gKP" + newID("000", e.seq)[5:15]
	c := &queryCursor{id: id15 + idSuffix(id15), rows: rows, query: query, batch: batch, lastUsed: now, all: all}
	e.cursors[c.id] = c
	return c
}

func (e *Emulator) writePageLocked(w http.ResponseWriter, version string, c *queryCursor, offset int) {
	end := min(offset+c.batch, len(c.rows))
	page := make([]*orderedObject, 0, end-offset)
	for _, rec := range c.rows[offset:end] {
		page = append(page, e.renderRow(version, c.query, rec))
	}
	next := ""
	if end < len(c.rows) {
		resource := "query"
		if c.all {
			resource = "queryAll"
		}
		next = "/services/data/v" + version + "/" + resource + "/" + c.id + "-" + strconv.Itoa(end)
		c.lastUsed = e.now()
	} else {
		delete(e.cursors, c.id)
	}
	writeQueryResult(w, len(c.rows), next, page)
}

// writeQueryResult writes a query page in Salesforce's key order
// (totalSize, done, nextRecordsUrl, records) without reflection.
func writeQueryResult(w http.ResponseWriter, totalSize int, next string, rows []*orderedObject) {
	b := make([]byte, 0, 256*len(rows)+128)
	b = append(b, `{"totalSize":`...)
	b = strconv.AppendInt(b, int64(totalSize), 10)
	b = append(b, `,"done":`...)
	b = strconv.AppendBool(b, next == "")
	if next != "" {
		b = append(b, `,"nextRecordsUrl":`...)
		b = appendJSONString(b, next)
	}
	b = append(b, `,"records":[`...)
	for i, row := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = row.appendJSON(b); err != nil {
			writeErrors(w, newError(http.StatusInternalServerError, "UNKNOWN_EXCEPTION", "encode query result: %v", err))
			return
		}
	}
	b = append(b, "]}"...)
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

func (e *Emulator) serveNextPage(w http.ResponseWriter, req *apiRequest, locator string) {
	id, offsetText, ok := strings.Cut(locator, "-")
	offset, err := strconv.Atoi(offsetText)
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.cursors[id]
	if !ok || err != nil || c == nil || offset < 0 || offset >= len(c.rows) || e.now().Sub(c.lastUsed) > cursorIdleTTL {
		writeErrors(w, newError(http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator"))
		return
	}
	e.writePageLocked(w, req.version, c, offset)
}
