package hubspot_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

// benchClient returns a client without client-side pacing on an emulator
// without rate limits, so the numbers measure the emulator.
func benchClient(b *testing.B, e *env) *hubspot.Client {
	c, err := hubspot.New(hubspot.Config{BaseURL: e.srv.URL, AccessToken: token, HTTPClient: e.srv.Client(),
		RateLimit: hubspot.RateLimitConfig{AccountKey: b.Name(), Disabled: true}})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkSearchPage measures 200-record search pages over 10,000
// contacts, filtered and sorted on lastmodifieddate as an incremental read
// does.
func BenchmarkSearchPage(b *testing.B) {
	seed := &hsemu.Seed{}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		at := start.Add(time.Duration(i) * time.Second)
		seed.Contacts = append(seed.Contacts, hsemu.SeedRecord{
			Properties: map[string]string{"email": fmt.Sprintf("p%05d@example.com", i), "firstname": "P", "lifecyclestage": "lead"},
			CreatedAt:  at, UpdatedAt: at,
		})
	}
	e := setup(b, seed)
	c := benchClient(b, e)
	ctx := context.Background()
	req := hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: "lastmodifieddate", Operator: "GTE", Value: strconv.FormatInt(start.UnixMilli(), 10)}}}},
		Sorts:        []hubspot.Sort{{PropertyName: "lastmodifieddate", Direction: "ASCENDING"}},
		Properties:   []string{"email", "firstname"}, Limit: 200,
	}

	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req.After = strconv.Itoa((i % 49) * 200)
		page, err := c.Search(ctx, hubspot.Contacts, req)
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Results) != 200 {
			b.Fatalf("page has %d results", len(page.Results))
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkBatchCreate measures batch creates of 100 contacts each.
func BenchmarkBatchCreate(b *testing.B) {
	e := setup(b, nil)
	c := benchClient(b, e)
	ctx := context.Background()

	n := 0
	b.ResetTimer()
	for b.Loop() {
		inputs := make([]hubspot.BatchInput, 100)
		for j := range inputs {
			inputs[j] = hubspot.BatchInput{Properties: map[string]string{"email": fmt.Sprintf("b%07d@example.com", n), "firstname": "B", "lifecyclestage": "lead"}}
			n++
		}
		results, err := c.BatchCreate(ctx, hubspot.Contacts, inputs)
		if err != nil {
			b.Fatal(err)
		}
		if results[99].Err != nil {
			b.Fatal(results[99].Err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkBatchUpdate measures batch updates of 100 existing contacts.
func BenchmarkBatchUpdate(b *testing.B) {
	seed := &hsemu.Seed{}
	for i := range 10_000 {
		seed.Contacts = append(seed.Contacts, hsemu.SeedRecord{ID: strconv.Itoa(200000 + i), Properties: map[string]string{"email": fmt.Sprintf("u%05d@example.com", i)}})
	}
	e := setup(b, seed)
	c := benchClient(b, e)
	ctx := context.Background()

	n := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		inputs := make([]hubspot.BatchInput, 100)
		for j := range inputs {
			inputs[j] = hubspot.BatchInput{ID: strconv.Itoa(200000 + (i*100+j)%10_000), Properties: map[string]string{"jobtitle": "T" + strconv.Itoa(i)}}
			n++
		}
		results, err := c.BatchUpdate(ctx, hubspot.Contacts, inputs)
		if err != nil {
			b.Fatal(err)
		}
		if results[0].Err != nil {
			b.Fatal(results[0].Err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
}
