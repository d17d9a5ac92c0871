package generate

import (
	"fmt"
	"strconv"
)

// Salesforce key prefixes of the objects the generator makes.
const (
	prefixUser           = "005"
	prefixAccount        = "001"
	prefixContact        = "003"
	prefixLead           = "00Q"
	prefixCampaign       = "701"
	prefixCampaignMember = "00v"
)

// idSequence hands out Salesforce record ids per key prefix.
type idSequence struct {
	next map[string]int
}

func newIDSequence() *idSequence { return &idSequence{next: map[string]int{}} }

// id returns the next 18-character id for prefix: the prefix, a fixed pod
// "Gk", the reserved 0, nine digits of the counter and the case-safe suffix.
func (s *idSequence) id(prefix string) string {
	s.next[prefix]++
	id15 := fmt.Sprintf("%sGk0%09d", prefix, s.next[prefix])
	return id15 + caseSafeSuffix(id15)
}

// caseSafeSuffix computes the three characters Salesforce appends to a
// 15-character id: for each block of five characters, a letter whose index
// has bit i set when character i of the block is an upper-case letter.
func caseSafeSuffix(id15 string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	suffix := make([]byte, 3)
	for block := range 3 {
		bits := 0
		for i := range 5 {
			c := id15[block*5+i]
			if c >= 'A' && c <= 'Z' {
				bits |= 1 << i
			}
		}
		suffix[block] = alphabet[bits]
	}
	return string(suffix)
}

// hubspotIDs hands out HubSpot record and owner ids, which are decimal
// numbers in one sequence per account.
type hubspotIDs struct{ next int64 }

func (h *hubspotIDs) id() string {
	h.next++
	return strconv.FormatInt(h.next, 10)
}
