package salesforce

import (
	"errors"
	"net/http"
	"strings"

	"github.com/koppel-sync/koppel/internal/emulator/jsonkeys"
)

// serveAdmin handles /_emulator/, the actions of a person in the
// Salesforce UI and the emulator's controls, for tests in another
// process. These calls need no token and are not counted.
func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(strings.TrimPrefix(r.URL.Path, "/_emulator/"), "/")
	parts := strings.Split(path, "/")

	switch {
	case path == "health":
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})

	case path == "token" && r.Method == http.MethodPost:
		writeJSON(w, http.StatusOK, map[string]string{"access_token": e.IssueAccessToken(), "instance_url": instanceURL(r)})

	case parts[0] == "records":
		e.adminRecords(w, r, parts[1:])

	case path == "convert-lead" && r.Method == http.MethodPost:
		var req ConvertLead
		if !adminDecode(w, r, &req) {
			return
		}
		res, err := e.ConvertLead(req)
		if err != nil {
			adminError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, res)

	case path == "merge" && r.Method == http.MethodPost:
		var req struct {
			MasterID string   `json:"master_id"`
			LoserIDs []string `json:"loser_ids"`
		}
		if !adminDecode(w, r, &req) {
			return
		}
		if err := e.Merge(req.MasterID, req.LoserIDs...); err != nil {
			adminError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)

	case path == "campaign-members" && r.Method == http.MethodPost:
		var req struct {
			CampaignID string `json:"campaign_id"`
			PersonID   string `json:"person_id"`
			Status     string `json:"status"`
		}
		if !adminDecode(w, r, &req) {
			return
		}
		id, err := e.AddCampaignMember(req.CampaignID, req.PersonID, req.Status)
		if err != nil {
			adminError(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})

	case path == "campaign-members" && r.Method == http.MethodDelete:
		q := r.URL.Query()
		if err := e.RemoveCampaignMember(q.Get("campaign_id"), q.Get("person_id")); err != nil {
			adminError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)

	case path == "faults" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, e.Faults())

	case path == "faults" && (r.Method == http.MethodPut || r.Method == http.MethodPost):
		var f Faults
		if !adminDecode(w, r, &f) {
			return
		}
		if err := e.SetFaults(f); err != nil {
			writeErrors(w, newError(http.StatusBadRequest, "INVALID_FAULTS", "%s", err.Error()))
			return
		}
		writeJSON(w, http.StatusOK, e.Faults())

	case path == "api-usage" && r.Method == http.MethodGet:
		used, limit := e.APICalls()
		writeJSON(w, http.StatusOK, map[string]any{"used": used, "limit": limit, "total": e.TotalAPICalls()})

	case path == "api-usage" && r.Method == http.MethodDelete:
		e.ResetAPICalls()
		w.WriteHeader(http.StatusNoContent)

	case path == "expire-sessions" && r.Method == http.MethodPost:
		e.ExpireSessions()
		w.WriteHeader(http.StatusNoContent)

	case path == "save" && r.Method == http.MethodPost:
		if e.opts.StatePath == "" {
			writeErrors(w, newError(http.StatusConflict, "NO_STATE_FILE", "the emulator was started without a state file; start it with --state FILE"))
			return
		}
		if err := e.SaveState(e.opts.StatePath); err != nil {
			e.log.Error("save state failed", "error", err)
			writeErrors(w, newError(http.StatusInternalServerError, "SAVE_FAILED", "%s", err.Error()))
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"path": e.opts.StatePath})

	default:
		writeErrors(w, errNotFound())
	}
}

// adminRecords handles /_emulator/records/{Object} (POST creates) and
// /_emulator/records/{id} (GET, PATCH, DELETE) and
// /_emulator/records/{id}/undelete (POST).
func (e *Emulator) adminRecords(w http.ResponseWriter, r *http.Request, parts []string) {
	switch {
	case len(parts) == 1 && r.Method == http.MethodPost:
		var fields map[string]any
		if !adminDecode(w, r, &fields) {
			return
		}
		id, err := e.Create(parts[0], fields)
		if err != nil {
			adminError(w, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	case len(parts) == 1 && r.Method == http.MethodGet:
		rec, err := e.Get(parts[0])
		if err != nil {
			adminError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, rec)
	case len(parts) == 1 && r.Method == http.MethodPatch:
		var fields map[string]any
		if !adminDecode(w, r, &fields) {
			return
		}
		if err := e.Update(parts[0], fields); err != nil {
			adminError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case len(parts) == 1 && r.Method == http.MethodDelete:
		if err := e.Delete(parts[0]); err != nil {
			adminError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case len(parts) == 2 && parts[1] == "undelete" && r.Method == http.MethodPost:
		if err := e.Undelete(parts[0]); err != nil {
			adminError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		writeErrors(w, errNotFound())
	}
}

// adminDecode decodes an admin request body into out. When out is a
// struct, a key it does not have is rejected, so a misspelt key fails
// loudly instead of leaving its setting at the zero value.
func adminDecode(w http.ResponseWriter, r *http.Request, out any) bool {
	body := http.MaxBytesReader(nil, r.Body, 32<<20)
	data, err := readAll(body)
	if err != nil {
		writeErrors(w, newError(http.StatusRequestEntityTooLarge, "JSON_PARSER_ERROR", "request body too large or unreadable: %v", err))
		return false
	}
	if aerr := decodeJSONBytes(data, out); aerr != nil {
		aerr.Message += mediaTypeHint(r)
		writeErrors(w, aerr)
		return false
	}
	if allowed := jsonkeys.FieldNames(out); allowed != nil {
		if unknown := jsonkeys.Unknown(data, allowed); len(unknown) > 0 {
			writeErrors(w, newError(http.StatusBadRequest, "JSON_PARSER_ERROR",
				"Unrecognized field %s in %s %s; valid fields: %s", jsonkeys.Quote(unknown), r.Method, r.URL.Path, jsonkeys.Quote(allowed)))
			return false
		}
	}
	return true
}

func adminError(w http.ResponseWriter, err error) {
	var pe *Error
	if errors.As(err, &pe) {
		status := http.StatusBadRequest
		if pe.Code == "NOT_FOUND" {
			status = http.StatusNotFound
		}
		writeErrors(w, &apiError{Status: status, Code: pe.Code, Message: pe.Message, Fields: pe.Fields})
		return
	}
	writeErrors(w, newError(http.StatusBadRequest, "INVALID_REQUEST", "%s", err.Error()))
}
