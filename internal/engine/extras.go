package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/koppel-sync/koppel/internal/hubspot"
	"github.com/koppel-sync/koppel/internal/salesforce"
)

// The connector semantics beyond field sync need a few more calls than
// HubSpotSide and SalesforceSide offer. They are optional interfaces, so
// a side that lacks them still runs the field sync; a feature that needs
// a missing call fails with an error that names it.

// HubSpotExtras is what the inclusion list, the email opt-out, deletions
// and merges need from HubSpot.
type HubSpotExtras interface {
	// ListProcessingType returns MANUAL, DYNAMIC or SNAPSHOT.
	ListProcessingType(ctx context.Context, listID string) (string, error)

	// ListMembers calls fn with every member of a list in join order.
	ListMembers(ctx context.Context, listID string, fn func(contactID string, joined time.Time) error) error

	// UnsubscribeAll opts an email address out of all email.
	UnsubscribeAll(ctx context.Context, email string) error

	// ReadArchived calls fn with pages of archived contacts.
	ReadArchived(ctx context.Context, props []string, fn func([]Record) error) error

	// Archive deletes contacts; they stay restorable in HubSpot.
	Archive(ctx context.Context, ids []string) error
}

// SalesforceExtras is what deletions, merges and campaigns need from
// Salesforce.
type SalesforceExtras interface {
	// ReadDeleted calls fn with pages of records of object deleted at or
	// after since, ordered by (Modified, ID), including merge losers.
	ReadDeleted(ctx context.Context, object Object, since time.Time, fn func([]Record) error) error

	// Delete moves records to the recycle bin.
	Delete(ctx context.Context, ids []string) ([]WriteResult, error)

	// CampaignMembers returns the campaigns each of the Leads and Contacts
	// in ids belongs to, keyed by person id.
	CampaignMembers(ctx context.Context, ids []string) (map[string][]Campaign, error)

	// ChangedCampaignMembers returns the Lead and Contact ids whose
	// campaign membership changed at or after since, added or removed,
	// and the newest change time seen.
	ChangedCampaignMembers(ctx context.Context, since time.Time) (leads, contacts []string, newest time.Time, err error)
}

// Campaign is a Salesforce campaign a Lead or Contact belongs to.
type Campaign struct {
	ID   string
	Name string
}

var (
	_ HubSpotExtras    = (*HubSpotClient)(nil)
	_ SalesforceExtras = (*SalesforceClient)(nil)
)

func (e *Engine) hubspotExtras() (HubSpotExtras, error) {
	x, ok := e.cfg.HubSpot.(HubSpotExtras)
	if !ok {
		return nil, fmt.Errorf("the HubSpot side %T has no lists, subscription or archive calls", e.cfg.HubSpot)
	}
	return x, nil
}

func (e *Engine) salesforceExtras() (SalesforceExtras, error) {
	x, ok := e.cfg.Salesforce.(SalesforceExtras)
	if !ok {
		return nil, fmt.Errorf("the Salesforce side %T has no deleted-records or campaign calls", e.cfg.Salesforce)
	}
	return x, nil
}

// HubSpot adapter.

func (h *HubSpotClient) ListProcessingType(ctx context.Context, listID string) (string, error) {
	l, err := h.Client.GetList(ctx, listID, false)
	if err != nil {
		return "", fmt.Errorf("read HubSpot list %s: %w", listID, err)
	}
	return l.ProcessingType, nil
}

func (h *HubSpotClient) ListMembers(ctx context.Context, listID string, fn func(string, time.Time) error) error {
	for m, err := range h.Client.MembershipsJoinOrder(ctx, listID) {
		if err != nil {
			return fmt.Errorf("read members of HubSpot list %s: %w", listID, err)
		}
		if err := fn(m.RecordID, m.MembershipTimestamp); err != nil {
			return err
		}
	}
	return nil
}

func (h *HubSpotClient) UnsubscribeAll(ctx context.Context, email string) error {
	if err := h.Client.UnsubscribeAll(ctx, email); err != nil {
		return fmt.Errorf("unsubscribe from all email: %w", err)
	}
	return nil
}

// ReadArchived pages through every archived contact. HubSpot offers no
// filter by archive time, so each pass reads them all.
//
// TODO: read archived contacts from the contact.deletion webhook instead
// of a full pass once koppel serve stores webhook events.
func (h *HubSpotClient) ReadArchived(ctx context.Context, props []string, fn func([]Record) error) error {
	var page []Record
	for o, err := range h.Client.ListAll(ctx, hubspot.Contacts, hubspot.ListOptions{Archived: true, Properties: props}) {
		if err != nil {
			return fmt.Errorf("read archived HubSpot contacts: %w", err)
		}
		rec := hubspotRecord(o)
		rec.Deleted = true
		page = append(page, rec)
		if len(page) == h.pageSize() {
			if err := fn(page); err != nil {
				return err
			}
			page = nil
		}
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}

func (h *HubSpotClient) Archive(ctx context.Context, ids []string) error {
	if err := h.Client.BatchArchive(ctx, hubspot.Contacts, ids); err != nil {
		return fmt.Errorf("delete HubSpot contacts: %w", err)
	}
	return nil
}

// Salesforce adapter.

func (s *SalesforceClient) ReadDeleted(ctx context.Context, object Object, since time.Time, fn func([]Record) error) error {
	fields := []string{"Id", "Email", "SystemModstamp", "LastModifiedDate", "IsDeleted", "MasterRecordId"}
	soql := fmt.Sprintf("SELECT %s FROM %s WHERE IsDeleted = true AND SystemModstamp >= %s ORDER BY SystemModstamp, Id",
		strings.Join(fields, ", "), object, since.UTC().Format("2006-01-02T15:04:05.000Z"))
	err := s.Client.QueryPages(ctx, soql, salesforce.QueryOptions{All: true}, func(p *salesforce.QueryPage) error {
		page := make([]Record, 0, len(p.Records))
		for i := range p.Records {
			rec := salesforceRecord(object, &p.Records[i])
			rec.Deleted = true
			rec.MasterRecordID = p.Records[i].String("MasterRecordId")
			page = append(page, rec)
		}
		return fn(page)
	})
	if err != nil {
		return fmt.Errorf("read deleted %s records: %w", object, err)
	}
	return nil
}

func (s *SalesforceClient) Delete(ctx context.Context, ids []string) ([]WriteResult, error) {
	res, err := s.Client.DeleteRecords(ctx, ids, false)
	return salesforceResults(res, len(ids), err)
}

func (s *SalesforceClient) CampaignMembers(ctx context.Context, ids []string) (map[string][]Campaign, error) {
	out := map[string][]Campaign{}
	for chunk := range slices.Chunk(ids, emailsPerQuery) {
		quoted := make([]string, len(chunk))
		for i, id := range chunk {
			quoted[i] = salesforce.Quote(id)
		}
		in := strings.Join(quoted, ", ")
		soql := fmt.Sprintf("SELECT LeadId, ContactId, CampaignId, Campaign.Name FROM CampaignMember WHERE LeadId IN (%s) OR ContactId IN (%s)", in, in)
		err := s.Client.QueryPages(ctx, soql, salesforce.QueryOptions{}, func(p *salesforce.QueryPage) error {
			for _, r := range p.Records {
				c := Campaign{ID: r.String("CampaignId")}
				if parent := r.Parent("Campaign"); parent != nil {
					c.Name = parent.String("Name")
				}
				for _, person := range []string{r.String("LeadId"), r.String("ContactId")} {
					if person != "" {
						out[person] = append(out[person], c)
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read campaign members: %w", err)
		}
	}
	return out, nil
}

func (s *SalesforceClient) ChangedCampaignMembers(ctx context.Context, since time.Time) (leads, contacts []string, newest time.Time, err error) {
	soql := fmt.Sprintf("SELECT Id, LeadId, ContactId, SystemModstamp FROM CampaignMember WHERE SystemModstamp >= %s ORDER BY SystemModstamp, Id",
		since.UTC().Format("2006-01-02T15:04:05.000Z"))
	seen := map[string]bool{}
	err = s.Client.QueryPages(ctx, soql, salesforce.QueryOptions{All: true}, func(p *salesforce.QueryPage) error {
		for _, r := range p.Records {
			if t, _ := salesforce.ParseDateTime(r.String("SystemModstamp")); t.After(newest) {
				newest = t
			}
			if id := r.String("LeadId"); id != "" && !seen[id] {
				seen[id] = true
				leads = append(leads, id)
			}
			if id := r.String("ContactId"); id != "" && !seen[id] {
				seen[id] = true
				contacts = append(contacts, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, newest, fmt.Errorf("read changed campaign members: %w", err)
	}
	return leads, contacts, newest, nil
}
