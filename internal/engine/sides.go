package engine

import (
	"context"
	"time"

	"github.com/koppel-sync/koppel/internal/store"
)

// Record is one HubSpot contact or Salesforce Lead or Contact as the engine
// reads it: its identity, its change times and its mapped fields in the
// side's wire form. Conversion to canonical values happens in the engine,
// so a value that does not convert parks the record with the field named.
type Record struct {
	Ref

	// Email is the normalized email; RawEmail is the address as stored.
	Email    string
	RawEmail string

	// Modified orders changes for the cursor: lastmodifieddate in HubSpot,
	// SystemModstamp in Salesforce.
	Modified time.Time

	// Edited is the time of the last edit by a person or integration,
	// which decides a two-way conflict: lastmodifieddate in HubSpot,
	// LastModifiedDate in Salesforce.
	Edited time.Time

	// PropertyEdited holds, for some HubSpot properties, the time their
	// current value was set, from HubSpot's property history. The engine
	// reads it only to settle a two-way conflict; Edited stands in for
	// the properties not in it.
	PropertyEdited map[string]time.Time

	// Deleted is set for an archived HubSpot contact and for a Salesforce
	// record in the recycle bin.
	Deleted bool

	// ConvertedContactID is set on a converted Lead.
	ConvertedContactID string

	// MasterRecordID is set on a Salesforce record deleted by a merge: the
	// record that won it.
	MasterRecordID string

	// HubSpotProps holds a HubSpot contact's property values, which
	// HubSpot always sends as strings. A property without a value is
	// absent.
	HubSpotProps map[string]string

	// SalesforceFields holds a Salesforce record's field values in their
	// JSON types (string, json.Number, bool or nil).
	SalesforceFields map[string]any
}

// WriteResult is the outcome of one record in a batch write, in input order.
type WriteResult struct {
	// ID is the record's id; for a create, the new id.
	ID string

	// Err is nil on success, else the failure with its category.
	Err *Failure
}

// Failure is a write or read the target rejected or that did not complete.
type Failure struct {
	Category store.ErrorCategory

	// Side is the side of the failed write, or of the write a value that
	// does not convert was meant for. It is empty when the caller knows it.
	Side Side

	// Retry is true when the same request may succeed later without a
	// person acting (transient failures, rate limits).
	Retry bool

	// Pause is true when the whole side must stop for this cycle, as for
	// an exhausted daily API quota.
	Pause bool

	// Deleted and Converted report a target record that is gone or is a
	// converted Lead; the engine re-resolves instead of parking.
	Deleted   bool
	Converted bool

	Code    string
	Message string
	Fields  []string
}

func (f *Failure) Error() string {
	s := string(f.Category)
	if f.Code != "" {
		s += " " + f.Code
	}
	if f.Message != "" {
		s += ": " + f.Message
	}
	return s
}

// HubSpotSide is the part of HubSpot's CRM API the engine uses.
// HubSpotClient implements it over the HubSpot client, and its batch
// methods split inputs into calls of MaxHubSpotBatch.
type HubSpotSide interface {
	// ReadChanged calls fn with pages of contacts modified at or after
	// since, ordered by (Modified, ID), until fn returns an error or the
	// changes are exhausted.
	ReadChanged(ctx context.Context, since time.Time, props []string, fn func([]Record) error) error

	// ReadByIDs returns the contacts that exist among ids; a missing or
	// archived id is absent from the result.
	ReadByIDs(ctx context.Context, ids []string, props []string) ([]Record, error)

	// ReadByEmails returns the contacts whose email is one of emails.
	ReadByEmails(ctx context.Context, emails []string, props []string) ([]Record, error)

	// ReadHistory returns, per contact id, when the current value of each
	// of props was set.
	ReadHistory(ctx context.Context, ids []string, props []string) (map[string]map[string]time.Time, error)

	Create(ctx context.Context, props []map[string]string) ([]WriteResult, error)
	Update(ctx context.Context, ids []string, props []map[string]string) ([]WriteResult, error)

	// Calls returns the number of API calls made so far.
	Calls() int64
}

// SalesforceSide is the part of Salesforce's REST API the engine uses.
// SalesforceClient implements it over the Salesforce client, and its
// batch methods split records into calls of MaxSalesforceBatch.
type SalesforceSide interface {
	// ReadChanged calls fn with pages of records of object whose
	// SystemModstamp is at or after since, ordered by (Modified, ID).
	ReadChanged(ctx context.Context, object Object, since time.Time, fields []string, fn func([]Record) error) error

	ReadByIDs(ctx context.Context, object Object, ids []string, fields []string) ([]Record, error)

	// ReadByEmails returns the Leads and Contacts whose email is one of
	// emails; fields maps each object to the fields to read.
	ReadByEmails(ctx context.Context, emails []string, fields map[Object][]string) ([]Record, error)

	Create(ctx context.Context, object Object, records []map[string]any) ([]WriteResult, error)
	Update(ctx context.Context, object Object, ids []string, records []map[string]any) ([]WriteResult, error)

	Calls() int64
}

// Batch limits of the vendors' write endpoints.
const (
	MaxHubSpotBatch    = 100
	MaxSalesforceBatch = 200
)
