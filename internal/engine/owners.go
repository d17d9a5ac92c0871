package engine

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/salesforce"
	"github.com/koppel-sync/koppel/internal/store"
)

// OwnerDirectory matches HubSpot owners with Salesforce users by
// normalized email. Only active Salesforce users count: HubSpot's
// connector sends a HubSpot owner to Salesforce only when an active user
// with the same email exists.
type OwnerDirectory struct {
	// hubspotToUser maps a HubSpot owner id to the active Salesforce
	// user with the owner's email.
	hubspotToUser map[string]string
	// userToHubSpot maps a Salesforce user id to the HubSpot owner with
	// the user's email.
	userToHubSpot map[string]string
}

// NewOwnerDirectory matches owners (HubSpot owner id → email) with users
// (Salesforce user id → email, active ones only).
func NewOwnerDirectory(owners, activeUsers map[string]string) *OwnerDirectory {
	d := &OwnerDirectory{hubspotToUser: map[string]string{}, userToHubSpot: map[string]string{}}
	byEmail := map[string]string{}
	for id, email := range activeUsers {
		if e := NormalizeEmail(email); e != "" {
			byEmail[e] = id
		}
	}
	for ownerID, email := range owners {
		if user, ok := byEmail[NormalizeEmail(email)]; ok && email != "" {
			d.hubspotToUser[ownerID] = user
			d.userToHubSpot[user] = ownerID
		}
	}
	return d
}

// ownerCacheTTL is how long a cycle reuses the owner directory: users and
// owners change rarely, and reading them costs a call on each side.
const ownerCacheTTL = 10 * time.Minute

type ownerCache struct {
	mu   sync.Mutex
	dir  *OwnerDirectory
	read time.Time
}

// loadOwners reads HubSpot owners and active Salesforce users when the
// cached directory is older than ownerCacheTTL, and hands it to the
// planner.
func (e *Engine) loadOwners(ctx context.Context) error {
	hx, ok1 := e.cfg.HubSpot.(interface {
		OwnerEmails(context.Context) (map[string]string, error)
	})
	sx, ok2 := e.cfg.Salesforce.(interface {
		ActiveUserEmails(context.Context) (map[string]string, error)
	})
	if !ok1 || !ok2 || !e.hasOwnerMapping() {
		return nil
	}

	e.owners.mu.Lock()
	defer e.owners.mu.Unlock()
	if e.owners.dir != nil && e.now().Sub(e.owners.read) < ownerCacheTTL {
		e.planner.Owners = e.owners.dir
		return nil
	}
	owners, err := hx.OwnerEmails(ctx)
	if err != nil {
		return err
	}
	users, err := sx.ActiveUserEmails(ctx)
	if err != nil {
		return err
	}
	e.owners.dir, e.owners.read = NewOwnerDirectory(owners, users), e.now()
	e.planner.Owners = e.owners.dir
	return nil
}

// ownerDirectory returns the directory the last loadOwners read, or nil.
func (e *Engine) ownerDirectory() *OwnerDirectory {
	e.owners.mu.Lock()
	defer e.owners.mu.Unlock()
	return e.owners.dir
}

// hasOwnerMapping reports whether a contact or company owner syncs. The
// company mappings are the defaults, which include the owner.
func (e *Engine) hasOwnerMapping() bool {
	if e.cfg.Settings.CompanySync {
		return true
	}
	for _, m := range e.cfg.Mappings {
		if m.Kind == mapping.KindOwner && m.Rule != mapping.DontSync {
			return true
		}
	}
	return false
}

// OwnerEmails returns every HubSpot owner id with its email.
func (h *HubSpotClient) OwnerEmails(ctx context.Context) (map[string]string, error) {
	os, err := h.Client.Owners(ctx, hubspot.OwnersOptions{})
	if err != nil {
		return nil, fmt.Errorf("read HubSpot owners: %w", err)
	}
	out := make(map[string]string, len(os))
	for _, o := range os {
		if !o.Archived {
			out[o.ID] = o.Email
		}
	}
	return out, nil
}

// ActiveUserEmails returns every active Salesforce user id with its email.
func (s *SalesforceClient) ActiveUserEmails(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	err := s.Client.QueryPages(ctx, "SELECT Id, Email FROM User WHERE IsActive = true", salesforce.QueryOptions{}, func(p *salesforce.QueryPage) error {
		for _, r := range p.Records {
			out[r.ID] = r.String("Email")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read Salesforce users: %w", err)
	}
	return out, nil
}

// decideOwner plans the owner mapping. Owners cross by user email: the
// HubSpot owner id becomes the Salesforce user id with the same email
// before the rule decides, and back for a write to HubSpot. The base is
// kept as the Salesforce user id.
func (p *Planner) decideOwner(it *Item, pair *Pair, m mapping.Mapping, field mapping.SalesforceField, hubspotNew, salesforceNew bool, trigger mapping.Side) {
	if p.Owners == nil || m.Rule == mapping.DontSync {
		return
	}
	in := mapping.DecideInput{HubSpotNew: hubspotNew, SalesforceNew: salesforceNew, Trigger: trigger, Location: p.converter.Location}
	if base, ok := pair.Base[m.HubSpot.Name]; ok {
		in.Base, in.HasBase = base, true
	}

	in.HubSpot = mapping.Null()
	var hsOwner string
	if pair.HubSpot != nil {
		hsOwner = pair.HubSpot.HubSpotProps[m.HubSpot.Name]
		in.HubSpotChangedAt = pair.HubSpot.Edited
		if hsOwner != "" {
			if user, ok := p.Owners.hubspotToUser[hsOwner]; ok {
				in.HubSpot = mapping.Text(user)
			} else {
				in.HubSpotOwnerUnmatched = true
			}
		}
	}
	in.Salesforce = mapping.Null()
	if pair.Salesforce != nil {
		if v, ok := pair.Salesforce.SalesforceFields[field.Name].(string); ok && v != "" {
			in.Salesforce = mapping.Text(v)
		}
		in.SalesforceChangedAt = pair.Salesforce.Edited
	}

	d := mapping.Decide(m, in)
	fp := FieldPlan{
		Field: m.HubSpot.Name, SalesforceField: field.Name, Rule: m.Rule,
		HubSpot: in.HubSpot, Salesforce: in.Salesforce, Base: in.Base, HasBase: in.HasBase,
		New: d.NewBase, ReasonCode: string(d.ReasonCode), Reason: d.Reason, Conflict: d.Conflict,
	}
	if in.HubSpotOwnerUnmatched {
		fp.HubSpot = mapping.Text(hsOwner)
	}

	switch d.Action {
	case mapping.ActionWriteHubSpot:
		owner, ok := p.Owners.userToHubSpot[d.Value.Text()]
		if !ok && !d.Value.IsBlank() {
			// The Salesforce owner has no HubSpot owner, so HubSpot keeps
			// its value. The Salesforce owner becomes the base, so that a
			// later HubSpot change counts as the more recent one.
			if in.HasBase && in.Base.Equal(d.Value) {
				return
			}
			fp.New = d.Value
			it.Fields = append(it.Fields, fp)
			return
		}
		if it.ToHubSpot == nil {
			it.ToHubSpot = map[string]string{}
		}
		it.ToHubSpot[m.HubSpot.Name] = owner
		fp.Direction, fp.Old, fp.New = store.ToHubSpot, fp.HubSpot, d.Value
	case mapping.ActionWriteSalesforce:
		if d.Value.IsBlank() {
			// Every Salesforce record needs an owner: a blank HubSpot
			// owner is not sent.
			return
		}
		if it.ToSalesforce == nil {
			it.ToSalesforce = map[string]any{}
		}
		it.ToSalesforce[field.Name] = d.Value.Text()
		fp.Direction, fp.Old, fp.New = store.ToSalesforce, in.Salesforce, d.Value
	default:
		if d.NewBase.Kind() == mapping.KindAbsent || (in.HasBase && d.NewBase.Equal(in.Base)) {
			if !p.keepAllFields {
				return
			}
			fp.New, fp.Unchanged = in.Base, true
		}
	}
	it.Fields = append(it.Fields, fp)
}
