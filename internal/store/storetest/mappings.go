package storetest

import (
	"testing"

	"github.com/koppel-sync/koppel/internal/store"
)

func testMappings(t *testing.T, open Opener) {
	defaults := func() []store.Mapping {
		return []store.Mapping{
			{HubSpotProperty: "email", SalesforceField: "Email", Objects: store.MapBoth, Rule: "prefer_salesforce_unless_blank", IsDefault: true, Kind: "field"},
			{HubSpotProperty: "hubspot_owner_id", SalesforceField: "OwnerId", Objects: store.MapBoth, Rule: "two_way", IsDefault: true, Kind: "owner"},
			{HubSpotProperty: "name", SalesforceField: "Name", Objects: store.MapAccount, Rule: "always_salesforce", Kind: "field"},
		}
	}

	t.Run("replace as a set", func(t *testing.T) {
		b := setup(t, open)

		first, err := b.s.ReplaceMappings(b.ctx, b.conn.ID, defaults())
		noErr(t, err, "replace")
		equal(t, len(first), 3, "mappings returned")
		for i, m := range first {
			if m.ID == 0 || m.ConnectionID != b.conn.ID {
				t.Errorf("mapping %d: id %d, connection %d", i, m.ID, m.ConnectionID)
			}
		}

		listed, err := b.s.ListMappings(b.ctx, b.conn.ID)
		noErr(t, err, "list")
		equal(t, listed, first, "listed mappings")

		second, err := b.s.ReplaceMappings(b.ctx, b.conn.ID, defaults()[1:2])
		noErr(t, err, "replace with one")
		listed, err = b.s.ListMappings(b.ctx, b.conn.ID)
		noErr(t, err, "list after second replace")
		equal(t, listed, second, "only the second set")
		equal(t, listed[0].Kind, "owner", "kind")
		equal(t, listed[0].IsDefault, true, "is default")

		_, err = b.s.ReplaceMappings(b.ctx, b.conn.ID, nil)
		noErr(t, err, "replace with none")
		listed, err = b.s.ListMappings(b.ctx, b.conn.ID)
		noErr(t, err, "list after clearing")
		equal(t, len(listed), 0, "mappings after clearing")
	})

	t.Run("failed replace keeps the old set", func(t *testing.T) {
		b := setup(t, open)
		before, err := b.s.ReplaceMappings(b.ctx, b.conn.ID, defaults())
		noErr(t, err, "replace")

		duplicate := append(defaults(), defaults()[0])
		_, err = b.s.ReplaceMappings(b.ctx, b.conn.ID, duplicate)
		isErr(t, err, store.ErrConflict, "same pair twice")

		invalid := defaults()
		invalid[2].Objects = "Opportunity"
		_, err = b.s.ReplaceMappings(b.ctx, b.conn.ID, invalid)
		isErr(t, err, store.ErrInvalid, "unknown objects")
		invalid = defaults()
		invalid[1].Rule = ""
		_, err = b.s.ReplaceMappings(b.ctx, b.conn.ID, invalid)
		isErr(t, err, store.ErrInvalid, "empty rule")
		invalid = defaults()
		invalid[0].SalesforceField = ""
		_, err = b.s.ReplaceMappings(b.ctx, b.conn.ID, invalid)
		isErr(t, err, store.ErrInvalid, "empty Salesforce field")

		after, err := b.s.ListMappings(b.ctx, b.conn.ID)
		noErr(t, err, "list")
		equal(t, after, before, "mappings after failed replaces")
	})

	t.Run("unknown connection", func(t *testing.T) {
		b := setup(t, open)

		_, err := b.s.ReplaceMappings(b.ctx, b.conn.ID+100, nil)
		isErr(t, err, store.ErrNotFound, "replace")
	})
}
