package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/koppel-sync/koppel/internal/store"
)

func TestOpenUnknownScheme(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://localhost/koppel", store.Options{})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("error = %v, want ErrInvalid", err)
	}
	if !strings.Contains(err.Error(), `"mysql"`) {
		t.Errorf("error %q does not name the scheme", err)
	}
}

func TestPageSize(t *testing.T) {
	cases := []struct {
		name  string
		page  store.Page
		want  int
		valid bool
	}{
		{"default", store.Page{}, store.DefaultPageSize, true},
		{"explicit", store.Page{Limit: 7}, 7, true},
		{"maximum", store.Page{Limit: store.MaxPageSize}, store.MaxPageSize, true},
		{"above maximum", store.Page{Limit: store.MaxPageSize + 1}, 0, false},
		{"negative", store.Page{Limit: -1}, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.page.Size()
			if c.valid != (err == nil) {
				t.Fatalf("error = %v, want valid %v", err, c.valid)
			}
			if got != c.want {
				t.Errorf("size = %d, want %d", got, c.want)
			}
		})
	}
}
