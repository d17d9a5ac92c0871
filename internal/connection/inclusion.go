package connection

import (
	"context"
	"errors"
	"fmt"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/i18n"
)

// hubspotContactsType is HubSpot's object type id of contacts.
const hubspotContactsType = "0-1"

// CheckInclusionList returns a problem when listID does not name a HubSpot
// contact list of the DYNAMIC (active) kind, the only kind HubSpot's
// connector accepts, and nil when the list may be the inclusion list. The
// settings file's own validation only checks that the ID is numeric, so a
// typo would otherwise be saved and the list ignored.
func (c *Connection) CheckInclusionList(ctx context.Context, listID string) (*Problem, error) {
	const path = "settings.inclusion_list_id"

	l, err := c.HubSpot.GetList(ctx, listID, false)
	var he *hubspot.Error
	if errors.As(err, &he) && he.Class() == hubspot.ClassDeleted {
		p := newProblem(path, listID, i18n.HintInclusionListUnknown, nil)
		return &p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read HubSpot list %s: %w", listID, err)
	}

	if l.ObjectTypeID != "" && l.ObjectTypeID != hubspotContactsType {
		p := newProblem(path, listID, i18n.HintInclusionListNotContacts, i18n.Data{"Name": l.Name})
		return &p, nil
	}
	if l.ProcessingType != "DYNAMIC" {
		p := newProblem(path, listID, i18n.HintInclusionListNotDynamic, i18n.Data{"Name": l.Name, "Type": l.ProcessingType})
		return &p, nil
	}
	return nil, nil
}
