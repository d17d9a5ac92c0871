package jsonkeys

import (
	"slices"
	"testing"
)

func TestFieldNames(t *testing.T) {
	type Inner struct {
		Shared string `json:"shared"`
	}
	type outer struct {
		Inner
		Tagged   string `json:"tagged,omitempty"`
		Untagged string
		Skipped  string `json:"-"`
		hidden   string
	}
	cases := []struct {
		name string
		v    any
		want []string
	}{
		{"struct pointer", &outer{}, []string{"shared", "tagged", "Untagged"}},
		{"map", &map[string]any{}, nil},
		{"struct value", outer{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FieldNames(tc.v); !slices.Equal(got, tc.want) {
				t.Errorf("FieldNames = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestUnknownKeys(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"all known", `{"a":1,"b":2}`, nil},
		{"two unknown sorted", `{"z":1,"a":2,"y":3}`, []string{"y", "z"}},
		{"not an object", `[1,2]`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unknown([]byte(tc.body), []string{"a", "b"}); !slices.Equal(got, tc.want) {
				t.Errorf("Unknown = %v, want %v", got, tc.want)
			}
		})
	}
}
