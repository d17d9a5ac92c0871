package web

import (
	"context"
	"fmt"
	"sort"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/mapping"
	"github.com/koppel-sync/koppel/internal/settings"
	"github.com/koppel-sync/koppel/internal/store"
)

// maxExamples bounds the example records shown per changed field.
const maxExamples = 3

// planSummary counts what one dry run of the next cycle would do. Its
// counts use the outcomes a finished run records, so the preview can be
// checked against the run that follows: created, linked,
// updated_hubspot, updated_salesforce, skipped and failed (parked).
type planSummary struct {
	CreatedHubSpot    int64
	CreatedSalesforce int64
	Linked            int64
	UpdatedHubSpot    int64
	UpdatedSalesforce int64
	Skipped           int64
	Parked            int64

	Fields []fieldChange
}

// fieldChange is how many records get one field written in one direction.
type fieldChange struct {
	Field           string
	SalesforceField string
	Direction       store.Direction
	Rule            mapping.Rule
	Count           int64
	Examples        []fieldExample
}

type fieldExample struct {
	Email        string
	HubSpotID    string
	SalesforceID string
	Old, New     string
}

// summarizePlan runs the engine's dry run, the one koppel plan prints, and
// counts its items.
func summarizePlan(ctx context.Context, eng *engine.Engine) (planSummary, error) {
	var sum planSummary
	byKey := map[string]*fieldChange{}
	err := eng.PlanNext(ctx, func(it *engine.Item) error {
		switch it.Action {
		case engine.ActionCreate:
			if it.Target() == engine.HubSpot {
				sum.CreatedHubSpot++
			} else {
				sum.CreatedSalesforce++
			}
		case engine.ActionLink:
			sum.Linked++
		case engine.ActionSkip:
			sum.Skipped++
		case engine.ActionPark:
			sum.Parked++
		}
		if it.Action == engine.ActionUpdate || it.Action == engine.ActionLink {
			if len(it.ToHubSpot) > 0 {
				sum.UpdatedHubSpot++
			}
			if len(it.ToSalesforce) > 0 {
				sum.UpdatedSalesforce++
			}
		}

		for _, f := range it.Fields {
			if f.Direction == "" || f.Unchanged {
				continue
			}
			key := f.Field + "|" + string(f.Direction)
			fc := byKey[key]
			if fc == nil {
				fc = &fieldChange{Field: f.Field, SalesforceField: f.SalesforceField, Direction: f.Direction, Rule: f.Rule}
				byKey[key] = fc
			}
			fc.Count++
			if len(fc.Examples) < maxExamples {
				fc.Examples = append(fc.Examples, fieldExample{
					Email: it.Email, HubSpotID: it.HubSpot.ID, SalesforceID: it.Salesforce.ID,
					Old: displayValue(f.Old), New: displayValue(f.New),
				})
			}
		}
		return nil
	})
	if err != nil {
		return planSummary{}, fmt.Errorf("plan next cycle: %w", err)
	}

	for _, fc := range byKey {
		sum.Fields = append(sum.Fields, *fc)
	}
	sort.Slice(sum.Fields, func(i, j int) bool {
		if sum.Fields[i].Field != sum.Fields[j].Field {
			return sum.Fields[i].Field < sum.Fields[j].Field
		}
		return sum.Fields[i].Direction < sum.Fields[j].Direction
	})
	return sum, nil
}

// previewRow is one line of the comparison table.
type previewRow struct {
	Label string // message id
	Now   int64
	After int64
}

// Diff is After minus Now.
func (p previewRow) Diff() int64 { return p.After - p.Now }

// preview compares the next cycle under the stored configuration with the
// next cycle under the edited one.
type preview struct {
	Rows   []previewRow
	Fields []fieldChange

	// Changed lists what the edit changes, as message ids with values.
	Changed []changeLine
}

type changeLine struct {
	// What is a message id on the settings page and a HubSpot property
	// name on the mappings pages.
	What     string
	From, To string
}

// Same reports whether the edit changes nothing the next cycle does.
func (p preview) Same() bool {
	for _, r := range p.Rows {
		if r.Diff() != 0 {
			return false
		}
	}
	return true
}

// computePreview plans the next cycle twice, with the stored and the
// edited settings and mappings, through the engine koppel plan uses.
func (s *server) computePreview(ctx context.Context, cv *connView, c Clients, edited settings.Settings, editedMappings []mapping.Mapping) (preview, error) {
	current, err := s.cfg.NewEngine(ctx, cv.Rec, cv.Settings, cv.Mappings, c)
	if err != nil {
		return preview{}, fmt.Errorf("build engine for the stored configuration: %w", err)
	}
	next, err := s.cfg.NewEngine(ctx, cv.Rec, edited, editedMappings, c)
	if err != nil {
		return preview{}, fmt.Errorf("build engine for the edited configuration: %w", err)
	}
	before, err := summarizePlan(ctx, current)
	if err != nil {
		return preview{}, err
	}
	after, err := summarizePlan(ctx, next)
	if err != nil {
		return preview{}, err
	}
	return preview{
		Rows: []previewRow{
			{"preview.created_hubspot", before.CreatedHubSpot, after.CreatedHubSpot},
			{"preview.created_salesforce", before.CreatedSalesforce, after.CreatedSalesforce},
			{"preview.linked", before.Linked, after.Linked},
			{"preview.updated_hubspot", before.UpdatedHubSpot, after.UpdatedHubSpot},
			{"preview.updated_salesforce", before.UpdatedSalesforce, after.UpdatedSalesforce},
			{"preview.parked", before.Parked, after.Parked},
			{"preview.skipped", before.Skipped, after.Skipped},
		},
		Fields: after.Fields,
	}, nil
}

// displayValue shows a canonical value to people; blank shows as "".
func displayValue(v mapping.Value) string {
	if v.IsBlank() {
		return ""
	}
	if v.Kind() == mapping.KindText {
		return v.Text()
	}
	return v.String()
}

// displayEncoded shows a stored value encoding to people.
func displayEncoded(s string) string {
	if s == "" {
		return ""
	}
	v, err := mapping.DecodeValue(s)
	if err != nil {
		return s
	}
	return displayValue(v)
}
