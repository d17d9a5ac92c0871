package salesforce

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// QueryPage is one page of a query result.
type QueryPage struct {
	TotalSize int      `json:"totalSize"`
	Done      bool     `json:"done"`
	NextURL   string   `json:"nextRecordsUrl"`
	Records   []Record `json:"records"`
}

// QueryOptions tunes a query.
type QueryOptions struct {
	// All uses queryAll, which also returns deleted and merged records
	// (IsDeleted = true) from the recycle bin.
	All bool
	// BatchSize overrides Config.BatchSize for this query (200 to 2000).
	BatchSize int
}

// QueryPages runs soql and calls fn for each page, following
// nextRecordsUrl exactly as Salesforce returns it. It stops at the first
// error, including one returned by fn.
func (c *Client) QueryPages(ctx context.Context, soql string, opts QueryOptions, fn func(*QueryPage) error) error {
	page, err := c.firstPage(ctx, soql, opts)
	if err != nil {
		return err
	}
	for {
		if err := fn(page); err != nil {
			return err
		}
		if page.Done || page.NextURL == "" {
			return nil
		}
		if page, err = c.NextPage(ctx, page.NextURL, opts); err != nil {
			return err
		}
	}
}

// Query runs soql and returns the first page. Use NextPage with its
// NextURL, or QueryPages and Records to read everything.
func (c *Client) Query(ctx context.Context, soql string, opts QueryOptions) (*QueryPage, error) {
	return c.firstPage(ctx, soql, opts)
}

// Records runs soql and yields every record, reading one page at a time.
// A failure is yielded once as the error, and iteration stops.
func (c *Client) Records(ctx context.Context, soql string, opts QueryOptions) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		stop := errors.New("stop")
		err := c.QueryPages(ctx, soql, opts, func(p *QueryPage) error {
			for _, r := range p.Records {
				if !yield(r, nil) {
					return stop
				}
			}
			return nil
		})
		if err != nil && err != stop {
			yield(Record{}, err)
		}
	}
}

// Count runs a SELECT COUNT() query and returns totalSize.
func (c *Client) Count(ctx context.Context, soql string, opts QueryOptions) (int, error) {
	page, err := c.firstPage(ctx, soql, opts)
	if err != nil {
		return 0, err
	}
	return page.TotalSize, nil
}

func (c *Client) firstPage(ctx context.Context, soql string, opts QueryOptions) (*QueryPage, error) {
	resource := "/query"
	if opts.All {
		resource = "/queryAll"
	}
	return c.getPage(ctx, resource, url.Values{"q": {soql}}, opts)
}

// NextPage fetches the page at nextURL, a nextRecordsUrl from the
// previous page.
func (c *Client) NextPage(ctx context.Context, nextURL string, opts QueryOptions) (*QueryPage, error) {
	if !strings.HasPrefix(nextURL, "/services/data/") {
		return nil, fmt.Errorf("fetch next query page: unexpected nextRecordsUrl %q", nextURL)
	}
	return c.getPage(ctx, nextURL, nil, opts)
}

func (c *Client) getPage(ctx context.Context, path string, query url.Values, opts QueryOptions) (*QueryPage, error) {
	batch := opts.BatchSize
	if batch == 0 {
		batch = c.cfg.BatchSize
	}
	var header http.Header
	if batch > 0 {
		header = http.Header{"Sforce-Query-Options": {"batchSize=" + strconv.Itoa(batch)}}
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: path, query: query, header: header})
	if err != nil {
		return nil, err
	}
	var page QueryPage
	if err := decodeJSON(resp.body, &page); err != nil {
		return nil, fmt.Errorf("decode query page: %w", err)
	}
	return &page, nil
}
