package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/store"
)

// HubSpotClient adapts a *hubspot.Client to HubSpotSide.
type HubSpotClient struct {
	Client *hubspot.Client

	// PageSize is the number of contacts per page handed to the engine.
	// Default 1,000.
	PageSize int
}

var _ HubSpotSide = (*HubSpotClient)(nil)

func (h *HubSpotClient) pageSize() int {
	if h.PageSize > 0 {
		return h.PageSize
	}
	return 1000
}

// ReadChanged streams contacts by search on lastmodifieddate. The
// engine's overlap window already covers the search index's lag, so no
// extra lookback is added.
//
// Each page comes from a fresh search window that starts at the last
// modified time of the previous page, and no search is open while fn
// runs. fn writes to HubSpot, which moves the written contacts to later
// modified times. A window kept open across those writes would skip
// records by offset, because the moved contacts no longer fill it.
func (h *HubSpotClient) ReadChanged(ctx context.Context, since time.Time, props []string, fn func([]Record) error) error {
	size := h.pageSize()
	seen := map[string]bool{} // ids already handed over at the time since
	for {
		page := make([]Record, 0, size)
		// Since is moved by the lookback of a millisecond, so the window
		// starts exactly at since.
		opts := hubspot.ChangesOptions{Since: since.Add(time.Millisecond), Lookback: time.Millisecond, Properties: props}
		for o, err := range h.Client.Changes(ctx, hubspot.Contacts, opts) {
			if err != nil {
				return hubspotReadError("read changed HubSpot contacts", err)
			}
			rec := hubspotRecord(o)
			if rec.Modified.Equal(since) && seen[rec.ID] {
				continue
			}
			page = append(page, rec)
			if len(page) == size {
				break
			}
		}
		if len(page) == 0 {
			return nil
		}

		last := page[len(page)-1].Modified
		if !last.Equal(since) {
			clear(seen)
			since = last
		}
		for _, r := range page {
			if r.Modified.Equal(since) {
				seen[r.ID] = true
			}
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < size {
			return nil
		}
	}
}

func (h *HubSpotClient) ReadByIDs(ctx context.Context, ids []string, props []string) ([]Record, error) {
	return h.batchRead(ctx, ids, hubspot.BatchReadOptions{Properties: props})
}

// ReadByEmails looks contacts up by their unique email property, which
// HubSpot compares case-insensitively.
func (h *HubSpotClient) ReadByEmails(ctx context.Context, emails []string, props []string) ([]Record, error) {
	return h.batchRead(ctx, emails, hubspot.BatchReadOptions{Properties: props, IDProperty: "email"})
}

// ReadHistory reads the property history of contacts in batches of 100
// and returns the time of each property's newest entry.
func (h *HubSpotClient) ReadHistory(ctx context.Context, ids []string, props []string) (map[string]map[string]time.Time, error) {
	out := map[string]map[string]time.Time{}
	if len(ids) == 0 || len(props) == 0 {
		return out, nil
	}
	res, err := h.Client.BatchRead(ctx, hubspot.Contacts, ids, hubspot.BatchReadOptions{PropertiesWithHistory: props})
	if err != nil {
		return nil, hubspotReadError("read HubSpot property history", err)
	}
	for _, r := range res {
		if r.Err != nil || r.Object == nil {
			continue
		}
		times := map[string]time.Time{}
		for prop, versions := range r.Object.PropertiesWithHistory {
			for _, v := range versions {
				if v.Timestamp.After(times[prop]) {
					times[prop] = v.Timestamp
				}
			}
		}
		out[r.Object.ID] = times
	}
	return out, nil
}

func (h *HubSpotClient) batchRead(ctx context.Context, ids []string, opts hubspot.BatchReadOptions) ([]Record, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	res, err := h.Client.BatchRead(ctx, hubspot.Contacts, ids, opts)
	if err != nil {
		return nil, hubspotReadError("read HubSpot contacts", err)
	}
	out := make([]Record, 0, len(res))
	for _, r := range res {
		switch {
		case r.Err != nil && r.Err.Class() == hubspot.ClassDeleted:
			continue
		case r.Err != nil:
			return nil, fmt.Errorf("read HubSpot contact %s: %w", ids[r.Index], r.Err)
		case r.Object != nil:
			out = append(out, hubspotRecord(*r.Object))
		}
	}
	return out, nil
}

func (h *HubSpotClient) Create(ctx context.Context, props []map[string]string) ([]WriteResult, error) {
	in := make([]hubspot.BatchInput, len(props))
	for i, p := range props {
		in[i] = hubspot.BatchInput{Properties: p}
	}
	res, err := h.Client.BatchCreate(ctx, hubspot.Contacts, in)
	return hubspotResults(res, len(props), err)
}

func (h *HubSpotClient) Update(ctx context.Context, ids []string, props []map[string]string) ([]WriteResult, error) {
	in := make([]hubspot.BatchInput, len(props))
	for i, p := range props {
		in[i] = hubspot.BatchInput{ID: ids[i], Properties: p}
	}
	res, err := h.Client.BatchUpdate(ctx, hubspot.Contacts, in)
	out, err := hubspotResults(res, len(props), err)
	for i := range out {
		if out[i].ID == "" {
			out[i].ID = ids[i]
		}
	}
	return out, err
}

func (h *HubSpotClient) Calls() int64 { return h.Client.Usage().Calls }

// hubspotReadError wraps a failed read. HubSpot's daily limit also wraps
// ErrPaused, so the cycle ends as paused rather than failed.
func hubspotReadError(what string, err error) error {
	var he *hubspot.Error
	if errors.As(err, &he) && he.Status == 429 && he.PolicyName == hubspot.PolicyDaily {
		return fmt.Errorf("%s: %w: %w", what, ErrPaused, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// hubspotResults converts batch results. Inputs without a result, after a
// call failed part way, get the call's failure.
func hubspotResults(res []hubspot.BatchResult, n int, callErr error) ([]WriteResult, error) {
	out := make([]WriteResult, n)
	for i := range out {
		if i < len(res) {
			if res[i].Err != nil {
				out[i].Err = hubspotFailure(res[i].Err)
			} else if res[i].Object != nil {
				out[i].ID = res[i].Object.ID
			}
			continue
		}
		if callErr == nil {
			callErr = fmt.Errorf("missing result for input %d", i)
		}
		out[i].Err = hubspotFailure(callErr)
	}
	return out, nil
}

func hubspotFailure(err error) *Failure {
	f := &Failure{Category: store.ErrorOther, Message: err.Error()}
	var he *hubspot.Error
	if errors.As(err, &he) {
		f.Code, f.Message = he.Code, he.Message
		if f.Code == "" {
			f.Code = he.Category
		}
		if he.Property != "" {
			f.Fields = []string{he.Property}
		}
		switch {
		case he.Category == hubspot.CategoryValidation:
			f.Category = store.ErrorPropertyValue
		case he.Category == hubspot.CategoryConflict || he.Status == 409:
			f.Category = store.ErrorDuplicates
		case he.Category == hubspot.CategoryMissingScopes || he.Status == 403:
			f.Category = store.ErrorPermissions
		}
	}

	switch hubspot.ClassOf(err) {
	case hubspot.ClassRetry:
		f.Category, f.Retry = store.ErrorTransient, true
		if he != nil && he.Status == 429 {
			f.Category = store.ErrorAPILimit
		}
	case hubspot.ClassPause:
		f.Retry, f.Pause = true, true
		if he != nil && he.Status == 429 {
			f.Category = store.ErrorAPILimit
		}
	case hubspot.ClassDeleted:
		f.Deleted = true
	}
	return f
}

func hubspotRecord(o hubspot.Object) Record {
	rec := Record{
		Ref:          Ref{Side: HubSpot, Object: HubSpotContact, ID: o.ID},
		RawEmail:     o.Properties["email"],
		Deleted:      o.Archived,
		HubSpotProps: o.Properties,
	}
	rec.Email = NormalizeEmail(rec.RawEmail)
	if v, ok := o.Properties["lastmodifieddate"]; ok {
		rec.Modified, _ = hubspot.ParseTime(v)
	}
	if rec.Modified.IsZero() {
		rec.Modified = o.UpdatedAt
	}
	rec.Edited = rec.Modified
	return rec
}
