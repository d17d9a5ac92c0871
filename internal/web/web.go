package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// DefaultAddr is the UI's default listen address. It is on loopback, so
// nothing outside the machine reaches the UI unless the admin changes it.
const DefaultAddr = "127.0.0.1:8080"

// Clients are the API clients of one connection.
type Clients struct {
	HubSpot    *hubspot.Client
	Salesforce *salesforce.Client
}

// Config configures the UI handler.
type Config struct {
	// Store holds the connections, users and sessions. Required.
	Store store.Store

	// Clients returns the API clients of a connection, built from its
	// stored credentials. Required for the pages that read either side:
	// the inclusion list picker, previews, the record page and "sync now".
	Clients func(ctx context.Context, conn store.Connection) (Clients, error)

	// NewEngine builds an engine for a connection with the given settings
	// and mappings; previews call it with the edited values. Default
	// DefaultEngine.
	NewEngine func(ctx context.Context, conn store.Connection, s settings.Settings, ms []mapping.Mapping, c Clients) (*engine.Engine, error)

	// SyncNow starts one sync cycle of a connection, as the scheduler of
	// koppel serve does; it may return before the cycle ends. When nil,
	// the UI runs the cycle itself with NewEngine and waits for it.
	SyncNow func(ctx context.Context, conn store.Connection) error

	// Connect checks one side's credentials against the vendor and stores
	// them encrypted, as koppel connect does; ConnectToDataDir returns one
	// for a data directory. The connect form and the OAuth buttons call
	// it. When it is nil, the connections page shows the koppel connect
	// commands to run on the server instead.
	Connect func(ctx context.Context, req ConnectRequest) error

	// Logger receives request errors and security events; default
	// slog.Default().
	Logger *slog.Logger

	// Now is the clock; default time.Now.
	Now func() time.Time

	// TLS is true when the UI is served over HTTPS, directly or behind a
	// TLS-terminating proxy; cookies are then marked Secure.
	TLS bool

	// PublicURL is the UI's origin as browsers reach it, such as
	// https://koppel.example.com, for the OAuth redirect URIs. Default:
	// the scheme (https when TLS is set) and the Host header of the
	// request that starts the OAuth flow.
	PublicURL string
}

// server is the UI's state.
type server struct {
	cfg   Config
	st    store.Store
	log   *slog.Logger
	now   func() time.Time
	pages map[string]*template.Template
	msgs  *catalog

	pruneMu sync.Mutex
	pruned  time.Time // last time sign-in pruned sessions and attempts

	oauth oauthStates
}

// New returns the UI's handler.
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil {
		return nil, errors.New("create web UI: Config.Store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewEngine == nil {
		logger := cfg.Logger
		now := cfg.Now
		st := cfg.Store
		cfg.NewEngine = func(ctx context.Context, conn store.Connection, s settings.Settings, ms []mapping.Mapping, c Clients) (*engine.Engine, error) {
			return DefaultEngine(ctx, st, conn, s, ms, c, logger, now)
		}
	}

	msgs, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	s := &server{cfg: cfg, st: cfg.Store, log: cfg.Logger, now: cfg.Now, msgs: msgs}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	return s.routes(), nil
}

// DefaultEngine builds the engine koppel sync runs: the contact mappings
// that the contact cycle syncs, with the portal's and the org's field
// definitions (three API calls), over the two clients.
func DefaultEngine(ctx context.Context, st store.Store, conn store.Connection, s settings.Settings, ms []mapping.Mapping, c Clients, logger *slog.Logger, now func() time.Time) (*engine.Engine, error) {
	if c.HubSpot == nil || c.Salesforce == nil {
		return nil, errors.New("build engine: both clients are required")
	}
	var contacts []mapping.Mapping
	for _, m := range ms {
		if _, company := m.Field(mapping.ObjectAccount); !company {
			contacts = append(contacts, m)
		}
	}
	synced, _ := engine.ContactMappings(contacts)
	sc, err := loadSchema(ctx, c)
	if err != nil {
		return nil, err
	}
	synced = sc.apply(synced, logger.With("connection", conn.Name))
	return engine.New(engine.Config{
		ConnectionID: conn.ID, Settings: s, Mappings: synced,
		HubSpot:    &engine.HubSpotClient{Client: c.HubSpot},
		Salesforce: &engine.SalesforceClient{Client: c.Salesforce},
		Store:      st, Logger: logger, Now: now,
	})
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()

	// Public: the sign-in page, the setup link, the language switch and the
	// style sheet.
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /signin", s.getSignIn)
	mux.HandleFunc("POST /signin", s.postSignIn)
	mux.HandleFunc("POST /lang", s.postLang)
	mux.HandleFunc("GET /setup/{token}", s.getSetup)
	mux.HandleFunc("POST /setup/{token}", s.postSetup)

	page := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.requireSession(h)) }
	page("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/connections", http.StatusSeeOther)
	})
	page("POST /signout", s.postSignOut)
	page("GET /connections", s.getConnections)
	page("GET /connections/connect", s.getConnect)
	page("POST /connections/connect", s.postConnect)
	page("POST /connections/connect/oauth", s.postOAuthStart)
	page("GET /connections/{conn}/oauth/{side}/callback", s.getOAuthCallback)
	page("GET /c/{conn}/settings", s.getSettings)
	page("POST /c/{conn}/settings/preview", s.postSettingsPreview)
	page("POST /c/{conn}/settings", s.postSettings)
	page("GET /c/{conn}/mappings", s.getMappings)
	page("POST /c/{conn}/mappings/preview", s.postMappingsPreview)
	page("POST /c/{conn}/mappings", s.postMappings)
	page("GET /c/{conn}/mappings/new", s.getAddMapping)
	page("POST /c/{conn}/mappings/new/preview", s.postAddMappingPreview)
	page("POST /c/{conn}/mappings/new", s.postAddMapping)
	page("GET /c/{conn}/health", s.getHealth)
	page("GET /c/{conn}/errors", s.getErrors)
	page("GET /c/{conn}/errors.csv", s.getErrorsCSV)
	page("GET /c/{conn}/errors/{id}", s.getError)
	page("POST /c/{conn}/errors/retry", s.postRetry)
	page("GET /c/{conn}/activity", s.getActivity)
	page("GET /c/{conn}/record", s.getRecord)
	page("POST /c/{conn}/record/sync", s.postRecordSync)
	page("GET /api/connections", s.apiConnections)
	page("GET /api/c/{conn}/errors", s.apiErrors)
	page("GET /", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })

	var h http.Handler = mux
	h = s.checkCSRF(h)
	h = s.withLanguage(h)
	h = s.loadSession(h)
	h = http.NewCrossOriginProtection().Handler(h)
	return securityHeaders(h)
}

// securityHeaders sets a Content-Security-Policy that allows only the
// embedded style sheet and inline SVG, and no script at all.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}
