package hubspot

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

func (e *Emulator) routeLists(mux *http.ServeMux) {
	mux.HandleFunc("POST /crm/v3/lists", e.handleListCreate)
	mux.HandleFunc("GET /crm/v3/lists", e.handleListsByID)
	mux.HandleFunc("POST /crm/v3/lists/search", e.handleListSearch)
	mux.HandleFunc("GET /crm/v3/lists/object-type-id/{objectTypeId}/name/{name}", e.handleListByName)
	mux.HandleFunc("GET /crm/v3/lists/{listId}", e.handleListGet)
	mux.HandleFunc("DELETE /crm/v3/lists/{listId}", e.handleListDelete)
	mux.HandleFunc("PUT /crm/v3/lists/{listId}/restore", e.handleListRestore)
	mux.HandleFunc("PUT /crm/v3/lists/{listId}/update-list-name", e.handleListRename)
	mux.HandleFunc("PUT /crm/v3/lists/{listId}/update-list-filters", e.handleListFilters)
	mux.HandleFunc("GET /crm/v3/lists/{listId}/memberships", e.handleMemberships)
	mux.HandleFunc("GET /crm/v3/lists/{listId}/memberships/join-order", e.handleMembershipsJoinOrder)
	mux.HandleFunc("PUT /crm/v3/lists/{listId}/memberships/add", e.handleMembersAdd)
	mux.HandleFunc("PUT /crm/v3/lists/{listId}/memberships/remove", e.handleMembersRemove)
	mux.HandleFunc("PUT /crm/v3/lists/{listId}/memberships/add-and-remove", e.handleMembersAddRemove)
	mux.HandleFunc("DELETE /crm/v3/lists/{listId}/memberships", e.handleMembersClear)
	mux.HandleFunc("GET /crm/v3/lists/records/{objectTypeId}/{recordId}/memberships", e.handleRecordLists)
	mux.HandleFunc("POST /crm/v3/lists/records/memberships/batch/read", e.handleRecordListsBatch)
}

func (e *Emulator) listJSON(l *list, includeFilters bool) map[string]any {
	out := map[string]any{
		"listId": strconv.FormatInt(l.ID, 10), "listVersion": l.Version, "name": l.Name, "objectTypeId": l.ObjectTypeID,
		"processingType": l.ProcessingType, "processingStatus": "COMPLETE", "size": len(l.members),
		"createdAt": formatTime(l.CreatedAt), "updatedAt": formatTime(l.UpdatedAt),
		"additionalProperties": map[string]string{"hs_list_size": strconv.Itoa(len(l.members))},
	}
	if l.deleted {
		out["deletedAt"] = formatTime(l.deletedAt)
	}
	if includeFilters && l.Filter != nil {
		out["filterBranch"] = l.Filter
	}
	return out
}

func listNotFound(id string) *apiError {
	return notFoundError(fmt.Sprintf("List does not exist with id %s", id), id)
}

// findList resolves {listId}; deleted lists are found only when
// allowDeleted is set.
func (e *Emulator) findList(w http.ResponseWriter, r *http.Request, allowDeleted bool) *list {
	raw := r.PathValue("listId")
	id, err := parseID(raw)
	if err != nil {
		writeError(w, listNotFound(raw))
		return nil
	}

	l, ok := e.lists[id]
	if !ok || (l.deleted && !allowDeleted) {
		writeError(w, listNotFound(raw))
		return nil
	}

	return l
}

func (e *Emulator) handleListCreate(w http.ResponseWriter, r *http.Request) {
	var in SeedList
	if !decodeBody(w, r, &in) {
		return
	}

	if in.ObjectTypeID == "" {
		writeError(w, validationError("objectTypeId is required", nil))
		return
	}

	in.ID, in.Members = "", nil
	e.mu.Lock()
	defer e.mu.Unlock()

	l, err := e.createList(in)
	if err != nil {
		if strings.Contains(err.Error(), "already exists") {
			writeError(w, conflictError(err.Error()))
			return
		}
		writeError(w, validationError(err.Error(), nil))
		return
	}

	writeJSON(w, http.StatusOK, map[string]any{"list": e.listJSON(l, true)})
}

func (e *Emulator) handleListGet(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()

	if l := e.findList(w, r, false); l != nil {
		writeJSON(w, http.StatusOK, map[string]any{"list": e.listJSON(l, queryBool(r, "includeFilters"))})
	}
}

func (e *Emulator) handleListsByID(w http.ResponseWriter, r *http.Request) {
	ids := queryList(r, "listIds")
	include := queryBool(r, "includeFilters")
	e.mu.Lock()
	defer e.mu.Unlock()

	lists := []map[string]any{}
	for _, raw := range ids {
		if id, err := parseID(raw); err == nil {
			if l, ok := e.lists[id]; ok && !l.deleted {
				lists = append(lists, e.listJSON(l, include))
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"lists": lists})
}

func (e *Emulator) handleListByName(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()

	name := r.PathValue("name")
	id, ok := e.listNames[strings.ToLower(name)]
	l := e.lists[id]
	if !ok || l.deleted || normalizeObjectType(l.ObjectTypeID) != normalizeObjectType(r.PathValue("objectTypeId")) {
		writeError(w, notFoundError(fmt.Sprintf("List does not exist with name %s", name), ""))
		return
	}

	writeJSON(w, http.StatusOK, map[string]any{"list": e.listJSON(l, queryBool(r, "includeFilters"))})
}

func (e *Emulator) handleListSearch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Query           string   `json:"query"`
		ProcessingTypes []string `json:"processingTypes"`
		ListIDs         []string `json:"listIds"`
		Offset          int      `json:"offset"`
		Count           int      `json:"count"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	if in.Count <= 0 {
		in.Count = 20
	}
	if in.Count > 500 || in.Offset < 0 {
		writeError(w, validationError("count must be between 1 and 500 and offset not negative", nil))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	var matching []*list
	for _, l := range e.lists {
		if l.deleted {
			continue
		}
		if in.Query != "" && !strings.Contains(strings.ToLower(l.Name), strings.ToLower(in.Query)) {
			continue
		}
		if len(in.ProcessingTypes) > 0 && !containsString(in.ProcessingTypes, l.ProcessingType) {
			continue
		}
		if len(in.ListIDs) > 0 && !containsString(in.ListIDs, strconv.FormatInt(l.ID, 10)) {
			continue
		}
		matching = append(matching, l)
	}
	sort.Slice(matching, func(i, j int) bool { return matching[i].ID < matching[j].ID })
	lists := []map[string]any{}
	end := min(in.Offset+in.Count, len(matching))
	for i := in.Offset; i < end; i++ {
		lists = append(lists, e.listJSON(matching[i], false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"lists": lists, "hasMore": end < len(matching), "offset": end, "total": len(matching)})
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (e *Emulator) handleListDelete(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()

	if l := e.findList(w, r, false); l != nil {
		l.deleted, l.deletedAt = true, e.clock()
		delete(e.listNames, strings.ToLower(l.Name))
		w.WriteHeader(http.StatusNoContent)
	}
}

func (e *Emulator) handleListRestore(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.findList(w, r, true)
	if l == nil {
		return
	}

	if !l.deleted {
		writeError(w, validationError(fmt.Sprintf("List %d is not deleted", l.ID), nil))
		return
	}

	if _, dup := e.listNames[strings.ToLower(l.Name)]; dup {
		writeError(w, conflictError(fmt.Sprintf("A list named %q already exists", l.Name)))
		return
	}

	l.deleted, l.deletedAt = false, time.Time{}
	e.listNames[strings.ToLower(l.Name)] = l.ID
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) handleListRename(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.URL.Query().Get("listName"))
	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.findList(w, r, false)
	if l == nil {
		return
	}

	if name == "" {
		writeError(w, validationError("listName is required", nil))
		return
	}

	if other, dup := e.listNames[strings.ToLower(name)]; dup && other != l.ID {
		writeError(w, conflictError(fmt.Sprintf("A list named %q already exists", name)))
		return
	}

	delete(e.listNames, strings.ToLower(l.Name))
	l.Name = name
	e.listNames[strings.ToLower(name)] = l.ID
	l.Version++
	l.UpdatedAt = e.clock()
	writeJSON(w, http.StatusOK, map[string]any{"updatedList": e.listJSON(l, queryBool(r, "includeFilters"))})
}

func (e *Emulator) handleListFilters(w http.ResponseWriter, r *http.Request) {
	var in struct {
		FilterBranch *FilterBranch `json:"filterBranch"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.findList(w, r, false)
	if l == nil {
		return
	}

	if l.ProcessingType != "DYNAMIC" {
		writeError(w, validationError(fmt.Sprintf("List %d has processingType %s; only DYNAMIC lists have filters to update", l.ID, l.ProcessingType), nil))
		return
	}

	if in.FilterBranch == nil {
		writeError(w, validationError("filterBranch is required", nil))
		return
	}

	if err := checkFilterBranch(in.FilterBranch, 0); err != nil {
		writeError(w, validationError(err.Error(), nil))
		return
	}

	l.Filter = in.FilterBranch
	l.Version++
	l.UpdatedAt = e.clock()
	l.members = map[int64]time.Time{}
	e.populate(l)
	writeJSON(w, http.StatusOK, map[string]any{"updatedList": e.listJSON(l, true)})
}

type membershipJSON struct {
	RecordID            string `json:"recordId"`
	MembershipTimestamp string `json:"membershipTimestamp"`
}

func (e *Emulator) handleMemberships(w http.ResponseWriter, r *http.Request) {
	limit, ae := queryLimit(r, 100, 250)
	if ae != nil {
		writeError(w, ae)
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.findList(w, r, false)
	if l == nil {
		return
	}

	ids := sortedMembers(l)
	start := 0
	if raw := r.URL.Query().Get("after"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			writeError(w, validationError(fmt.Sprintf("after must be the paging cursor of a previous page, got %q", raw), nil))
			return
		}
		start = sort.Search(len(ids), func(i int) bool { return ids[i] > n })
	}
	end := min(start+limit, len(ids))
	results := []membershipJSON{}
	for _, id := range ids[start:end] {
		results = append(results, membershipJSON{RecordID: strconv.FormatInt(id, 10), MembershipTimestamp: formatTime(l.members[id])})
	}
	body := map[string]any{"results": results, "total": len(ids)}
	if end < len(ids) {
		body["paging"] = map[string]any{"next": map[string]string{"after": strconv.FormatInt(ids[end-1], 10)}}
	}
	writeJSON(w, http.StatusOK, body)
}

func (e *Emulator) handleMembershipsJoinOrder(w http.ResponseWriter, r *http.Request) {
	limit, ae := queryLimit(r, 100, 250)
	if ae != nil {
		writeError(w, ae)
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.findList(w, r, false)
	if l == nil {
		return
	}

	ids := sortedMembers(l)
	sort.SliceStable(ids, func(i, j int) bool { return l.members[ids[i]].Before(l.members[ids[j]]) })
	start := 0
	if raw := r.URL.Query().Get("after"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 {
			writeError(w, validationError(fmt.Sprintf("after must be the paging cursor of a previous page, got %q", raw), nil))
			return
		}
		start = min(n, len(ids))
	}
	end := min(start+limit, len(ids))
	results := []membershipJSON{}
	for _, id := range ids[start:end] {
		results = append(results, membershipJSON{RecordID: strconv.FormatInt(id, 10), MembershipTimestamp: formatTime(l.members[id])})
	}
	body := map[string]any{"results": results, "total": len(ids)}
	if end < len(ids) {
		body["paging"] = map[string]any{"next": map[string]string{"after": strconv.Itoa(end)}}
	}
	writeJSON(w, http.StatusOK, body)
}

// writableList resolves a list whose memberships may be changed.
func (e *Emulator) writableList(w http.ResponseWriter, r *http.Request) *list {
	l := e.findList(w, r, false)
	if l == nil {
		return nil
	}

	if l.ProcessingType == "DYNAMIC" {
		writeError(w, validationError(fmt.Sprintf("List %d has processingType DYNAMIC; only MANUAL and SNAPSHOT lists accept membership changes", l.ID), nil))
		return nil
	}

	return l
}

func decodeIDs(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	var raw []flexString
	if !decodeBody(w, r, &raw) {
		return nil, false
	}

	out := make([]string, len(raw))
	for i, v := range raw {
		out[i] = v.String()
	}
	return out, true
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}

	return s
}

func (e *Emulator) handleMembersAdd(w http.ResponseWriter, r *http.Request) {
	ids, ok := decodeIDs(w, r)
	if !ok {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.writableList(w, r)
	if l == nil {
		return
	}

	added, missing := e.addMembers(l, ids)
	writeJSON(w, http.StatusOK, map[string]any{"recordsIdsAdded": nonNilStrings(added), "recordIdsRemoved": []string{}, "recordIdsMissing": nonNilStrings(missing)})
}

func (e *Emulator) handleMembersRemove(w http.ResponseWriter, r *http.Request) {
	ids, ok := decodeIDs(w, r)
	if !ok {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.writableList(w, r)
	if l == nil {
		return
	}

	removed, missing := e.removeMembers(l, ids)
	writeJSON(w, http.StatusOK, map[string]any{"recordsIdsAdded": []string{}, "recordIdsRemoved": nonNilStrings(removed), "recordIdsMissing": nonNilStrings(missing)})
}

func (e *Emulator) handleMembersAddRemove(w http.ResponseWriter, r *http.Request) {
	var in struct {
		RecordIDsToAdd    []flexString `json:"recordIdsToAdd"`
		RecordIDsToRemove []flexString `json:"recordIdsToRemove"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.writableList(w, r)
	if l == nil {
		return
	}

	toStrings := func(v []flexString) []string {
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = x.String()
		}
		return out
	}

	added, missing := e.addMembers(l, toStrings(in.RecordIDsToAdd))
	removed, missing2 := e.removeMembers(l, toStrings(in.RecordIDsToRemove))
	writeJSON(w, http.StatusOK, map[string]any{"recordsIdsAdded": nonNilStrings(added), "recordIdsRemoved": nonNilStrings(removed),
		"recordIdsMissing": nonNilStrings(append(missing, missing2...))})
}

func (e *Emulator) handleMembersClear(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()

	l := e.writableList(w, r)
	if l == nil {
		return
	}

	l.members = map[int64]time.Time{}
	l.UpdatedAt = e.clock()
	w.WriteHeader(http.StatusNoContent)
}

type recordListJSON struct {
	ListID              string `json:"listId"`
	ListVersion         int    `json:"listVersion"`
	FirstAddedTimestamp string `json:"firstAddedTimestamp"`
	LastAddedTimestamp  string `json:"lastAddedTimestamp"`
}

func (e *Emulator) listsOf(objectTypeID string, id int64) []recordListJSON {
	out := []recordListJSON{}
	var ids []int64
	for lid, l := range e.lists {
		if !l.deleted && normalizeObjectType(l.ObjectTypeID) == normalizeObjectType(objectTypeID) {
			if _, in := l.members[id]; in {
				ids = append(ids, lid)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, lid := range ids {
		l := e.lists[lid]
		t := formatTime(l.members[id])
		out = append(out, recordListJSON{ListID: strconv.FormatInt(lid, 10), ListVersion: l.Version, FirstAddedTimestamp: t, LastAddedTimestamp: t})
	}
	return out
}

func (e *Emulator) handleRecordLists(w http.ResponseWriter, r *http.Request) {
	ot := r.PathValue("objectTypeId")
	if _, ok := e.types[normalizeObjectType(ot)]; !ok {
		writeError(w, validationError(fmt.Sprintf("Unsupported objectTypeId %s; use 0-1 or 0-2", ot), nil))
		return
	}

	id, err := parseID(r.PathValue("recordId"))
	if err != nil {
		writeError(w, validationError(err.Error(), nil))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	results := e.listsOf(ot, id)
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "total": len(results)})
}

func (e *Emulator) handleRecordListsBatch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Inputs []struct {
			ObjectTypeID string     `json:"objectTypeId"`
			RecordID     flexString `json:"recordId"`
		} `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	started := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()

	results := []map[string]any{}
	for _, input := range in.Inputs {
		id, err := parseID(input.RecordID.String())
		if err != nil {
			writeError(w, validationError(err.Error(), nil))
			return
		}
		results = append(results, map[string]any{"objectTypeId": input.ObjectTypeID, "recordId": input.RecordID.String(), "listMemberships": e.listsOf(input.ObjectTypeID, id)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "COMPLETE", "results": results, "startedAt": formatTime(started), "completedAt": formatTime(time.Now())})
}
