package engine

import (
	"fmt"
	"strings"
)

// Choice reasons, written to the audit log when several Salesforce records
// share one email address.
const (
	ReasonLinkedAlive   = "linked_record_alive"
	ReasonOnlyMatch     = "only_match"
	ReasonContactBefore = "contact_before_lead"
	ReasonMostRecent    = "most_recently_modified"
	ReasonLowestID      = "lowest_id"
)

// ChooseSalesforce picks the one Salesforce record, among several with the
// same email address, that a HubSpot contact syncs with. HubSpot keeps one
// contact per email, so the choice must be deterministic: the linked record
// while it is alive, else a Contact before a Lead, else the most recently
// modified, else the lowest Id. It returns the index of the chosen
// candidate, or -1 when no candidate is alive, and the reason.
func ChooseSalesforce(candidates []Candidate, linkedID string) (int, string) {
	if linkedID != "" {
		for i, c := range candidates {
			if c.ID == linkedID && c.Alive {
				return i, ReasonLinkedAlive
			}
		}
	}

	best := -1
	alive := 0
	for i, c := range candidates {
		if !c.Alive {
			continue
		}
		alive++
		if best < 0 {
			best = i
			continue
		}
		if _, better := prefer(c, candidates[best]); better {
			best = i
		}
	}
	if best < 0 {
		return -1, ""
	}
	if alive == 1 {
		return best, ReasonOnlyMatch
	}
	return best, decidingReason(candidates, best)
}

// prefer reports whether a ranks before b, and by which rule.
func prefer(a, b Candidate) (string, bool) {
	if a.Object != b.Object {
		return ReasonContactBefore, a.Object == Contact
	}
	if !a.LastModified.Equal(b.LastModified) {
		return ReasonMostRecent, a.LastModified.After(b.LastModified)
	}
	return ReasonLowestID, strings.Compare(a.ID, b.ID) < 0
}

func reasonRank(r string) int {
	switch r {
	case ReasonContactBefore:
		return 0
	case ReasonMostRecent:
		return 1
	case ReasonLowestID:
		return 2
	}
	return 3
}

// decidingReason names the first rule that separated the winner from its
// closest rival: the strongest rule among all the pairwise comparisons
// would overstate it when a Lead lost early and two Contacts tied late.
func decidingReason(candidates []Candidate, best int) string {
	reason := ""
	for i, c := range candidates {
		if i == best || !c.Alive {
			continue
		}
		r, _ := prefer(candidates[best], c)
		if reason == "" || reasonRank(r) > reasonRank(reason) {
			reason = r
		}
	}
	return reason
}

// describeChoice renders a choice for the audit log without any email
// address, so the row can be shown to anyone who may see record ids.
func describeChoice(candidates []Candidate, chosen int, reason string) string {
	var ids []string
	for _, c := range candidates {
		ids = append(ids, string(c.Object)+":"+c.ID)
	}
	return fmt.Sprintf("chose %s %s among %s by %s",
		candidates[chosen].Object, candidates[chosen].ID, strings.Join(ids, ", "), reason)
}
