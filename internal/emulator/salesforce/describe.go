package salesforce

import (
	"encoding/json"
	"net/http"
	"time"
)

// schemaModified is the Last-Modified of every describe: the schema is
// fixed for the life of the emulator, so it changes only at start.
var schemaModified = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (e *Emulator) objectSummary(version string, o *objectDef) *orderedObject {
	out := &orderedObject{}
	base := "/services/data/v" + version + "/sobjects/" + o.Name
	for _, kv := range []struct {
		k string
		v any
	}{
		{"activateable", false}, {"createable", true}, {"custom", false}, {"customSetting", false},
		{"deletable", o.Name != "User"}, {"deprecatedAndHidden", false}, {"feedEnabled", false},
		{"hasSubtypes", false}, {"isSubtype", false}, {"keyPrefix", o.KeyPrefix}, {"label", o.Label},
		{"labelPlural", o.LabelPlural}, {"layoutable", true}, {"mergeable", o.Name == "Lead" || o.Name == "Contact" || o.Name == "Account"},
		{"mruEnabled", true}, {"name", o.Name}, {"queryable", true}, {"replicateable", true},
		{"retrieveable", true}, {"searchable", true}, {"triggerable", true},
		{"undeletable", o.Name != "User"}, {"updateable", true},
		{"urls", map[string]string{"sobject": base, "describe": base + "/describe", "rowTemplate": base + "/{ID}"}},
	} {
		out.set(kv.k, kv.v)
	}
	return out
}

func (e *Emulator) serveDescribeGlobal(w http.ResponseWriter, req *apiRequest) {
	objs := e.schema.sortedObjects()
	list := make([]*orderedObject, len(objs))
	for i, o := range objs {
		list[i] = e.objectSummary(req.version, o)
	}
	writeJSON(w, http.StatusOK, map[string]any{"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": list})
}

// serveObjectInfo serves GET /sobjects/{object}: basic information and
// the recently viewed records, which the emulator does not track.
func (e *Emulator) serveObjectInfo(w http.ResponseWriter, req *apiRequest, o *objectDef) {
	writeJSON(w, http.StatusOK, map[string]any{"objectDescribe": e.objectSummary(req.version, o), "recentItems": []any{}})
}

func (e *Emulator) serveDescribe(w http.ResponseWriter, r *http.Request, req *apiRequest, o *objectDef) {
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !schemaModified.After(t) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	d := e.objectSummary(req.version, o)
	fields := make([]*orderedObject, len(o.Fields))
	for i, f := range o.Fields {
		fields[i] = describeField(f)
	}
	d.set("fields", fields)
	children := o.childRelationships
	if children == nil {
		children = json.RawMessage("[]")
	}
	d.set("childRelationships", children)
	d.set("recordTypeInfos", []any{})
	d.set("supportedScopes", []map[string]string{{"label": "All " + o.LabelPlural, "name": "everything"}})
	w.Header().Set("Last-Modified", schemaModified.Format(http.TimeFormat))
	writeJSON(w, http.StatusOK, d)
}

func describeField(f *fieldDef) *orderedObject {
	byteLength := f.Length * 3
	if f.isIDLike() {
		byteLength = f.Length
	}
	picklist := f.Picklist
	if picklist == nil {
		picklist = []picklistEntry{}
	}
	ref := f.ReferenceTo
	if ref == nil {
		ref = []string{}
	}
	out := &orderedObject{}
	for _, kv := range []struct {
		k string
		v any
	}{
		{"aggregatable", f.Aggregatable || f.isNumber()}, {"autoNumber", false}, {"byteLength", byteLength},
		{"calculated", f.Calculated}, {"calculatedFormula", nil}, {"cascadeDelete", false},
		{"caseSensitive", f.CaseSensitive}, {"compoundFieldName", nilIfEmpty(f.CompoundFieldName)},
		{"controllerName", nil}, {"createable", f.Createable && !f.APIReadOnly}, {"custom", f.Custom},
		{"defaultValue", f.DefaultValue}, {"defaultValueFormula", nil}, {"defaultedOnCreate", f.DefaultedOnCreate},
		{"dependentPicklist", false}, {"deprecatedAndHidden", false}, {"digits", f.Digits},
		{"displayLocationInDecimal", false}, {"encrypted", false}, {"externalId", f.ExternalID},
		{"extraTypeInfo", nilIfEmpty(f.ExtraTypeInfo)}, {"filterable", f.Filterable}, {"filteredLookupInfo", nil},
		{"groupable", f.Groupable}, {"highScaleNumber", false}, {"htmlFormatted", false},
		{"idLookup", f.IDLookup}, {"inlineHelpText", nil}, {"label", f.Label}, {"length", f.Length},
		{"mask", nil}, {"maskType", nil}, {"name", f.Name}, {"nameField", f.NameField},
		{"namePointing", len(f.ReferenceTo) > 1}, {"nillable", f.Nillable}, {"permissionable", f.Nillable && f.Updateable},
		{"picklistValues", picklist}, {"polymorphicForeignKey", len(f.ReferenceTo) > 1},
		{"precision", f.Precision}, {"queryByDistance", false}, {"referenceTargetField", nil},
		{"referenceTo", ref}, {"relationshipName", nilIfEmpty(f.RelationshipName)}, {"relationshipOrder", nil},
		{"restrictedDelete", false}, {"restrictedPicklist", f.RestrictedPicklist}, {"scale", f.Scale},
		{"searchPrefilterable", false}, {"soapType", f.SoapType}, {"sortable", f.Sortable},
		{"type", f.Type}, {"unique", f.Unique}, {"updateable", f.Updateable && !f.APIReadOnly}, {"writeRequiresMasterRead", false},
	} {
		out.set(kv.k, kv.v)
	}
	return out
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
