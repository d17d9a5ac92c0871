package hubspot

import (
	"strings"
	"time"
)

// subscriptionDefinition is an email subscription type of the account.
type subscriptionDefinition struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	Description         string `json:"description"`
	Purpose             string `json:"purpose"`
	CommunicationMethod string `json:"communicationMethod"`
	IsActive            bool   `json:"isActive"`
	IsDefault           bool   `json:"isDefault"`
	IsInternal          bool   `json:"isInternal"`
	BusinessUnitID      int64  `json:"businessUnitId"`
}

var subscriptionDefinitions = []subscriptionDefinition{
	{ID: "1001", Name: "Marketing Information", Description: "Marketing offers and updates.", Purpose: "Marketing", CommunicationMethod: "Email", IsActive: true, IsDefault: true},
	{ID: "1002", Name: "One to One", Description: "One to one emails.", Purpose: "Sales", CommunicationMethod: "Email", IsActive: true, IsDefault: true},
	{ID: "1003", Name: "Customer Service Communication", Description: "Feedback and service updates.", Purpose: "Customer Service", CommunicationMethod: "Email", IsActive: true},
}

func knownSubscription(id string) bool {
	for _, d := range subscriptionDefinitions {
		if d.ID == id {
			return true
		}
	}
	return false
}

// subscriberState is the subscription choices of one email address.
type subscriberState struct {
	unsubscribedAll time.Time // zero when not opted out of all
	statuses        map[string]subscriptionChoice
}

type subscriptionChoice struct {
	status      string // SUBSCRIBED or UNSUBSCRIBED
	at          time.Time
	source      string
	legalBasis  string
	explanation string
}

type preferences struct {
	byEmail map[string]*subscriberState
}

func newPreferences() *preferences { return &preferences{byEmail: map[string]*subscriberState{}} }

func (p *preferences) state(email string) *subscriberState {
	k := strings.ToLower(strings.TrimSpace(email))
	s := p.byEmail[k]
	if s == nil {
		s = &subscriberState{statuses: map[string]subscriptionChoice{}}
		p.byEmail[k] = s
	}
	return s
}

func (p *preferences) optedOut(email string) bool {
	if email == "" {
		return false
	}
	s := p.byEmail[strings.ToLower(strings.TrimSpace(email))]
	return s != nil && !s.unsubscribedAll.IsZero()
}

// unsubscribeAll opts email out of everything and sets hs_email_optout on
// every contact with that address.
func (e *Emulator) unsubscribeAll(email string, src source) bool {
	st := e.prefs.state(email)
	if !st.unsubscribedAll.IsZero() {
		return false
	}
	now := e.clock()
	st.unsubscribedAll = now
	for _, d := range subscriptionDefinitions {
		st.statuses[d.ID] = subscriptionChoice{status: "UNSUBSCRIBED", at: now, source: src.sourceType}
	}

	s := e.types["contacts"]
	if id, ok := s.unique["email"][uniqueKey(email)]; ok {
		if r := s.records[id]; r != nil && r.props["hs_email_optout"] != "true" {
			e.setValues(s, r, map[string]string{"hs_email_optout": "true"}, src)
		}
	}
	return true
}
