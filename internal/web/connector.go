package web

import (
	"context"
	"errors"
	"fmt"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/store"
)

// SetupError is a connect whose credentials were checked and stored, but
// whose HubSpot property setup failed afterwards.
type SetupError struct {
	Err error
}

func (e *SetupError) Error() string {
	return "credentials stored, but preparing the HubSpot properties failed: " + e.Err.Error()
}

func (e *SetupError) Unwrap() error { return e.Err }

// ConnectToDataDir returns a Config.Connect that checks credentials
// against the vendor and stores them encrypted in dataDir, as koppel
// connect does. Credentials that fail the check store nothing and come
// back as an *i18n.Error with the vendor's reason.
func ConnectToDataDir(dataDir string, opts connection.ConnectOptions) func(context.Context, ConnectRequest) error {
	return func(ctx context.Context, req ConnectRequest) error {
		var report connection.Report
		var err error
		switch {
		case req.Side == store.Salesforce && req.Salesforce != nil:
			report, err = connection.ConnectSalesforceWith(ctx, dataDir, req.Connection, *req.Salesforce, opts)
		case req.Side == store.HubSpot && req.HubSpot != nil:
			report, err = connection.ConnectHubSpotWith(ctx, dataDir, req.Connection, *req.HubSpot, opts)
		default:
			return fmt.Errorf("connect %q: %w", req.Side, errors.New("the request has no credentials for its side"))
		}
		if err != nil && report.Saved {
			return &SetupError{Err: err}
		}
		return err
	}
}
