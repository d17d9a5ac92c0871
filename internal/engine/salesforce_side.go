package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// Fields the engine reads from every Lead and Contact besides the mapped
// ones.
var salesforceSystemFields = map[Object][]string{
	Lead:    {"Id", "Email", "SystemModstamp", "LastModifiedDate", "IsConverted", "ConvertedContactId"},
	Contact: {"Id", "Email", "SystemModstamp", "LastModifiedDate"},
}

// emailsPerQuery bounds the IN list of an email lookup so the SOQL stays
// under the 16,000-character URL limit of a GET query for addresses of up
// to 60 characters.
const emailsPerQuery = 200

// SalesforceClient adapts a *salesforce.Client to SalesforceSide.
type SalesforceClient struct {
	Client *salesforce.Client

	// PageSize is the number of records per page handed to the engine,
	// and the LIMIT of each keyset query. Default 2,000.
	PageSize int
}

var _ SalesforceSide = (*SalesforceClient)(nil)

func (s *SalesforceClient) pageSize() int {
	if s.PageSize > 0 {
		return s.PageSize
	}
	return 2000
}

// ReadChanged reads object's records with SystemModstamp at or after
// since, including converted Leads, so a linked Lead's conversion is seen.
func (s *SalesforceClient) ReadChanged(ctx context.Context, object Object, since time.Time, fields []string, fn func([]Record) error) error {
	size := s.pageSize()
	q := salesforce.KeysetQuery{
		Object:    string(object),
		Fields:    withSystemFields(object, fields),
		Since:     salesforce.Cursor{Modstamp: since},
		PageLimit: size,
	}

	page := make([]Record, 0, size)
	_, err := s.Client.ReadChanges(ctx, q, func(r salesforce.Record) error {
		page = append(page, salesforceRecord(object, &r))
		if len(page) < size {
			return nil
		}
		err := fn(page)
		page = make([]Record, 0, size)
		return err
	})
	if err != nil {
		return salesforceReadError(fmt.Sprintf("read changed %s records", object), err)
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}

// ReadByIDs returns the records of object among ids that exist and are not
// deleted.
func (s *SalesforceClient) ReadByIDs(ctx context.Context, object Object, ids []string, fields []string) ([]Record, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	recs, err := s.Client.RetrieveRecords(ctx, string(object), ids, withSystemFields(object, fields))
	if err != nil {
		return nil, salesforceReadError(fmt.Sprintf("read %s records by id", object), err)
	}
	out := make([]Record, 0, len(recs))
	for _, r := range recs {
		if r != nil {
			out = append(out, salesforceRecord(object, r))
		}
	}
	return out, nil
}

// ReadByEmails returns every Lead and Contact whose Email is one of emails.
// SOQL compares text case-insensitively, as the engine's normalized
// emails need.
func (s *SalesforceClient) ReadByEmails(ctx context.Context, emails []string, fields map[Object][]string) ([]Record, error) {
	var out []Record
	for _, object := range []Object{Contact, Lead} {
		for chunk := range slices.Chunk(emails, emailsPerQuery) {
			quoted := make([]string, len(chunk))
			for i, e := range chunk {
				quoted[i] = salesforce.Quote(e)
			}
			soql := fmt.Sprintf("SELECT %s FROM %s WHERE Email IN (%s)",
				strings.Join(withSystemFields(object, fields[object]), ", "), object, strings.Join(quoted, ", "))
			err := s.Client.QueryPages(ctx, soql, salesforce.QueryOptions{}, func(p *salesforce.QueryPage) error {
				for i := range p.Records {
					out = append(out, salesforceRecord(object, &p.Records[i]))
				}
				return nil
			})
			if err != nil {
				return nil, salesforceReadError(fmt.Sprintf("look up %s records by email", object), err)
			}
		}
	}
	return out, nil
}

func (s *SalesforceClient) Create(ctx context.Context, object Object, records []map[string]any) ([]WriteResult, error) {
	in := make([]salesforce.Record, len(records))
	for i, f := range records {
		in[i] = salesforce.Record{Type: string(object), Fields: f}
	}
	res, err := s.Client.CreateRecords(ctx, in, false)
	return salesforceResults(res, len(records), err)
}

func (s *SalesforceClient) Update(ctx context.Context, object Object, ids []string, records []map[string]any) ([]WriteResult, error) {
	in := make([]salesforce.Record, len(records))
	for i, f := range records {
		in[i] = salesforce.Record{Type: string(object), ID: ids[i], Fields: f}
	}
	res, err := s.Client.UpdateRecords(ctx, in, false)
	out, err := salesforceResults(res, len(records), err)
	for i := range out {
		if out[i].ID == "" {
			out[i].ID = ids[i]
		}
	}
	return out, err
}

func (s *SalesforceClient) Calls() int64 { return s.Client.Usage().Calls }

// salesforceReadError wraps a failed read. An exhausted API quota also
// wraps ErrPaused, so the cycle ends as paused rather than failed and
// continues from its cursors once the quota recovers.
func salesforceReadError(what string, err error) error {
	if salesforce.ClassOf(err) == salesforce.ClassPause {
		return fmt.Errorf("%s: %w: %w", what, ErrPaused, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// salesforceResults converts collection results. When the call itself
// failed part way, the records without a result get the call's failure.
func salesforceResults(res []salesforce.SaveResult, n int, callErr error) ([]WriteResult, error) {
	out := make([]WriteResult, n)
	for i := range out {
		if i < len(res) {
			out[i].ID = res[i].ID
			if err := res[i].Err(); err != nil {
				out[i].Err = salesforceFailure(err)
			}
			continue
		}
		if callErr == nil {
			callErr = fmt.Errorf("missing result for record %d", i)
		}
		out[i].Err = salesforceFailure(callErr)
	}
	if callErr != nil && salesforce.ClassOf(callErr) == salesforce.ClassFatal {
		return out, callErr
	}
	return out, nil
}

// salesforceCategories sorts Salesforce error codes into the categories of
// the sync health screen.
var salesforceCategories = map[string]store.ErrorCategory{
	"STRING_TOO_LONG":                         store.ErrorPropertyValue,
	"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": store.ErrorPropertyValue,
	"REQUIRED_FIELD_MISSING":                  store.ErrorPropertyValue,
	"INVALID_EMAIL_ADDRESS":                   store.ErrorPropertyValue,
	"FIELD_INTEGRITY_EXCEPTION":               store.ErrorPropertyValue,
	"NUMBER_OUTSIDE_VALID_RANGE":              store.ErrorPropertyValue,
	"INVALID_TYPE_ON_FIELD_IN_RECORD":         store.ErrorPropertyValue,
	"MALFORMED_ID":                            store.ErrorPropertyValue,

	"FIELD_CUSTOM_VALIDATION_EXCEPTION":    store.ErrorCustomCode,
	"CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY": store.ErrorCustomCode,

	"DUPLICATES_DETECTED": store.ErrorDuplicates,
	"DUPLICATE_VALUE":     store.ErrorDuplicates,

	"INSUFFICIENT_ACCESS_OR_READONLY":               store.ErrorPermissions,
	"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY": store.ErrorPermissions,
	"INVALID_FIELD_FOR_INSERT_UPDATE":               store.ErrorPermissions,
	"NOT_FOUND":                                     store.ErrorPermissions,
	"ENTITY_IS_LOCKED":                              store.ErrorPermissions,

	"INVALID_CROSS_REFERENCE_KEY": store.ErrorAssociations,

	"REQUEST_LIMIT_EXCEEDED": store.ErrorAPILimit,
}

func salesforceFailure(err error) *Failure {
	f := &Failure{Category: store.ErrorOther, Message: err.Error()}
	var se *salesforce.Error
	if errors.As(err, &se) {
		f.Code = se.Code
		f.Message = se.Message
		f.Fields = se.Fields
		if c, ok := salesforceCategories[se.Code]; ok {
			f.Category = c
		}
	}

	switch salesforce.ClassOf(err) {
	case salesforce.ClassRetry, salesforce.ClassReauth:
		f.Category = store.ErrorTransient
		f.Retry = true
	case salesforce.ClassPause:
		f.Category = store.ErrorAPILimit
		f.Retry = true
		f.Pause = true
	case salesforce.ClassDeleted:
		f.Deleted = true
	case salesforce.ClassConverted:
		f.Converted = true
	}
	return f
}

func withSystemFields(object Object, fields []string) []string {
	out := slices.Clone(salesforceSystemFields[object])
	for _, f := range fields {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

func salesforceRecord(object Object, r *salesforce.Record) Record {
	rec := Record{
		Ref:                Ref{Side: Salesforce, Object: object, ID: r.ID},
		RawEmail:           r.String("Email"),
		ConvertedContactID: r.String("ConvertedContactId"),
		Deleted:            r.Bool("IsDeleted"),
		SalesforceFields:   r.Fields,
	}
	rec.Email = NormalizeEmail(rec.RawEmail)
	rec.Modified, _ = salesforce.ParseDateTime(r.String("SystemModstamp"))
	rec.Edited, _ = salesforce.ParseDateTime(r.String("LastModifiedDate"))
	if rec.Edited.IsZero() {
		rec.Edited = rec.Modified
	}
	return rec
}
