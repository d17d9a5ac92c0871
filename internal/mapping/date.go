package mapping

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time zone, as Salesforce date fields
// and HubSpot date properties hold it.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses a date in the form YYYY-MM-DD and rejects dates that
// do not exist, such as 2025-02-30.
func ParseDate(s string) (Date, error) {
	if len(s) != len("2006-01-02") {
		return Date{}, fmt.Errorf("parse date %q: expected YYYY-MM-DD", truncateForMessage(s))
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: expected an existing date as YYYY-MM-DD", truncateForMessage(s))
	}
	d := DateOf(t)
	if !d.IsValid() {
		return Date{}, fmt.Errorf("parse date %q: year must be between 0001 and 9999", s)
	}
	return d, nil
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// IsValid reports whether d is an existing date between the years 1 and
// 9999, the range that YYYY-MM-DD can write.
func (d Date) IsValid() bool {
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	return DateOf(d.In(time.UTC)) == d
}

// String returns d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}
