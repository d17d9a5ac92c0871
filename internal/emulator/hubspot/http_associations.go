package hubspot

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

func (e *Emulator) routeAssociations(mux *http.ServeMux) {
	mux.HandleFunc("PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}", e.handleAssocDefault)
	mux.HandleFunc("PUT /crm/v4/objects/{fromType}/{fromId}/associations/{toType}/{toId}", e.handleAssocLabels)
	mux.HandleFunc("DELETE /crm/v4/objects/{fromType}/{fromId}/associations/{toType}/{toId}", e.handleAssocDelete)
	mux.HandleFunc("GET /crm/v4/objects/{fromType}/{fromId}/associations/{toType}", e.handleAssocList)
	mux.HandleFunc("POST /crm/v4/associations/{fromType}/{toType}/batch/read", e.handleAssocBatchRead)
	mux.HandleFunc("POST /crm/v4/associations/{fromType}/{toType}/batch/create", e.handleAssocBatchCreate)
	mux.HandleFunc("POST /crm/v4/associations/{fromType}/{toType}/batch/associate/default", e.handleAssocBatchDefault)
	mux.HandleFunc("POST /crm/v4/associations/{fromType}/{toType}/batch/archive", e.handleAssocBatchArchive)
	mux.HandleFunc("POST /crm/v4/associations/{fromType}/{toType}/batch/labels/archive", e.handleAssocBatchLabelsArchive)
	mux.HandleFunc("GET /crm/v4/associations/{fromType}/{toType}/labels", e.handleAssocLabelDefs)
}

// assocSides resolves the two object types of a v4 path. The emulator
// supports contact ↔ company associations only.
func assocSides(fromType, toType string) (from, to string, ae *apiError) {
	from, to = normalizeObjectType(fromType), normalizeObjectType(toType)
	if (from == "contacts" && to == "companies") || (from == "companies" && to == "contacts") {
		return from, to, nil
	}

	return "", "", validationError(fmt.Sprintf("Associations between %s and %s are not supported by this emulator; use contacts and companies", fromType, toType), nil)
}

// pairRecords returns (contact, company) for ids seen from the from side.
func (e *Emulator) pairRecords(from string, fromID, toID string) (*record, *record, *apiError) {
	fromStore, toStore := e.types[from], e.types[otherType(from)]
	a, b := lookupLive(fromStore, fromID), lookupLive(toStore, toID)
	if a == nil {
		return nil, nil, objectNotFound(fromID)
	}

	if b == nil {
		return nil, nil, objectNotFound(toID)
	}

	if from == "contacts" {
		return a, b, nil
	}

	return b, a, nil
}

func otherType(t string) string {
	if t == "contacts" {
		return "companies"
	}

	return "contacts"
}

func lookupLive(s *objectStore, id string) *record {
	n, err := parseID(id)
	if err != nil {
		return nil
	}

	r := s.resolve(n)
	if r == nil || r.archived {
		return nil
	}

	return r
}

func (e *Emulator) handleAssocDefault(w http.ResponseWriter, r *http.Request) {
	from, to, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	started := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()

	c, co, ae := e.pairRecords(from, r.PathValue("fromId"), r.PathValue("toId"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	e.associate(c, co, false, nil, e.apiSource())
	writeJSON(w, http.StatusOK, map[string]any{
		"status": "COMPLETE", "startedAt": formatTime(started), "completedAt": formatTime(time.Now()),
		"results": []any{defaultSpec(from, to, r.PathValue("fromId"), r.PathValue("toId"))},
	})
}

func defaultSpec(from, to, fromID, toID string) map[string]any {
	typeID := typeContactToCompany
	if from == "companies" {
		typeID = typeCompanyToContact
	}
	return map[string]any{
		"from": map[string]string{"id": fromID}, "to": map[string]string{"id": toID},
		"associationSpec": map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": typeID},
	}
}

type assocSpec struct {
	Category string `json:"associationCategory"`
	TypeID   int    `json:"associationTypeId"`
}

// applySpecs replaces the association types of a pair with specs.
func (e *Emulator) applySpecs(from string, c, co *record, specs []assocSpec) *apiError {
	if len(specs) == 0 {
		return validationError("at least one association type is required", nil)
	}

	primary := false
	var labels []int
	for _, sp := range specs {
		switch {
		case sp.Category == "HUBSPOT_DEFINED" && validAssocType(from, sp.TypeID):
			primary = primary || sp.TypeID == typeContactToPrimaryCompany || sp.TypeID == typeCompanyToPrimaryContact
		case sp.Category == "USER_DEFINED" || sp.Category == "INTEGRATOR_DEFINED":
			return validationError(fmt.Sprintf("association type %d (%s) is not defined in this account", sp.TypeID, sp.Category), nil)
		default:
			return validationError(fmt.Sprintf("invalid association type %s/%d between %s and %s", sp.Category, sp.TypeID, from, otherType(from)), nil)
		}
	}
	if entry := e.assocs.get(c.id, co.id); entry != nil && entry.primary && !primary {
		entry.primary = false
		delete(e.assocs.primaryOf, c.id)
		e.setValues(e.types["contacts"], c, map[string]string{"associatedcompanyid": ""}, e.apiSource())
	}
	e.associate(c, co, primary, labels, e.apiSource())
	return nil
}

func (e *Emulator) labelsResult(from string, c, co *record) map[string]any {
	fromRec, toRec := c, co
	if from == "companies" {
		fromRec, toRec = co, c
	}
	labels := []string{}
	if entry := e.assocs.get(c.id, co.id); entry != nil && entry.primary {
		labels = append(labels, "Primary")
	}
	return map[string]any{
		"fromObjectTypeId": e.types[from].typeID, "fromObjectId": fromRec.id,
		"toObjectTypeId": e.types[otherType(from)].typeID, "toObjectId": toRec.id, "labels": labels,
	}
}

func (e *Emulator) handleAssocLabels(w http.ResponseWriter, r *http.Request) {
	from, _, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	var specs []assocSpec
	if !decodeBody(w, r, &specs) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	c, co, ae := e.pairRecords(from, r.PathValue("fromId"), r.PathValue("toId"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	if ae := e.applySpecs(from, c, co, specs); ae != nil {
		writeError(w, ae)
		return
	}

	writeJSON(w, http.StatusCreated, e.labelsResult(from, c, co))
}

func (e *Emulator) handleAssocDelete(w http.ResponseWriter, r *http.Request) {
	from, _, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	c, co, ae := e.pairRecords(from, r.PathValue("fromId"), r.PathValue("toId"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	e.disassociate(c, co, e.apiSource())
	w.WriteHeader(http.StatusNoContent)
}

type assocResultJSON struct {
	ToObjectID       int64       `json:"toObjectId"`
	AssociationTypes []assocType `json:"associationTypes"`
}

func (e *Emulator) associatedOf(from string, id int64) []assocResultJSON {
	var out []assocResultJSON
	if from == "contacts" {
		for _, co := range e.assocs.companiesOf(id) {
			out = append(out, assocResultJSON{ToObjectID: co, AssociationTypes: e.assocs.typesFrom(from, e.assocs.get(id, co))})
		}
		return out
	}

	for _, c := range e.assocs.contactsOf(id) {
		out = append(out, assocResultJSON{ToObjectID: c, AssociationTypes: e.assocs.typesFrom(from, e.assocs.get(c, id))})
	}
	return out
}

func (e *Emulator) handleAssocList(w http.ResponseWriter, r *http.Request) {
	from, _, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	limit, ae := queryLimit(r, 500, 500)
	if ae != nil {
		writeError(w, ae)
		return
	}

	start := 0
	if raw := r.URL.Query().Get("after"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			writeError(w, validationError(fmt.Sprintf("after must be the paging cursor of a previous page, got %q", raw), nil))
			return
		}
		start = n
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	rec := lookupLive(e.types[from], r.PathValue("fromId"))
	if rec == nil {
		writeError(w, objectNotFound(r.PathValue("fromId")))
		return
	}

	all := e.associatedOf(from, rec.id)
	results := []assocResultJSON{}
	end := min(start+limit, len(all))
	if start < end {
		results = all[start:end]
	}
	body := map[string]any{"results": results}
	if end < len(all) {
		body["paging"] = map[string]any{"next": map[string]string{"after": strconv.Itoa(end)}}
	}
	writeJSON(w, http.StatusOK, body)
}

func (e *Emulator) handleAssocBatchRead(w http.ResponseWriter, r *http.Request) {
	from, _, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	var in struct {
		Inputs []struct {
			ID flexString `json:"id"`
		} `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	if len(in.Inputs) > 1000 {
		writeError(w, validationError(fmt.Sprintf("Batch input limit is 1000, but %d inputs were provided", len(in.Inputs)), nil))
		return
	}

	started := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()

	results := []map[string]any{}
	var errs []batchError
	for _, input := range in.Inputs {
		rec := lookupLive(e.types[from], input.ID.String())
		if rec == nil {
			errs = append(errs, toBatchError(objectNotFound(input.ID.String()), "", input.ID.String()))
			continue
		}
		to := e.associatedOf(from, rec.id)
		if len(to) == 0 {
			errs = append(errs, batchError{Status: "error", Category: "OBJECT_NOT_FOUND", SubCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
				Message: fmt.Sprintf("No %s is associated with %s %s.", otherType(from), e.types[from].singular(), input.ID),
				Context: map[string][]string{"fromObjectId": {input.ID.String()}}, Errors: []errorDetail{}, Links: map[string]string{}})
			continue
		}
		results = append(results, map[string]any{"from": map[string]string{"id": strconv.FormatInt(rec.id, 10)}, "to": to})
	}
	body := map[string]any{"status": "COMPLETE", "results": results, "startedAt": formatTime(started), "completedAt": formatTime(time.Now())}
	status := http.StatusOK
	if len(errs) > 0 {
		body["errors"], body["numErrors"], status = errs, len(errs), http.StatusMultiStatus
	}
	writeJSON(w, status, body)
}

type assocPairInput struct {
	From struct {
		ID flexString `json:"id"`
	} `json:"from"`
	To struct {
		ID flexString `json:"id"`
	} `json:"to"`
	Types []assocSpec `json:"types"`
}

func (e *Emulator) handleAssocBatchCreate(w http.ResponseWriter, r *http.Request) {
	e.assocBatchWrite(w, r, false)
}

func (e *Emulator) handleAssocBatchDefault(w http.ResponseWriter, r *http.Request) {
	e.assocBatchWrite(w, r, true)
}

func (e *Emulator) assocBatchWrite(w http.ResponseWriter, r *http.Request, defaultOnly bool) {
	from, to, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	var in struct {
		Inputs []assocPairInput `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	if len(in.Inputs) > 2000 {
		writeError(w, validationError(fmt.Sprintf("Batch input limit is 2000, but %d inputs were provided", len(in.Inputs)), nil))
		return
	}

	started := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()

	results := []map[string]any{}
	var errs []batchError
	for _, input := range in.Inputs {
		c, co, ae := e.pairRecords(from, input.From.ID.String(), input.To.ID.String())
		if ae == nil && !defaultOnly {
			ae = e.applySpecs(from, c, co, input.Types)
		}
		if ae != nil {
			errs = append(errs, toBatchError(ae, "", ""))
			continue
		}
		if defaultOnly {
			e.associate(c, co, false, nil, e.apiSource())
			results = append(results, defaultSpec(from, to, input.From.ID.String(), input.To.ID.String()))
		} else {
			results = append(results, e.labelsResult(from, c, co))
		}
	}
	body := map[string]any{"status": "COMPLETE", "results": results, "startedAt": formatTime(started), "completedAt": formatTime(time.Now())}
	status := http.StatusOK
	if !defaultOnly {
		status = http.StatusCreated
	}
	if len(errs) > 0 {
		body["errors"], body["numErrors"], status = errs, len(errs), http.StatusMultiStatus
	}
	writeJSON(w, status, body)
}

func (e *Emulator) handleAssocBatchArchive(w http.ResponseWriter, r *http.Request) {
	from, _, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	var in struct {
		Inputs []struct {
			From struct {
				ID flexString `json:"id"`
			} `json:"from"`
			To []struct {
				ID flexString `json:"id"`
			} `json:"to"`
		} `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	for _, input := range in.Inputs {
		for _, t := range input.To {
			if c, co, ae := e.pairRecords(from, input.From.ID.String(), t.ID.String()); ae == nil {
				e.disassociate(c, co, e.apiSource())
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) handleAssocBatchLabelsArchive(w http.ResponseWriter, r *http.Request) {
	from, _, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	var in struct {
		Inputs []assocPairInput `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	for _, input := range in.Inputs {
		c, co, ae := e.pairRecords(from, input.From.ID.String(), input.To.ID.String())
		if ae != nil {
			continue
		}
		entry := e.assocs.get(c.id, co.id)
		if entry == nil {
			continue
		}
		for _, t := range input.Types {
			switch t.TypeID {
			case typeContactToCompany, typeCompanyToContact:
				// Removing the unlabeled type removes the whole association.
				e.disassociate(c, co, e.apiSource())
			case typeContactToPrimaryCompany, typeCompanyToPrimaryContact:
				if entry.primary {
					entry.primary = false
					delete(e.assocs.primaryOf, c.id)
					e.setValues(e.types["contacts"], c, map[string]string{"associatedcompanyid": ""}, e.apiSource())
					e.emitAssociation(c.id, co.id, false, false, e.apiSource())
				}
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) handleAssocLabelDefs(w http.ResponseWriter, r *http.Request) {
	from, _, ae := assocSides(r.PathValue("fromType"), r.PathValue("toType"))
	if ae != nil {
		writeError(w, ae)
		return
	}

	results := []associationLabel{
		{Category: "HUBSPOT_DEFINED", TypeID: typeContactToPrimaryCompany, Label: strPtr("Primary")},
		{Category: "HUBSPOT_DEFINED", TypeID: typeContactToCompany, Label: nil},
	}
	if from == "companies" {
		results = []associationLabel{
			{Category: "HUBSPOT_DEFINED", TypeID: typeCompanyToPrimaryContact, Label: strPtr("Primary")},
			{Category: "HUBSPOT_DEFINED", TypeID: typeCompanyToContact, Label: nil},
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}
