package generate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// source wraps the seeded generator with the draws the data needs.
type source struct {
	*rand.Rand
}

func newSource(seed uint64) source {
	// PCG is fully determined by its two words; the second word only
	// spreads seeds that differ in few bits.
	return source{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (s source) pick(list []string) string { return list[s.IntN(len(list))] }

// chance returns true with probability percent/100.
func (s source) chance(percent int) bool { return s.IntN(100) < percent }

func (s source) weighted(list []weighted) string {
	total := 0
	for _, w := range list {
		total += w.Weight
	}
	n := s.IntN(total)
	for _, w := range list {
		if n < w.Weight {
			return w.Value
		}
		n -= w.Weight
	}
	return list[len(list)-1].Value
}

func (s source) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + s.IntN(10)))
	}
	return b.String()
}

// timeBetween returns a time in [from, to), truncated to the second as
// both systems store it.
func (s source) timeBetween(from, to time.Time) time.Time {
	span := to.Sub(from)
	if span <= 0 {
		return from.Truncate(time.Second)
	}
	return from.Add(time.Duration(s.Int64N(int64(span)))).Truncate(time.Second)
}

func (s source) pickCountry() *country {
	total := 0
	for _, c := range countries {
		total += c.Share
	}
	n := s.IntN(total)
	for _, c := range countries {
		if n < c.Share {
			return c
		}
		n -= c.Share
	}
	return countries[0]
}

// postcode returns a postcode in the city's range in the country's format:
// 1234 AB, 1000 or 10115.
func (s source) postcode(c *country, ci city) string {
	n := ci.Postcode[0] + s.IntN(ci.Postcode[1]-ci.Postcode[0]+1)
	switch c.Code {
	case "NL":
		// Dutch postcodes never use the letter pairs SA, SD and SS.
		for {
			letters := string([]byte{byte('A' + s.IntN(26)), byte('A' + s.IntN(26))})
			if letters != "SA" && letters != "SD" && letters != "SS" {
				return fmt.Sprintf("%04d %s", n, letters)
			}
		}
	case "DE":
		return fmt.Sprintf("%05d", n)
	default:
		return fmt.Sprintf("%04d", n)
	}
}

// street returns a street with a house number, as written in the country.
func (s source) street(c *country) string {
	number := 1 + s.IntN(180)
	st := s.pick(c.Streets)
	switch {
	case c.Code == "NL" && s.chance(10):
		return fmt.Sprintf("%s %d%c", st, number, 'a'+rune(s.IntN(3)))
	case c.Code == "NL" && s.chance(5):
		return fmt.Sprintf("%s %d-II", st, number)
	case c.Code == "BE" && s.chance(15):
		return fmt.Sprintf("%s %d bus %d", st, number, 1+s.IntN(12))
	}
	return fmt.Sprintf("%s %d", st, number)
}

// phone returns a landline number in international format with the usual
// grouping of the country: +31 20 123 4567, +32 2 123 45 67, +49 30 12345678.
func (s source) phone(c *country, ci city) string {
	switch c.Code {
	case "NL":
		return fmt.Sprintf("+31 %s %s %s", ci.AreaCode, s.digits(3), s.digits(4))
	case "BE":
		if len(ci.AreaCode) == 1 {
			return fmt.Sprintf("+32 %s %s %s %s", ci.AreaCode, s.digits(3), s.digits(2), s.digits(2))
		}
		return fmt.Sprintf("+32 %s %s %s %s", ci.AreaCode, s.digits(2), s.digits(2), s.digits(2))
	default:
		return fmt.Sprintf("+49 %s %s", ci.AreaCode, s.digits(10-len(ci.AreaCode)))
	}
}

// mobile returns a mobile number in international format.
func (s source) mobile(c *country) string {
	prefix := s.pick(c.MobilePrefixes)
	switch c.Code {
	case "NL":
		return fmt.Sprintf("+31 %s %s %s", prefix, s.digits(4), s.digits(4))
	case "BE":
		return fmt.Sprintf("+32 %s %s %s %s", prefix, s.digits(2), s.digits(2), s.digits(2))
	default:
		return fmt.Sprintf("+49 %s %s", prefix, s.digits(8))
	}
}

// localPhone rewrites an international number the way people type it at
// home: "+31 20 123 4567" becomes "020-1234567".
func localPhone(c *country, international string) string {
	rest := strings.TrimPrefix(international, "+"+map[string]string{"NL": "31", "BE": "32", "DE": "49"}[c.Code]+" ")
	parts := strings.SplitN(rest, " ", 2)
	if len(parts) != 2 {
		return international
	}
	subscriber := strings.ReplaceAll(parts[1], " ", "")
	if c.Code == "NL" {
		return "0" + parts[0] + "-" + subscriber
	}
	return "0" + parts[0] + " " + parts[1]
}
