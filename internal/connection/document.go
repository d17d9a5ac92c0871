package connection

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/koppel-sync/koppel/internal/i18n"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
)

// Document is the settings file of one connection, as koppel settings show
// prints it and koppel settings apply reads it.
type Document struct {
	Settings settings.Settings `json:"settings" yaml:"settings"`

	// Mappings lists every field mapping. When a file leaves the key out,
	// apply keeps the stored mappings.
	Mappings []DocumentMapping `json:"mappings,omitempty" yaml:"mappings,omitempty"`
}

// DocumentMapping is one field mapping in a Document.
type DocumentMapping struct {
	// ID names a default mapping, such as "contact.jobtitle". A custom
	// mapping's ID is "custom." followed by the HubSpot property.
	ID      string `json:"id" yaml:"id"`
	HubSpot string `json:"hubspot" yaml:"hubspot"`
	// Salesforce lists the mapped fields as Object.Field, such as
	// Lead.Title and Contact.Title.
	Salesforce []string `json:"salesforce" yaml:"salesforce,flow"`
	Rule       string   `json:"rule" yaml:"rule"`

	// Kind and Default describe a mapping in show's output; apply ignores
	// them because they follow from the ID.
	Kind    string `json:"kind,omitempty" yaml:"kind,omitempty"`
	Default bool   `json:"default,omitempty" yaml:"default,omitempty"`
}

// NewDocument returns the document of s and ms.
func NewDocument(s settings.Settings, ms []mapping.Mapping) Document {
	d := Document{Settings: s}
	for _, m := range ms {
		dm := DocumentMapping{ID: m.ID, HubSpot: m.HubSpot.Name, Rule: string(m.Rule), Kind: string(m.Kind), Default: m.Default}
		for _, f := range m.Salesforce {
			dm.Salesforce = append(dm.Salesforce, f.Object+"."+f.Name)
		}
		d.Mappings = append(d.Mappings, dm)
	}
	return d
}

// EncodeYAML writes d as YAML after a comment naming the connection.
func (d Document) EncodeYAML(w io.Writer, connection string) error {
	fmt.Fprintf(w, "# koppel settings of connection %q.\n", connection)
	fmt.Fprintln(w, "# Edit and run: koppel settings apply -f FILE")
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("encode settings: %w", err)
	}
	return enc.Close()
}

// ParseDocument reads a YAML (or JSON, which is YAML too) settings file.
// Fields the file leaves out keep the defaults of settings.Default, and an
// unknown key is an error that names its line.
func ParseDocument(data []byte) (Document, bool, error) {
	// Decoding into a struct that already holds the defaults keeps them
	// for keys the file leaves out. The pointer is nil only when the file
	// has no mappings key, which differs from an empty list.
	raw := struct {
		Settings settings.Settings  `yaml:"settings"`
		Mappings *[]DocumentMapping `yaml:"mappings"`
	}{Settings: settings.Default()}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil && !errors.Is(err, io.EOF) {
		return Document{}, false, fmt.Errorf("parse settings file: %w", explainYAMLError(err))
	}

	doc := Document{Settings: raw.Settings}
	if raw.Mappings == nil {
		return doc, false, nil
	}
	doc.Mappings = *raw.Mappings
	return doc, true, nil
}

// Problem is one invalid value in a settings file.
type Problem struct {
	Path  string // such as "settings.time_zone" or "mappings[3].rule"
	Value string
	Hint  string // in English

	// ID and Data render the hint in another language; an empty ID means
	// only the English Hint exists.
	ID   i18n.ID
	Data i18n.Data
}

func newProblem(path, value string, id i18n.ID, data i18n.Data) Problem {
	return Problem{Path: path, Value: value, Hint: i18n.New(i18n.English).T(id, data), ID: id, Data: data}
}

// LocalizedHint returns the hint in p's language.
func (pr Problem) LocalizedHint(p *i18n.Printer) string {
	if pr.ID == "" {
		return pr.Hint
	}
	return p.T(pr.ID, pr.Data)
}

// settingsProblem turns a settings.FieldError into a Problem. The English
// hint stays the one the settings package wrote; the ID adds the
// translation of the same rule.
func settingsProblem(fe *settings.FieldError) Problem {
	pr := Problem{Path: "settings." + fe.Path, Value: fe.Value, Hint: fe.Hint}
	switch fe.Path {
	case "hubspot_on_salesforce_change":
		pr.ID = i18n.HintHubSpotOnSalesforceChange
	case "salesforce_on_hubspot_change":
		pr.ID = i18n.HintSalesforceOnHubSpotChange
	case "hubspot_on_salesforce_delete", "salesforce_on_hubspot_delete":
		pr.ID = i18n.HintOnDelete
	case "inclusion_list_id":
		pr.ID = i18n.HintInclusionListID
	case "missing_required":
		pr.ID = i18n.HintMissingRequired
	case "placeholder":
		pr.ID, pr.Data = i18n.HintPlaceholderLong, i18n.Data{"Max": settings.MaxPlaceholder}
		if strings.TrimSpace(fe.Value) == "" {
			pr.ID, pr.Data = i18n.HintPlaceholderBlank, nil
		}
	case "time_zone":
		pr.ID = i18n.HintTimeZone
	case "salesforce_api_allocation":
		pr.ID = i18n.HintAPIAllocation
	case "retry_pause_at_percent":
		pr.ID = i18n.HintRetryPause
	case "interval":
		pr.ID, pr.Data = i18n.HintInterval, i18n.Data{"Min": settings.MinInterval.String(), "Max": settings.MaxInterval.String()}
	case "overlap_window":
		pr.ID, pr.Data = i18n.HintOverlapWindow, i18n.Data{"Max": settings.MaxOverlapWindow.String()}
	}
	return pr
}

func (p Problem) String() string {
	return fmt.Sprintf("%s: invalid value %q: %s", p.Path, p.Value, p.Hint)
}

// Validate checks every setting and mapping of d and returns the mappings
// to store, or every problem it found. When hasMappings is false the
// mappings are not checked and the returned slice is nil.
func (d Document) Validate(hasMappings bool) ([]mapping.Mapping, []Problem) {
	var problems []Problem
	if err := d.Settings.Validate(); err != nil {
		for _, e := range flatten(err) {
			var fe *settings.FieldError
			if errors.As(e, &fe) {
				problems = append(problems, settingsProblem(fe))
			} else {
				problems = append(problems, Problem{Path: "settings", Hint: e.Error()})
			}
		}
	}
	if !hasMappings {
		return nil, problems
	}

	ms, mp := validateMappings(d.Mappings)
	return ms, append(problems, mp...)
}

func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// validateMappings applies the rules of dms to the default sets and adds
// the custom mappings, reporting every problem.
func validateMappings(dms []DocumentMapping) ([]mapping.Mapping, []Problem) {
	var problems []Problem
	add := func(i int, field, value string, id i18n.ID, data i18n.Data) {
		problems = append(problems, newProblem(fmt.Sprintf("mappings[%d].%s", i, field), value, id, data))
	}

	contacts, companies := mapping.NewContactSet(), mapping.NewCompanySet()
	seen := map[string]int{}
	usedHubSpot := map[string]string{} // "contact:email" → mapping id
	usedField := map[string]string{}   // "Lead.Email" → mapping id
	var customs []mapping.Mapping

	for i, dm := range dms {
		dm = currentDefault(dm)
		if dm.ID == "" {
			add(i, "id", "", i18n.HintMappingIDMissing, nil)
			continue
		}
		if j, dup := seen[dm.ID]; dup {
			add(i, "id", dm.ID, i18n.HintMappingIDDuplicate, i18n.Data{"Index": j})
			continue
		}
		seen[dm.ID] = i

		rule, err := mapping.ParseRule(dm.Rule)
		if err != nil {
			add(i, "rule", dm.Rule, i18n.HintMappingRule, i18n.Data{"Rules": joinRules()})
			continue
		}

		fields, ok := parseFields(dm.Salesforce)
		if !ok {
			add(i, "salesforce", strings.Join(dm.Salesforce, ", "), i18n.HintMappingFieldsFormat, nil)
			continue
		}

		set := contacts
		if def, ok := companies.Get(dm.ID); ok && def.Default {
			set = companies
		}
		if def, ok := set.Get(dm.ID); ok && def.Default {
			if dm.HubSpot != def.HubSpot.Name || !sameFields(fields, def.Salesforce) {
				add(i, "salesforce", dm.HubSpot+" → "+strings.Join(dm.Salesforce, ", "), i18n.HintMappingDefaultFields,
					i18n.Data{"ID": def.ID, "HubSpot": def.HubSpot.Name, "Fields": fieldNames(def.Salesforce)})
				continue
			}
			if err := set.SetRule(def.ID, rule); err != nil {
				add(i, "rule", dm.Rule, i18n.HintMappingRule, i18n.Data{"Rules": rulesOf(mapping.AllowedRules(def))})
			}
			continue
		}

		if !strings.HasPrefix(dm.ID, "custom.") || dm.ID != "custom."+dm.HubSpot || dm.HubSpot == "" {
			add(i, "id", dm.ID, i18n.HintMappingCustomID, i18n.Data{"Want": "custom." + dm.HubSpot})
			continue
		}
		m := mapping.Mapping{ID: dm.ID, HubSpot: mapping.HubSpotProperty{Name: dm.HubSpot}, Salesforce: fields, Rule: rule, Kind: mapping.KindOrdinary}
		customs = append(customs, m)
	}

	// Defaults cannot be deleted, and no property or field may be mapped
	// twice across defaults and custom mappings.
	for _, set := range []*mapping.Set{contacts, companies} {
		for _, def := range set.All() {
			if _, listed := seen[def.ID]; !listed {
				problems = append(problems, newProblem("mappings", def.ID, i18n.HintMappingDefaultRemoved, nil))
			}
		}
	}
	all := append(contacts.All(), companies.All()...)
	all = append(all, customs...)
	for _, m := range all {
		scope := "contact:"
		if isCompanyMapping(m) {
			scope = "company:"
		}
		if other, dup := usedHubSpot[scope+m.HubSpot.Name]; dup {
			problems = append(problems, newProblem(fmt.Sprintf("mappings[%d].hubspot", seen[m.ID]), m.HubSpot.Name,
				i18n.HintMappingPropertyTwice, i18n.Data{"Other": other}))
		}
		usedHubSpot[scope+m.HubSpot.Name] = m.ID
		for _, f := range m.Salesforce {
			name := f.Object + "." + f.Name
			if other, dup := usedField[name]; dup {
				problems = append(problems, newProblem(fmt.Sprintf("mappings[%d].salesforce", seen[m.ID]), name,
					i18n.HintMappingFieldTwice, i18n.Data{"Other": other}))
			}
			usedField[name] = m.ID
		}
	}
	// The types of custom mappings are checked by CheckCustomMappings,
	// which needs the live describe and properties.

	if len(problems) > 0 {
		return nil, problems
	}
	return all, nil
}

// currentDefault rewrites an entry of a renamed default mapping, written
// under its former ID and HubSpot property, to the current ones, so a
// settings file exported before the rename still applies.
func currentDefault(dm DocumentMapping) DocumentMapping {
	current := mapping.CurrentDefaultID(dm.ID)
	if current == dm.ID {
		return dm
	}
	_, formerName, _ := strings.Cut(dm.ID, ".")
	_, currentName, _ := strings.Cut(current, ".")
	if dm.HubSpot == formerName {
		dm.ID, dm.HubSpot = current, currentName
	}
	return dm
}

func parseFields(list []string) ([]mapping.SalesforceField, bool) {
	if len(list) == 0 {
		return nil, false
	}
	var out []mapping.SalesforceField
	for _, s := range list {
		object, field, ok := strings.Cut(strings.TrimSpace(s), ".")
		if !ok || field == "" || !validAPIName(field) {
			return nil, false
		}
		if object != mapping.ObjectLead && object != mapping.ObjectContact && object != mapping.ObjectAccount {
			return nil, false
		}
		if slices.ContainsFunc(out, func(f mapping.SalesforceField) bool { return f.Object == object }) {
			return nil, false
		}
		out = append(out, mapping.SalesforceField{Object: object, Name: field})
	}
	return out, true
}

func validAPIName(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

func sameFields(a, b []mapping.SalesforceField) bool {
	if len(a) != len(b) {
		return false
	}
	for _, f := range a {
		if !slices.ContainsFunc(b, func(g mapping.SalesforceField) bool { return g.Object == f.Object && g.Name == f.Name }) {
			return false
		}
	}
	return true
}

func fieldNames(fs []mapping.SalesforceField) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Object + "." + f.Name
	}
	return strings.Join(names, ", ")
}

func joinRules() string { return rulesOf(mapping.Rules) }

func rulesOf(rs []mapping.Rule) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// DecodeSettings returns the settings stored as raw JSON, with the
// defaults of settings.Default for fields it lacks.
func DecodeSettings(raw []byte) (settings.Settings, error) {
	s := settings.Default()
	if len(bytes.TrimSpace(raw)) == 0 {
		return s, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("decode stored settings: %w", err)
	}
	return s, nil
}
