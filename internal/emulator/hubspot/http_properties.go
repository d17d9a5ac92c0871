package hubspot

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

func (e *Emulator) routeProperties(mux *http.ServeMux) {
	mux.HandleFunc("GET /crm/v3/properties/{objectType}", e.handlePropertyList)
	mux.HandleFunc("POST /crm/v3/properties/{objectType}", e.handlePropertyCreate)
	mux.HandleFunc("GET /crm/v3/properties/{objectType}/{name}", e.handlePropertyGet)
	mux.HandleFunc("PATCH /crm/v3/properties/{objectType}/{name}", e.handlePropertyUpdate)
	mux.HandleFunc("DELETE /crm/v3/properties/{objectType}/{name}", e.handlePropertyArchive)
	mux.HandleFunc("POST /crm/v3/properties/{objectType}/batch/read", e.handlePropertyBatchRead)
	mux.HandleFunc("POST /crm/v3/properties/{objectType}/batch/create", e.handlePropertyBatchCreate)
	mux.HandleFunc("GET /crm/v3/properties/{objectType}/groups", e.handleGroupList)
	mux.HandleFunc("POST /crm/v3/properties/{objectType}/groups", e.handleGroupCreate)
	mux.HandleFunc("GET /crm/v3/properties/{objectType}/groups/{name}", e.handleGroupGet)
}

func (e *Emulator) handlePropertyList(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	archived := queryBool(r, "archived")
	e.mu.Lock()
	defer e.mu.Unlock()

	results := []*Property{}
	for _, p := range s.props {
		if p.Archived == archived {
			results = append(results, p)
		}
	}
	sort.Slice(results, func(i, j int) bool { return results[i].Name < results[j].Name })
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

func propertyNotFound(s *objectStore, name string) *apiError {
	return notFoundError(fmt.Sprintf("Unable to find property %s for object type %s", name, s.typeID), "")
}

func (e *Emulator) handlePropertyGet(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	p, ok := s.props[r.PathValue("name")]
	if !ok || p.Archived != queryBool(r, "archived") {
		writeError(w, propertyNotFound(s, r.PathValue("name")))
		return
	}

	writeJSON(w, http.StatusOK, p)
}

func (e *Emulator) createPropertyLocked(s *objectStore, in SeedProperty) (*Property, *apiError) {
	in.ObjectType = s.name
	if existing, ok := s.props[in.Name]; ok && !existing.Archived {
		return nil, conflictError(fmt.Sprintf("Property named '%s' already exists.", in.Name))
	}

	if in.GroupName == "" {
		return nil, validationError("groupName is required", nil)
	}

	if !s.hasGroup(in.GroupName) {
		return nil, validationError(fmt.Sprintf("Property group %s does not exist; create it first", in.GroupName), nil)
	}

	if in.Label == "" {
		return nil, validationError("label is required", nil)
	}

	p, err := e.newCustomProperty(in)
	if err != nil {
		return nil, validationError(err.Error(), nil)
	}

	e.addProperty(s, p)
	return p, nil
}

func (e *Emulator) handlePropertyCreate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	var in SeedProperty
	if !decodeBody(w, r, &in) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	p, ae := e.createPropertyLocked(s, in)
	if ae != nil {
		writeError(w, ae)
		return
	}

	writeJSON(w, http.StatusCreated, p)
}

func (e *Emulator) handlePropertyBatchCreate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	var in struct {
		Inputs []SeedProperty `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	started := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()

	results := []*Property{}
	var errs []batchError
	for _, input := range in.Inputs {
		p, ae := e.createPropertyLocked(s, input)
		if ae != nil {
			errs = append(errs, toBatchError(ae, "", input.Name))
			continue
		}
		results = append(results, p)
	}
	body := map[string]any{"status": "COMPLETE", "results": results, "startedAt": formatTime(started), "completedAt": formatTime(time.Now())}
	status := http.StatusCreated
	if len(errs) > 0 {
		body["errors"], body["numErrors"], status = errs, len(errs), http.StatusMultiStatus
	}
	writeJSON(w, status, body)
}

func (e *Emulator) handlePropertyBatchRead(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	var in struct {
		Inputs []struct {
			Name string `json:"name"`
		} `json:"inputs"`
		Archived bool `json:"archived"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	started := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()

	results := []*Property{}
	var missing []string
	for _, input := range in.Inputs {
		p, ok := s.props[input.Name]
		if !ok || p.Archived != in.Archived {
			missing = append(missing, input.Name)
			continue
		}
		results = append(results, p)
	}
	body := map[string]any{"status": "COMPLETE", "results": results, "startedAt": formatTime(started), "completedAt": formatTime(time.Now())}
	status := http.StatusOK
	if len(missing) > 0 {
		body["numErrors"] = 1
		body["errors"] = []batchError{{Status: "error", Category: "OBJECT_NOT_FOUND", Message: "Some properties do not exist",
			Context: map[string][]string{"names": missing}, Errors: []errorDetail{}, Links: map[string]string{}}}
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, body)
}

func (e *Emulator) handlePropertyUpdate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	var in struct {
		Label       *string   `json:"label"`
		Description *string   `json:"description"`
		GroupName   *string   `json:"groupName"`
		Options     *[]Option `json:"options"`
		Hidden      *bool     `json:"hidden"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	p, ok := s.props[r.PathValue("name")]
	if !ok || p.Archived {
		writeError(w, propertyNotFound(s, r.PathValue("name")))
		return
	}

	if p.HubspotDefined && (in.GroupName != nil || (in.Options != nil && p.Type != "enumeration")) {
		writeError(w, validationError(fmt.Sprintf("Property %s is defined by HubSpot; its definition is read-only", p.Name), nil))
		return
	}

	if in.GroupName != nil && !s.hasGroup(*in.GroupName) {
		writeError(w, validationError(fmt.Sprintf("Property group %s does not exist", *in.GroupName), nil))
		return
	}
	if in.Options != nil {
		if ae := checkOptionValues(*in.Options); ae != nil {
			writeError(w, ae)
			return
		}
	}

	if in.Label != nil {
		p.Label = *in.Label
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.GroupName != nil {
		p.GroupName = *in.GroupName
	}
	if in.Options != nil {
		p.Options = append([]Option{}, (*in.Options)...)
	}
	if in.Hidden != nil {
		p.Hidden = *in.Hidden
	}
	p.UpdatedAt = e.clock()
	writeJSON(w, http.StatusOK, p)
}

func (e *Emulator) handlePropertyArchive(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	p, ok := s.props[r.PathValue("name")]
	if !ok || p.Archived {
		writeError(w, propertyNotFound(s, r.PathValue("name")))
		return
	}

	if p.HubspotDefined {
		writeError(w, validationError(fmt.Sprintf("Property %s is defined by HubSpot and cannot be archived", p.Name), nil))
		return
	}

	p.Archived = true
	p.UpdatedAt = e.clock()
	delete(s.unique, p.Name)
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) handleGroupList(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	writeJSON(w, http.StatusOK, map[string]any{"results": s.groups})
}

func (e *Emulator) handleGroupGet(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	for _, g := range s.groups {
		if g.Name == r.PathValue("name") {
			writeJSON(w, http.StatusOK, g)
			return
		}
	}
	writeError(w, notFoundError(fmt.Sprintf("Unable to find property group %s", r.PathValue("name")), ""))
}

func (e *Emulator) handleGroupCreate(w http.ResponseWriter, r *http.Request) {
	s := e.objectStoreFor(w, r)
	if s == nil {
		return
	}

	var in PropertyGroup
	if !decodeBody(w, r, &in) {
		return
	}

	if !validPropertyName(in.Name) || in.Label == "" {
		writeError(w, validationError(fmt.Sprintf("invalid property group %q: name must be lower-case letters, digits and underscores, and label is required", in.Name), nil))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	if s.hasGroup(in.Name) {
		writeError(w, conflictError(fmt.Sprintf("A property group named '%s' already exists.", in.Name)))
		return
	}

	if in.DisplayOrder == 0 {
		in.DisplayOrder = len(s.groups)
	}
	s.groups = append(s.groups, in)
	writeJSON(w, http.StatusCreated, in)
}

func (e *Emulator) routeOwners(mux *http.ServeMux) {
	mux.HandleFunc("GET /crm/v3/owners", e.handleOwnerList)
	mux.HandleFunc("GET /crm/v3/owners/", e.handleOwnerList)
	mux.HandleFunc("GET /crm/v3/owners/{ownerId}", e.handleOwnerGet)
}

func ownerJSON(o *Owner) map[string]any {
	return map[string]any{
		"id": o.ID, "email": o.Email, "firstName": o.FirstName, "lastName": o.LastName, "userId": o.UserID,
		"userIdIncludingInactive": o.UserID, "type": o.Type, "teams": []any{}, "archived": o.Archived,
		"createdAt": formatTime(o.CreatedAt), "updatedAt": formatTime(o.UpdatedAt),
	}
}

func (e *Emulator) handleOwnerList(w http.ResponseWriter, r *http.Request) {
	limit, ae := queryLimit(r, 100, 500)
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
	email := r.URL.Query().Get("email")
	archived := queryBool(r, "archived")

	e.mu.Lock()
	defer e.mu.Unlock()

	var matching []*Owner
	for _, o := range e.owners {
		if o.Archived != archived {
			continue
		}
		if email != "" && !equalFoldTrim(o.Email, email) {
			continue
		}
		matching = append(matching, o)
	}
	results := []map[string]any{}
	end := min(start+limit, len(matching))
	for i := start; i < end; i++ {
		results = append(results, ownerJSON(matching[i]))
	}
	body := map[string]any{"results": results}
	if end < len(matching) {
		body["paging"] = map[string]any{"next": map[string]string{"after": strconv.Itoa(end)}}
	}
	writeJSON(w, http.StatusOK, body)
}

func (e *Emulator) handleOwnerGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("ownerId")
	byUser := r.URL.Query().Get("idProperty") == "userId"
	archived := queryBool(r, "archived")
	e.mu.Lock()
	defer e.mu.Unlock()

	for _, o := range e.owners {
		match := o.ID == id
		if byUser {
			match = strconv.FormatInt(o.UserID, 10) == id
		}
		if match && o.Archived == archived {
			writeJSON(w, http.StatusOK, ownerJSON(o))
			return
		}
	}
	writeError(w, notFoundError(fmt.Sprintf("Owner %s not found", id), id))
}

func equalFoldTrim(a, b string) bool { return uniqueKey(a) == uniqueKey(b) }

// checkOptionValues rejects an empty or repeated option value, because a
// record value must name exactly one option.
func checkOptionValues(options []Option) *apiError {
	seen := map[string]bool{}
	for i, o := range options {
		if o.Value == "" {
			return validationError(fmt.Sprintf("options[%d] has no value; every option needs a value", i), nil)
		}
		if seen[o.Value] {
			return validationError(fmt.Sprintf("options[%d]: the value %q appears more than once", i, o.Value), nil)
		}
		seen[o.Value] = true
	}
	return nil
}
