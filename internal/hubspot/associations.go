package hubspot

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// HubSpot-defined association type ids between contacts and companies.
const (
	TypeContactToPrimaryCompany = 1
	TypeCompanyToPrimaryContact = 2
	TypeContactToCompany        = 279
	TypeCompanyToContact        = 280
)

// AssociationType is an association category and type id.
type AssociationType struct {
	Category string `json:"associationCategory"` // HUBSPOT_DEFINED, USER_DEFINED, INTEGRATOR_DEFINED
	TypeID   int    `json:"associationTypeId"`
}

// Association is one associated record with its types, as v4 lists them.
type Association struct {
	ToObjectID string
	Types      []AssociationLabel
}

// AssociationLabel is a type of an existing association.
type AssociationLabel struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

// HasType reports whether the association carries type id.
func (a Association) HasType(id int) bool {
	for _, t := range a.Types {
		if t.TypeID == id {
			return true
		}
	}
	return false
}

type wireAssociation struct {
	ToObjectID       json64             `json:"toObjectId"`
	AssociationTypes []AssociationLabel `json:"associationTypes"`
}

// json64 reads an id that HubSpot sends as a JSON number or string.
type json64 string

func (j *json64) UnmarshalJSON(b []byte) error {
	s := string(b)
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	*j = json64(s)
	return nil
}

// AssociateDefault creates the unlabeled default association.
func (c *Client) AssociateDefault(ctx context.Context, from ObjectType, fromID string, to ObjectType, toID string) error {
	path := fmt.Sprintf("/crm/v4/objects/%s/%s/associations/default/%s/%s", from, pathEscape(fromID), to, pathEscape(toID))
	_, err := c.do(ctx, request{method: "PUT", path: path}, nil)
	return err
}

// Associate sets the association types of a pair (it replaces the label
// set). Use TypeContactToPrimaryCompany to make a company the primary one.
func (c *Client) Associate(ctx context.Context, from ObjectType, fromID string, to ObjectType, toID string, types []AssociationType) error {
	path := fmt.Sprintf("/crm/v4/objects/%s/%s/associations/%s/%s", from, pathEscape(fromID), to, pathEscape(toID))
	_, err := c.do(ctx, request{method: "PUT", path: path, body: types}, nil)
	return err
}

// SetPrimaryCompany associates a contact with a company as its primary
// company.
func (c *Client) SetPrimaryCompany(ctx context.Context, contactID, companyID string) error {
	return c.Associate(ctx, Contacts, contactID, Companies, companyID, []AssociationType{
		{Category: "HUBSPOT_DEFINED", TypeID: TypeContactToPrimaryCompany},
		{Category: "HUBSPOT_DEFINED", TypeID: TypeContactToCompany},
	})
}

// RemoveAssociations removes every association between two records.
func (c *Client) RemoveAssociations(ctx context.Context, from ObjectType, fromID string, to ObjectType, toID string) error {
	path := fmt.Sprintf("/crm/v4/objects/%s/%s/associations/%s/%s", from, pathEscape(fromID), to, pathEscape(toID))
	_, err := c.do(ctx, request{method: "DELETE", path: path}, nil)
	return err
}

// Associations lists the records of type to associated with one record,
// following pages.
func (c *Client) Associations(ctx context.Context, from ObjectType, fromID string, to ObjectType) ([]Association, error) {
	var out []Association
	after := ""
	for {
		q := url.Values{"limit": {"500"}}
		if after != "" {
			q.Set("after", after)
		}
		var w struct {
			Results []wireAssociation `json:"results"`
			Paging  *struct {
				Next *struct {
					After string `json:"after"`
				} `json:"next"`
			} `json:"paging"`
		}
		path := fmt.Sprintf("/crm/v4/objects/%s/%s/associations/%s", from, pathEscape(fromID), to)
		if _, err := c.do(ctx, request{method: "GET", path: path, query: q}, &w); err != nil {
			return nil, err
		}
		for _, r := range w.Results {
			out = append(out, Association{ToObjectID: string(r.ToObjectID), Types: r.AssociationTypes})
		}
		if w.Paging == nil || w.Paging.Next == nil || w.Paging.Next.After == "" {
			return out, nil
		}
		after = w.Paging.Next.After
	}
}

// BatchReadAssociations reads the associations of many records, 1,000 ids
// per call, keyed by the from id.
func (c *Client) BatchReadAssociations(ctx context.Context, from, to ObjectType, ids []string) (map[string][]Association, error) {
	out := map[string][]Association{}
	for start := 0; start < len(ids); start += 1000 {
		chunk := ids[start:min(start+1000, len(ids))]
		in := make([]map[string]string, len(chunk))
		for i, id := range chunk {
			in[i] = map[string]string{"id": id}
		}
		var w struct {
			Results []struct {
				From struct {
					ID json64 `json:"id"`
				} `json:"from"`
				To []wireAssociation `json:"to"`
			} `json:"results"`
		}
		path := fmt.Sprintf("/crm/v4/associations/%s/%s/batch/read", from, to)
		if _, err := c.do(ctx, request{method: "POST", path: path, body: map[string]any{"inputs": in}, okStatus: []int{207}}, &w); err != nil {
			return nil, err
		}
		for _, r := range w.Results {
			for _, a := range r.To {
				out[string(r.From.ID)] = append(out[string(r.From.ID)], Association{ToObjectID: string(a.ToObjectID), Types: a.AssociationTypes})
			}
		}
	}
	return out, nil
}

// AssociationPair is a from/to pair for batch association calls.
type AssociationPair struct {
	FromID string
	ToID   string
}

// BatchAssociateDefault creates default associations, 2,000 per call.
func (c *Client) BatchAssociateDefault(ctx context.Context, from, to ObjectType, pairs []AssociationPair) error {
	for start := 0; start < len(pairs); start += 2000 {
		chunk := pairs[start:min(start+2000, len(pairs))]
		in := make([]map[string]map[string]string, len(chunk))
		for i, p := range chunk {
			in[i] = map[string]map[string]string{"from": {"id": p.FromID}, "to": {"id": p.ToID}}
		}
		path := fmt.Sprintf("/crm/v4/associations/%s/%s/batch/associate/default", from, to)
		if _, err := c.do(ctx, request{method: "POST", path: path, body: map[string]any{"inputs": in}}, nil); err != nil {
			return err
		}
	}
	return nil
}

// BatchRemoveAssociations removes all associations of each pair.
func (c *Client) BatchRemoveAssociations(ctx context.Context, from, to ObjectType, pairs []AssociationPair) error {
	for start := 0; start < len(pairs); start += 2000 {
		chunk := pairs[start:min(start+2000, len(pairs))]
		in := make([]map[string]any, len(chunk))
		for i, p := range chunk {
			in[i] = map[string]any{"from": map[string]string{"id": p.FromID}, "to": []map[string]string{{"id": p.ToID}}}
		}
		path := fmt.Sprintf("/crm/v4/associations/%s/%s/batch/archive", from, to)
		if _, err := c.do(ctx, request{method: "POST", path: path, body: map[string]any{"inputs": in}}, nil); err != nil {
			return err
		}
	}
	return nil
}
