package connection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/secret"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// DefaultName is the connection name commands use without --connection.
const DefaultName = "default"

// Options adjust Open for tests and embedding. Zero values take the
// defaults.
type Options struct {
	// Getenv reads KOPPEL_SECRET_KEY, KOPPEL_SECRET_OLD_KEYS and
	// KOPPEL_DATABASE_URL. Default os.Getenv.
	Getenv func(string) string
	// HTTPClient is given to both API clients. Default their own.
	HTTPClient *http.Client
	// Logger is given to both API clients. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock of the store and the clients. Default time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Connection is an opened connection: its stored record, settings and
// mappings, and API clients ready to call both systems.
type Connection struct {
	Name     string
	Record   store.Connection
	Settings settings.Settings
	// Mappings holds the contact mappings, then the company mappings.
	Mappings []mapping.Mapping

	Store      store.Store
	Salesforce *salesforce.Client
	HubSpot    *hubspot.Client

	// hubspotCreds and httpClient serve the property update that the
	// HubSpot client does not offer. A pointer keeps the token out of a
	// Connection printed with %+v.
	hubspotCreds *HubSpotCredentials
	httpClient   *http.Client
	// hubspotAccess holds the latest OAuth access token of the HubSpot
	// client, for that same property update; nil for a private-app token.
	hubspotAccess *atomic.Pointer[string]
}

// Close closes the store.
func (c *Connection) Close() error { return c.Store.Close() }

// Open opens connection name of dataDir with both clients. It fails with
// a message for people when the connection or one side's credentials are
// missing, or when the key does not open them.
func Open(ctx context.Context, dataDir, name string) (*Connection, error) {
	return OpenWith(ctx, dataDir, name, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, dataDir, name string, opts Options) (*Connection, error) {
	opts = opts.withDefaults()
	st, err := OpenStore(ctx, dataDir, opts.Getenv, store.Options{Now: opts.Now})
	if err != nil {
		return nil, err
	}
	c, err := load(ctx, st, dataDir, name, opts)
	if err != nil {
		st.Close()
		return nil, err
	}
	return c, nil
}

func load(ctx context.Context, st store.Store, dataDir, name string, opts Options) (*Connection, error) {
	rec, err := st.GetConnectionByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, &i18n.Error{ID: i18n.ConnectionErrNotFound, Data: i18n.Data{"Connection": name, "DataDir": dataDir}, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("read connection %q: %w", name, err)
	}

	s, err := DecodeSettings(rec.Settings)
	if err != nil {
		return nil, err
	}
	rows, err := st.ListMappings(ctx, rec.ID)
	if err != nil {
		return nil, fmt.Errorf("read mappings of connection %q: %w", name, err)
	}
	ms, err := MappingsFromRows(rows)
	if err != nil {
		return nil, err
	}

	box, err := secret.OpenWithEnv(dataDir, opts.Getenv)
	if err != nil {
		return nil, keyError(err)
	}

	var sf SalesforceCredentials
	if err := readCredentials(ctx, st, box, rec, store.Salesforce, dataDir, &sf); err != nil {
		return nil, err
	}
	var hs HubSpotCredentials
	if err := readCredentials(ctx, st, box, rec, store.HubSpot, dataDir, &hs); err != nil {
		return nil, err
	}

	sfCfg := sf.Config()
	sfCfg.HTTPClient, sfCfg.Logger, sfCfg.Now = opts.HTTPClient, opts.Logger, opts.Now
	sfClient, err := salesforce.New(sfCfg)
	if err != nil {
		return nil, err
	}
	hsCfg := hs.Config()
	hsCfg.HTTPClient, hsCfg.Logger, hsCfg.Now = opts.HTTPClient, opts.Logger, opts.Now
	var hsAccess *atomic.Pointer[string]
	if hsCfg.OAuth != nil {
		// TODO: store a rotated refresh token; HubSpot keeps the refresh
		// token of an app unchanged, so only the access token is kept.
		hsAccess = &atomic.Pointer[string]{}
		hsCfg.OAuth.OnToken = func(t hubspot.Token) { hsAccess.Store(&t.AccessToken) }
	}
	hsClient, err := hubspot.New(hsCfg)
	if err != nil {
		return nil, err
	}

	return &Connection{
		Name: name, Record: rec, Settings: s, Mappings: ms,
		Store: st, Salesforce: sfClient, HubSpot: hsClient,
		hubspotCreds: &hs, httpClient: opts.HTTPClient, hubspotAccess: hsAccess,
	}, nil
}

func readCredentials(ctx context.Context, st store.Store, box *secret.Box, rec store.Connection, side store.Side, dataDir string, out any) error {
	cred, err := st.GetCredential(ctx, rec.ID, side)
	if errors.Is(err, store.ErrNotFound) {
		return &i18n.Error{ID: i18n.ConnectionErrMissingSide, Data: i18n.Data{"Connection": rec.Name, "Side": string(side)}, Err: err}
	}
	if err != nil {
		return fmt.Errorf("read %s credentials: %w", side, err)
	}
	if err := unseal(box, rec.Name, side, cred.Ciphertext, out); err != nil {
		if errors.Is(err, secret.ErrDecrypt) {
			return &i18n.Error{ID: i18n.ConnectionErrDecrypt, Data: i18n.Data{"Connection": rec.Name, "Side": string(side)}, Err: err}
		}
		return err
	}
	return nil
}

// keyError gives a key file with an open mode its message for people.
func keyError(err error) error {
	var me *secret.KeyFileModeError
	if errors.As(err, &me) {
		return &i18n.Error{ID: i18n.ConnectErrKeyFileMode, Data: i18n.Data{"Path": me.Path, "Mode": fmt.Sprintf("%04o", me.Mode.Perm())}, Err: err}
	}
	return err
}

// KeyError is keyError for the CLI, which loads the key before it saves.
func KeyError(err error) error { return keyError(err) }
