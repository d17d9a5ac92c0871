package hubspot

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"time"
)

// List is a v3 list. ProcessingType is MANUAL, DYNAMIC or SNAPSHOT;
// FilterBranch is the raw filter tree when requested.
type List struct {
	ListID           string          `json:"listId"`
	ListVersion      int             `json:"listVersion"`
	Name             string          `json:"name"`
	ObjectTypeID     string          `json:"objectTypeId"`
	ProcessingType   string          `json:"processingType"`
	ProcessingStatus string          `json:"processingStatus"`
	Size             int             `json:"size"`
	FilterBranch     json.RawMessage `json:"filterBranch,omitempty"`
	CreatedAt        time.Time       `json:"createdAt"`
	UpdatedAt        time.Time       `json:"updatedAt"`
}

// ListCreate is the body of a list creation.
type ListCreate struct {
	Name           string          `json:"name"`
	ObjectTypeID   string          `json:"objectTypeId"`
	ProcessingType string          `json:"processingType"`
	FilterBranch   json.RawMessage `json:"filterBranch,omitempty"`
}

// Membership is one record of a list.
type Membership struct {
	RecordID            string    `json:"recordId"`
	MembershipTimestamp time.Time `json:"membershipTimestamp"`
}

// MembershipChange is the result of an add or remove.
type MembershipChange struct {
	Added   []string `json:"recordsIdsAdded"` // HubSpot spells it recordsIdsAdded
	Removed []string `json:"recordIdsRemoved"`
	Missing []string `json:"recordIdsMissing"`
}

// RecordListMembership is a list a record belongs to.
type RecordListMembership struct {
	ListID              string    `json:"listId"`
	ListVersion         int       `json:"listVersion"`
	FirstAddedTimestamp time.Time `json:"firstAddedTimestamp"`
	LastAddedTimestamp  time.Time `json:"lastAddedTimestamp"`
}

// CreateList creates a list.
func (c *Client) CreateList(ctx context.Context, in ListCreate) (*List, error) {
	var w struct {
		List List `json:"list"`
	}
	if _, err := c.do(ctx, request{method: "POST", path: "/crm/v3/lists", body: in}, &w); err != nil {
		return nil, err
	}
	return &w.List, nil
}

// GetList reads one list.
func (c *Client) GetList(ctx context.Context, listID string, includeFilters bool) (*List, error) {
	q := url.Values{}
	if includeFilters {
		q.Set("includeFilters", "true")
	}
	var w struct {
		List List `json:"list"`
	}
	if _, err := c.do(ctx, request{method: "GET", path: "/crm/v3/lists/" + pathEscape(listID), query: q}, &w); err != nil {
		return nil, err
	}
	return &w.List, nil
}

// ListByName reads a list by object type id and name.
func (c *Client) ListByName(ctx context.Context, objectTypeID, name string) (*List, error) {
	var w struct {
		List List `json:"list"`
	}
	path := "/crm/v3/lists/object-type-id/" + pathEscape(objectTypeID) + "/name/" + pathEscape(name)
	if _, err := c.do(ctx, request{method: "GET", path: path}, &w); err != nil {
		return nil, err
	}
	return &w.List, nil
}

// SearchLists returns the lists whose name contains query (all when empty),
// optionally of some processing types, following pages.
func (c *Client) SearchLists(ctx context.Context, query string, processingTypes ...string) ([]List, error) {
	var out []List
	offset := 0
	for {
		body := map[string]any{"query": query, "offset": offset, "count": 100}
		if len(processingTypes) > 0 {
			body["processingTypes"] = processingTypes
		}
		var w struct {
			Lists   []List `json:"lists"`
			HasMore bool   `json:"hasMore"`
			Offset  int    `json:"offset"`
		}
		if _, err := c.do(ctx, request{method: "POST", path: "/crm/v3/lists/search", body: body}, &w); err != nil {
			return nil, err
		}
		out = append(out, w.Lists...)
		if !w.HasMore || w.Offset <= offset {
			return out, nil
		}
		offset = w.Offset
	}
}

// Memberships streams a list's members ordered by record id.
func (c *Client) Memberships(ctx context.Context, listID string) iter.Seq2[Membership, error] {
	return c.memberships(ctx, "/crm/v3/lists/"+pathEscape(listID)+"/memberships")
}

// MembershipsJoinOrder streams a list's members in the order they joined.
func (c *Client) MembershipsJoinOrder(ctx context.Context, listID string) iter.Seq2[Membership, error] {
	return c.memberships(ctx, "/crm/v3/lists/"+pathEscape(listID)+"/memberships/join-order")
}

func (c *Client) memberships(ctx context.Context, path string) iter.Seq2[Membership, error] {
	return func(yield func(Membership, error) bool) {
		after := ""
		for {
			q := url.Values{"limit": {"250"}}
			if after != "" {
				q.Set("after", after)
			}
			var w struct {
				Results []struct {
					RecordID            json64    `json:"recordId"`
					MembershipTimestamp time.Time `json:"membershipTimestamp"`
				} `json:"results"`
				Paging *struct {
					Next *struct {
						After string `json:"after"`
					} `json:"next"`
				} `json:"paging"`
			}
			if _, err := c.do(ctx, request{method: "GET", path: path, query: q}, &w); err != nil {
				yield(Membership{}, err)
				return
			}
			for _, r := range w.Results {
				if !yield(Membership{RecordID: string(r.RecordID), MembershipTimestamp: r.MembershipTimestamp}, nil) {
					return
				}
			}
			if w.Paging == nil || w.Paging.Next == nil || w.Paging.Next.After == "" {
				return
			}
			after = w.Paging.Next.After
		}
	}
}

// AddListMembers adds records to a MANUAL or SNAPSHOT list.
func (c *Client) AddListMembers(ctx context.Context, listID string, recordIDs []string) (*MembershipChange, error) {
	return c.changeMembers(ctx, listID, "add", recordIDs)
}

// RemoveListMembers removes records from a MANUAL or SNAPSHOT list.
func (c *Client) RemoveListMembers(ctx context.Context, listID string, recordIDs []string) (*MembershipChange, error) {
	return c.changeMembers(ctx, listID, "remove", recordIDs)
}

func (c *Client) changeMembers(ctx context.Context, listID, op string, ids []string) (*MembershipChange, error) {
	var out MembershipChange
	for start := 0; start < len(ids) || start == 0; start += 100_000 {
		chunk := ids[start:min(start+100_000, len(ids))]
		var w MembershipChange
		path := "/crm/v3/lists/" + pathEscape(listID) + "/memberships/" + op
		if _, err := c.do(ctx, request{method: "PUT", path: path, body: nonNil(chunk)}, &w); err != nil {
			return nil, err
		}
		out.Added = append(out.Added, w.Added...)
		out.Removed = append(out.Removed, w.Removed...)
		out.Missing = append(out.Missing, w.Missing...)
		if len(ids) == 0 {
			break
		}
	}
	return &out, nil
}

// RecordLists returns the lists a record belongs to.
func (c *Client) RecordLists(ctx context.Context, objectTypeID, recordID string) ([]RecordListMembership, error) {
	var w struct {
		Results []RecordListMembership `json:"results"`
	}
	path := "/crm/v3/lists/records/" + pathEscape(objectTypeID) + "/" + pathEscape(recordID) + "/memberships"
	if _, err := c.do(ctx, request{method: "GET", path: path}, &w); err != nil {
		return nil, err
	}
	return w.Results, nil
}
