package hubspot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/emulator/jsonkeys"
)

var defaultProperties = map[string][]string{
	"contacts":  {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"},
	"companies": {"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"},
}

// objectJSON is a record in HubSpot's SimplePublicObject shape.
type objectJSON struct {
	ID                    string                   `json:"id"`
	Properties            map[string]string        `json:"properties"`
	PropertiesWithHistory map[string][]historyJSON `json:"propertiesWithHistory,omitempty"`
	Associations          map[string]assocListJSON `json:"associations,omitempty"`
	CreatedAt             string                   `json:"createdAt"`
	UpdatedAt             string                   `json:"updatedAt"`
	Archived              bool                     `json:"archived"`
	ArchivedAt            string                   `json:"archivedAt,omitempty"`
	New                   *bool                    `json:"new,omitempty"`
	URL                   string                   `json:"url,omitempty"`
}

type historyJSON struct {
	Value           string `json:"value"`
	Timestamp       string `json:"timestamp"`
	SourceType      string `json:"sourceType"`
	SourceID        string `json:"sourceId,omitempty"`
	UpdatedByUserID int64  `json:"updatedByUserId,omitempty"`
}

type assocListJSON struct {
	Results []assocRefJSON `json:"results"`
}

type assocRefJSON struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// view selects what a record response holds.
type view struct {
	properties   []string // nil: the default set
	history      []string
	associations []string
	alsoWritten  map[string]string // properties just written, returned on writes
	indexed      map[string]string // values as the search index holds them; nil: current
}

func (e *Emulator) toJSON(s *objectStore, r *record, v view) objectJSON {
	out := objectJSON{
		ID: strconv.FormatInt(r.id, 10), Properties: map[string]string{}, CreatedAt: formatTime(r.createdAt),
		UpdatedAt: formatTime(r.updatedAt), Archived: r.archived,
	}
	if r.archived {
		out.ArchivedAt = formatTime(r.archivedAt)
	}
	values := r.props
	if v.indexed != nil {
		values = v.indexed
	}
	names := v.properties
	if names == nil {
		names = defaultProperties[s.name]
	} else {
		names = append(names, "hs_object_id", "createdate", s.modifiedKey)
	}
	for _, n := range names {
		if val, ok := values[n]; ok {
			out.Properties[n] = val
		}
	}
	for n := range v.alsoWritten {
		if val, ok := r.props[n]; ok {
			out.Properties[n] = val
		}
	}
	if len(v.history) > 0 {
		out.PropertiesWithHistory = map[string][]historyJSON{}
		for _, n := range v.history {
			for _, h := range r.history[n] {
				out.PropertiesWithHistory[n] = append(out.PropertiesWithHistory[n], historyJSON{
					Value: h.Value, Timestamp: formatTime(h.Timestamp), SourceType: h.SourceType, SourceID: h.SourceID, UpdatedByUserID: h.UpdatedByUserID,
				})
			}
			if _, ok := out.PropertiesWithHistory[n]; !ok {
				out.PropertiesWithHistory[n] = []historyJSON{}
			}
		}
	}
	for _, a := range v.associations {
		other := normalizeObjectType(a)
		var refs []assocRefJSON
		switch {
		case s.name == "contacts" && other == "companies":
			for _, co := range e.assocs.companiesOf(r.id) {
				id := strconv.FormatInt(co, 10)
				if e.assocs.get(r.id, co).primary {
					refs = append(refs, assocRefJSON{ID: id, Type: "contact_to_company"})
				}
				refs = append(refs, assocRefJSON{ID: id, Type: "contact_to_company_unlabeled"})
			}
		case s.name == "companies" && other == "contacts":
			for _, c := range e.assocs.contactsOf(r.id) {
				id := strconv.FormatInt(c, 10)
				if e.assocs.get(c, r.id).primary {
					refs = append(refs, assocRefJSON{ID: id, Type: "company_to_contact"})
				}
				refs = append(refs, assocRefJSON{ID: id, Type: "company_to_contact_unlabeled"})
			}
		}
		if len(refs) > 0 {
			if out.Associations == nil {
				out.Associations = map[string]assocListJSON{}
			}
			out.Associations[other] = assocListJSON{Results: refs}
		}
	}
	return out
}

func (e *Emulator) routeObjects(mux *http.ServeMux) {
	mux.HandleFunc("GET /crm/v3/objects/{objectType}", e.handleList)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}", e.handleCreate)
	mux.HandleFunc("GET /crm/v3/objects/{objectType}/{id}", e.handleGet)
	mux.HandleFunc("PATCH /crm/v3/objects/{objectType}/{id}", e.handleUpdate)
	mux.HandleFunc("DELETE /crm/v3/objects/{objectType}/{id}", e.handleArchive)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/merge", e.handleMerge)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/gdpr-delete", e.handleGDPRDelete)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/search", e.handleSearch)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/batch/read", e.handleBatchRead)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/batch/create", e.handleBatchCreate)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/batch/update", e.handleBatchUpdate)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/batch/upsert", e.handleBatchUpsert)
	mux.HandleFunc("POST /crm/v3/objects/{objectType}/batch/archive", e.handleBatchArchive)
}

// objectStoreFor resolves the {objectType} path value or writes a 400.
func (e *Emulator) objectStoreFor(w http.ResponseWriter, r *http.Request) *objectStore {
	s, ok := e.types[normalizeObjectType(r.PathValue("objectType"))]
	if !ok {
		writeError(w, validationError(fmt.Sprintf("Unable to infer object type from: %s", r.PathValue("objectType")), nil))
		return nil
	}
	return s
}

func readView(r *http.Request) view {
	v := view{history: queryList(r, "propertiesWithHistory"), associations: queryList(r, "associations")}
	if props := queryList(r, "properties"); len(props) > 0 {
		v.properties = props
	}
	return v
}

func (e *Emulator) handleList(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	limit, ae := queryLimit(r, 10, 100)
	if ae != nil {
		writeError(w, ae)
		return
	}
	var after int64
	if raw := r.URL.Query().Get("after"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			writeError(w, validationError(fmt.Sprintf("after must be the paging cursor of a previous page, got %q", raw), nil))
			return
		}
		after = n
	}
	archived := queryBool(r, "archived")
	v := readView(r)

	e.mu.Lock()
	defer e.mu.Unlock()

	start := sort.Search(len(s.order), func(i int) bool { return s.order[i] >= after })
	results := []objectJSON{}
	next := ""
	for i := start; i < len(s.order); i++ {
		rec := s.records[s.order[i]]
		if rec.mergedInto != 0 || rec.archived != archived {
			continue
		}
		if len(results) == limit {
			next = strconv.FormatInt(rec.id, 10)
			break
		}
		results = append(results, e.toJSON(s, rec, v))
	}
	body := map[string]any{"results": results}
	if next != "" {
		body["paging"] = map[string]any{"next": map[string]string{"after": next, "link": r.URL.Path + "?after=" + next}}
	}
	writeJSON(w, http.StatusOK, body)
}

// lookupByIDProperty finds a live record by a unique property value.
func (s *objectStore) lookupByIDProperty(prop, value string) (*record, *apiError) {
	p, ok := s.props[prop]
	if !ok {
		return nil, validationError(fmt.Sprintf("Property \"%s\" does not exist", prop), nil)
	}
	if !p.HasUniqueValue && prop != "hs_object_id" {
		return nil, validationError(fmt.Sprintf("Property %s is not a unique identifier; use email, hs_object_id or a property with hasUniqueValue", prop), nil)
	}
	if prop == "hs_object_id" {
		n, err := parseID(value)
		if err != nil {
			return nil, nil
		}
		return s.resolve(n), nil
	}
	if id, ok := s.unique[prop][uniqueKey(value)]; ok {
		return s.records[id], nil
	}
	return nil, nil
}

func (e *Emulator) findRecord(s *objectStore, id, idProperty string) (*record, *apiError) {
	if idProperty != "" {
		return s.lookupByIDProperty(idProperty, id)
	}
	n, err := parseID(id)
	if err != nil {
		return nil, nil
	}
	return s.resolve(n), nil
}

func objectNotFound(id string) *apiError {
	return notFoundError(fmt.Sprintf("Object not found.  objectId are usually numeric. objectId: %s", id), id)
}

func (e *Emulator) handleGet(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	id := r.PathValue("id")
	archived := queryBool(r, "archived")
	v := readView(r)

	e.mu.Lock()
	defer e.mu.Unlock()

	rec, ae := e.findRecord(s, id, r.URL.Query().Get("idProperty"))
	if ae != nil {
		writeError(w, ae)
		return
	}
	if rec == nil || rec.archived != archived {
		writeError(w, objectNotFound(id))
		return
	}
	writeJSON(w, http.StatusOK, e.toJSON(s, rec, v))
}

type createInput struct {
	Properties   map[string]string `json:"properties"`
	Associations []struct {
		To struct {
			ID flexString `json:"id"`
		} `json:"to"`
		Types []struct {
			Category string `json:"associationCategory"`
			TypeID   int    `json:"associationTypeId"`
		} `json:"types"`
	} `json:"associations"`
	ObjectWriteTraceID string `json:"objectWriteTraceId"`
}

func (e *Emulator) handleCreate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	var in createInput
	data, ok := decodeBodyData(w, r, &in)
	if !ok {
		return
	}
	if in.Properties == nil {
		writeError(w, errMissingProperties("SimplePublicObjectInputForCreate", "", data, jsonkeys.FieldNames(&in)))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	rec, ae := e.createWithAssociations(s, in)
	if ae != nil {
		writeError(w, ae)
		return
	}
	writeJSON(w, http.StatusCreated, e.toJSON(s, rec, view{alsoWritten: rec.props}))
}

func (e *Emulator) createWithAssociations(s *objectStore, in createInput) (*record, *apiError) {
	type link struct {
		other   *record
		primary bool
	}
	var links []link
	for _, a := range in.Associations {
		otherType := "companies"
		if s.name == "companies" {
			otherType = "contacts"
		}
		other := e.types[otherType]
		n, err := parseID(a.To.ID.String())
		var target *record
		if err == nil {
			target = other.resolve(n)
		}
		if target == nil || target.archived {
			return nil, validationError(fmt.Sprintf("No %s with ID %s exist", other.singular(), a.To.ID), nil)
		}
		l := link{other: target}
		for _, t := range a.Types {
			if !validAssocType(s.name, t.TypeID) {
				return nil, validationError(fmt.Sprintf("association type id %d is not valid between %s and %s", t.TypeID, s.name, otherType), nil)
			}
			l.primary = l.primary || t.TypeID == typeContactToPrimaryCompany || t.TypeID == typeCompanyToPrimaryContact
		}
		links = append(links, l)
	}

	rec, ae := e.create(s, in.Properties, e.apiSource())
	if ae != nil {
		return nil, ae
	}
	for _, l := range links {
		if s.name == "contacts" {
			e.associate(rec, l.other, l.primary, nil, e.apiSource())
		} else {
			e.associate(l.other, rec, l.primary, nil, e.apiSource())
		}
	}
	return rec, nil
}

func validAssocType(fromType string, id int) bool {
	if fromType == "contacts" {
		return id == typeContactToCompany || id == typeContactToPrimaryCompany
	}
	return id == typeCompanyToContact || id == typeCompanyToPrimaryContact
}

func (e *Emulator) handleUpdate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	id := r.PathValue("id")
	var in struct {
		Properties map[string]string `json:"properties"`
	}
	data, ok := decodeBodyData(w, r, &in)
	if !ok {
		return
	}
	if in.Properties == nil {
		writeError(w, errMissingProperties("SimplePublicObjectInput", "", data, jsonkeys.FieldNames(&in)))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	rec, ae := e.findRecord(s, id, r.URL.Query().Get("idProperty"))
	if ae != nil {
		writeError(w, ae)
		return
	}
	if rec == nil || rec.archived {
		writeError(w, objectNotFound(id))
		return
	}
	if ae := e.lockedRecords(s, []*record{rec}); ae != nil {
		writeError(w, ae)
		return
	}
	if ae := e.update(s, rec, in.Properties, e.apiSource()); ae != nil {
		writeError(w, ae)
		return
	}
	writeJSON(w, http.StatusOK, e.toJSON(s, rec, view{alsoWritten: in.Properties}))
}

func (e *Emulator) handleArchive(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	// HubSpot returns 204 for ids that do not exist too.
	if n, err := parseID(r.PathValue("id")); err == nil {
		if rec := s.resolve(n); rec != nil {
			e.archive(s, rec, e.apiSource())
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) handleGDPRDelete(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	if s.name != "contacts" {
		writeError(w, notFoundError("GDPR delete exists for contacts only", ""))
		return
	}
	var in struct {
		ObjectID   string `json:"objectId"`
		IDProperty string `json:"idProperty"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	rec, ae := e.findRecord(s, in.ObjectID, in.IDProperty)
	if ae != nil {
		writeError(w, ae)
		return
	}
	if rec == nil {
		writeError(w, objectNotFound(in.ObjectID))
		return
	}
	e.archive(s, rec, e.apiSource())
	s.unindexUnique(rec)
	delete(s.records, rec.id)
	for i, id := range s.order {
		if id == rec.id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) handleMerge(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	var in struct {
		PrimaryObjectID flexString `json:"primaryObjectId"`
		ObjectIDToMerge flexString `json:"objectIdToMerge"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	rec, ae := e.merge(s, in.PrimaryObjectID.String(), in.ObjectIDToMerge.String(), e.apiSource())
	if ae != nil {
		writeError(w, ae)
		return
	}
	writeJSON(w, http.StatusOK, e.toJSON(s, rec, view{alsoWritten: rec.props}))
}

// batchError is one entry of errors[] in a batch response.
type batchError struct {
	Status      string              `json:"status"`
	Category    string              `json:"category"`
	SubCategory string              `json:"subCategory,omitempty"`
	Message     string              `json:"message"`
	Context     map[string][]string `json:"context"`
	Errors      []errorDetail       `json:"errors"`
	Links       map[string]string   `json:"links"`
}

func toBatchError(ae *apiError, traceID, id string) batchError {
	ctx := map[string][]string{}
	for k, v := range ae.body.Context {
		ctx[k] = v
	}
	if traceID != "" {
		ctx["objectWriteTraceId"] = []string{traceID}
	}
	if id != "" {
		ctx["ids"] = []string{id}
	}
	errs := ae.body.Errors
	if errs == nil {
		errs = []errorDetail{}
	}
	return batchError{Status: "error", Category: ae.body.Category, SubCategory: ae.body.SubCategory, Message: ae.body.Message,
		Context: ctx, Errors: errs, Links: map[string]string{}}
}

func writeBatch(w http.ResponseWriter, okStatus int, started time.Time, results []objectJSON, errs []batchError) {
	if results == nil {
		results = []objectJSON{}
	}
	body := map[string]any{
		"status": "COMPLETE", "results": results,
		"requestedAt": formatTime(started), "startedAt": formatTime(started), "completedAt": formatTime(time.Now()),
	}
	status := okStatus
	if len(errs) > 0 {
		body["numErrors"] = len(errs)
		body["errors"] = errs
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, body)
}

// checkBatchSize rejects empty batches and batches over 100 inputs.
func checkBatchSize(n int) *apiError {
	if n == 0 {
		return validationError("inputs must not be empty", nil)
	}
	if n > 100 {
		return validationError(fmt.Sprintf("Batch input limit is 100, but %d inputs were provided", n), nil)
	}
	return nil
}

func (e *Emulator) handleBatchRead(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	var in struct {
		Inputs []struct {
			ID flexString `json:"id"`
		} `json:"inputs"`
		Properties            []string `json:"properties"`
		PropertiesWithHistory []string `json:"propertiesWithHistory"`
		IDProperty            string   `json:"idProperty"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if ae := checkBatchSize(len(in.Inputs)); ae != nil {
		writeError(w, ae)
		return
	}
	archived := queryBool(r, "archived")
	started := time.Now()
	v := view{properties: in.Properties, history: in.PropertiesWithHistory}
	if len(v.properties) == 0 {
		v.properties = nil
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	var results []objectJSON
	var missing []string
	seen := map[int64]bool{}
	for _, input := range in.Inputs {
		rec, ae := e.findRecord(s, input.ID.String(), in.IDProperty)
		if ae != nil {
			writeError(w, ae)
			return
		}
		if rec == nil || rec.archived != archived {
			missing = append(missing, input.ID.String())
			continue
		}
		if seen[rec.id] {
			continue
		}
		seen[rec.id] = true
		results = append(results, e.toJSON(s, rec, v))
	}
	var errs []batchError
	if len(missing) > 0 {
		errs = append(errs, batchError{Status: "error", Category: "OBJECT_NOT_FOUND",
			Message: fmt.Sprintf("Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.", strings.ToUpper(s.singular())),
			Context: map[string][]string{"ids": missing}, Errors: []errorDetail{}, Links: map[string]string{}})
	}
	writeBatch(w, http.StatusOK, started, results, errs)
}

type batchWriteInput struct {
	ID                 flexString        `json:"id"`
	IDProperty         string            `json:"idProperty"`
	Properties         map[string]string `json:"properties"`
	ObjectWriteTraceID string            `json:"objectWriteTraceId"`
	Associations       json.RawMessage   `json:"associations"`
}

// decodeBatchWrite reads the inputs of a batch write. inputClass is the
// name HubSpot gives one input in its error messages.
func (e *Emulator) decodeBatchWrite(w http.ResponseWriter, r *http.Request, inputClass string) ([]batchWriteInput, bool) {
	var in struct {
		Inputs []batchWriteInput `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return nil, false
	}
	if ae := checkBatchSize(len(in.Inputs)); ae != nil {
		writeError(w, ae)
		return nil, false
	}
	for i, input := range in.Inputs {
		if input.Properties == nil {
			writeError(w, errMissingProperties(inputClass, fmt.Sprintf("inputs[%d]", i), nil, nil))
			return nil, false
		}
	}
	return in.Inputs, true
}

// errMissingProperties is HubSpot's answer to a write whose input has no
// properties object, which HubSpot requires even when it is empty. The
// emulator adds the keys it did not expect, because a misspelt
// "properties" is the usual cause.
func errMissingProperties(inputClass, where string, data []byte, known []string) *apiError {
	msg := fmt.Sprintf("Invalid input JSON: Cannot build %s, some of required attributes are not set [properties]", inputClass)
	if where != "" {
		msg += " in " + where
	}
	if unknown := jsonkeys.Unknown(data, known); len(unknown) > 0 && known != nil {
		msg += fmt.Sprintf("; unknown keys %s were ignored", jsonkeys.Quote(unknown))
	}
	return validationError(msg, nil)
}

func (e *Emulator) handleBatchCreate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	inputs, ok := e.decodeBatchWrite(w, r, "SimplePublicObjectInputForCreate")
	if !ok {
		return
	}
	started := time.Now()

	e.mu.Lock()
	defer e.mu.Unlock()

	var results []objectJSON
	var errs []batchError
	for _, input := range inputs {
		ci := createInput{Properties: input.Properties}
		if len(input.Associations) > 0 && string(input.Associations) != "null" {
			if err := json.Unmarshal(input.Associations, &ci.Associations); err != nil {
				errs = append(errs, toBatchError(badJSON(err), input.ObjectWriteTraceID, ""))
				continue
			}
		}
		rec, ae := e.createWithAssociations(s, ci)
		if ae != nil {
			errs = append(errs, toBatchError(ae, input.ObjectWriteTraceID, ""))
			continue
		}
		results = append(results, e.toJSON(s, rec, view{alsoWritten: rec.props}))
	}
	writeBatch(w, http.StatusCreated, started, results, errs)
}

func (e *Emulator) handleBatchUpdate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	inputs, ok := e.decodeBatchWrite(w, r, "SimplePublicObjectBatchInput")
	if !ok {
		return
	}
	started := time.Now()

	e.mu.Lock()
	defer e.mu.Unlock()

	if ae := e.lockedRecords(s, e.existingTargets(s, inputs)); ae != nil {
		writeError(w, ae)
		return
	}

	var results []objectJSON
	var errs []batchError
	for _, input := range inputs {
		id := input.ID.String()
		var rec *record
		if input.IDProperty != "" {
			var ae *apiError
			rec, ae = s.lookupByIDProperty(input.IDProperty, id)
			if ae != nil {
				errs = append(errs, toBatchError(ae, input.ObjectWriteTraceID, id))
				continue
			}
		} else if n, err := parseID(id); err == nil {
			// Batch update does not follow merges, unlike a single PATCH.
			rec = s.records[n]
			if rec != nil && rec.mergedInto != 0 {
				rec = nil
			}
		}
		if rec == nil || rec.archived {
			errs = append(errs, toBatchError(objectNotFound(id), input.ObjectWriteTraceID, id))
			continue
		}
		if ae := e.update(s, rec, input.Properties, e.apiSource()); ae != nil {
			errs = append(errs, toBatchError(ae, input.ObjectWriteTraceID, id))
			continue
		}
		results = append(results, e.toJSON(s, rec, view{alsoWritten: input.Properties}))
	}
	writeBatch(w, http.StatusOK, started, results, errs)
}

func (e *Emulator) handleBatchUpsert(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}
	inputs, ok := e.decodeBatchWrite(w, r, "SimplePublicObjectBatchInputUpsert")
	if !ok {
		return
	}
	started := time.Now()

	e.mu.Lock()
	defer e.mu.Unlock()

	seen := map[string]bool{}
	for _, input := range inputs {
		if input.IDProperty == "" {
			writeError(w, validationError("idProperty is required for every upsert input", nil))
			return
		}
		p, ok := s.props[input.IDProperty]
		if !ok || !p.HasUniqueValue {
			writeError(w, validationError(fmt.Sprintf("%s is not a unique property; upsert needs email or a property with hasUniqueValue", input.IDProperty), nil))
			return
		}
		key := input.IDProperty + "\x00" + uniqueKey(input.ID.String())
		if seen[key] {
			writeError(w, validationError(fmt.Sprintf("Duplicate IDs found in batch input: %s", input.ID.String()), nil))
			return
		}
		seen[key] = true
	}

	if ae := e.lockedRecords(s, e.existingTargets(s, inputs)); ae != nil {
		writeError(w, ae)
		return
	}

	var results []objectJSON
	var errs []batchError
	for _, input := range inputs {
		id := input.ID.String()
		rec, _ := s.lookupByIDProperty(input.IDProperty, id)
		created := rec == nil
		if created {
			props := map[string]string{}
			for k, v := range input.Properties {
				props[k] = v
			}
			props[input.IDProperty] = id
			var ae *apiError
			rec, ae = e.create(s, props, e.apiSource())
			if ae != nil {
				errs = append(errs, toBatchError(ae, input.ObjectWriteTraceID, id))
				continue
			}
		} else if ae := e.update(s, rec, input.Properties, e.apiSource()); ae != nil {
			errs = append(errs, toBatchError(ae, input.ObjectWriteTraceID, id))
			continue
		}
		out := e.toJSON(s, rec, view{alsoWritten: input.Properties})
		if v, ok := rec.props[input.IDProperty]; ok {
			out.Properties[input.IDProperty] = v
		}
		out.New = &created
		results = append(results, out)
	}
	writeBatch(w, http.StatusOK, started, results, errs)
}

func (e *Emulator) handleBatchArchive(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
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
	if ae := checkBatchSize(len(in.Inputs)); ae != nil {
		writeError(w, ae)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	for _, input := range in.Inputs {
		if n, err := parseID(input.ID.String()); err == nil {
			if rec := s.records[n]; rec != nil && rec.mergedInto == 0 {
				e.archive(s, rec, e.apiSource())
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// existingTargets returns the live records a batch update or upsert would
// change.
func (e *Emulator) existingTargets(s *objectStore, inputs []batchWriteInput) []*record {
	var out []*record
	for _, input := range inputs {
		var rec *record
		if input.IDProperty != "" {
			rec, _ = s.lookupByIDProperty(input.IDProperty, input.ID.String())
		} else if n, err := parseID(input.ID.String()); err == nil {
			rec = s.records[n]
		}
		if rec != nil && !rec.archived && rec.mergedInto == 0 {
			out = append(out, rec)
		}
	}
	return out
}
