package hubspot

import "context"

// AccountDetails describes the HubSpot account a token belongs to.
type AccountDetails struct {
	// PortalID is the account id, also called the hub id.
	PortalID        int64  `json:"portalId"`
	AccountType     string `json:"accountType"`
	TimeZone        string `json:"timeZone"`
	CompanyCurrency string `json:"companyCurrency"`
	// UIDomain is the host of the account's HubSpot UI, such as
	// app.hubspot.com or app-eu1.hubspot.com.
	UIDomain string `json:"uiDomain"`
	// DataHostingLocation is the data center, such as na1 or eu1.
	DataHostingLocation string `json:"dataHostingLocation"`
}

// AccountDetails reads the account's id, time zone, currency and data
// center from GET /account-info/v3/details.
func (c *Client) AccountDetails(ctx context.Context) (AccountDetails, error) {
	var out AccountDetails
	if _, err := c.do(ctx, request{method: "GET", path: "/account-info/v3/details"}, &out); err != nil {
		return AccountDetails{}, err
	}
	return out, nil
}
