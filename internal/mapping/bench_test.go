package mapping

import (
	"encoding/json"
	"testing"
)

func BenchmarkDecide(b *testing.B) {
	cases := []struct {
		name string
		m    Mapping
		in   DecideInput
	}{
		{"InSync", titleMapping(PreferSalesforceUnlessBlank), linked(Text("CEO"), Text("CEO"), Text("CEO"))},
		{"PreferSalesforce", titleMapping(PreferSalesforceUnlessBlank), linked(Text("CTO"), Text("CFO"), Text("CTO"))},
		{"TwoWayConflict", titleMapping(TwoWay), at(linked(Text("A"), Text("H"), Text("S")), t2, t1)},
		{"OptOutSticky", defaultMapping(b, "hs_email_optout"), linked(Bool(true), Bool(true), Bool(false))},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Decide(c.m, c.in)
			}
		})
	}
}

func BenchmarkConvert(b *testing.B) {
	var c Converter
	b.Run("FromHubSpotText", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.FromHubSpot(hsString, "Head of Data", true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FromHubSpotNumber", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.FromHubSpot(hsNumberP, "1234567.89", true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FromHubSpotDate", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.FromHubSpot(hsDateP, "1714521600000", true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FromSalesforceDateTime", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.FromSalesforce(sfDateTimeF, "2025-01-09T10:00:00.000+0000"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FromSalesforceNumber", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.FromSalesforce(sfDouble, json.Number("1234567.89")); err != nil {
				b.Fatal(err)
			}
		}
	})
	revenue := num(b, "1234567.89")
	b.Run("ToSalesforceDecimal", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.ToSalesforce(sfDouble, revenue); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ToSalesforceEmail", func(b *testing.B) {
		email := Text("ada@example.com")
		for b.Loop() {
			if _, err := c.ToSalesforce(sfEmail, email); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ToHubSpotMulti", func(b *testing.B) {
		v := Multi("a", "c")
		for b.Loop() {
			if _, err := c.ToHubSpot(hsChecks, v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EncodeDecode", func(b *testing.B) {
		for b.Loop() {
			if _, err := DecodeValue(revenue.Encode()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
