package salesforce

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// Updated is the result of getUpdated.
type Updated struct {
	IDs               []string `json:"ids"`
	LatestDateCovered string   `json:"latestDateCovered"`
}

// Deleted is the result of getDeleted.
type Deleted struct {
	Records               []DeletedRecord `json:"deletedRecords"`
	EarliestDateAvailable string          `json:"earliestDateAvailable"`
	LatestDateCovered     string          `json:"latestDateCovered"`
}

// DeletedRecord is one entry of getDeleted.
type DeletedRecord struct {
	ID          string `json:"id"`
	DeletedDate string `json:"deletedDate"`
}

// GetUpdated lists the ids of object records changed between start and
// end. Salesforce ignores seconds and reaches back at most 30 days.
func (c *Client) GetUpdated(ctx context.Context, object string, start, end time.Time) (*Updated, error) {
	if err := checkName(object); err != nil {
		return nil, fmt.Errorf("get updated: %w", err)
	}
	var out Updated
	if err := c.getJSON(ctx, "/sobjects/"+object+"/updated/", windowQuery(start, end), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetDeleted lists the object records deleted between start and end that
// are still in the recycle bin (about 15 days).
func (c *Client) GetDeleted(ctx context.Context, object string, start, end time.Time) (*Deleted, error) {
	if err := checkName(object); err != nil {
		return nil, fmt.Errorf("get deleted: %w", err)
	}
	var out Deleted
	if err := c.getJSON(ctx, "/sobjects/"+object+"/deleted/", windowQuery(start, end), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func windowQuery(start, end time.Time) url.Values {
	const layout = "2006-01-02T15:04:05Z"
	return url.Values{"start": {start.UTC().Format(layout)}, "end": {end.UTC().Format(layout)}}
}
