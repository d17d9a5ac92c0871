package salesforce

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// stateFile is the saved form of an emulator's records. It leaves out
// configuration and sessions, so no credentials reach the file; a resumed
// emulator takes those from its seed.
type stateFile struct {
	Format  int           `json:"format"`
	Saved   string        `json:"saved"`
	Seq     int64         `json:"seq"`
	UserID  string        `json:"user_id"`
	Records []stateRecord `json:"records"`
}

type stateRecord struct {
	Object      string         `json:"object"`
	Seq         int64          `json:"seq"`
	Deleted     bool           `json:"deleted,omitempty"`
	DeletedAt   string         `json:"deleted_at,omitempty"`
	DeletedWith string         `json:"deleted_with,omitempty"`
	Fields      map[string]any `json:"fields"`
}

const stateFormat = 1

// SaveState writes all records, deleted ones included, to path (mode
// 0600), replacing the file atomically.
func (e *Emulator) SaveState(path string) error {
	e.mu.Lock()
	st := stateFile{Format: stateFormat, Saved: e.now().UTC().Format(time.RFC3339), Seq: e.seq, UserID: e.userID}
	for _, name := range objectNames {
		for _, r := range e.byObject[name] {
			fields := make(map[string]any, len(r.fields))
			for k, v := range r.fields {
				fields[k] = wireValue(r.obj.field(k), v)
			}
			sr := stateRecord{Object: name, Seq: r.seq, Deleted: r.deleted, DeletedWith: r.deletedWith, Fields: fields}
			if r.deleted {
				sr.DeletedAt = r.deletedAt.Format(wireDateTime)
			}
			st.Records = append(st.Records, sr)
		}
	}
	e.mu.Unlock()

	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".sfemu-state-*")
	if err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}

// LoadState replaces all records with those saved in path. Sessions and
// configuration stay as they are.
func (e *Emulator) LoadState(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load state: %w", err)
	}
	var st stateFile
	if aerr := decodeJSONBytes(data, &st); aerr != nil {
		return fmt.Errorf("load state %s: %s", path, aerr.Message)
	}
	if st.Format != stateFormat {
		return fmt.Errorf("load state %s: format %d is not supported; expected %d", path, st.Format, stateFormat)
	}

	records := map[string]*record{}
	byObject := map[string][]*record{}
	members := map[string][]*record{}
	for i, sr := range st.Records {
		o := e.schema.object(sr.Object)
		if o == nil {
			return fmt.Errorf("load state %s: record %d: unknown object %q", path, i+1, sr.Object)
		}
		id, _ := sr.Fields["Id"].(string)
		id, ok := normalizeID(id)
		if !ok {
			return fmt.Errorf("load state %s: record %d: invalid Id", path, i+1)
		}
		r := &record{obj: o, id: id, seq: sr.Seq, deleted: sr.Deleted, deletedWith: sr.DeletedWith, fields: map[string]any{}}
		for k, v := range sr.Fields {
			f := o.field(k)
			if f == nil {
				return fmt.Errorf("load state %s: record %s: unknown field %s.%s", path, id, o.Name, k)
			}
			sv, err := fromWire(f, v)
			if err != nil {
				return fmt.Errorf("load state %s: record %s field %s: %w", path, id, k, err)
			}
			r.fields[f.Name] = sv
		}
		if sr.Deleted {
			r.deletedAt, _ = parseDateTime(sr.DeletedAt)
		}
		records[id] = r
		byObject[o.Name] = append(byObject[o.Name], r)
		if o.Name == "CampaignMember" {
			cid := r.str("CampaignId")
			members[cid] = append(members[cid], r)
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	e.records, e.byObject, e.members, e.seq = records, byObject, members, st.Seq
	e.memberByPerson = map[string]*record{}
	for _, list := range members {
		for _, m := range list {
			if !m.deleted {
				e.indexMemberLocked(m)
			}
		}
	}
	if st.UserID != "" && records[st.UserID] != nil {
		e.userID = st.UserID
	} else {
		e.userID = e.pickUserLocked()
	}
	e.cursors = map[string]*queryCursor{}
	return nil
}

// fromWire converts a saved JSON value back to the stored form.
func fromWire(f *fieldDef, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch f.Type {
	case "datetime":
		s, _ := v.(string)
		t, ok := parseDateTime(s)
		if !ok {
			return nil, fmt.Errorf("invalid datetime %v", v)
		}
		return t, nil
	case "int", "double", "currency", "percent":
		switch x := v.(type) {
		case json.Number:
			return strconv.ParseFloat(x.String(), 64)
		case float64:
			return x, nil
		}
		return nil, errors.New("not a number")
	case "address", "location":
		return nil, nil
	}
	return v, nil
}
