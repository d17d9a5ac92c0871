package hubspot

import (
	"context"
	"net/url"
	"time"
)

// SubscriptionStatus is an email address's status for one subscription
// type.
type SubscriptionStatus struct {
	SubscriptionID string    `json:"subscriptionId"`
	Name           string    `json:"name"`
	Status         string    `json:"status"` // SUBSCRIBED, UNSUBSCRIBED, NOT_SPECIFIED
	Source         string    `json:"source"`
	LegalBasis     string    `json:"legalBasis"`
	Channel        string    `json:"channel"`
	Timestamp      time.Time `json:"timestamp"`
}

// OptOutStatus is whether an address is unsubscribed from all email.
type OptOutStatus struct {
	OptedOut bool
	Since    time.Time
}

// SubscriptionStatuses reads an address's status per subscription type.
func (c *Client) SubscriptionStatuses(ctx context.Context, email string) ([]SubscriptionStatus, error) {
	var w struct {
		Results []SubscriptionStatus `json:"results"`
	}
	path := "/communication-preferences/v4/statuses/" + pathEscape(email)
	if _, err := c.do(ctx, request{method: "GET", path: path, query: url.Values{"channel": {"EMAIL"}}}, &w); err != nil {
		return nil, err
	}
	return w.Results, nil
}

// OptOut reads whether email is unsubscribed from all email (portal wide).
func (c *Client) OptOut(ctx context.Context, email string) (OptOutStatus, error) {
	var w struct {
		Results []struct {
			WideStatusType string    `json:"wideStatusType"`
			Status         string    `json:"status"`
			Timestamp      time.Time `json:"timestamp"`
		} `json:"results"`
	}
	path := "/communication-preferences/v4/statuses/" + pathEscape(email) + "/unsubscribe-all"
	if _, err := c.do(ctx, request{method: "GET", path: path, query: url.Values{"channel": {"EMAIL"}}}, &w); err != nil {
		return OptOutStatus{}, err
	}
	for _, r := range w.Results {
		if r.WideStatusType == "PORTAL_WIDE" && r.Status == "UNSUBSCRIBED" {
			return OptOutStatus{OptedOut: true, Since: r.Timestamp}, nil
		}
	}
	return OptOutStatus{}, nil
}

// UnsubscribeAll opts email out of all email. HubSpot does not let an
// integration subscribe such an address again on its behalf.
func (c *Client) UnsubscribeAll(ctx context.Context, email string) error {
	path := "/communication-preferences/v4/statuses/" + pathEscape(email) + "/unsubscribe-all"
	_, err := c.do(ctx, request{method: "POST", path: path, query: url.Values{"channel": {"EMAIL"}}}, nil)
	return err
}

// DailyUsage is the account's API usage today.
type DailyUsage struct {
	Name         string    `json:"name"`
	UsageLimit   int       `json:"usageLimit"`
	CurrentUsage int       `json:"currentUsage"`
	CollectedAt  time.Time `json:"collectedAt"`
	ResetsAt     time.Time `json:"resetsAt"`
}

// DailyUsage reads the private-app daily usage of the account.
func (c *Client) DailyUsage(ctx context.Context) ([]DailyUsage, error) {
	var w struct {
		Results []DailyUsage `json:"results"`
	}
	if _, err := c.do(ctx, request{method: "GET", path: "/account-info/v3/api-usage/daily/private-apps"}, &w); err != nil {
		return nil, err
	}
	return w.Results, nil
}
