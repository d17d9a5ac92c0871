package salesforce

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP routes a request: /services/oauth2/* to the OAuth endpoints,
// /services/data to the REST API, /_emulator/ to the admin actions.
func (e *Emulator) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	start := time.Now()
	w := &statusWriter{ResponseWriter: rw, status: http.StatusOK}
	defer func() {
		e.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", w.status, "duration_ms", time.Since(start).Milliseconds())
	}()
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			// A bug in the emulator must not take the process down; the
			// client gets the generic error Salesforce sends.
			e.log.Error("emulator panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
			writeErrors(w, newError(http.StatusInternalServerError, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: emulator"))
		}
	}()

	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/services/oauth2/"):
		e.serveOAuth(w, r)
	case strings.HasPrefix(path, "/_emulator/"):
		e.serveAdmin(w, r)
	case path == "/services/data" || path == "/services/data/":
		e.serveVersions(w, r)
	case strings.HasPrefix(path, "/services/data/v"):
		e.serveAPI(w, r)
	case strings.HasPrefix(path, "/id/"):
		e.serveIdentity(w, r)
	default:
		writeErrors(w, errNotFound())
	}
}

func (e *Emulator) serveVersions(w http.ResponseWriter, r *http.Request) {
	out := make([]map[string]string, len(e.versions))
	for i, v := range e.versions {
		out[i] = map[string]string{"label": releaseLabel(v), "url": "/services/data/v" + v, "version": v}
	}
	writeJSON(w, http.StatusOK, out)
}

// releaseLabel names the release of an API version (66.0 is Spring '26).
func releaseLabel(v string) string {
	n := versionNumber(v)
	// Version 66 is Spring '26; three releases a year.
	offset := n - 66
	season := []string{"Spring", "Summer", "Winter"}
	idx := ((offset % 3) + 3) % 3
	year := 26 + floorDiv(offset, 3)
	if idx == 2 {
		year++
	}
	return fmt.Sprintf("%s '%02d", season[idx], year)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// apiRequest is an authenticated, counted REST call.
type apiRequest struct {
	version string
	// parts are the path segments after /services/data/vXX.X/.
	parts []string
	log   *slog.Logger
}

func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/services/data/v")
	version, tail, _ := strings.Cut(rest, "/")
	if !e.servesVersion(version) {
		writeErrors(w, errNotFound())
		return
	}

	if !e.authenticated(r) {
		writeErrors(w, newError(http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid"))
		return
	}

	latency, fault := e.pickFault()
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	if fault == faultDrop {
		dropConnection(w)
		return
	}

	used, ok := e.usage.take(e.now())
	if e.Faults().QuotaExhausted {
		ok = false
		used = e.usage.max
	}
	w.Header().Set("Sforce-Limit-Info", "api-usage="+strconv.Itoa(used)+"/"+strconv.Itoa(e.usage.max))
	if !ok {
		writeErrors(w, newError(http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
		return
	}
	if fault == faultServerError {
		writeErrors(w, newError(http.StatusServiceUnavailable, "SERVER_UNAVAILABLE", "Server temporarily unavailable, please try again later."))
		return
	}

	var parts []string
	for _, p := range strings.Split(tail, "/") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	req := &apiRequest{version: version, parts: parts, log: e.log}
	e.route(w, r, req)
}

func (e *Emulator) servesVersion(v string) bool {
	for _, x := range e.versions {
		if x == v {
			return true
		}
	}
	return false
}

// route dispatches a REST call by its path below the version root.
func (e *Emulator) route(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	p := req.parts
	if len(p) == 0 {
		e.serveVersionRoot(w, r, req)
		return
	}
	switch p[0] {
	case "limits":
		e.serveLimits(w, r, req)
	case "sobjects":
		e.serveSObjects(w, r, req)
	case "query", "queryAll":
		e.serveQuery(w, r, req)
	case "composite":
		if len(p) >= 2 && p[1] == "sobjects" {
			e.serveCollections(w, r, req)
			return
		}
		writeErrors(w, errNotFound())
	case "jobs":
		e.serveJobs(w, r, req)
	default:
		writeErrors(w, errNotFound())
	}
}

func (e *Emulator) serveVersionRoot(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	base := "/services/data/v" + req.version + "/"
	out := map[string]string{}
	for _, name := range []string{"sobjects", "query", "queryAll", "limits", "composite", "jobs"} {
		out[name] = base + name
	}
	// Salesforce gives the identity URL in full, on the login host. The
	// emulator is its own login host.
	out["identity"] = e.identityURL(r)
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) serveLimits(w http.ResponseWriter, r *http.Request, req *apiRequest) {
	if r.Method != http.MethodGet {
		writeErrors(w, errMethodNotAllowed(r.Method, "GET", "HEAD"))
		return
	}
	used := e.usage.used(e.now())
	limit := func(max, remaining int) map[string]int { return map[string]int{"Max": max, "Remaining": remaining} }
	e.mu.Lock()
	jobs := len(e.bulkJobs)
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"DailyApiRequests":                  limit(e.usage.max, max(0, e.usage.max-used)),
		"DailyBulkV2QueryJobs":              limit(10000, max(0, 10000-jobs)),
		"DailyBulkV2QueryFileStorageMB":     limit(976562, 976562),
		"DailyBulkApiBatches":               limit(15000, 15000),
		"DataStorageMB":                     limit(5, 5),
		"FileStorageMB":                     limit(20, 20),
		"ConcurrentAsyncGetReportInstances": limit(200, 200),
		"DailyAsyncApexExecutions":          limit(250000, 250000),
	})
}

// instanceURL is the base URL clients reached the emulator on.
func instanceURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// statusWriter records the response status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// Hijack lets fault injection drop the connection through the wrapper.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("connection cannot be hijacked")
	}
	w.status = 0
	return hj.Hijack()
}
