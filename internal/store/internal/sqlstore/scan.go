package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// timeScanner reads a time column stored either as Unix milliseconds
// (SQLite) or as timestamptz (PostgreSQL). NULL reads as the zero time.
type timeScanner struct{ t *time.Time }

func scanTime(t *time.Time) timeScanner { return timeScanner{t} }

func (s timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
	case int64:
		*s.t = time.UnixMilli(v).UTC()
	case time.Time:
		*s.t = v.UTC()
	default:
		return fmt.Errorf("scan time: unsupported column type %T", src)
	}
	return nil
}

// nullID binds 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// idScanner reads an optional reference; NULL reads as 0.
type idScanner struct{ id *int64 }

func scanID(id *int64) idScanner { return idScanner{id} }

func (s idScanner) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*s.id = n.Int64
	return nil
}

// jsonScanner decodes a JSON column into v. NULL leaves v unchanged.
type jsonScanner struct{ v any }

func scanJSON(v any) jsonScanner { return jsonScanner{v} }

func (s jsonScanner) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("scan JSON: unsupported column type %T", src)
	}
	if err := json.Unmarshal(b, s.v); err != nil {
		return fmt.Errorf("scan JSON: %w", err)
	}
	return nil
}

// rawJSONScanner copies a JSON column as raw bytes. NULL reads as nil.
type rawJSONScanner struct{ v *json.RawMessage }

func scanRawJSON(v *json.RawMessage) rawJSONScanner { return rawJSONScanner{v} }

func (s rawJSONScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.v = nil
	case string:
		*s.v = json.RawMessage(v)
	case []byte:
		*s.v = append(json.RawMessage(nil), v...)
	default:
		return fmt.Errorf("scan JSON: unsupported column type %T", src)
	}
	return nil
}

// jsonText encodes v for a JSON column.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

type rowScanner interface {
	Scan(dest ...any) error
}
