package salesforce

import (
	"fmt"
	"strings"
)

// applyReadOnlyFields marks the fields of Config.ReadOnlyFields as
// read-only for the API user, as field-level security with read access
// only does.
func (e *Emulator) applyReadOnlyFields() error {
	for _, name := range e.cfg.ReadOnlyFields {
		objectName, fieldName, ok := strings.Cut(name, ".")
		if !ok || objectName == "" || fieldName == "" {
			return fmt.Errorf("read-only field %q: use Object.Field, such as Lead.Title", name)
		}
		o := e.schema.object(objectName)
		if o == nil {
			return fmt.Errorf("read-only field %q: unknown object %q; use one of %s", name, objectName, strings.Join(objectNames, ", "))
		}
		f := o.field(fieldName)
		if f == nil {
			return fmt.Errorf("read-only field %q: %s has no field %q", name, o.Name, fieldName)
		}
		// Salesforce offers no field-level security on required fields,
		// so they stay editable for every profile.
		if !f.Nillable && f.Type != "boolean" {
			return fmt.Errorf("read-only field %q: %s.%s is required, and field-level security cannot make a required field read-only", name, o.Name, f.Name)
		}
		f.APIReadOnly = true
	}
	return nil
}

// createableFor reports whether a write with opt may set f on insert.
func (f *fieldDef) createableFor(opt writeOptions) bool {
	return opt.system || (f.Createable && !(opt.api && f.APIReadOnly))
}

// updateableFor reports whether a write with opt may change f.
func (f *fieldDef) updateableFor(opt writeOptions) bool {
	return opt.system || (f.Updateable && !(opt.api && f.APIReadOnly))
}
