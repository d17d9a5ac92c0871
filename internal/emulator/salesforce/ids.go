package salesforce

import (
	"strings"
)

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns the 18-character id of the n-th record with the key
// prefix. The 15-character part is prefix, a fixed pod part and n in
// base 62, so ids of one object sort in creation order.
func newID(prefix string, n int64) string {
	var digits [8]byte
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = base62[n%62]
		n /= 62
	}
	id15 := prefix + "KP00" + string(digits[:])
	return id15 + idSuffix(id15)
}

// idSuffix computes the three case-safety characters Salesforce appends
// to a 15-character id: for each block of five characters, a bit per
// upper-case letter, mapped to A-Z0-5.
func idSuffix(id15 string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
	var out [3]byte
	for block := 0; block < 3; block++ {
		bits := 0
		for i := 0; i < 5; i++ {
			c := id15[block*5+i]
			if c >= 'A' && c <= 'Z' {
				bits |= 1 << i
			}
		}
		out[block] = alphabet[bits]
	}
	return string(out[:])
}

// normalizeID returns the 18-character form of a 15- or 18-character id,
// and false when s is not a well-formed id.
func normalizeID(s string) (string, bool) {
	if len(s) != 15 && len(s) != 18 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(base62, s[i]) < 0 {
			return "", false
		}
	}
	id15 := s[:15]
	suffix := idSuffix(id15)
	if len(s) == 18 && !strings.EqualFold(s[15:], suffix) {
		return "", false
	}
	return id15 + suffix, true
}
