package hubspot

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/emulator/jsonkeys"
)

// AdminPrefix is the path prefix of the emulator's own endpoints. They
// need no token, because the emulator listens on loopback only.
const AdminPrefix = "/_emulator/"

func (e *Emulator) routeAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /_emulator/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "portalId": e.cfg.PortalID})
	})
	mux.HandleFunc("GET /_emulator/records/{objectType}/{id}", e.adminGet)
	mux.HandleFunc("POST /_emulator/records/{objectType}", e.adminCreate)
	mux.HandleFunc("PATCH /_emulator/records/{objectType}/{id}", e.adminUpdate)
	mux.HandleFunc("DELETE /_emulator/records/{objectType}/{id}", e.adminArchive)
	mux.HandleFunc("POST /_emulator/records/{objectType}/{id}/restore", e.adminRestore)
	mux.HandleFunc("POST /_emulator/records/{objectType}/merge", e.adminMerge)
	mux.HandleFunc("POST /_emulator/forms", e.adminForm)
	mux.HandleFunc("POST /_emulator/associations", e.adminAssociate)
	mux.HandleFunc("DELETE /_emulator/associations", e.adminDisassociate)
	mux.HandleFunc("POST /_emulator/unsubscribe-all", e.adminUnsubscribe)
	mux.HandleFunc("POST /_emulator/lists/{listId}/members", e.adminListMembers)
	mux.HandleFunc("GET /_emulator/lists/{listId}/members", e.adminListMembersGet)
	mux.HandleFunc("GET /_emulator/faults", e.adminFaultsGet)
	mux.HandleFunc("PUT /_emulator/faults", e.adminFaultsPut)
	mux.HandleFunc("PUT /_emulator/rate-limits", e.adminRateLimits)
	mux.HandleFunc("PUT /_emulator/search-index-lag", e.adminSearchLag)
	mux.HandleFunc("GET /_emulator/calls", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, e.Calls()) })
	mux.HandleFunc("DELETE /_emulator/calls", func(w http.ResponseWriter, r *http.Request) {
		e.ResetCalls()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_emulator/webhooks", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, e.WebhookStats()) })
	mux.HandleFunc("POST /_emulator/oauth/codes", e.adminCode)
	mux.HandleFunc("GET /_emulator/state", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, e.Snapshot()) })
	mux.HandleFunc("POST /_emulator/save", e.adminSave)
	mux.HandleFunc("/_emulator/", func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, "no emulator admin endpoint "+r.Method+" "+r.URL.Path+"; see docs/emulator-hubspot.md")
	})
}

// decodeAdminBody decodes an admin request body into the struct v points
// to and rejects a key the struct does not have, so a misspelt key fails
// loudly instead of leaving its setting at the zero value.
func decodeAdminBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, ok := decodeBodyData(w, r, v)
	if !ok {
		return false
	}
	allowed := jsonkeys.FieldNames(v)
	if allowed == nil {
		return true
	}
	if unknown := jsonkeys.Unknown(data, allowed); len(unknown) > 0 {
		adminError(w, http.StatusBadRequest, fmt.Sprintf("unknown key %s in %s %s; valid keys: %s",
			jsonkeys.Quote(unknown), r.Method, r.URL.Path, jsonkeys.Quote(allowed)))
		return false
	}
	return true
}

// requireAdminProperties rejects a record write without properties, which
// would otherwise create an empty record or only move its modified date.
func requireAdminProperties(w http.ResponseWriter, props map[string]string) bool {
	if props == nil {
		adminError(w, http.StatusBadRequest, `properties is missing: send {"properties": {"name": "value", ...}}`)
		return false
	}
	return true
}

func adminError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"status": "error", "message": msg})
}

// adminResult writes err as 400 (or 404 for "not found") or v as 200.
func adminResult(w http.ResponseWriter, v any, err error) {
	if err != nil {
		status := http.StatusBadRequest
		if strings.Contains(err.Error(), "not found") {
			status = http.StatusNotFound
		}
		msg := err.Error()
		if ae, ok := err.(*apiError); ok {
			// The message alone, because Error() adds a prefix for Go
			// callers that an HTTP client does not need.
			status, msg = ae.status, ae.body.Message
		}
		adminError(w, status, msg)
		return
	}

	if v == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}

	writeJSON(w, http.StatusOK, v)
}

func (e *Emulator) adminGet(w http.ResponseWriter, r *http.Request) {
	rec, ok := e.Get(r.PathValue("objectType"), r.PathValue("id"))
	if !ok {
		adminError(w, http.StatusNotFound, "record not found")
		return
	}

	writeJSON(w, http.StatusOK, rec)
}

func (e *Emulator) adminCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Properties map[string]string `json:"properties"`
	}
	if !decodeAdminBody(w, r, &in) || !requireAdminProperties(w, in.Properties) {
		return
	}

	rec, err := e.CreateRecord(r.PathValue("objectType"), in.Properties)
	adminResult(w, rec, err)
}

func (e *Emulator) adminUpdate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Properties map[string]string `json:"properties"`
	}
	if !decodeAdminBody(w, r, &in) || !requireAdminProperties(w, in.Properties) {
		return
	}

	rec, err := e.UpdateRecord(r.PathValue("objectType"), r.PathValue("id"), in.Properties)
	adminResult(w, rec, err)
}

func (e *Emulator) adminArchive(w http.ResponseWriter, r *http.Request) {
	adminResult(w, nil, e.ArchiveRecord(r.PathValue("objectType"), r.PathValue("id")))
}

func (e *Emulator) adminRestore(w http.ResponseWriter, r *http.Request) {
	adminResult(w, nil, e.RestoreRecord(r.PathValue("objectType"), r.PathValue("id")))
}

func (e *Emulator) adminMerge(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PrimaryID string `json:"primaryId"`
		MergedID  string `json:"mergedId"`
	}
	if !decodeAdminBody(w, r, &in) {
		return
	}

	rec, err := e.MergeRecords(r.PathValue("objectType"), in.PrimaryID, in.MergedID)
	adminResult(w, rec, err)
}

func (e *Emulator) adminForm(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Properties map[string]string `json:"properties"`
	}
	if !decodeAdminBody(w, r, &in) || !requireAdminProperties(w, in.Properties) {
		return
	}

	rec, err := e.SubmitForm(in.Properties)
	adminResult(w, rec, err)
}

type adminPair struct {
	ContactID string `json:"contactId"`
	CompanyID string `json:"companyId"`
	Primary   bool   `json:"primary"`
}

func (e *Emulator) adminAssociate(w http.ResponseWriter, r *http.Request) {
	var in adminPair
	if !decodeAdminBody(w, r, &in) {
		return
	}

	adminResult(w, nil, e.Associate(in.ContactID, in.CompanyID, in.Primary))
}

func (e *Emulator) adminDisassociate(w http.ResponseWriter, r *http.Request) {
	var in adminPair
	if !decodeAdminBody(w, r, &in) {
		return
	}

	adminResult(w, nil, e.Disassociate(in.ContactID, in.CompanyID))
}

func (e *Emulator) adminUnsubscribe(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string `json:"email"`
	}
	if !decodeAdminBody(w, r, &in) {
		return
	}

	adminResult(w, nil, e.UnsubscribeAll(in.Email))
}

func (e *Emulator) adminListMembers(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Add    []string `json:"add"`
		Remove []string `json:"remove"`
	}
	if !decodeAdminBody(w, r, &in) {
		return
	}

	id := r.PathValue("listId")
	if len(in.Add) > 0 {
		if err := e.AddListMembers(id, in.Add...); err != nil {
			adminResult(w, nil, err)
			return
		}
	}
	if len(in.Remove) > 0 {
		if err := e.RemoveListMembers(id, in.Remove...); err != nil {
			adminResult(w, nil, err)
			return
		}
	}
	members, err := e.ListMembers(id)
	adminResult(w, map[string]any{"members": members}, err)
}

func (e *Emulator) adminListMembersGet(w http.ResponseWriter, r *http.Request) {
	members, err := e.ListMembers(r.PathValue("listId"))
	adminResult(w, map[string]any{"members": members}, err)
}

func (e *Emulator) adminFaultsGet(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	f := e.cfg.Faults
	e.mu.Unlock()
	writeJSON(w, http.StatusOK, f)
}

func (e *Emulator) adminFaultsPut(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if !decodeAdminBody(w, r, &f) {
		return
	}

	adminResult(w, f, e.SetFaults(f))
}

func (e *Emulator) adminRateLimits(w http.ResponseWriter, r *http.Request) {
	var l RateLimits
	if !decodeAdminBody(w, r, &l) {
		return
	}

	adminResult(w, l, e.SetRateLimits(l))
}

func (e *Emulator) adminSearchLag(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Lag Duration `json:"lag"`
	}
	if !decodeAdminBody(w, r, &in) {
		return
	}

	adminResult(w, map[string]string{"lag": time.Duration(in.Lag).String()}, e.SetSearchIndexLag(time.Duration(in.Lag)))
}

func (e *Emulator) adminCode(w http.ResponseWriter, r *http.Request) {
	code, err := e.IssueAuthorizationCode()
	adminResult(w, map[string]string{"code": code}, err)
}

func (e *Emulator) adminSave(w http.ResponseWriter, r *http.Request) {
	if e.statePath == "" {
		adminError(w, http.StatusConflict, "the emulator was started without a state file; start it with --state FILE")
		return
	}
	if err := e.SaveState(e.statePath); err != nil {
		e.log.Error("save state failed", "path", e.statePath, "error", err)
		adminError(w, http.StatusInternalServerError, err.Error())
		return
	}
	e.log.Info("state saved", "path", e.statePath)
	writeJSON(w, http.StatusOK, map[string]string{"path": e.statePath})
}
