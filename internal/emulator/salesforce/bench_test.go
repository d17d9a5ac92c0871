package salesforce

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// benchEnv serves an emulator with n leads over a loopback HTTP server.
func benchEnv(b *testing.B, n int) (*Emulator, *httptest.Server, string) {
	b.Helper()
	leads := make([]map[string]any, n)
	for i := range leads {
		leads[i] = map[string]any{"FirstName": "Bench", "LastName": fmt.Sprintf("Lead%06d", i), "Company": "Bench BV",
			"Email": fmt.Sprintf("lead%d@example.com", i), "Phone": "+31 20 123 4567", "Title": "Buyer"}
	}
	e, err := New(&Seed{Config: Config{DailyAPILimit: 1 << 30}, Records: map[string][]map[string]any{"Lead": leads}}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(e)
	b.Cleanup(srv.Close)
	return e, srv, e.IssueAccessToken()
}

func benchGet(b *testing.B, client *http.Client, u, token string) []byte {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("GET %s: %d %s", u, resp.StatusCode, data)
	}
	return data
}

// BenchmarkQueryPages reads 10,000 leads in pages of 2,000 through
// nextRecordsUrl, as the engine's initial read does.
func BenchmarkQueryPages(b *testing.B) {
	const n = 10000
	_, srv, token := benchEnv(b, n)
	client := srv.Client()
	q := url.QueryEscape("SELECT Id, FirstName, LastName, Email, Phone, Title, SystemModstamp FROM Lead ORDER BY SystemModstamp, Id")

	b.ResetTimer()
	pages, rows := 0, 0
	for b.Loop() {
		next := srv.URL + "/services/data/v66.0/query?q=" + q
		for next != "" {
			var page struct {
				Records        []json.RawMessage `json:"records"`
				NextRecordsURL string            `json:"nextRecordsUrl"`
			}
			if err := json.Unmarshal(benchGet(b, client, next, token), &page); err != nil {
				b.Fatal(err)
			}
			pages++
			rows += len(page.Records)
			next = ""
			if page.NextRecordsURL != "" {
				next = srv.URL + page.NextRecordsURL
			}
		}
	}
	if rows != n*b.N {
		b.Fatalf("read %d rows, want %d", rows, n*b.N)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCollectionCreate posts 200 new leads per request.
func BenchmarkCollectionCreate(b *testing.B) {
	_, srv, token := benchEnv(b, 0)
	client := srv.Client()
	batch := 0
	records := 0

	b.ResetTimer()
	for b.Loop() {
		var body bytes.Buffer
		body.WriteString(`{"allOrNone":false,"records":[`)
		for i := range 200 {
			if i > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"attributes":{"type":"Lead"},"LastName":"C%d-%d","Company":"Bench BV","Email":"c%d-%d@example.com"}`, batch, i, batch, i)
		}
		body.WriteString(`]}`)
		batch++
		req, _ := http.NewRequest("POST", srv.URL+"/services/data/v66.0/composite/sobjects", &body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || strings.Contains(string(data), `"success":false`) {
			b.Fatalf("create: %d %.200s", resp.StatusCode, data)
		}
		records += 200
	}
	b.ReportMetric(float64(batch)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkCollectionUpdate patches 200 existing leads per request in an
// org of 10,000 leads.
func BenchmarkCollectionUpdate(b *testing.B) {
	e, srv, token := benchEnv(b, 10000)
	client := srv.Client()
	var ids []string
	for _, r := range e.byObject["Lead"] {
		ids = append(ids, r.id)
	}
	batch, records := 0, 0

	b.ResetTimer()
	for b.Loop() {
		var body bytes.Buffer
		body.WriteString(`{"allOrNone":false,"records":[`)
		for i := range 200 {
			if i > 0 {
				body.WriteByte(',')
			}
			id := ids[(batch*200+i)%len(ids)]
			fmt.Fprintf(&body, `{"attributes":{"type":"Lead"},"Id":"%s","Title":"T%d","HasOptedOutOfEmail":true}`, id, batch)
		}
		body.WriteString(`]}`)
		batch++
		req, _ := http.NewRequest("PATCH", srv.URL+"/services/data/v66.0/composite/sobjects", &body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || strings.Contains(string(data), `"success":false`) {
			b.Fatalf("update: %d %.200s", resp.StatusCode, data)
		}
		records += 200
	}
	b.ReportMetric(float64(batch)/b.Elapsed().Seconds(), "requests/s")
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkSeedLoad builds an org of 10,000 leads, 10,000 contacts and
// 20,000 campaign memberships in 5 campaigns from a seed.
func BenchmarkSeedLoad(b *testing.B) {
	seed := &Seed{Records: map[string][]map[string]any{}}
	for i := range 5 {
		seed.Records["Campaign"] = append(seed.Records["Campaign"], map[string]any{"Id": newID("701", int64(i+1))[:15], "Name": fmt.Sprintf("Campaign %d", i)})
	}
	for i := range 10000 {
		leadID := newID("00Q", int64(i+1))
		contactID := newID("003", int64(i+1))
		seed.Records["Lead"] = append(seed.Records["Lead"], map[string]any{"Id": leadID, "LastName": fmt.Sprintf("L%d", i), "Company": "Seed BV", "Email": fmt.Sprintf("l%d@example.com", i)})
		seed.Records["Contact"] = append(seed.Records["Contact"], map[string]any{"Id": contactID, "LastName": fmt.Sprintf("C%d", i), "Email": fmt.Sprintf("c%d@example.com", i)})
		campaign := newID("701", int64(i%5+1))
		seed.Records["CampaignMember"] = append(seed.Records["CampaignMember"],
			map[string]any{"CampaignId": campaign, "LeadId": leadID},
			map[string]any{"CampaignId": campaign, "ContactId": contactID})
	}
	b.ResetTimer()
	for b.Loop() {
		e, err := New(seed, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n := e.Count("CampaignMember", false); n != 20000 {
			b.Fatalf("members = %d", n)
		}
	}
	b.ReportMetric(40005*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
