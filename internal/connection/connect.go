package connection

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/store"
)

// CheckTimeout bounds the calls that check new credentials.
const CheckTimeout = 60 * time.Second

// ConnectOptions adjust ConnectSalesforceWith and ConnectHubSpotWith.
// Zero values take the defaults.
type ConnectOptions struct {
	// Replace stores Salesforce credentials even when the connection
	// already belongs to another org.
	Replace bool
	// Getenv reads KOPPEL_SECRET_KEY and KOPPEL_DATABASE_URL. Default
	// os.Getenv.
	Getenv func(string) string
	// HTTPClient sends the check and setup calls. Default the API
	// clients' own.
	HTTPClient *http.Client
}

func (o ConnectOptions) withDefaults() ConnectOptions {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	return o
}

// Report is the outcome of a connect, step by step. Fields stay zero for
// steps that did not run, so a caller can report progress up to a
// failure.
type Report struct {
	Connection string
	Side       store.Side

	// Salesforce is set once Salesforce accepted the credentials.
	Salesforce *SalesforceCheck
	// HubSpot is set once HubSpot accepted the token.
	HubSpot *HubSpotCheck

	// KeyCreated is true when this connect created the data directory's
	// key file, at KeyPath.
	KeyCreated bool
	KeyPath    string

	// Saved is true once the credentials are stored.
	Saved bool

	// Setup is the outcome of the HubSpot setup of the default mappings,
	// nil while the other side is not connected.
	Setup *PropertySetup
}

// SalesforceCheck is the result of checking Salesforce credentials.
type SalesforceCheck struct {
	InstanceURL string
	// Remaining and Max are the org's daily API requests.
	Remaining int
	Max       int
}

// HubSpotCheck is the result of checking a HubSpot token.
type HubSpotCheck struct {
	BaseURL string
	// Remaining and Limit are the daily API calls, -1 when HubSpot did not
	// report them.
	Remaining int
	Limit     int
	// PropertiesCreated lists koppel's link properties the check created.
	PropertiesCreated []string
}

// ConnectSalesforce checks creds with a token request and one read of
// /limits, stores them encrypted for connection name of dataDir when
// both succeed, and then prepares the HubSpot properties when HubSpot is
// connected too. Credentials of another org than the connection's are
// rejected. A failed check stores nothing and returns an *i18n.Error.
func ConnectSalesforce(ctx context.Context, dataDir, name string, creds SalesforceCredentials) (Report, error) {
	return ConnectSalesforceWith(ctx, dataDir, name, creds, ConnectOptions{})
}

// ConnectSalesforceWith is ConnectSalesforce with options.
func ConnectSalesforceWith(ctx context.Context, dataDir, name string, creds SalesforceCredentials, opts ConnectOptions) (Report, error) {
	opts = opts.withDefaults()
	report := Report{Connection: name, Side: store.Salesforce}
	check, err := CheckSalesforce(ctx, creds, opts.HTTPClient)
	if err != nil {
		return report, err
	}
	report.Salesforce = &check

	creds.InstanceURL = check.InstanceURL
	guard := func(ctx context.Context, st store.Store, box *secret.Box) error {
		if opts.Replace {
			return nil
		}
		return checkSameOrg(ctx, st, box, name, check.InstanceURL)
	}
	if err := saveChecked(ctx, dataDir, name, store.Salesforce, creds, guard, opts, &report); err != nil {
		return report, err
	}
	report.Setup, err = SetUpHubSpot(ctx, dataDir, name, opts)
	return report, err
}

// ConnectHubSpot checks a service key, private-app token or OAuth refresh
// token by reading the contact properties, and creates koppel's
// properties when they are missing. It then stores the credentials
// encrypted for connection name of dataDir, and prepares the properties
// of the default mappings when Salesforce is connected too. A failed
// check stores nothing and returns an *i18n.Error.
func ConnectHubSpot(ctx context.Context, dataDir, name string, creds HubSpotCredentials) (Report, error) {
	return ConnectHubSpotWith(ctx, dataDir, name, creds, ConnectOptions{})
}

// ConnectHubSpotWith is ConnectHubSpot with options.
func ConnectHubSpotWith(ctx context.Context, dataDir, name string, creds HubSpotCredentials, opts ConnectOptions) (Report, error) {
	opts = opts.withDefaults()
	report := Report{Connection: name, Side: store.HubSpot}
	check, err := CheckHubSpot(ctx, creds, opts.HTTPClient)
	if err != nil {
		return report, err
	}
	report.HubSpot = &check

	// TODO: reject a token of another portal once the HubSpot client
	// reads the account details (portal id); a token alone does not name
	// it.
	if err := saveChecked(ctx, dataDir, name, store.HubSpot, creds, nil, opts, &report); err != nil {
		return report, err
	}
	report.Setup, err = SetUpHubSpot(ctx, dataDir, name, opts)
	return report, err
}

// CheckSalesforce signs in with creds and reads the org's limits.
func CheckSalesforce(ctx context.Context, creds SalesforceCredentials, httpClient *http.Client) (SalesforceCheck, error) {
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()

	cfg := creds.Config()
	cfg.HTTPClient = httpClient
	client, err := salesforce.New(cfg)
	if err != nil {
		return SalesforceCheck{}, err
	}
	instance, err := client.Authenticate(ctx)
	if err != nil {
		return SalesforceCheck{}, salesforceFailure(i18n.ConnectErrSalesforceAuth, creds.LoginURL, err)
	}
	limits, err := client.Limits(ctx)
	if err != nil {
		return SalesforceCheck{}, salesforceFailure(i18n.ConnectErrSalesforceCheck, instance, err)
	}
	daily := limits["DailyApiRequests"]
	return SalesforceCheck{InstanceURL: instance, Remaining: daily.Remaining, Max: daily.Max}, nil
}

// CheckHubSpot reads the contact properties with creds, reads the daily
// API usage when the token may, and creates koppel's link properties
// when they are missing.
func CheckHubSpot(ctx context.Context, creds HubSpotCredentials, httpClient *http.Client) (HubSpotCheck, error) {
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()

	base := creds.BaseURL
	if base == "" {
		base = hubspot.DefaultBaseURL
	}
	cfg := creds.Config()
	cfg.HTTPClient = httpClient
	// A wrong token should fail now, not after five retries.
	cfg.MaxRetries = 1
	client, err := hubspot.New(cfg)
	if err != nil {
		return HubSpotCheck{}, err
	}
	if _, err := client.Properties(ctx, hubspot.Contacts); err != nil {
		return HubSpotCheck{}, hubspotFailure(base, err)
	}

	result := HubSpotCheck{BaseURL: base, Remaining: -1, Limit: -1, PropertiesCreated: []string{}}
	// The usage endpoint is informational: a token without the scope or
	// an account that does not report it still connects.
	if usage, err := client.DailyUsage(ctx); err == nil && len(usage) > 0 && usage[0].UsageLimit > 0 {
		result.Limit = usage[0].UsageLimit
		result.Remaining = usage[0].UsageLimit - usage[0].CurrentUsage
	}

	created, err := client.EnsureKoppelProperties(ctx)
	result.PropertiesCreated = append(result.PropertiesCreated, created...)
	if err != nil {
		return result, hubspotFailure(base, err)
	}
	return result, nil
}

// saveChecked seals creds with the data directory's key, creating the key
// on first use, and stores them. guard, when not nil, runs first with the
// store and key and can stop the save.
func saveChecked(ctx context.Context, dataDir, name string, side store.Side, creds any, guard func(context.Context, store.Store, *secret.Box) error, opts ConnectOptions, report *Report) error {
	_, keyCreated, err := secret.LoadKey(dataDir, opts.Getenv)
	if err != nil {
		return keyError(err)
	}
	if keyCreated {
		report.KeyCreated, report.KeyPath = true, dataDir+string(os.PathSeparator)+secret.KeyFileName
	}
	box, err := secret.OpenWithEnv(dataDir, opts.Getenv)
	if err != nil {
		return keyError(err)
	}

	st, err := OpenStore(ctx, dataDir, opts.Getenv, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if guard != nil {
		if err := guard(ctx, st, box); err != nil {
			return err
		}
	}
	if _, _, err := SaveCredentials(ctx, st, box, name, side, creds, ""); err != nil {
		return err
	}
	report.Saved = true
	return nil
}

// SetUpHubSpot prepares the portal for the connection's mappings once both
// sides are connected: it creates the HubSpot properties the default
// mappings need and adds the Salesforce picklist values as dropdown
// options. It returns nil when a side is still missing, because the
// picklist values come from the org.
func SetUpHubSpot(ctx context.Context, dataDir, name string, opts ConnectOptions) (*PropertySetup, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()

	c, err := OpenWith(ctx, dataDir, name, Options{Getenv: opts.Getenv, HTTPClient: opts.HTTPClient})
	var ie *i18n.Error
	if errors.As(err, &ie) && ie.ID == i18n.ConnectionErrMissingSide {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer c.Close()

	setup, err := c.EnsureHubSpotProperties(ctx)
	if err != nil {
		return &setup, fmt.Errorf("prepare the HubSpot properties of connection %q: %w", name, err)
	}
	return &setup, nil
}

// checkSameOrg rejects credentials of another org than the one the
// connection already belongs to, because its links and base values name
// that org's records. Stored credentials that no longer open do not block
// a new connect: connecting again is how a lost key is repaired.
func checkSameOrg(ctx context.Context, st store.Store, box *secret.Box, name, instance string) error {
	stored, ok, err := StoredSalesforce(ctx, st, box, name)
	if errors.Is(err, secret.ErrDecrypt) {
		return nil
	}
	if err != nil || !ok || stored.InstanceURL == "" || sameHost(stored.InstanceURL, instance) {
		return err
	}
	return &i18n.Error{ID: i18n.ConnectErrOtherOrg, Data: i18n.Data{"Connection": name, "Stored": stored.InstanceURL, "New": instance}}
}

func sameHost(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// salesforceFailure maps a failed check to the message for people: id for
// an error Salesforce returned, or the unreachable-host message.
func salesforceFailure(id i18n.ID, url string, err error) error {
	var se *salesforce.Error
	if errors.As(err, &se) {
		detail := se.Code
		if se.Message != "" {
			detail += " (" + se.Message + ")"
		}
		return &i18n.Error{ID: id, Data: i18n.Data{"Detail": detail}, Err: err}
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &i18n.Error{ID: i18n.ConnectErrUnreachable, Data: i18n.Data{"URL": url, "Detail": err.Error()}, Err: err}
}

// hubspotFailure maps a failed check to the message for people: a
// rejected token, missing scopes, another HubSpot error, or an unreachable
// host.
func hubspotFailure(base string, err error) error {
	var he *hubspot.Error
	if !errors.As(err, &he) || he.Category == hubspot.CategoryTransport {
		if errors.Is(err, context.Canceled) {
			return err
		}
		// The client reports a refused or dropped connection as an error of
		// its own kind, and no token was checked then.
		return &i18n.Error{ID: i18n.ConnectErrUnreachable, Data: i18n.Data{"URL": base, "Detail": err.Error()}, Err: err}
	}

	detail := he.Category
	if he.Message != "" {
		detail += " (" + he.Message + ")"
	}
	switch {
	case he.Status == http.StatusUnauthorized:
		return &i18n.Error{ID: i18n.ConnectErrHubSpotAuth, Data: i18n.Data{"Detail": detail}, Err: err}
	case he.Status == http.StatusForbidden || he.Category == "MISSING_SCOPES":
		if scopes := he.Context["requiredGranularScopes"]; len(scopes) > 0 {
			detail = strings.Join(scopes, ", ")
		}
		return &i18n.Error{ID: i18n.ConnectErrHubSpotScopes, Data: i18n.Data{"Detail": detail}, Err: err}
	}
	return &i18n.Error{ID: i18n.ConnectErrHubSpotCheck, Data: i18n.Data{"Detail": err.Error()}, Err: err}
}
