package hubspot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBodyBytes bounds request bodies; HubSpot rejects far smaller batches
// long before this.
const maxBodyBytes = 16 << 20

// Handler returns the HTTP handler serving HubSpot's API paths and the
// /_emulator/ admin paths.
func (e *Emulator) Handler() http.Handler {
	api := http.NewServeMux()
	e.routeObjects(api)
	e.routeProperties(api)
	e.routeOwners(api)
	e.routeAssociations(api)
	e.routeLists(api)
	e.routePreferences(api)
	e.routeAccount(api)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, newAPIError(http.StatusNotFound, "OBJECT_NOT_FOUND", fmt.Sprintf("No route for %s %s", r.Method, r.URL.Path)))
	})

	root := http.NewServeMux()
	e.routeAdmin(root)
	e.routeOAuth(root)
	root.Handle("/", e.guard(api))
	return recoverPanics(e, root)
}

// recoverPanics turns a handler panic into a 500 with HubSpot's body, so
// bad input can never take the emulator down.
func recoverPanics(e *Emulator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				e.log.Error("emulator handler panicked", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				writeError(w, newAPIError(http.StatusInternalServerError, "INTERNAL_ERROR", "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// guard authenticates, counts, rate-limits and injects faults before a
// call reaches its handler.
func (e *Emulator) guard(next *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := next.Handler(r)
		isSearch := strings.HasSuffix(r.URL.Path, "/search") && strings.HasPrefix(r.URL.Path, "/crm/v3/objects/")

		e.mu.Lock()
		e.calls.Total++
		e.calls.ByRoute[pattern]++
		faults := e.cfg.Faults
		roll := e.rand.Float64()
		e.mu.Unlock()

		if faults.Latency > 0 {
			select {
			case <-time.After(time.Duration(faults.Latency)):
			case <-r.Context().Done():
				return
			}
		}

		if ae := e.authenticate(r); ae != nil {
			writeError(w, ae)
			return
		}

		e.mu.Lock()
		policy := ""
		if faults.DailyExhausted {
			policy = "DAILY"
		} else {
			policy = e.limits.admit(e.now(), isSearch)
		}
		e.limits.setHeaders(w.Header(), isSearch)
		if policy != "" {
			e.calls.RateLimited++
		}
		e.mu.Unlock()
		if policy != "" {
			if policy == "DAILY" {
				w.Header().Set("X-HubSpot-RateLimit-Daily-Remaining", "0")
			} else {
				w.Header().Set("Retry-After", "1")
			}
			writeError(w, rateLimitError(policy))
			return
		}

		if e.injectFault(w, faults, roll) {
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		next.ServeHTTP(w, r)
	})
}

// injectFault writes a configured fault response. roll picks which one, so
// the shares add up over many calls.
func (e *Emulator) injectFault(w http.ResponseWriter, f Faults, roll float64) bool {
	switch {
	case roll < f.Dropped:
		e.countFault()
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case roll < f.Dropped+f.Locked:
		e.countFault()
		writeError(w, newAPIError(http.StatusLocked, "LOCKED", "Record is locked by another request; retry after 2 seconds"))
		return true
	case roll < f.Dropped+f.Locked+f.ServerErrors:
		e.countFault()
		codes := []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}
		code := codes[int(roll*1e6)%len(codes)]
		writeError(w, newAPIError(code, "INTERNAL_ERROR", http.StatusText(code)))
		return true
	}
	return false
}

func (e *Emulator) countFault() {
	e.mu.Lock()
	e.calls.Faults++
	e.mu.Unlock()
}

// authenticate checks the bearer token and returns HubSpot's 401 body when
// it is missing, unknown or expired.
func (e *Emulator) authenticate(r *http.Request) *apiError {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		if r.URL.Query().Get("hapikey") != "" {
			return newAPIError(http.StatusUnauthorized, "INVALID_AUTHENTICATION", "The API key provided is invalid. API keys were sunset; use a private app access token.")
		}
		return newAPIError(http.StatusUnauthorized, "INVALID_AUTHENTICATION",
			"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
	}
	token = strings.TrimSpace(token)

	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.cfg.PrivateAppTokens) == 0 && e.cfg.OAuth == nil {
		return nil
	}
	for _, t := range e.cfg.PrivateAppTokens {
		if t == token {
			return nil
		}
	}
	if at, ok := e.tokens[token]; ok {
		if e.now().Before(at.expires) {
			return nil
		}
		return newAPIError(http.StatusUnauthorized, "EXPIRED_AUTHENTICATION",
			"The OAuth token used to make this call expired "+e.now().Sub(at.expires).Round(time.Second).String()+" ago.")
	}
	return newAPIError(http.StatusUnauthorized, "INVALID_AUTHENTICATION",
		"Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
}

// apiSource is the source of changes made through the API.
func (e *Emulator) apiSource() source {
	return source{sourceType: "INTEGRATION", sourceID: strconv.FormatInt(e.cfg.AppID, 10), appID: e.cfg.AppID}
}

// decodeBody decodes a JSON request body and writes HubSpot's 400 on
// failure.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	_, ok := decodeBodyData(w, r, v)
	return ok
}

// decodeBodyData is decodeBody that also returns the raw body, for
// handlers that look at the keys that were sent.
func decodeBodyData(w http.ResponseWriter, r *http.Request, v any) ([]byte, bool) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, newAPIError(http.StatusRequestEntityTooLarge, "VALIDATION_ERROR", "Request body is too large"))
			return nil, false
		}
		writeError(w, validationError("Could not read the request body", nil))
		return nil, false
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		writeError(w, validationError("Invalid input JSON: the request body is empty", nil))
		return nil, false
	}
	if err := json.Unmarshal(data, v); err != nil {
		ae := badJSON(err)
		ae.body.Message += mediaTypeHint(r)
		writeError(w, ae)
		return nil, false
	}
	return data, true
}

func queryBool(r *http.Request, name string) bool {
	v := r.URL.Query().Get(name)
	return strings.EqualFold(v, "true")
}

// queryList reads a parameter that may repeat or hold comma-separated
// values.
func queryList(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func queryLimit(r *http.Request, def, maxv int) (int, *apiError) {
	raw := r.URL.Query().Get("limit")
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return 0, validationError(fmt.Sprintf("limit must be a positive integer, got %q", raw), nil)
	}
	return min(n, maxv), nil
}

// flexString reads a JSON string or number as a string, because clients
// send ids both ways.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("expected a string or number, got %s", truncateForMessage(string(b)))
	}
	*f = flexString(n.String())
	return nil
}

func (f flexString) String() string { return string(f) }

func truncateForMessage(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// mediaTypeHint explains a body that failed to parse when the request did
// not say it was JSON, such as a curl -d form body or a text/plain fetch.
func mediaTypeHint(r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mediaType, _, err := mime.ParseMediaType(ct)
	if err == nil && (mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")) {
		return ""
	}
	return fmt.Sprintf(" (the request has Content-Type %s; send a JSON body with Content-Type: application/json)", ct)
}
