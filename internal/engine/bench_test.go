package engine_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	hsemu "github.com/koppel-sync/koppel/internal/emulator/hubspot"
	sfemu "github.com/koppel-sync/koppel/internal/emulator/salesforce"
	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/engine/enginetest"
	"github.com/koppel-sync/koppel/internal/store"
)

// benchPeople returns the people of a benchmark: 50% in Salesforce only
// (half Leads, half Contacts), 30% in HubSpot only and 20% on both sides
// with the same email.
func benchPeople(n int) (*sfemu.Seed, *hsemu.Seed) {
	sf := &sfemu.Seed{Records: map[string][]map[string]any{}}
	hs := &hsemu.Seed{}
	for i := range n {
		email := fmt.Sprintf("person%06d@example.nl", i)
		inSF, inHS := i%10 < 7, i%10 >= 5
		if inSF {
			rec := map[string]any{"LastName": fmt.Sprintf("Achternaam%06d", i), "FirstName": "Voornaam", "Email": email, "Title": "Inkoper"}
			if i%2 == 0 {
				rec["Company"] = "Bedrijf BV"
				sf.Records["Lead"] = append(sf.Records["Lead"], rec)
			} else {
				sf.Records["Contact"] = append(sf.Records["Contact"], rec)
			}
		}
		if inHS {
			hs.Contacts = append(hs.Contacts, hsemu.SeedRecord{Properties: map[string]string{
				"email": email, "firstname": "Voornaam", "lastname": fmt.Sprintf("Achternaam%06d", i), "city": "Utrecht",
			}})
		}
	}
	return sf, hs
}

// heapSampler records the peak of the live heap while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func sampleHeap() *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > s.peak.Load() {
				s.peak.Store(ms.HeapInuse)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	s.wg.Wait()
	return s.peak.Load()
}

// cpuTime returns the user and system CPU time this process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// reportCycle reports the metrics of one measured cycle over people
// records. Process CPU time and peak heap growth are of this process, so
// they include emulators that run in it.
func reportCycle(b *testing.B, res engine.Result, people int, elapsed, cpu time.Duration, base, peak uint64) {
	b.ReportMetric(float64(people)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(cpu.Milliseconds())*1000/float64(people), "process_cpu_ms/1000rec")
	b.ReportMetric(float64(res.APICallsHubSpot)*1000/float64(people), "hs_calls/1000rec")
	b.ReportMetric(float64(res.APICallsSalesforce)*1000/float64(people), "sf_calls/1000rec")
	grow := 0.0
	if peak > base {
		grow = float64(peak-base) / (1 << 20)
	}
	b.ReportMetric(grow, "peak_heap_growth_MiB")
	b.Logf("%d people in %s: %v; HubSpot %d calls, Salesforce %d calls; batch minimum for writes alone is 10 HubSpot and 5 Salesforce calls per 1,000 records written",
		people, elapsed.Round(time.Millisecond), res.Counts, res.APICallsHubSpot, res.APICallsSalesforce)
}

// BenchmarkInitialSync measures the first cycle of a connection over
// KOPPEL_BENCH_PEOPLE people (default 100,000). Both emulators run as
// `koppel emulate` processes, so the peak heap is the engine's, with its
// clients and store. Run it alone:
//
//	go test -run '^$' -bench InitialSync -benchtime 1x -timeout 60m ./internal/engine/
func BenchmarkInitialSync(b *testing.B) {
	people := 100000
	if s := os.Getenv("KOPPEL_BENCH_PEOPLE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("invalid KOPPEL_BENCH_PEOPLE=%q: use a positive whole number", s)
		}
		people = n
	}
	dir := b.TempDir()
	bin := buildKoppel(b, dir)

	for b.Loop() {
		b.StopTimer()
		env := externalEnv(b, bin, b.TempDir(), people)
		base := heapInuse()
		heap := sampleHeap()
		b.StartTimer()

		// The initial sync is done when a cycle writes nothing: a cycle
		// stops reading HubSpot at the search's 10,000-result window when
		// the re-windowing cannot continue, and the next one picks up there.
		start, cpu := time.Now(), cpuTime()
		total := engine.Result{Counts: map[string]int64{}}
		cycles := 0
		for cycles < 6 {
			res := env.Sync(b)
			cycles++
			for k, v := range res.Counts {
				total.Counts[k] += v
			}
			total.APICallsHubSpot += res.APICallsHubSpot
			total.APICallsSalesforce += res.APICallsSalesforce
			if enginetest.Writes(res) == 0 {
				break
			}
		}
		elapsed, cpu := time.Since(start), cpuTime()-cpu

		b.StopTimer()
		reportCycle(b, total, people, elapsed, cpu, base, heap.Stop())
		b.ReportMetric(float64(cycles), "cycles")
		if links := countLinks(b, env); links != people {
			b.Errorf("%d people linked after %d cycles, want %d", links, cycles, people)
		}
		b.StartTimer()
	}
}

func countLinks(b *testing.B, env *enginetest.Env) int {
	b.Helper()
	n, err := env.Store.CountLinks(context.Background(), store.LinkQuery{ConnectionID: env.ConnectionID})
	if err != nil {
		b.Fatal(err)
	}
	return int(n)
}

// externalEnv starts both emulators as processes seeded with people and
// returns an env whose engine syncs them.
func externalEnv(b *testing.B, bin, dir string, people int) *enginetest.Env {
	b.Helper()
	sfSeed, hsSeed := benchPeople(people)
	sfSeed.Config.OAuth = sfemu.OAuthConfig{ClientID: "bench-app", ClientSecret: "bench-secret"}
	sfURL := startEmulator(b, bin, dir, "salesforce", sfSeed)
	hsURL := startEmulator(b, bin, dir, "hubspot", hsSeed)
	return enginetest.Setup(b, enginetest.Options{External: &enginetest.External{
		HubSpotURL: hsURL, HubSpotToken: "bench-token",
		SalesforceURL: sfURL, SalesforceClientID: "bench-app", SalesforceClientSecret: "bench-secret",
	}})
}

// BenchmarkIncrementalCycle measures a cycle that finds 1,000 changes,
// half made in Salesforce and half in HubSpot, among 10,000 linked people.
// The emulators run in the test process here, so the peak heap growth
// includes their request handling.
func BenchmarkIncrementalCycle(b *testing.B) {
	const people, changes = 10000, 1000
	sfSeed, hsSeed := benchPeople(people)
	env := enginetest.Setup(b, enginetest.Options{SalesforceSeed: sfSeed, HubSpotSeed: hsSeed})
	env.SyncUntilQuiet(b, 5)

	var sfIDs, hsIDs []string
	for _, r := range allSalesforce(&testing.T{}, env) {
		sfIDs = append(sfIDs, r.id)
	}
	if len(sfIDs) < changes {
		b.Fatalf("%d Salesforce records, want at least %d", len(sfIDs), changes)
	}
	for i := 0; len(hsIDs) < changes/2; i++ {
		if l := env.Link(b, sfIDs[i]); l != nil {
			hsIDs = append(hsIDs, l.HubSpotID)
		}
	}

	round := 0
	for b.Loop() {
		b.StopTimer()
		round++
		// Changes on records apart from each other, so each is one pair.
		for i := range changes / 2 {
			env.UpdateRecord(b, sfIDs[changes/2+i], map[string]any{"Title": fmt.Sprintf("Titel %d", round)})
			env.UpdateContact(b, hsIDs[i], map[string]string{"city": fmt.Sprintf("Stad %d", round)})
		}
		env.Clock.Advance(10 * time.Minute)
		base := heapInuse()
		heap := sampleHeap()
		b.StartTimer()

		start, cpu := time.Now(), cpuTime()
		res := env.Sync(b)
		elapsed, cpu := time.Since(start), cpuTime()-cpu

		b.StopTimer()
		reportCycle(b, res, changes, elapsed, cpu, base, heap.Stop())
		b.StartTimer()
	}
}
