package salesforce

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultAPIVersions are the versions served unless the seed lists others.
var DefaultAPIVersions = []string{"58.0", "59.0", "60.0", "61.0", "62.0", "63.0", "64.0", "65.0", "66.0"}

// DefaultDailyAPILimit is the daily API quota unless the seed sets one,
// the quota of a Developer Edition org.
const DefaultDailyAPILimit = 15000

// Options are the run-time settings of an Emulator that a seed does not
// carry.
type Options struct {
	// Now is the clock for timestamps, sessions and the API counter.
	// Default time.Now.
	Now func() time.Time
	// Logger receives request and admin logs. Default discards them.
	Logger *slog.Logger
	// StatePath is the file POST /_emulator/save writes the state to.
	// Empty disables saving over HTTP.
	StatePath string
}

// Emulator is an in-memory Salesforce org served over HTTP. It is an
// http.Handler; all methods are safe for concurrent use.
type Emulator struct {
	opts Options
	now  func() time.Time
	log  *slog.Logger

	mu       sync.Mutex
	cfg      Config
	schema   *schema
	records  map[string]*record
	byObject map[string][]*record
	members  map[string][]*record // campaign id → its CampaignMember records
	// memberByPerson maps "campaign id/person id" to a CampaignMember.
	memberByPerson map[string]*record
	seq            int64
	userID         string // the user API calls run as
	orgID          string

	// duplicateRules and duplicateFields are the configured duplicate
	// rules under canonical object and field names.
	duplicateRules  map[string]bool
	duplicateFields map[string][]string

	sessions      map[string]time.Time // access token → issue time
	refreshTokens map[string]bool
	authCodes     map[string]authCode
	cursors       map[string]*queryCursor
	bulkJobs      map[string]*bulkJob

	usage  *apiCounter
	faults Faults
	rng    *rand.Rand
	jwtKey *rsa.PublicKey

	versions []string
}

// New builds an emulator from seed (nil for an empty org).
func New(seed *Seed, opts Options) (*Emulator, error) {
	if seed == nil {
		seed = &Seed{}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	sch, err := newSchema(seed.Config.CustomFields)
	if err != nil {
		return nil, fmt.Errorf("build schema: %w", err)
	}
	e := &Emulator{
		opts:           opts,
		now:            opts.Now,
		log:            opts.Logger,
		cfg:            seed.Config,
		schema:         sch,
		records:        map[string]*record{},
		byObject:       map[string][]*record{},
		members:        map[string][]*record{},
		memberByPerson: map[string]*record{},
		orgID:          "00DKP0000000001" + idSuffix("00DKP0000000001"),
		sessions:       map[string]time.Time{},
		refreshTokens:  map[string]bool{},
		authCodes:      map[string]authCode{},
		cursors:        map[string]*queryCursor{},
		bulkJobs:       map[string]*bulkJob{},
	}
	if err := e.applyConfig(); err != nil {
		return nil, err
	}
	if err := e.loadRecords(seed.Records); err != nil {
		return nil, err
	}
	return e, nil
}

// applyConfig validates the configuration and sets the derived state.
func (e *Emulator) applyConfig() error {
	c := &e.cfg
	if len(c.APIVersions) == 0 {
		c.APIVersions = DefaultAPIVersions
	}
	for _, v := range c.APIVersions {
		if !validVersion(v) {
			return fmt.Errorf("invalid API version %q in config: use a version such as 66.0", v)
		}
	}
	e.versions = append([]string(nil), c.APIVersions...)
	sort.Slice(e.versions, func(i, j int) bool { return versionNumber(e.versions[i]) < versionNumber(e.versions[j]) })
	if c.DailyAPILimit < 0 {
		return fmt.Errorf("invalid daily_api_limit %d: use a positive number", c.DailyAPILimit)
	}
	if c.DailyAPILimit == 0 {
		c.DailyAPILimit = DefaultDailyAPILimit
	}
	e.usage = newAPICounter(c.DailyAPILimit)

	if err := e.checkDuplicateRules(); err != nil {
		return err
	}
	if err := e.applyReadOnlyFields(); err != nil {
		return err
	}
	for i, r := range c.ValidationRules {
		if err := e.checkValidationRule(r); err != nil {
			return fmt.Errorf("validation rule %d (%s): %w", i+1, r.Name, err)
		}
	}
	for _, t := range c.OAuth.RefreshTokens {
		e.refreshTokens[t] = true
	}
	if c.OAuth.JWTCertificatePEM != "" {
		key, err := parseCertificateKey(c.OAuth.JWTCertificatePEM)
		if err != nil {
			return fmt.Errorf("jwt_certificate_pem: %w", err)
		}
		e.jwtKey = key
	}
	return e.setFaultsLocked(c.Faults)
}

func parseCertificateKey(pemText string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("no PEM block found; paste the certificate including the BEGIN CERTIFICATE line")
	}
	switch block.Type {
	case "CERTIFICATE":
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse certificate: %w", err)
		}
		key, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return nil, errors.New("the certificate's key is not RSA; Salesforce's JWT flow signs with RS256")
		}
		return key, nil
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		key, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, errors.New("the public key is not RSA")
		}
		return key, nil
	}
	return nil, fmt.Errorf("unexpected PEM block %q; use a CERTIFICATE", block.Type)
}

func validVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	if !ok || minor != "0" || major == "" || len(major) > 3 {
		return false
	}
	for _, r := range major {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func versionNumber(v string) int {
	n := 0
	for _, r := range strings.TrimSuffix(v, ".0") {
		n = n*10 + int(r-'0')
	}
	return n
}

// loadRecords creates the seed's records in dependency order.
func (e *Emulator) loadRecords(records map[string][]map[string]any) error {
	e.mu.Lock()
	defer e.mu.Unlock()

	for name := range records {
		if e.schema.object(name) == nil {
			return fmt.Errorf("seed records: unknown object %q; use one of %s", name, strings.Join(objectNames, ", "))
		}
	}
	byName := map[string][]map[string]any{}
	for name, list := range records {
		byName[e.schema.object(name).Name] = list
	}

	if len(byName["User"]) == 0 {
		byName["User"] = []map[string]any{{
			"Username": "integration@koppel.example", "LastName": "Integration",
			"FirstName": "Koppel", "Email": "integration@koppel.example", "Alias": "kintg",
		}}
	}
	for _, name := range objectNames {
		o := e.schema.object(name)
		for i, fields := range byName[name] {
			if _, err := e.insertLocked(o, fields, writeOptions{system: true}); err != nil {
				return fmt.Errorf("%s: %s", seedRecordPosition(name, i, fields), err.Message)
			}
		}
		if name == "User" {
			e.userID = e.pickUserLocked()
		}
	}
	for _, c := range e.byObject["Campaign"] {
		e.refreshCampaignCountsLocked(c, nil)
	}
	return nil
}

// pickUserLocked returns the user the OAuth flows log in as.
func (e *Emulator) pickUserLocked() string {
	users := e.byObject["User"]
	for _, u := range users {
		if e.cfg.OAuth.Username != "" && strings.EqualFold(fmt.Sprint(u.fields["Username"]), e.cfg.OAuth.Username) {
			return u.id
		}
	}
	if len(users) > 0 {
		return users[0].id
	}
	return ""
}

func readAll(r io.Reader) ([]byte, error) { return io.ReadAll(r) }

// seedRecordPosition names a seed record for an error message: its
// object, its position counted from 1, and its Id when the seed gives one.
func seedRecordPosition(object string, i int, fields map[string]any) string {
	if id, ok := fields["Id"].(string); ok && id != "" {
		return fmt.Sprintf("seed %s record %d (Id %s)", object, i+1, id)
	}
	return fmt.Sprintf("seed %s record %d", object, i+1)
}
