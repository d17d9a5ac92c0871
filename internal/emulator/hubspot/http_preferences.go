package hubspot

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

func (e *Emulator) routePreferences(mux *http.ServeMux) {
	// v3, which HubSpot's Node client uses.
	mux.HandleFunc("GET /communication-preferences/v3/definitions", e.handleDefinitionsV3)
	mux.HandleFunc("GET /communication-preferences/v3/status/email/{email}", e.handleStatusV3)
	mux.HandleFunc("POST /communication-preferences/v3/subscribe", e.handleSubscribeV3)
	mux.HandleFunc("POST /communication-preferences/v3/unsubscribe", e.handleUnsubscribeV3)

	// v4.
	mux.HandleFunc("GET /communication-preferences/v4/definitions", e.handleDefinitionsV4)
	mux.HandleFunc("GET /communication-preferences/v4/statuses/{email}", e.handleStatusesV4)
	mux.HandleFunc("POST /communication-preferences/v4/statuses/{email}", e.handleSetStatusV4)
	mux.HandleFunc("GET /communication-preferences/v4/statuses/{email}/unsubscribe-all", e.handleUnsubscribeAllReadV4)
	mux.HandleFunc("POST /communication-preferences/v4/statuses/{email}/unsubscribe-all", e.handleUnsubscribeAllV4)
}

func definitionJSON(d subscriptionDefinition, at time.Time) map[string]any {
	return map[string]any{
		"id": d.ID, "name": d.Name, "description": d.Description, "purpose": d.Purpose,
		"communicationMethod": d.CommunicationMethod, "isActive": d.IsActive, "isDefault": d.IsDefault,
		"isInternal": d.IsInternal, "businessUnitId": d.BusinessUnitID, "createdAt": formatTime(at), "updatedAt": formatTime(at),
	}
}

func (e *Emulator) handleDefinitionsV3(w http.ResponseWriter, r *http.Request) {
	defs := []map[string]any{}
	for _, d := range subscriptionDefinitions {
		defs = append(defs, definitionJSON(d, time.Unix(1577836800, 0)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"subscriptionDefinitions": defs})
}

func (e *Emulator) handleDefinitionsV4(w http.ResponseWriter, r *http.Request) {
	defs := []map[string]any{}
	for _, d := range subscriptionDefinitions {
		defs = append(defs, definitionJSON(d, time.Unix(1577836800, 0)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "COMPLETE", "results": defs, "completedAt": formatTime(time.Now())})
}

// pathEmail reads and checks the {email} path value.
func pathEmail(w http.ResponseWriter, r *http.Request) (string, bool) {
	raw := r.PathValue("email")
	email, err := url.PathUnescape(raw)
	if err != nil || !validEmail(email) {
		writeError(w, validationError(fmt.Sprintf("Invalid email address: %s", raw), nil))
		return "", false
	}

	return strings.ToLower(email), true
}

func checkChannel(w http.ResponseWriter, r *http.Request) bool {
	ch := r.URL.Query().Get("channel")
	if ch != "" && ch != "EMAIL" {
		writeError(w, validationError(fmt.Sprintf("Unsupported channel %s; use EMAIL", ch), nil))
		return false
	}

	return true
}

// statusOf returns the status of one subscription for an address.
func (st *subscriberState) statusOf(id string) subscriptionChoice {
	if st == nil {
		return subscriptionChoice{status: "NOT_SPECIFIED"}
	}

	if c, ok := st.statuses[id]; ok {
		return c
	}

	return subscriptionChoice{status: "NOT_SPECIFIED"}
}

func (e *Emulator) subscriber(email string) *subscriberState {
	return e.prefs.byEmail[strings.ToLower(strings.TrimSpace(email))]
}

func (e *Emulator) handleStatusV3(w http.ResponseWriter, r *http.Request) {
	email, ok := pathEmail(w, r)
	if !ok {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	st := e.subscriber(email)
	statuses := []map[string]any{}
	for _, d := range subscriptionDefinitions {
		c := st.statusOf(d.ID)
		status := "NOT_SUBSCRIBED"
		if c.status == "SUBSCRIBED" {
			status = "SUBSCRIBED"
		}
		item := map[string]any{"id": d.ID, "name": d.Name, "description": d.Description, "status": status,
			"sourceOfStatus": "SUBSCRIPTION_STATUS", "preferenceGroupName": d.Purpose}
		if c.legalBasis != "" {
			item["legalBasis"], item["legalBasisExplanation"] = c.legalBasis, c.explanation
		}
		statuses = append(statuses, item)
	}
	writeJSON(w, http.StatusOK, map[string]any{"recipient": email, "subscriptionStatuses": statuses})
}

type v3StatusInput struct {
	EmailAddress          string     `json:"emailAddress"`
	SubscriptionID        flexString `json:"subscriptionId"`
	LegalBasis            string     `json:"legalBasis"`
	LegalBasisExplanation string     `json:"legalBasisExplanation"`
}

func (e *Emulator) handleSubscribeV3(w http.ResponseWriter, r *http.Request) {
	e.setStatusV3(w, r, "SUBSCRIBED")
}

func (e *Emulator) handleUnsubscribeV3(w http.ResponseWriter, r *http.Request) {
	e.setStatusV3(w, r, "UNSUBSCRIBED")
}

func (e *Emulator) setStatusV3(w http.ResponseWriter, r *http.Request, status string) {
	var in v3StatusInput
	if !decodeBody(w, r, &in) {
		return
	}

	if !validEmail(in.EmailAddress) {
		writeError(w, validationError(fmt.Sprintf("Invalid email address: %s", in.EmailAddress), nil))
		return
	}

	id := in.SubscriptionID.String()
	if !knownSubscription(id) {
		writeError(w, validationError(fmt.Sprintf("Subscription %s does not exist", id), nil))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	if ae := e.setStatus(in.EmailAddress, id, status, in.LegalBasis, in.LegalBasisExplanation); ae != nil {
		writeError(w, ae)
		return
	}

	var def subscriptionDefinition
	for _, d := range subscriptionDefinitions {
		if d.ID == id {
			def = d
		}
	}
	v3 := "NOT_SUBSCRIBED"
	if status == "SUBSCRIBED" {
		v3 = "SUBSCRIBED"
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": def.ID, "name": def.Name, "description": def.Description, "status": v3,
		"sourceOfStatus": "SUBSCRIPTION_STATUS", "legalBasis": in.LegalBasis, "legalBasisExplanation": in.LegalBasisExplanation})
}

// setStatus changes one subscription. An address opted out of all email
// cannot be subscribed again through the API.
func (e *Emulator) setStatus(email, id, status, legalBasis, explanation string) *apiError {
	st := e.prefs.state(email)
	if status == "SUBSCRIBED" && !st.unsubscribedAll.IsZero() {
		return validationError(fmt.Sprintf("%s has opted out of all email and cannot be subscribed through the API", email), nil)
	}

	if cur := st.statusOf(id); cur.status == status {
		verb := "subscribed to"
		if status == "UNSUBSCRIBED" {
			verb = "unsubscribed from"
		}
		return validationError(fmt.Sprintf("%s is already %s subscription %s", email, verb, id), nil)
	}

	st.statuses[id] = subscriptionChoice{status: status, at: e.clock(), source: "API", legalBasis: legalBasis, explanation: explanation}
	return nil
}

func (e *Emulator) v4Statuses(email string) []map[string]any {
	st := e.subscriber(email)
	out := []map[string]any{}
	for _, d := range subscriptionDefinitions {
		c := st.statusOf(d.ID)
		item := map[string]any{"subscriberIdString": email, "subscriptionId": d.ID, "subscriptionName": d.Name, "status": c.status,
			"channel": "EMAIL", "businessUnitId": 0, "source": c.source}
		if !c.at.IsZero() {
			item["timestamp"] = formatTime(c.at)
		}
		if c.legalBasis != "" {
			item["legalBasis"], item["legalBasisExplanation"] = c.legalBasis, c.explanation
		}
		out = append(out, item)
	}
	return out
}

func v4Envelope(results any) map[string]any {
	now := formatTime(time.Now())
	return map[string]any{"status": "COMPLETE", "results": results, "requestedAt": now, "startedAt": now, "completedAt": now}
}

func (e *Emulator) handleStatusesV4(w http.ResponseWriter, r *http.Request) {
	email, ok := pathEmail(w, r)
	if !ok || !checkChannel(w, r) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	writeJSON(w, http.StatusOK, v4Envelope(e.v4Statuses(email)))
}

func (e *Emulator) handleSetStatusV4(w http.ResponseWriter, r *http.Request) {
	email, ok := pathEmail(w, r)
	if !ok {
		return
	}

	var in struct {
		SubscriptionID        flexString `json:"subscriptionId"`
		StatusState           string     `json:"statusState"`
		Channel               string     `json:"channel"`
		LegalBasis            string     `json:"legalBasis"`
		LegalBasisExplanation string     `json:"legalBasisExplanation"`
	}
	if !decodeBody(w, r, &in) {
		return
	}

	if in.Channel != "EMAIL" {
		writeError(w, validationError(fmt.Sprintf("Unsupported channel %q; use EMAIL", in.Channel), nil))
		return
	}

	if in.StatusState != "SUBSCRIBED" && in.StatusState != "UNSUBSCRIBED" && in.StatusState != "NOT_SPECIFIED" {
		writeError(w, validationError(fmt.Sprintf("Invalid statusState %q; use SUBSCRIBED, UNSUBSCRIBED or NOT_SPECIFIED", in.StatusState), nil))
		return
	}

	if !knownSubscription(in.SubscriptionID.String()) {
		writeError(w, validationError(fmt.Sprintf("Subscription %s does not exist", in.SubscriptionID), nil))
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	if ae := e.setStatus(email, in.SubscriptionID.String(), in.StatusState, in.LegalBasis, in.LegalBasisExplanation); ae != nil {
		writeError(w, ae)
		return
	}

	var one []map[string]any
	for _, s := range e.v4Statuses(email) {
		if s["subscriptionId"] == in.SubscriptionID.String() {
			one = append(one, s)
		}
	}
	writeJSON(w, http.StatusOK, v4Envelope(one))
}

func (e *Emulator) handleUnsubscribeAllV4(w http.ResponseWriter, r *http.Request) {
	email, ok := pathEmail(w, r)
	if !ok || !checkChannel(w, r) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	e.unsubscribeAll(email, e.apiSource())
	writeJSON(w, http.StatusOK, v4Envelope(e.v4Statuses(email)))
}

func (e *Emulator) handleUnsubscribeAllReadV4(w http.ResponseWriter, r *http.Request) {
	email, ok := pathEmail(w, r)
	if !ok || !checkChannel(w, r) {
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()

	results := []map[string]any{}
	if st := e.subscriber(email); st != nil && !st.unsubscribedAll.IsZero() {
		results = append(results, map[string]any{"subscriberIdString": email, "wideStatusType": "PORTAL_WIDE", "status": "UNSUBSCRIBED",
			"channel": "EMAIL", "businessUnitId": 0, "timestamp": formatTime(st.unsubscribedAll)})
	}
	writeJSON(w, http.StatusOK, v4Envelope(results))
}
