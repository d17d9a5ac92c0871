package hubspot

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options are the Go-side settings of an emulator that a seed file does not
// carry.
type Options struct {
	// Now is the emulator's clock. Default time.Now.
	Now func() time.Time

	// Logger receives the emulator's logs. Default discards them.
	Logger *slog.Logger

	// WebhookClient posts webhook batches. Default a client with a 10s
	// timeout.
	WebhookClient *http.Client

	// StatePath is the file POST /_emulator/save writes. Empty makes that
	// call fail with 409.
	StatePath string
}

// Emulator is an in-memory HubSpot account served over HTTP. All methods are
// safe for concurrent use.
type Emulator struct {
	mu sync.Mutex

	now       func() time.Time
	log       *slog.Logger
	statePath string
	cfg       Config
	rand      *rand.Rand
	nextID    int64

	types      map[string]*objectStore // "contacts", "companies"
	owners     []*Owner
	lists      map[int64]*list
	listNames  map[string]int64 // lower-case name → id, for uniqueness
	assocs     *associations
	prefs      *preferences
	tokens     map[string]accessToken // OAuth access tokens
	usedCodes  map[string]bool
	refreshOK  map[string]bool
	limits     *limiter
	calls      CallStats
	webhooks   *webhookSender
	eventSeq   int64
	closeOnce  sync.Once
	searchLag  time.Duration
	userSource source

	// recentWrites holds API update times per "type/id" for the 423 burst
	// rule.
	recentWrites map[string][]time.Time
}

// Record is a snapshot of a contact or company.
type Record struct {
	ID         string            `json:"id"`
	ObjectType string            `json:"objectType"` // contacts or companies
	Properties map[string]string `json:"properties"`
	CreatedAt  time.Time         `json:"createdAt"`
	UpdatedAt  time.Time         `json:"updatedAt"`
	Archived   bool              `json:"archived"`
	ArchivedAt time.Time         `json:"archivedAt,omitzero"`
	MergedInto string            `json:"mergedInto,omitempty"` // set when the record was merged into another one
}

// CallStats counts API calls the emulator served, excluding /_emulator/.
type CallStats struct {
	Total       int64            `json:"total"`
	ByRoute     map[string]int64 `json:"byRoute"`     // "POST /crm/v3/objects/{objectType}/search" → count
	RateLimited int64            `json:"rateLimited"` // rejected with 429
	Faults      int64            `json:"faults"`      // failed by an injected fault
}

// New returns an emulator filled from seed. A nil seed gives an empty
// account with HubSpot's default properties.
func New(seed *Seed, opts Options) (*Emulator, error) {
	if seed == nil {
		seed = &Seed{}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}

	e := &Emulator{
		now:       opts.Now,
		log:       opts.Logger,
		statePath: opts.StatePath,
		lists:     map[int64]*list{},
		listNames: map[string]int64{},
		assocs:    newAssociations(),
		prefs:     newPreferences(),
		tokens:    map[string]accessToken{},
		usedCodes: map[string]bool{},
		refreshOK: map[string]bool{},
		calls:     CallStats{ByRoute: map[string]int64{}},
	}
	if err := e.applyConfig(seed.Config); err != nil {
		return nil, err
	}

	e.nextID = seed.NextID
	if e.nextID == 0 {
		e.nextID = 100001
	}
	at := e.clock()
	e.types = map[string]*objectStore{
		"contacts":  newObjectStore("contacts", "0-1", "lastmodifieddate", buildDefaults(contactDefs, at), defaultGroups["contacts"]),
		"companies": newObjectStore("companies", "0-2", "hs_lastmodifieddate", buildDefaults(companyDefs, at), defaultGroups["companies"]),
	}

	if err := e.load(seed); err != nil {
		return nil, err
	}
	e.webhooks = newWebhookSender(e, opts.WebhookClient)
	return e, nil
}

func (e *Emulator) applyConfig(c Config) error {
	if c.PortalID == 0 {
		c.PortalID = 4000001
	}
	if c.AppID == 0 {
		c.AppID = 3000001
	}
	if c.ClientSecret == "" && c.OAuth != nil {
		c.ClientSecret = c.OAuth.ClientSecret
	}
	if c.OAuth != nil && c.OAuth.AccessTokenTTL == 0 {
		c.OAuth.AccessTokenTTL = Duration(30 * time.Minute)
	}
	if c.Webhook.TargetURL != "" {
		if err := CheckWebhookTarget(c.Webhook.TargetURL); err != nil {
			return err
		}
		if c.ClientSecret == "" {
			return fmt.Errorf("webhook target %s needs config.clientSecret to sign requests", c.Webhook.TargetURL)
		}
	}
	if c.Webhook.MaxBatch <= 0 || c.Webhook.MaxBatch > 100 {
		c.Webhook.MaxBatch = 100
	}
	if c.Webhook.BatchWindow <= 0 {
		c.Webhook.BatchWindow = Duration(50 * time.Millisecond)
	}
	if c.Webhook.MaxAttempts <= 0 {
		c.Webhook.MaxAttempts = 10
	}
	if c.Webhook.RetryBackoff <= 0 {
		c.Webhook.RetryBackoff = Duration(time.Second)
	}
	for i := range c.Webhook.Subscriptions {
		if c.Webhook.Subscriptions[i].ID == 0 {
			c.Webhook.Subscriptions[i].ID = int64(2000001 + i)
		}
	}
	if err := checkFaults(c.Faults); err != nil {
		return err
	}
	if c.RateLimits.TenSecondly < 0 || c.RateLimits.Daily < 0 || c.RateLimits.SearchPerSecond < 0 {
		return fmt.Errorf("invalid rate limits %+v: limits cannot be negative; use 0 to disable one", c.RateLimits)
	}
	if c.SearchIndexLag < 0 {
		return fmt.Errorf("invalid searchIndexLag %s: it cannot be negative", time.Duration(c.SearchIndexLag))
	}

	e.cfg = c
	e.searchLag = time.Duration(c.SearchIndexLag)
	seed := c.Faults.RandSeed
	if seed == 0 {
		seed = 1
	}
	e.rand = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	e.limits = newLimiter(c.RateLimits)
	if c.OAuth != nil {
		for _, t := range c.OAuth.RefreshTokens {
			e.refreshOK[t] = true
		}
	}
	return nil
}

func checkFaults(f Faults) error {
	for name, v := range map[string]float64{"serverErrors": f.ServerErrors, "locked": f.Locked, "dropped": f.Dropped} {
		if v < 0 || v > 1 {
			return fmt.Errorf("invalid faults.%s %v: use a share between 0 and 1", name, v)
		}
	}
	if f.Latency < 0 {
		return fmt.Errorf("invalid faults.latency %s: it cannot be negative", time.Duration(f.Latency))
	}
	return nil
}

// Close stops the webhook sender. Events not yet delivered are dropped.
func (e *Emulator) Close() {
	e.closeOnce.Do(func() { e.webhooks.stop() })
}

func (e *Emulator) clock() time.Time { return e.now().UTC().Truncate(time.Millisecond) }

func (e *Emulator) newID() int64 {
	id := e.nextID
	e.nextID++
	return id
}

func (e *Emulator) store(objectType string) (*objectStore, error) {
	s, ok := e.types[normalizeObjectType(objectType)]
	if !ok {
		return nil, fmt.Errorf("unknown object type %q; use contacts or companies", objectType)
	}
	return s, nil
}

// normalizeObjectType maps the names HubSpot accepts in paths (contacts,
// contact, 0-1, …) to contacts or companies.
func normalizeObjectType(s string) string {
	switch strings.ToLower(s) {
	case "contacts", "contact", "0-1":
		return "contacts"
	case "companies", "company", "0-2":
		return "companies"
	}
	return s
}

func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("invalid id %q; HubSpot ids are positive integers", s)
	}
	return id, nil
}

func (e *Emulator) snapshotRecord(s *objectStore, r *record) Record {
	out := Record{
		ID: strconv.FormatInt(r.id, 10), ObjectType: s.name, Properties: make(map[string]string, len(r.props)),
		CreatedAt: r.createdAt, UpdatedAt: r.updatedAt, Archived: r.archived, ArchivedAt: r.archivedAt,
	}
	for k, v := range r.props {
		out.Properties[k] = v
	}
	if r.mergedInto != 0 {
		out.MergedInto = strconv.FormatInt(r.mergedInto, 10)
	}
	return out
}

// userError turns an API error into a Go error for the Go-side actions.
func userError(ae *apiError) error {
	if ae == nil {
		return nil
	}
	return ae
}

// CreateRecord creates a contact or company as a user in the HubSpot UI
// would. objectType is contacts or companies.
func (e *Emulator) CreateRecord(objectType string, props map[string]string) (Record, error) {
	e.mu.Lock()
	defer e.mu.Unlock()

	s, err := e.store(objectType)
	if err != nil {
		return Record{}, err
	}
	r, ae := e.create(s, props, e.userSource)
	if ae != nil {
		return Record{}, ae
	}
	return e.snapshotRecord(s, r), nil
}

// UpdateRecord changes properties of a record as a user would. An empty
// value clears the property.
func (e *Emulator) UpdateRecord(objectType, id string, props map[string]string) (Record, error) {
	e.mu.Lock()
	defer e.mu.Unlock()

	s, r, err := e.lookup(objectType, id)
	if err != nil {
		return Record{}, err
	}
	if ae := e.update(s, r, props, e.userSource); ae != nil {
		return Record{}, ae
	}
	return e.snapshotRecord(s, r), nil
}

// SubmitForm creates or updates a contact by email as a form submission
// does. props must hold email.
func (e *Emulator) SubmitForm(props map[string]string) (Record, error) {
	e.mu.Lock()
	defer e.mu.Unlock()

	s := e.types["contacts"]
	email := strings.ToLower(strings.TrimSpace(props["email"]))
	if email == "" {
		return Record{}, fmt.Errorf("submit form: missing email")
	}
	src := source{sourceType: "FORM", sourceID: "form"}
	if id, ok := s.unique["email"][email]; ok {
		r := s.records[id]
		if ae := e.update(s, r, props, src); ae != nil {
			return Record{}, ae
		}
		return e.snapshotRecord(s, r), nil
	}
	r, ae := e.create(s, props, src)
	if ae != nil {
		return Record{}, ae
	}
	return e.snapshotRecord(s, r), nil
}

// ArchiveRecord archives (deletes) a record as a user would.
func (e *Emulator) ArchiveRecord(objectType, id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	s, r, err := e.lookup(objectType, id)
	if err != nil {
		return err
	}
	e.archive(s, r, e.userSource)
	return nil
}

// RestoreRecord restores an archived record as a user would from the
// recycle bin.
func (e *Emulator) RestoreRecord(objectType, id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	s, err := e.store(objectType)
	if err != nil {
		return err
	}
	n, err := parseID(id)
	if err != nil {
		return err
	}
	r, ok := s.records[n]
	if !ok || !r.archived {
		return fmt.Errorf("restore %s %s: no archived record with that id", s.name, id)
	}
	return userError(e.restore(s, r, e.userSource))
}

// MergeRecords merges mergedID into primaryID as a user would.
func (e *Emulator) MergeRecords(objectType, primaryID, mergedID string) (Record, error) {
	e.mu.Lock()
	defer e.mu.Unlock()

	s, err := e.store(objectType)
	if err != nil {
		return Record{}, err
	}
	r, ae := e.merge(s, primaryID, mergedID, e.userSource)
	if ae != nil {
		return Record{}, ae
	}
	return e.snapshotRecord(s, r), nil
}

// Associate associates a contact with a company; primary also makes the
// company the contact's primary company.
func (e *Emulator) Associate(contactID, companyID string, primary bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	c, co, err := e.pair(contactID, companyID)
	if err != nil {
		return err
	}
	e.associate(c, co, primary, nil, e.userSource)
	return nil
}

// Disassociate removes every association between a contact and a company.
func (e *Emulator) Disassociate(contactID, companyID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	c, co, err := e.pair(contactID, companyID)
	if err != nil {
		return err
	}
	e.disassociate(c, co, e.userSource)
	return nil
}

// UnsubscribeAll opts an email address out of all email, as the contact
// would through an unsubscribe link.
func (e *Emulator) UnsubscribeAll(email string) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	if !validEmail(email) {
		return fmt.Errorf("unsubscribe: invalid email address %q", email)
	}
	e.unsubscribeAll(email, source{sourceType: "EMAIL", sourceID: "unsubscribe-link"})
	return nil
}

// OptedOut reports whether email is unsubscribed from all email.
func (e *Emulator) OptedOut(email string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()

	return e.prefs.optedOut(email)
}

// AddListMembers adds records to a MANUAL or SNAPSHOT list as a user would.
func (e *Emulator) AddListMembers(listID string, recordIDs ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	l, err := e.manualList(listID)
	if err != nil {
		return err
	}
	_, missing := e.addMembers(l, recordIDs)
	if len(missing) > 0 {
		return fmt.Errorf("add list members: no record with id %s", strings.Join(missing, ", "))
	}
	return nil
}

// RemoveListMembers removes records from a MANUAL or SNAPSHOT list.
func (e *Emulator) RemoveListMembers(listID string, recordIDs ...string) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	l, err := e.manualList(listID)
	if err != nil {
		return err
	}
	e.removeMembers(l, recordIDs)
	return nil
}

// ListMembers returns the record ids in a list, ordered by id.
func (e *Emulator) ListMembers(listID string) ([]string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()

	id, err := parseID(listID)
	if err != nil {
		return nil, err
	}
	l, ok := e.lists[id]
	if !ok || l.deleted {
		return nil, fmt.Errorf("list %s not found", listID)
	}
	ids := make([]int64, 0, len(l.members))
	for m := range l.members {
		ids = append(ids, m)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]string, len(ids))
	for i, m := range ids {
		out[i] = strconv.FormatInt(m, 10)
	}
	return out, nil
}

// Get returns a snapshot of a record, following merges like a single GET.
func (e *Emulator) Get(objectType, id string) (Record, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()

	s, err := e.store(objectType)
	if err != nil {
		return Record{}, false
	}
	n, err := parseID(id)
	if err != nil {
		return Record{}, false
	}
	r := s.resolve(n)
	if r == nil {
		return Record{}, false
	}
	return e.snapshotRecord(s, r), true
}

// Count returns how many records of a type exist, archived or not.
func (e *Emulator) Count(objectType string, archived bool) int {
	e.mu.Lock()
	defer e.mu.Unlock()

	s, err := e.store(objectType)
	if err != nil {
		return 0
	}
	n := 0
	for _, r := range s.records {
		if r.mergedInto == 0 && r.archived == archived {
			n++
		}
	}
	return n
}

// SetFaults replaces the injected faults.
func (e *Emulator) SetFaults(f Faults) error {
	if err := checkFaults(f); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	e.cfg.Faults = f
	if f.RandSeed != 0 {
		e.rand = rand.New(rand.NewPCG(f.RandSeed, f.RandSeed^0x9e3779b97f4a7c15))
	}
	return nil
}

// SetRateLimits replaces the enforced rate limits and resets their windows.
func (e *Emulator) SetRateLimits(l RateLimits) error {
	if l.TenSecondly < 0 || l.Daily < 0 || l.SearchPerSecond < 0 {
		return fmt.Errorf("invalid rate limits %+v: limits cannot be negative; use 0 to disable one", l)
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	e.cfg.RateLimits = l
	e.limits = newLimiter(l)
	return nil
}

// SetSearchIndexLag sets how long writes stay invisible to search.
func (e *Emulator) SetSearchIndexLag(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("invalid search index lag %s: it cannot be negative", d)
	}
	e.mu.Lock()
	defer e.mu.Unlock()

	e.searchLag = d
	e.cfg.SearchIndexLag = Duration(d)
	return nil
}

// Calls returns a copy of the API call counters.
func (e *Emulator) Calls() CallStats {
	e.mu.Lock()
	defer e.mu.Unlock()

	out := e.calls
	out.ByRoute = make(map[string]int64, len(e.calls.ByRoute))
	for k, v := range e.calls.ByRoute {
		out.ByRoute[k] = v
	}
	return out
}

// ResetCalls sets the API call counters to zero.
func (e *Emulator) ResetCalls() {
	e.mu.Lock()
	defer e.mu.Unlock()

	e.calls = CallStats{ByRoute: map[string]int64{}}
}

// PortalID returns the account id.
func (e *Emulator) PortalID() int64 { return e.cfg.PortalID }
