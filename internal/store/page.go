package store

import "fmt"

// Page limits for lists.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// Page is a keyset page request. Each list documents its order; After is
// the ID of the last row of the previous page in that order, or 0 for the
// first page. A page with fewer rows than the limit is the last.
type Page struct {
	After int64

	// Limit is the page size: 0 means DefaultPageSize, and more than
	// MaxPageSize is rejected.
	Limit int
}

// Size returns the page size to use, or an ErrInvalid error.
func (p Page) Size() (int, error) {
	switch {
	case p.Limit < 0 || p.Limit > MaxPageSize:
		return 0, fmt.Errorf("%w: page limit %d: use 1 to %d, or 0 for %d", ErrInvalid, p.Limit, MaxPageSize, DefaultPageSize)
	case p.Limit == 0:
		return DefaultPageSize, nil
	}
	return p.Limit, nil
}

// Validate returns an ErrInvalid error for a negative cursor or a bad limit.
func (p Page) Validate() error {
	if p.After < 0 {
		return fmt.Errorf("%w: page cursor %d: use 0 or the last ID of the previous page", ErrInvalid, p.After)
	}
	_, err := p.Size()
	return err
}
