package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// SObjectDescribe is the describe of one object, with the attributes the
// engine reads.
type SObjectDescribe struct {
	Name       string          `json:"name"`
	Label      string          `json:"label"`
	KeyPrefix  string          `json:"keyPrefix"`
	Custom     bool            `json:"custom"`
	Createable bool            `json:"createable"`
	Updateable bool            `json:"updateable"`
	Deletable  bool            `json:"deletable"`
	Queryable  bool            `json:"queryable"`
	Fields     []FieldDescribe `json:"fields"`
}

// Field returns the field named name, or nil.
func (d *SObjectDescribe) Field(name string) *FieldDescribe {
	for i := range d.Fields {
		if d.Fields[i].Name == name {
			return &d.Fields[i]
		}
	}
	return nil
}

// FieldDescribe is one field of a describe.
type FieldDescribe struct {
	Name               string          `json:"name"`
	Label              string          `json:"label"`
	Type               string          `json:"type"`
	SoapType           string          `json:"soapType"`
	Length             int             `json:"length"`
	ByteLength         int             `json:"byteLength"`
	Precision          int             `json:"precision"`
	Scale              int             `json:"scale"`
	Digits             int             `json:"digits"`
	Nillable           bool            `json:"nillable"`
	Createable         bool            `json:"createable"`
	Updateable         bool            `json:"updateable"`
	DefaultedOnCreate  bool            `json:"defaultedOnCreate"`
	Unique             bool            `json:"unique"`
	ExternalID         bool            `json:"externalId"`
	IDLookup           bool            `json:"idLookup"`
	Calculated         bool            `json:"calculated"`
	Custom             bool            `json:"custom"`
	CaseSensitive      bool            `json:"caseSensitive"`
	RestrictedPicklist bool            `json:"restrictedPicklist"`
	DependentPicklist  bool            `json:"dependentPicklist"`
	HTMLFormatted      bool            `json:"htmlFormatted"`
	Filterable         bool            `json:"filterable"`
	Sortable           bool            `json:"sortable"`
	ExtraTypeInfo      string          `json:"extraTypeInfo"`
	CompoundFieldName  string          `json:"compoundFieldName"`
	RelationshipName   string          `json:"relationshipName"`
	ReferenceTo        []string        `json:"referenceTo"`
	PicklistValues     []PicklistValue `json:"picklistValues"`
	DefaultValue       any             `json:"defaultValue"`
}

// RequiredOnCreate reports whether a create must set the field.
func (f *FieldDescribe) RequiredOnCreate() bool {
	return f.Createable && !f.Nillable && !f.DefaultedOnCreate
}

// PicklistValue is one option of a picklist field.
type PicklistValue struct {
	Value        string `json:"value"`
	Label        string `json:"label"`
	Active       bool   `json:"active"`
	DefaultValue bool   `json:"defaultValue"`
}

// SObjectSummary is one entry of describeGlobal.
type SObjectSummary struct {
	Name       string `json:"name"`
	Label      string `json:"label"`
	KeyPrefix  string `json:"keyPrefix"`
	Custom     bool   `json:"custom"`
	Createable bool   `json:"createable"`
	Updateable bool   `json:"updateable"`
	Deletable  bool   `json:"deletable"`
	Queryable  bool   `json:"queryable"`
}

type cachedDescribe struct {
	describe     *SObjectDescribe
	lastModified string
}

// Describe returns the describe of object. The result is cached per
// client; later calls send If-Modified-Since and reuse the cache on 304,
// which Salesforce answers without a body.
func (c *Client) Describe(ctx context.Context, object string) (*SObjectDescribe, error) {
	if err := checkName(object); err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	c.describeMu.Lock()
	cached := c.describeCache[object]
	c.describeMu.Unlock()

	req := request{method: http.MethodGet, path: "/sobjects/" + object + "/describe", okStatus: []int{http.StatusNotModified}}
	if cached != nil && cached.lastModified != "" {
		req.header = http.Header{"If-Modified-Since": {cached.lastModified}}
	}
	resp, err := c.do(ctx, req)
	if err != nil {
		return nil, err
	}
	if resp.status == http.StatusNotModified && cached != nil {
		return cached.describe, nil
	}

	var d SObjectDescribe
	if err := decodeJSON(resp.body, &d); err != nil {
		return nil, fmt.Errorf("decode %s describe: %w", object, err)
	}
	c.describeMu.Lock()
	c.describeCache[object] = &cachedDescribe{describe: &d, lastModified: resp.header.Get("Last-Modified")}
	c.describeMu.Unlock()
	return &d, nil
}

// DescribeGlobal lists the org's objects.
func (c *Client) DescribeGlobal(ctx context.Context) ([]SObjectSummary, error) {
	var out struct {
		SObjects []SObjectSummary `json:"sobjects"`
	}
	if err := c.getJSON(ctx, "/sobjects", nil, &out); err != nil {
		return nil, err
	}
	return out.SObjects, nil
}

// Versions lists the API versions the org serves. It is not counted
// against the org's API quota.
func (c *Client) Versions(ctx context.Context) ([]APIVersion, error) {
	var out []APIVersion
	if err := c.getJSON(ctx, "/services/data", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// APIVersion is one entry of /services/data.
type APIVersion struct {
	Version string `json:"version"`
	Label   string `json:"label"`
	URL     string `json:"url"`
}

// Limit is one entry of /limits.
type Limit struct {
	Max       int `json:"Max"`
	Remaining int `json:"Remaining"`
}

// Limits returns the org's limits, such as DailyApiRequests.
func (c *Client) Limits(ctx context.Context) (map[string]Limit, error) {
	var raw map[string]json.RawMessage
	if err := c.getJSON(ctx, "/limits", nil, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]Limit, len(raw))
	for name, v := range raw {
		var l Limit
		if json.Unmarshal(v, &l) == nil {
			out[name] = l
		}
	}
	return out, nil
}

// checkName rejects object and field names that could change the path
// of a request.
func checkName(name string) error {
	if name == "" {
		return fmt.Errorf("missing name")
	}
	for _, r := range name {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
		if !ok {
			return fmt.Errorf("invalid name %q: use letters, digits and underscores", name)
		}
	}
	return nil
}

func escapePathValue(v string) string { return url.PathEscape(v) }
