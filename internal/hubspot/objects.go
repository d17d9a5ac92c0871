package hubspot

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ObjectType is a CRM object type name as used in paths.
type ObjectType string

const (
	Contacts  ObjectType = "contacts"
	Companies ObjectType = "companies"
)

// ModifiedProperty returns the property that holds the last-modified
// timestamp: lastmodifieddate for contacts, hs_lastmodifieddate otherwise.
func (t ObjectType) ModifiedProperty() string {
	if t == Contacts {
		return "lastmodifieddate"
	}
	return "hs_lastmodifieddate"
}

// TypeID returns HubSpot's object type id (0-1 for contacts, 0-2 for
// companies).
func (t ObjectType) TypeID() string {
	if t == Contacts {
		return "0-1"
	}
	return "0-2"
}

// Object is a contact or company. Properties hold HubSpot's string values;
// properties without a value are absent.
type Object struct {
	ID                    string
	Properties            map[string]string
	PropertiesWithHistory map[string][]PropertyVersion
	Associations          map[string][]AssociatedID
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Archived              bool
	ArchivedAt            time.Time
	// New is set on upsert results when the record was created.
	New bool
}

// PropertyVersion is one entry of a property's history.
type PropertyVersion struct {
	Value           string    `json:"value"`
	Timestamp       time.Time `json:"timestamp"`
	SourceType      string    `json:"sourceType"`
	SourceID        string    `json:"sourceId,omitempty"`
	UpdatedByUserID int64     `json:"updatedByUserId,omitempty"`
}

// AssociatedID is an associated record as listed on a GET with
// associations.
type AssociatedID struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// wireObject is the JSON shape of a record.
type wireObject struct {
	ID                    string                       `json:"id"`
	Properties            map[string]*string           `json:"properties"`
	PropertiesWithHistory map[string][]PropertyVersion `json:"propertiesWithHistory"`
	Associations          map[string]struct {
		Results []AssociatedID `json:"results"`
	} `json:"associations"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	Archived   bool       `json:"archived"`
	ArchivedAt *time.Time `json:"archivedAt"`
	New        bool       `json:"new"`
}

func (w wireObject) object() Object {
	o := Object{ID: w.ID, Properties: make(map[string]string, len(w.Properties)), PropertiesWithHistory: w.PropertiesWithHistory,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Archived: w.Archived, New: w.New}
	for k, v := range w.Properties {
		if v != nil {
			o.Properties[k] = *v
		}
	}
	if w.ArchivedAt != nil {
		o.ArchivedAt = *w.ArchivedAt
	}
	if len(w.Associations) > 0 {
		o.Associations = map[string][]AssociatedID{}
		for k, v := range w.Associations {
			o.Associations[k] = v.Results
		}
	}
	return o
}

// GetOptions selects what a single GET returns.
type GetOptions struct {
	Properties            []string
	PropertiesWithHistory []string
	Associations          []string // object type names, e.g. companies
	IDProperty            string   // look up by a unique property such as email
	Archived              bool
}

// Get reads one record. An id that was merged into another record resolves
// to the surviving record.
func (c *Client) Get(ctx context.Context, t ObjectType, id string, opts GetOptions) (*Object, error) {
	q := url.Values{}
	setList(q, "properties", opts.Properties)
	setList(q, "propertiesWithHistory", opts.PropertiesWithHistory)
	setList(q, "associations", opts.Associations)
	if opts.IDProperty != "" {
		q.Set("idProperty", opts.IDProperty)
	}
	if opts.Archived {
		q.Set("archived", "true")
	}
	var w wireObject
	if _, err := c.do(ctx, request{method: "GET", path: objectPath(t, id), query: q}, &w); err != nil {
		return nil, err
	}
	o := w.object()
	return &o, nil
}

// ListOptions selects a page of GET /crm/v3/objects/{type}.
type ListOptions struct {
	Limit      int // default 100, the maximum
	After      string
	Properties []string
	Archived   bool // list archived records instead of live ones
}

// Page is one page of records; After is empty on the last page.
type Page struct {
	Results []Object
	After   string
}

type wirePage struct {
	Results []wireObject `json:"results"`
	Paging  *struct {
		Next *struct {
			After string `json:"after"`
		} `json:"next"`
	} `json:"paging"`
	Total int `json:"total"`
}

func (p wirePage) after() string {
	if p.Paging != nil && p.Paging.Next != nil {
		return p.Paging.Next.After
	}
	return ""
}

// List reads one page of records.
func (c *Client) List(ctx context.Context, t ObjectType, opts ListOptions) (*Page, error) {
	if opts.Limit <= 0 || opts.Limit > 100 {
		opts.Limit = 100
	}
	q := url.Values{"limit": {strconv.Itoa(opts.Limit)}}
	if opts.After != "" {
		q.Set("after", opts.After)
	}
	setList(q, "properties", opts.Properties)
	if opts.Archived {
		q.Set("archived", "true")
	}
	var w wirePage
	if _, err := c.do(ctx, request{method: "GET", path: "/crm/v3/objects/" + string(t), query: q}, &w); err != nil {
		return nil, err
	}
	p := &Page{After: w.after()}
	for _, r := range w.Results {
		p.Results = append(p.Results, r.object())
	}
	return p, nil
}

// ListAll streams every record, following the after cursor.
func (c *Client) ListAll(ctx context.Context, t ObjectType, opts ListOptions) iter.Seq2[Object, error] {
	return func(yield func(Object, error) bool) {
		for {
			p, err := c.List(ctx, t, opts)
			if err != nil {
				yield(Object{}, err)
				return
			}
			for _, o := range p.Results {
				if !yield(o, nil) {
					return
				}
			}
			if p.After == "" {
				return
			}
			opts.After = p.After
		}
	}
}

// Create creates one record. A duplicate email fails with a CONFLICT
// *Error whose ExistingID names the existing contact.
func (c *Client) Create(ctx context.Context, t ObjectType, properties map[string]string, associations ...AssociationInput) (*Object, error) {
	body := map[string]any{"properties": nonNilMap(properties)}
	if len(associations) > 0 {
		body["associations"] = associations
	}
	var w wireObject
	if _, err := c.do(ctx, request{method: "POST", path: "/crm/v3/objects/" + string(t), body: body}, &w); err != nil {
		return nil, err
	}
	o := w.object()
	return &o, nil
}

// Update changes properties of one record; an empty string clears a value.
func (c *Client) Update(ctx context.Context, t ObjectType, id string, properties map[string]string) (*Object, error) {
	var w wireObject
	body := map[string]any{"properties": nonNilMap(properties)}
	if _, err := c.do(ctx, request{method: "PATCH", path: objectPath(t, id), body: body}, &w); err != nil {
		return nil, err
	}
	o := w.object()
	return &o, nil
}

// Archive archives (deletes, restorable for 90 days) one record.
func (c *Client) Archive(ctx context.Context, t ObjectType, id string) error {
	_, err := c.do(ctx, request{method: "DELETE", path: objectPath(t, id)}, nil)
	return err
}

// Merge merges mergeID into primaryID and returns the surviving record.
func (c *Client) Merge(ctx context.Context, t ObjectType, primaryID, mergeID string) (*Object, error) {
	body := map[string]string{"primaryObjectId": primaryID, "objectIdToMerge": mergeID}
	var w wireObject
	if _, err := c.do(ctx, request{method: "POST", path: "/crm/v3/objects/" + string(t) + "/merge", body: body}, &w); err != nil {
		return nil, err
	}
	o := w.object()
	return &o, nil
}

// AssociationInput associates a record at creation.
type AssociationInput struct {
	To struct {
		ID string `json:"id"`
	} `json:"to"`
	Types []AssociationType `json:"types"`
}

// NewAssociationInput returns an association to toID with the given types.
func NewAssociationInput(toID string, types ...AssociationType) AssociationInput {
	a := AssociationInput{Types: types}
	a.To.ID = toID
	return a
}

func objectPath(t ObjectType, id string) string {
	return "/crm/v3/objects/" + string(t) + "/" + pathEscape(id)
}

func setList(q url.Values, name string, vs []string) {
	if len(vs) > 0 {
		q.Set(name, strings.Join(vs, ","))
	}
}

// ParseTime reads a HubSpot datetime property value (ISO-8601 or epoch ms).
func ParseTime(v string) (time.Time, error) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid HubSpot datetime %q: %w", v, err)
	}
	return t.UTC(), nil
}
