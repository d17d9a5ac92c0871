package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/koppel-sync/koppel/internal/engine"
	"github.com/koppel-sync/koppel/internal/generate"
	"github.com/koppel-sync/koppel/internal/hubspot"
)

// heapSampleEvery is the interval of the heap sampler.
const heapSampleEvery = 10 * time.Millisecond

// phaseGap is how far the clock moves between the initial sync and the
// edits: more than the default overlap window of 2 minutes, as when the
// next poll comes minutes later, so the incremental cycle reads the
// edits and not the echoes of the initial sync.
const phaseGap = 10 * time.Minute

// runner holds what the phases of one run share.
type runner struct {
	opts   Options
	log    *slog.Logger
	clk    *clock
	ds     *generate.Dataset
	emus   *emulators
	engine *engine.Engine

	// hubspot is the engine's HubSpot client, whose usage has the time
	// it waited for its rate limiter.
	hubspot *hubspot.Client
}

// Run generates the people, starts both emulators and a connection, and
// measures the initial sync and the incremental cycles after the edits.
// An error means the run could not be measured. A run that did not
// converge returns a report with Converged false and no error.
func Run(ctx context.Context, opts Options, log *slog.Logger) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &runner{opts: opts, log: log, clk: &clock{}}
	rep := &Report{
		People: opts.People, Seed: opts.Seed, Defects: opts.Defects, Pacing: opts.Pacing,
		LatencyMillis: float64(opts.Latency) / float64(time.Millisecond),
		Store:         "sqlite",
		GoVersion:     runtime.Version(), CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		Mismatches: Mismatches{Examples: []string{}},
	}
	if opts.StoreURL != "" {
		rep.Store = "postgres"
	}
	setupStart := time.Now()

	r.progress(msgProgressGenerate, opts.People, opts.Seed)
	ds, err := generateData(opts)
	if err != nil {
		return nil, err
	}
	r.ds = ds
	rep.Records = map[string]int{
		"salesforce.Lead": len(ds.Leads), "salesforce.Contact": len(ds.Contacts), "hubspot.contacts": len(ds.HubSpotContacts),
	}

	r.progress(msgProgressEmulators)
	r.emus, err = startEmulators(ds, r.clk.Now, opts.Latency)
	if err != nil {
		return nil, err
	}
	defer r.emus.Close()

	dataDir, err := os.MkdirTemp("", "koppel-bench-")
	if err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	defer os.RemoveAll(dataDir)
	conn, eng, err := connect(ctx, dataDir, opts.StoreURL, opts.Pacing, ds, r.emus, r.clk, log)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	r.engine = eng
	r.hubspot = conn.HubSpot
	rep.SetupMillis = time.Since(setupStart).Milliseconds()

	r.progress(msgProgressInitial)
	total := int64(len(ds.Leads) + len(ds.Contacts) + len(ds.HubSpotContacts))
	initialWork := Work{
		HubSpotRead:    int64(len(ds.HubSpotContacts)),
		SalesforceRead: map[string]int64{"Lead": int64(len(ds.Leads)), "Contact": int64(len(ds.Contacts))},
	}
	rep.Initial, err = r.phase(ctx, total, initialWork, nil)
	if err != nil {
		return nil, err
	}

	links, err := listLinks(ctx, conn.Store, conn.Record.ID)
	if err != nil {
		return nil, err
	}
	edited, warm := r.chooseEdits(links, opts.Changes)
	r.progress(msgProgressWarmUp, len(warm))
	r.clk.Advance(phaseGap)
	if rep.WarmUpCycles, err = r.warmUp(ctx, warm); err != nil {
		return nil, err
	}
	r.clk.Advance(phaseGap)
	work, err := r.edit(edited, "")
	if err != nil {
		return nil, err
	}
	rep.Changes = len(edited)
	lastEdit := time.Now()

	r.progress(msgProgressIncremental, len(edited))
	check := newChecker(r.emus, ds, &rep.Mismatches)
	var agreedAt time.Time
	rep.Incremental, err = r.phase(ctx, int64(len(edited)), work, func() {
		end := time.Now()
		if agreedAt.IsZero() && check.disagreeing(edited) == 0 {
			agreedAt = end
		}
	})
	if err != nil {
		return nil, err
	}
	rep.Incremental.AgreeMillis = -1
	if !agreedAt.IsZero() {
		rep.Incremental.AgreeMillis = agreedAt.Sub(lastEdit).Milliseconds()
	}

	r.progress(msgProgressCheck)
	if links, err = listLinks(ctx, conn.Store, conn.Record.ID); err != nil {
		return nil, err
	}
	check.countUnlinked(ds, links)
	check.countDiffering(links)
	rep.Mismatches.EditsNotAgreed = check.disagreeing(edited)
	rep.Converged = rep.Initial.Quiet && rep.Incremental.Quiet && rep.Mismatches.Total() == 0
	return rep, nil
}

// phase runs cycles until one writes nothing, at most MaxCycles, and
// measures them. records and work describe what the phase starts from.
// afterCycle, when set, runs after each cycle inside the measured time.
func (r *runner) phase(ctx context.Context, records int64, work Work, afterCycle func()) (Phase, error) {
	p := Phase{Records: records, Counts: map[string]int64{}, PeakRSSScope: "process"}
	hs, sf := r.emus.hubspot, r.emus.salesforce
	runtime.GC()
	if resetPeakRSS() {
		p.PeakRSSScope = "phase"
	}
	hsCalls, sfCalls := r.emus.calls()
	hsRoutes := hs.Calls().ByRoute
	hsBefore := int64(hs.Count("contacts", false))
	sfBefore := int64(sf.Count("Lead", false) + sf.Count("Contact", false))
	var engineHS, engineSF int64
	waitedBefore := r.hubspot.Usage().Waited

	heap := startHeapSampler(heapSampleEvery)
	start := time.Now()
	for p.Cycles < MaxCycles {
		res, err := r.engine.SyncOnce(ctx)
		p.Cycles++
		if err != nil {
			heap.Stop()
			return p, fmt.Errorf("run sync cycle %d: %w", p.Cycles, err)
		}
		for k, v := range res.Counts {
			p.Counts[k] += v
		}
		engineHS += res.APICallsHubSpot
		engineSF += res.APICallsSalesforce
		if afterCycle != nil {
			afterCycle()
		}
		r.progress(msgProgressCycle, p.Cycles, writes(res), time.Since(start).Round(time.Millisecond).String())
		if writes(res) == 0 {
			p.Quiet = true
			break
		}
	}
	wall := time.Since(start)
	p.PeakHeapBytes = heap.Stop()
	p.PeakRSSBytes = peakRSS()
	p.HubSpotPacingMillis = (r.hubspot.Usage().Waited - waitedBefore).Milliseconds()

	hsNow, sfNow := r.emus.calls()
	p.APICalls = map[string]int64{"hubspot": hsNow - hsCalls, "salesforce": sfNow - sfCalls}
	p.EngineAPICalls = map[string]int64{"hubspot": engineHS, "salesforce": engineSF}
	p.HubSpotCallsByRoute = map[string]int64{}
	for route, n := range hs.Calls().ByRoute {
		if d := n - hsRoutes[route]; d > 0 {
			p.HubSpotCallsByRoute[route] = d
		}
	}
	p.WallMillis = wall.Milliseconds()
	if wall > 0 {
		p.RecordsPerSecond = float64(records) / wall.Seconds()
	}

	work.HubSpotCreated = int64(hs.Count("contacts", false)) - hsBefore
	work.SalesforceCreated = int64(sf.Count("Lead", false)+sf.Count("Contact", false)) - sfBefore
	work.HubSpotUpdated = p.Counts["updated_hubspot"]
	work.SalesforceUpdated = p.Counts["updated_salesforce"]
	p.Work = work
	p.Minimum = MinimumCalls(work)
	p.CallsPerThousand = map[string]float64{
		"hubspot": PerThousand(p.APICalls["hubspot"], records), "salesforce": PerThousand(p.APICalls["salesforce"], records),
	}
	p.MinimumPerThousand = map[string]float64{
		"hubspot": PerThousand(p.Minimum.HubSpot, records), "salesforce": PerThousand(p.Minimum.Salesforce, records),
	}
	return p, nil
}

// writes returns the records a cycle created, linked or updated. Parked
// records do not count, because they stay parked however often a cycle
// runs.
func writes(r engine.Result) int64 {
	c := r.Counts
	return c["created"] + c["linked"] + c["relinked"] + c["updated_hubspot"] + c["updated_salesforce"]
}

func (r *runner) progress(id string, args ...any) {
	if r.opts.Progress != nil {
		r.opts.Progress(Message{ID: id, Args: args})
	}
}
