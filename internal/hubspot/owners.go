package hubspot

import (
	"context"
	"net/url"
	"time"
)

// Owner is a HubSpot user or queue that records can be assigned to. The
// record property hubspot_owner_id holds ID, not UserID.
type Owner struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"firstName"`
	LastName  string    `json:"lastName"`
	UserID    int64     `json:"userId"`
	Type      string    `json:"type"`
	Archived  bool      `json:"archived"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// OwnersOptions filters Owners.
type OwnersOptions struct {
	Email    string
	Archived bool
}

// Owners returns every owner, following pages.
func (c *Client) Owners(ctx context.Context, opts OwnersOptions) ([]Owner, error) {
	var out []Owner
	after := ""
	for {
		q := url.Values{"limit": {"100"}}
		if opts.Email != "" {
			q.Set("email", opts.Email)
		}
		if opts.Archived {
			q.Set("archived", "true")
		}
		if after != "" {
			q.Set("after", after)
		}
		var w struct {
			Results []Owner `json:"results"`
			Paging  *struct {
				Next *struct {
					After string `json:"after"`
				} `json:"next"`
			} `json:"paging"`
		}
		if _, err := c.do(ctx, request{method: "GET", path: "/crm/v3/owners", query: q}, &w); err != nil {
			return nil, err
		}
		out = append(out, w.Results...)
		if w.Paging == nil || w.Paging.Next == nil || w.Paging.Next.After == "" {
			return out, nil
		}
		after = w.Paging.Next.After
	}
}

// Owner returns one owner by id.
func (c *Client) Owner(ctx context.Context, id string) (*Owner, error) {
	var o Owner
	if _, err := c.do(ctx, request{method: "GET", path: "/crm/v3/owners/" + pathEscape(id)}, &o); err != nil {
		return nil, err
	}
	return &o, nil
}
