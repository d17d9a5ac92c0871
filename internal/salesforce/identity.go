package salesforce

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Identity is the org and user an access token belongs to, from the OAuth
// identity URL.
type Identity struct {
	// URL is the identity URL, which ends in the org id and user id.
	URL         string
	OrgID       string
	UserID      string
	Username    string
	DisplayName string
	Email       string
}

// Identity returns the org and user of the current token. It reads the
// identity URL from the version root and then fetches it, as jsforce's
// identity() does, so it works for any token the client holds.
func (c *Client) Identity(ctx context.Context) (Identity, error) {
	var root struct {
		Identity string `json:"identity"`
	}
	if err := c.getJSON(ctx, "", nil, &root); err != nil {
		return Identity{}, fmt.Errorf("read version root: %w", err)
	}
	if root.Identity == "" {
		return Identity{}, fmt.Errorf("read version root: no identity URL in the response of /services/data/v%s", c.cfg.APIVersion)
	}
	u, err := url.Parse(root.Identity)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Identity{}, fmt.Errorf("read version root: identity %q is not an absolute URL", root.Identity)
	}

	var body struct {
		ID             string `json:"id"`
		UserID         string `json:"user_id"`
		OrganizationID string `json:"organization_id"`
		Username       string `json:"username"`
		DisplayName    string `json:"display_name"`
		Email          string `json:"email"`
	}
	resp, err := c.do(ctx, request{method: http.MethodGet, path: root.Identity})
	if err != nil {
		return Identity{}, fmt.Errorf("get identity: %w", err)
	}
	if err := decodeJSON(resp.body, &body); err != nil {
		return Identity{}, fmt.Errorf("decode identity response: %w", err)
	}
	if body.OrganizationID == "" || body.UserID == "" {
		return Identity{}, fmt.Errorf("get identity: response of %s has no organization_id or user_id", root.Identity)
	}
	return Identity{URL: body.ID, OrgID: body.OrganizationID, UserID: body.UserID,
		Username: body.Username, DisplayName: body.DisplayName, Email: body.Email}, nil
}
