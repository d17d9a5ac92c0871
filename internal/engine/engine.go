package engine

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// Config configures an Engine for one connection.
type Config struct {
	ConnectionID int64
	Settings     settings.Settings
	Mappings     []mapping.Mapping

	HubSpot    HubSpotSide
	Salesforce SalesforceSide
	Store      store.Store

	// Logger receives the engine's logs; default slog.Default().
	Logger *slog.Logger

	// Now is the clock; default time.Now.
	Now func() time.Time

	// SkipLinkMirror stops the engine from writing linked Salesforce ids
	// into HubSpot's salesforceleadid and salesforcecontactid properties,
	// which it does by default.
	SkipLinkMirror bool
}

// Engine syncs one connection. Its methods are safe for concurrent use,
// and SyncOnce runs one cycle at a time.
type Engine struct {
	// cycle serializes SyncOnce, so two cycles of one engine never apply
	// the same page at once.
	cycle sync.Mutex

	cfg     Config
	planner *Planner
	owners  ownerCache
	company *companySync
	log     *slog.Logger
	now     func() time.Time
}

// New returns an Engine for cfg after checking the settings and mappings.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Settings.Validate(); err != nil {
		return nil, fmt.Errorf("create engine: %w", err)
	}
	// A Set rejects invalid mappings and a property or field mapped twice.
	if _, err := mapping.NewSet(cfg.Mappings...); err != nil {
		return nil, fmt.Errorf("create engine: %w", err)
	}
	if cfg.HubSpot == nil || cfg.Salesforce == nil || cfg.Store == nil {
		return nil, fmt.Errorf("create engine: HubSpot, Salesforce and Store are required")
	}

	e := &Engine{cfg: cfg, log: cfg.Logger, now: cfg.Now}
	if e.log == nil {
		e.log = slog.Default()
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.planner = NewPlanner(cfg.Settings, cfg.Mappings)
	e.planner.MirrorLinkIDs = !cfg.SkipLinkMirror
	return e, nil
}

// hubspotProps returns the HubSpot properties a read needs.
func (e *Engine) hubspotProps() []string {
	props := []string{"email", "lastmodifieddate", PropSalesforceLeadID, PropSalesforceContactID,
		PropSalesforceCampaignIDs, PropSalesforceCampaignNames, PropMergedObjectIDs, PropAssociatedCompanyID}
	for _, m := range e.cfg.Mappings {
		props = appendUnique(props, m.HubSpot.Name)
	}
	return props
}

// salesforceFields returns the mapped fields of object a read needs.
func (e *Engine) salesforceFields(object Object) []string {
	var fields []string
	for _, m := range e.cfg.Mappings {
		if f, ok := m.Field(string(object)); ok {
			fields = appendUnique(fields, f.Name)
		}
	}
	if object == Contact && e.cfg.Settings.CompanySync {
		fields = appendUnique(fields, "AccountId")
	}
	return fields
}

func (e *Engine) salesforceFieldSets() map[Object][]string {
	return map[Object][]string{Lead: e.salesforceFields(Lead), Contact: e.salesforceFields(Contact)}
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
