package hubspot

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"
)

// Search limits HubSpot enforces.
const (
	SearchPageSize = 200    // maximum results per search page
	SearchCap      = 10_000 // maximum results one search query can page through
)

// SearchRequest is the body of POST /crm/v3/objects/{type}/search.
type SearchRequest struct {
	Query        string        `json:"query,omitempty"`
	FilterGroups []FilterGroup `json:"filterGroups,omitempty"`
	Sorts        []Sort        `json:"sorts,omitempty"`
	Properties   []string      `json:"properties,omitempty"`
	Limit        int           `json:"limit,omitempty"`
	After        string        `json:"after,omitempty"`
}

// FilterGroup ANDs its filters; groups are ORed.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Filter is one search condition. Operator is one of EQ, NEQ, LT, LTE, GT,
// GTE, BETWEEN (Value and HighValue), IN and NOT_IN (Values),
// HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN.
// Dates and datetimes are epoch milliseconds.
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
	Values       []string `json:"values,omitempty"`
}

// Sort orders search results; HubSpot takes one.
type Sort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"` // ASCENDING or DESCENDING
}

// SearchPage is one page of search results.
type SearchPage struct {
	Total   int
	Results []Object
	After   string // numeric offset of the next page; empty on the last
}

// Search runs one search page. Archived records never appear in search.
func (c *Client) Search(ctx context.Context, t ObjectType, req SearchRequest) (*SearchPage, error) {
	if req.Limit <= 0 {
		req.Limit = SearchPageSize
	}
	var w wirePage
	path := "/crm/v3/objects/" + string(t) + "/search"
	if _, err := c.do(ctx, request{method: "POST", path: path, body: req, isSearch: true}, &w); err != nil {
		return nil, err
	}
	p := &SearchPage{Total: w.Total, After: w.after()}
	for _, r := range w.Results {
		p.Results = append(p.Results, r.object())
	}
	return p, nil
}

// ChangesOptions configures an incremental read.
type ChangesOptions struct {
	// Since is the watermark: the modified timestamp of the last record
	// the caller has processed. Zero reads everything.
	Since time.Time

	// Lookback is subtracted from Since, because HubSpot's search index
	// trails writes; records seen again are the caller's to skip.
	// Default 1 minute.
	Lookback time.Duration

	// Until bounds the window; zero means no upper bound.
	Until time.Time

	// Properties to return besides the default set.
	Properties []string

	// PageSize is the search page size. Default and maximum 200.
	PageSize int
}

// ErrTooManyAtOneInstant is returned when more than 10,000 records share
// one modified millisecond, which search paging cannot get past.
var ErrTooManyAtOneInstant = errors.New("more than 10,000 records share one modified timestamp; search cannot page past them")

// Changes streams records modified at or after opts.Since-opts.Lookback in
// ascending modified order, 200 per search page. Every page starts a new
// query window at the last seen modified millisecond, skipping the records
// already yielded at that millisecond with the numeric after offset and
// dropping their ids if they show up again. So paging never reaches the
// 10,000-result cap, and a record that is modified while the read runs
// moves to a later page instead of shifting others out of reach.
func (c *Client) Changes(ctx context.Context, t ObjectType, opts ChangesOptions) iter.Seq2[Object, error] {
	return func(yield func(Object, error) bool) {
		if opts.Lookback == 0 {
			opts.Lookback = time.Minute
		}
		if opts.PageSize <= 0 || opts.PageSize > SearchPageSize {
			opts.PageSize = SearchPageSize
		}
		modified := t.ModifiedProperty()
		props := append([]string{modified}, opts.Properties...)

		var from int64
		if !opts.Since.IsZero() {
			from = opts.Since.Add(-opts.Lookback).UnixMilli()
		}
		atBoundary := map[string]bool{} // ids yielded at millisecond from
		extraSkip := 0                  // seen records HubSpot sorted after unseen ones at from

		for {
			// Records at the boundary millisecond sort first in the new
			// window, so the ones already yielded are skipped by offset.
			offset := len(atBoundary) + extraSkip
			if offset+opts.PageSize > SearchCap {
				yield(Object{}, ErrTooManyAtOneInstant)
				return
			}
			filters := []Filter{{PropertyName: modified, Operator: "GTE", Value: strconv.FormatInt(from, 10)}}
			if !opts.Until.IsZero() {
				filters = append(filters, Filter{PropertyName: modified, Operator: "LTE", Value: strconv.FormatInt(opts.Until.UnixMilli(), 10)})
			}
			req := SearchRequest{
				FilterGroups: []FilterGroup{{Filters: filters}},
				Sorts:        []Sort{{PropertyName: modified, Direction: "ASCENDING"}},
				Properties:   props, Limit: opts.PageSize,
			}
			if offset > 0 {
				req.After = strconv.Itoa(offset)
			}
			page, err := c.Search(ctx, t, req)
			if err != nil {
				yield(Object{}, err)
				return
			}

			yielded := 0
			for _, o := range page.Results {
				ms, err := modifiedMillis(o, modified)
				if err != nil {
					yield(Object{}, fmt.Errorf("read %s %s: %w", t, o.ID, err))
					return
				}
				if ms == from && atBoundary[o.ID] {
					continue
				}
				if ms != from {
					from, extraSkip = ms, 0
					clear(atBoundary)
				}
				atBoundary[o.ID] = true
				yielded++
				if !yield(o, nil) {
					return
				}
			}
			if page.After == "" || len(page.Results) == 0 {
				return
			}
			if yielded == 0 {
				// Ties at one millisecond came back in another order than
				// before; step past this page instead of asking for it again.
				extraSkip += len(page.Results)
			}
		}
	}
}

func modifiedMillis(o Object, prop string) (int64, error) {
	v, ok := o.Properties[prop]
	if !ok {
		if !o.UpdatedAt.IsZero() {
			return o.UpdatedAt.UnixMilli(), nil
		}
		return 0, fmt.Errorf("missing %s", prop)
	}
	t, err := ParseTime(v)
	if err != nil {
		return 0, err
	}
	return t.UnixMilli(), nil
}
