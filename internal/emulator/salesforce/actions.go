package salesforce

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"
)

// These methods act like a person in the Salesforce UI: they skip the API
// counter and fault injection but apply the same checks as the API.

// Error is a failed UI action, with the Salesforce error code the API
// would have returned for it.
type Error struct {
	Code    string
	Message string
	Fields  []string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (fields %v)", e.Code, e.Message, e.Fields)
	}
	return e.Code + ": " + e.Message
}

func publicError(e *apiError) error {
	if e == nil {
		return nil
	}
	return &Error{Code: e.Code, Message: e.Message, Fields: e.Fields}
}

func (e *Emulator) objectOrError(name string) (*objectDef, error) {
	o := e.schema.object(name)
	if o == nil {
		return nil, &Error{Code: "INVALID_TYPE", Message: fmt.Sprintf("unknown object %q", name)}
	}
	return o, nil
}

// Create creates a record of object and returns its id.
func (e *Emulator) Create(object string, fields map[string]any) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	o, err := e.objectOrError(object)
	if err != nil {
		return "", err
	}
	r, aerr := e.insertLocked(o, fields, writeOptions{})
	if aerr != nil {
		return "", publicError(aerr)
	}
	return r.id, nil
}

// Update changes fields of the record with id. A nil value clears a field.
func (e *Emulator) Update(id string, fields map[string]any) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, aerr := e.lookupLocked(id)
	if aerr != nil {
		return publicError(aerr)
	}
	return publicError(e.updateLocked(r, fields, writeOptions{}))
}

// Delete moves the record with id to the recycle bin, with its
// dependents (an account's contacts, campaign members).
func (e *Emulator) Delete(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, aerr := e.lookupLocked(id)
	if aerr != nil {
		return publicError(aerr)
	}
	return publicError(e.deleteLocked(r, writeOptions{}, ""))
}

// Undelete restores the record with id from the recycle bin.
func (e *Emulator) Undelete(id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, aerr := e.lookupLocked(id)
	if aerr != nil {
		return publicError(aerr)
	}
	return publicError(e.undeleteLocked(r, nil))
}

// Get returns the fields of the record with id in their JSON form
// (datetimes as strings, numbers as json.Number), deleted records
// included (IsDeleted is true).
func (e *Emulator) Get(id string) (map[string]any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, aerr := e.lookupLocked(id)
	if aerr != nil {
		return nil, publicError(aerr)
	}
	out := make(map[string]any, len(r.fields))
	for k, v := range r.fields {
		out[k] = wireValue(r.obj.field(k), v)
	}
	return out, nil
}

// Count returns the number of records of object; deleted ones only when
// includeDeleted.
func (e *Emulator) Count(object string, includeDeleted bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	o := e.schema.object(object)
	if o == nil {
		return 0
	}
	n := 0
	for _, r := range e.byObject[o.Name] {
		if includeDeleted || !r.deleted {
			n++
		}
	}
	return n
}

// ConvertLead describes a lead conversion as the Convert button does it.
type ConvertLead struct {
	LeadID string `json:"lead_id"`
	// AccountID merges into an existing account; empty creates one named
	// after the lead's Company.
	AccountID string `json:"account_id,omitempty"`
	// ContactID merges into an existing contact; empty creates one from
	// the lead.
	ContactID string `json:"contact_id,omitempty"`
	// ConvertedStatus is the lead Status afterwards. Default
	// "Closed - Converted".
	ConvertedStatus string `json:"converted_status,omitempty"`
}

// ConvertLeadResult names the records a conversion used or created.
type ConvertLeadResult struct {
	LeadID    string `json:"lead_id"`
	AccountID string `json:"account_id"`
	ContactID string `json:"contact_id"`
}

// ConvertLead converts a lead: it creates or reuses an account and a
// contact, sets IsConverted, ConvertedDate, ConvertedAccountId and
// ConvertedContactId on the lead (which becomes read-only), and fills
// ContactId on the lead's campaign memberships.
func (e *Emulator) ConvertLead(req ConvertLead) (ConvertLeadResult, error) {
	e.mu.Lock()
	defer e.mu.Unlock()

	tx := &txn{}
	res, aerr := e.convertLeadLocked(req, tx)
	if aerr != nil {
		tx.rollback()
		return ConvertLeadResult{}, publicError(aerr)
	}
	e.log.Info("lead converted", "record_id", res.LeadID, "contact_id", res.ContactID, "account_id", res.AccountID)
	return res, nil
}

func (e *Emulator) convertLeadLocked(req ConvertLead, tx *txn) (ConvertLeadResult, *apiError) {
	if strings.TrimSpace(req.LeadID) == "" {
		return ConvertLeadResult{}, fieldError("REQUIRED_FIELD_MISSING", "lead_id", "lead_id is missing: set it to the id of the lead to convert")
	}
	lead, aerr := e.lookupLocked(req.LeadID)
	if aerr != nil {
		return ConvertLeadResult{}, aerr
	}
	if lead.obj.Name != "Lead" {
		return ConvertLeadResult{}, newError(http.StatusBadRequest, "INVALID_TYPE", "%s is not a lead", lead.id)
	}
	if lead.deleted {
		return ConvertLeadResult{}, errEntityDeleted()
	}
	if lead.get("IsConverted") == true {
		return ConvertLeadResult{}, newError(http.StatusBadRequest, "CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
	}
	status := req.ConvertedStatus
	if status == "" {
		status = "Closed - Converted"
	}
	if _, ok := lead.obj.field("Status").picklistValue(status); !ok {
		return ConvertLeadResult{}, fieldError("INVALID_STATUS", "Status", "invalid converted status: %s", status)
	}
	opt := writeOptions{tx: tx, allowDuplicates: true}

	accountID := req.AccountID
	if accountID == "" {
		company := lead.str("Company")
		if company == "" {
			company = lead.str("Name")
		}
		acc, aerr := e.insertLocked(e.schema.object("Account"), map[string]any{
			"Name": company, "Website": lead.get("Website"), "Phone": lead.get("Phone"),
			"Industry": lead.get("Industry"), "OwnerId": lead.get("OwnerId"),
		}, opt)
		if aerr != nil {
			return ConvertLeadResult{}, aerr
		}
		accountID = acc.id
	} else if acc, aerr := e.lookupLocked(accountID); aerr != nil || acc.obj.Name != "Account" || acc.deleted {
		return ConvertLeadResult{}, fieldError("INVALID_CROSS_REFERENCE_KEY", "AccountId", "invalid account id %s", accountID)
	} else {
		accountID = acc.id
	}

	contactID := req.ContactID
	if contactID == "" {
		fields := map[string]any{"AccountId": accountID}
		for _, name := range []string{"FirstName", "LastName", "Salutation", "Title", "Email", "Phone", "MobilePhone",
			"Fax", "LeadSource", "Description", "HasOptedOutOfEmail", "HasOptedOutOfFax", "DoNotCall", "OwnerId"} {
			fields[name] = wireValue(lead.obj.field(name), lead.get(name))
		}
		fields["MailingStreet"], fields["MailingCity"], fields["MailingState"] = lead.get("Street"), lead.get("City"), lead.get("State")
		fields["MailingPostalCode"], fields["MailingCountry"] = lead.get("PostalCode"), lead.get("Country")
		c, aerr := e.insertLocked(e.schema.object("Contact"), fields, opt)
		if aerr != nil {
			return ConvertLeadResult{}, aerr
		}
		contactID = c.id
	} else if c, aerr := e.lookupLocked(contactID); aerr != nil || c.obj.Name != "Contact" || c.deleted {
		return ConvertLeadResult{}, fieldError("INVALID_CROSS_REFERENCE_KEY", "ContactId", "invalid contact id %s", contactID)
	} else {
		contactID = c.id
	}

	if aerr := e.updateLocked(lead, map[string]any{
		"IsConverted": true, "ConvertedDate": e.nowMillis().Format("2006-01-02"),
		"ConvertedAccountId": accountID, "ConvertedContactId": contactID, "Status": status,
	}, writeOptions{system: true, tx: tx}); aerr != nil {
		return ConvertLeadResult{}, aerr
	}

	for _, m := range e.byObject["CampaignMember"] {
		if m.deleted || m.str("LeadId") != lead.id || m.str("ContactId") != "" {
			continue
		}
		e.remember(tx, m)
		if e.contactIsMemberLocked(m.str("CampaignId"), contactID) {
			// The contact is already a member; Salesforce keeps that row.
			continue
		}
		m.fields["ContactId"] = contactID
		e.indexMemberLocked(m)
		e.copyPersonLocked(m.fields)
		m.fields["SystemModstamp"] = e.nowMillis()
		e.refreshCampaignCountsLocked(m, tx)
	}
	return ConvertLeadResult{LeadID: lead.id, AccountID: accountID, ContactID: contactID}, nil
}

func (e *Emulator) contactIsMemberLocked(campaignID, contactID string) bool {
	return e.liveMemberLocked(campaignID, contactID) != nil
}

// Merge merges one or two records of the same object (Lead, Contact or
// Account) into master, as the Merge button does. The losers are deleted
// with MasterRecordId set to master. Their contacts and campaign
// memberships move to master, and master's SystemModstamp moves.
func (e *Emulator) Merge(masterID string, loserIDs ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	tx := &txn{}
	if aerr := e.mergeLocked(masterID, loserIDs, tx); aerr != nil {
		tx.rollback()
		return publicError(aerr)
	}
	e.log.Info("records merged", "record_id", masterID, "merged_ids", loserIDs)
	return nil
}

func (e *Emulator) mergeLocked(masterID string, loserIDs []string, tx *txn) *apiError {
	master, aerr := e.lookupLocked(masterID)
	if aerr != nil {
		return aerr
	}
	switch master.obj.Name {
	case "Lead", "Contact", "Account":
	default:
		return newError(http.StatusBadRequest, "INVALID_TYPE", "%s records cannot be merged", master.obj.Name)
	}
	if master.deleted {
		return errEntityDeleted()
	}
	if len(loserIDs) == 0 || len(loserIDs) > 2 {
		return newError(http.StatusBadRequest, "INVALID_OPERATION", "merge takes one or two records besides the master, not %d", len(loserIDs))
	}
	for _, id := range loserIDs {
		loser, aerr := e.lookupLocked(id)
		if aerr != nil {
			return aerr
		}
		if loser.obj != master.obj || loser == master {
			return newError(http.StatusBadRequest, "INVALID_OPERATION", "cannot merge %s into %s", formatRecordName(loser), formatRecordName(master))
		}
		if loser.deleted {
			return errEntityDeleted()
		}
		e.reparentLocked(loser, master, tx)
		e.remember(tx, loser)
		loser.fields["MasterRecordId"] = master.id
		if aerr := e.deleteLocked(loser, writeOptions{tx: tx}, ""); aerr != nil {
			return aerr
		}
	}
	e.touchLocked(master, tx)
	return nil
}

// reparentLocked moves loser's children to master before a merge.
func (e *Emulator) reparentLocked(loser, master *record, tx *txn) {
	if loser.obj.Name == "Account" {
		for _, c := range e.byObject["Contact"] {
			if c.str("AccountId") == loser.id {
				e.remember(tx, c)
				c.fields["AccountId"] = master.id
				c.fields["SystemModstamp"] = e.nowMillis()
			}
		}
		return
	}
	field := loser.obj.Name + "Id"
	for _, m := range e.byObject["CampaignMember"] {
		if m.deleted || m.str(field) != loser.id {
			continue
		}
		campaignID := m.str("CampaignId")
		duplicate := false
		for _, other := range e.members[campaignID] {
			if !other.deleted && other.str(field) == master.id {
				duplicate = true
			}
		}
		if duplicate {
			continue // deleted with the loser
		}
		e.remember(tx, m)
		m.fields[field] = master.id
		e.indexMemberLocked(m)
		e.copyPersonLocked(m.fields)
		m.fields["SystemModstamp"] = e.nowMillis()
	}
}

// AddCampaignMember adds a lead or contact to a campaign with a member
// status (default "Sent") and returns the CampaignMember id.
func (e *Emulator) AddCampaignMember(campaignID, personID, status string) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fields := map[string]any{"CampaignId": campaignID}
	if status != "" {
		fields["Status"] = status
	}
	n, ok := normalizeID(personID)
	switch {
	case ok && n[:3] == keyPrefixes["Lead"]:
		fields["LeadId"] = personID
	case ok && n[:3] == keyPrefixes["Contact"]:
		fields["ContactId"] = personID
	default:
		return "", &Error{Code: "MALFORMED_ID", Message: fmt.Sprintf("%q is not a lead or contact id", personID)}
	}
	r, aerr := e.insertLocked(e.schema.object("CampaignMember"), fields, writeOptions{})
	if aerr != nil {
		return "", publicError(aerr)
	}
	return r.id, nil
}

// RemoveCampaignMember deletes the membership of a lead or contact in a
// campaign.
func (e *Emulator) RemoveCampaignMember(campaignID, personID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	cid, _ := normalizeID(campaignID)
	pid, _ := normalizeID(personID)
	for _, m := range e.byObject["CampaignMember"] {
		if !m.deleted && m.str("CampaignId") == cid && (m.str("LeadId") == pid || m.str("ContactId") == pid) {
			return publicError(e.deleteLocked(m, writeOptions{}, ""))
		}
	}
	return &Error{Code: "NOT_FOUND", Message: fmt.Sprintf("%s is not a member of campaign %s", personID, campaignID)}
}

// APICalls returns the API calls counted in the rolling 24 hours and
// the daily limit.
func (e *Emulator) APICalls() (used, limit int) {
	return e.usage.used(e.now()), e.usage.max
}

// TotalAPICalls returns the API calls counted since the emulator
// started, never reset.
func (e *Emulator) TotalAPICalls() int64 {
	e.usage.mu.Lock()
	defer e.usage.mu.Unlock()
	return e.usage.total
}

// ResetAPICalls sets the rolling 24-hour count back to zero.
func (e *Emulator) ResetAPICalls() { e.usage.reset() }

// ExpireSessions invalidates every access token, so the next API call
// gets 401 INVALID_SESSION_ID.
func (e *Emulator) ExpireSessions() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sessions = map[string]time.Time{}
}

// IssueAccessToken returns a valid access token without an OAuth flow,
// for tests that are not about authentication.
func (e *Emulator) IssueAccessToken() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.newSessionLocked()
}

// OrgID returns the 18-character id of the emulated org.
func (e *Emulator) OrgID() string { return e.orgID }

// UserID returns the 18-character id of the user every token belongs to.
func (e *Emulator) UserID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.userID
}

// cloneFields copies a field map.
func cloneFields(m map[string]any) map[string]any { return maps.Clone(m) }
