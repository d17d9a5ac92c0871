package salesforce

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed describe/*.json
var describeFiles embed.FS

// objectNames lists the emulated objects in load order, so seeds can
// refer to records of earlier objects.
var objectNames = []string{"User", "Account", "Contact", "Lead", "Campaign", "CampaignMember"}

var keyPrefixes = map[string]string{
	"Account":        "001",
	"Contact":        "003",
	"Lead":           "00Q",
	"Campaign":       "701",
	"CampaignMember": "00v",
	"User":           "005",
}

// fieldDef is one field of an emulated object, with the attributes of a
// REST describe.
type fieldDef struct {
	Name               string
	Label              string
	Type               string
	SoapType           string
	Length             int
	Precision          int
	Scale              int
	Digits             int
	Nillable           bool
	Createable         bool
	Updateable         bool
	DefaultedOnCreate  bool
	Unique             bool
	ExternalID         bool
	IDLookup           bool
	RestrictedPicklist bool
	Custom             bool
	Calculated         bool
	NameField          bool
	CaseSensitive      bool
	Filterable         bool
	Sortable           bool
	Groupable          bool
	Aggregatable       bool
	ExtraTypeInfo      string
	CompoundFieldName  string
	RelationshipName   string
	ReferenceTo        []string
	Picklist           []picklistEntry
	DefaultValue       any
	// APIReadOnly is set by field-level security that gives the API user
	// read access only: API writes fail, admin writes still succeed.
	APIReadOnly bool
}

type picklistEntry struct {
	Active       bool   `json:"active"`
	DefaultValue bool   `json:"defaultValue"`
	Label        string `json:"label"`
	ValidFor     any    `json:"validFor"`
	Value        string `json:"value"`
}

// requiredOnCreate is Salesforce's rule for a field a create must set.
func (f *fieldDef) requiredOnCreate() bool {
	return f.Createable && !f.Nillable && !f.DefaultedOnCreate && f.Type != "boolean"
}

func (f *fieldDef) isText() bool {
	switch f.Type {
	case "string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "combobox", "encryptedstring":
		return true
	}
	return false
}

func (f *fieldDef) isIDLike() bool { return f.Type == "id" || f.Type == "reference" }

func (f *fieldDef) isNumber() bool {
	switch f.Type {
	case "int", "double", "currency", "percent":
		return true
	}
	return false
}

func (f *fieldDef) picklistValue(v string) (string, bool) {
	for _, p := range f.Picklist {
		if p.Active && strings.EqualFold(p.Value, v) {
			return p.Value, true
		}
	}
	return "", false
}

// objectDef is one emulated object.
type objectDef struct {
	Name        string
	Label       string
	LabelPlural string
	KeyPrefix   string
	Fields      []*fieldDef

	byName             map[string]*fieldDef // lower-case field name
	byRel              map[string]*fieldDef // lower-case relationship name
	childRelationships json.RawMessage
}

func (o *objectDef) field(name string) *fieldDef { return o.byName[strings.ToLower(name)] }

func (o *objectDef) relationship(name string) *fieldDef { return o.byRel[strings.ToLower(name)] }

func (o *objectDef) addField(f *fieldDef) {
	o.Fields = append(o.Fields, f)
	o.index()
}

func (o *objectDef) index() {
	o.byName = make(map[string]*fieldDef, len(o.Fields))
	o.byRel = map[string]*fieldDef{}
	for _, f := range o.Fields {
		o.byName[strings.ToLower(f.Name)] = f
		if f.RelationshipName != "" {
			o.byRel[strings.ToLower(f.RelationshipName)] = f
		}
	}
}

// schema is the set of emulated objects.
type schema struct {
	objects map[string]*objectDef // lower-case name
}

func (s *schema) object(name string) *objectDef { return s.objects[strings.ToLower(name)] }

// trimmedDescribe is the shape of the embedded describe files.
type trimmedDescribe struct {
	Name               string          `json:"name"`
	Label              string          `json:"label"`
	ChildRelationships json.RawMessage `json:"childRelationships"`
	Fields             []struct {
		Name             string          `json:"name"`
		Label            string          `json:"label"`
		Type             string          `json:"type"`
		Nillable         bool            `json:"nillable"`
		DefaultValue     any             `json:"defaultValue"`
		ExtraTypeInfo    *string         `json:"extraTypeInfo"`
		Filterable       bool            `json:"filterable"`
		Groupable        bool            `json:"groupable"`
		Sortable         bool            `json:"sortable"`
		Aggregatable     bool            `json:"aggregatable"`
		Custom           bool            `json:"custom"`
		PicklistValues   []picklistEntry `json:"picklistValues"`
		ReferenceTo      []string        `json:"referenceTo"`
		RelationshipName *string         `json:"relationshipName"`
	} `json:"fields"`
}

// newSchema builds the objects from the embedded describe data, the
// documented facts the data lacks, and the seed's custom fields.
func newSchema(custom []CustomField) (*schema, error) {
	s := &schema{objects: map[string]*objectDef{}}
	for _, name := range []string{"Account", "Contact", "Lead", "User"} {
		data, err := describeFiles.ReadFile("describe/" + name + ".json")
		if err != nil {
			return nil, fmt.Errorf("read %s describe: %w", name, err)
		}
		var d trimmedDescribe
		if err := json.Unmarshal(data, &d); err != nil {
			return nil, fmt.Errorf("decode %s describe: %w", name, err)
		}
		o := &objectDef{Name: d.Name, Label: d.Label, LabelPlural: pluralLabels[d.Name], KeyPrefix: keyPrefixes[d.Name], childRelationships: d.ChildRelationships}
		for _, tf := range d.Fields {
			f := &fieldDef{
				Name: tf.Name, Label: tf.Label, Type: tf.Type, Nillable: tf.Nillable,
				DefaultValue: tf.DefaultValue, Filterable: tf.Filterable, Groupable: tf.Groupable,
				Sortable: tf.Sortable, Aggregatable: tf.Aggregatable, Custom: tf.Custom,
				Picklist: tf.PicklistValues, ReferenceTo: tf.ReferenceTo,
			}
			if tf.ExtraTypeInfo != nil {
				f.ExtraTypeInfo = *tf.ExtraTypeInfo
			}
			if tf.RelationshipName != nil {
				f.RelationshipName = *tf.RelationshipName
			}
			o.Fields = append(o.Fields, f)
		}
		for _, extra := range missingStandardFields[name] {
			o.Fields = append(o.Fields, extra())
		}
		for _, f := range o.Fields {
			completeField(o.Name, f)
		}
		o.index()
		s.objects[strings.ToLower(o.Name)] = o
	}
	for _, o := range []*objectDef{campaignObject(), campaignMemberObject()} {
		for _, f := range o.Fields {
			completeField(o.Name, f)
		}
		o.index()
		s.objects[strings.ToLower(o.Name)] = o
	}

	for _, cf := range custom {
		if err := s.addCustomField(cf); err != nil {
			return nil, err
		}
	}
	return s, nil
}

var pluralLabels = map[string]string{
	"Account": "Accounts", "Contact": "Contacts", "Lead": "Leads", "User": "Users",
	"Campaign": "Campaigns", "CampaignMember": "Campaign Members",
}

func (s *schema) addCustomField(cf CustomField) error {
	o := s.object(cf.Object)
	if o == nil {
		return fmt.Errorf("custom field %s: unknown object %q; use one of %s", cf.Name, cf.Object, strings.Join(objectNames, ", "))
	}
	if !strings.HasSuffix(cf.Name, "__c") || checkIdentifier(strings.TrimSuffix(cf.Name, "__c")) != nil {
		return fmt.Errorf("custom field %q on %s: the name must be letters, digits and underscores ending in __c", cf.Name, o.Name)
	}
	if o.field(cf.Name) != nil {
		return fmt.Errorf("custom field %s on %s: defined twice", cf.Name, o.Name)
	}

	f := &fieldDef{
		Name: cf.Name, Label: cf.Label, Type: cf.Type, Custom: true,
		Nillable: !cf.Required, Createable: true, Updateable: true,
		ExternalID: cf.ExternalID, Unique: cf.Unique, IDLookup: cf.ExternalID || cf.Unique,
		RestrictedPicklist: cf.RestrictedPicklist, Length: cf.Length,
		Filterable: true, Sortable: true, Groupable: true,
	}
	if f.Label == "" {
		f.Label = strings.ReplaceAll(strings.TrimSuffix(cf.Name, "__c"), "_", " ")
	}

	switch cf.Type {
	case "string", "email", "phone", "url", "textarea", "picklist", "boolean", "int", "double", "currency", "percent", "date", "datetime":
	case "multipicklist":
		if len(cf.PicklistValues) == 0 {
			return fmt.Errorf("custom field %s on %s: a multipicklist needs picklist_values", cf.Name, o.Name)
		}
		for _, v := range cf.PicklistValues {
			if strings.Contains(v, ";") {
				return fmt.Errorf("custom field %s on %s: picklist value %q contains \";\", which separates multipicklist values", cf.Name, o.Name, v)
			}
		}
	case "reference":
		target := s.object(cf.ReferenceTo)
		if target == nil {
			return fmt.Errorf("custom field %s on %s: reference_to %q is not an emulated object", cf.Name, o.Name, cf.ReferenceTo)
		}
		f.ReferenceTo = []string{target.Name}
		f.RelationshipName = strings.TrimSuffix(cf.Name, "__c") + "__r"
	default:
		return fmt.Errorf("custom field %s on %s: unsupported type %q", cf.Name, o.Name, cf.Type)
	}
	if f.ExternalID && cf.Type != "string" && cf.Type != "email" && cf.Type != "int" && cf.Type != "double" {
		return fmt.Errorf("custom field %s on %s: an external ID must be string, email, int or double, not %s", cf.Name, o.Name, cf.Type)
	}
	for _, v := range cf.PicklistValues {
		f.Picklist = append(f.Picklist, picklistEntry{Active: true, Label: v, Value: v})
	}

	completeField(o.Name, f)
	if cf.Length > 0 {
		f.Length = cf.Length
	}
	o.addField(f)
	return nil
}

func checkIdentifier(name string) error {
	if name == "" {
		return fmt.Errorf("empty name")
	}
	for i, r := range name {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return fmt.Errorf("invalid name %q", name)
		}
	}
	return nil
}

// sortedObjects returns the objects by name.
func (s *schema) sortedObjects() []*objectDef {
	out := make([]*objectDef, 0, len(s.objects))
	for _, o := range s.objects {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
