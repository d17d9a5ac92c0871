package bench

// Report is the outcome of a run. Its JSON form is what koppel bench
// --json prints.
type Report struct {
	People  int    `json:"people"`
	Changes int    `json:"changes"`
	Seed    uint64 `json:"seed"`
	Defects bool   `json:"defects"`

	// Pacing is true when the HubSpot client kept to its default rate
	// limits.
	Pacing bool `json:"pacing"`

	// LatencyMillis is the delay added to every emulator request.
	LatencyMillis float64 `json:"latency_ms"`

	// Store is "sqlite" or "postgres".
	Store string `json:"store"`

	GoVersion  string `json:"go_version"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`

	// Records holds the generated records per side and object, keyed
	// "salesforce.Lead", "salesforce.Contact" and "hubspot.contacts".
	Records map[string]int `json:"records"`

	// SetupMillis is the time to generate the data, start the emulators
	// and store the connection.
	SetupMillis int64 `json:"setup_ms"`

	Initial Phase `json:"initial"`

	// WarmUpCycles ran, unmeasured, between the phases after two edits,
	// so the incremental phase does not include the first re-read of the
	// initial sync's last writes.
	WarmUpCycles int `json:"warm_up_cycles"`

	Incremental Phase `json:"incremental"`

	// Converged is true when both phases reached a cycle that wrote
	// nothing and the check found no mismatch.
	Converged  bool       `json:"converged"`
	Mismatches Mismatches `json:"mismatches"`
}

// Phase is the measurement of the initial sync or of the incremental
// cycles.
type Phase struct {
	// Cycles ran until one wrote nothing (Quiet) or MaxCycles.
	Cycles int  `json:"cycles"`
	Quiet  bool `json:"quiet"`

	// WallMillis is the time from the start of the first cycle to the end
	// of the last.
	WallMillis int64 `json:"wall_ms"`

	// Records is the number of records the phase started from: every
	// generated record for the initial sync, the edits for the
	// incremental one.
	Records          int64   `json:"records"`
	RecordsPerSecond float64 `json:"records_per_second"`

	// APICalls holds the calls each emulator counted, keyed "hubspot" and
	// "salesforce". EngineAPICalls holds the calls the engine's clients
	// counted, which equal the emulators' counts when no call was lost.
	APICalls       map[string]int64 `json:"api_calls"`
	EngineAPICalls map[string]int64 `json:"engine_api_calls"`

	// HubSpotCallsByRoute splits the HubSpot calls by route pattern, such
	// as "POST /crm/v3/objects/{objectType}/search".
	HubSpotCallsByRoute map[string]int64 `json:"hubspot_calls_by_route"`

	// CallsPerThousand and MinimumPerThousand are per 1,000 Records.
	CallsPerThousand   map[string]float64 `json:"calls_per_1000_records"`
	Work               Work               `json:"work"`
	Minimum            Minimum            `json:"minimum_calls"`
	MinimumPerThousand map[string]float64 `json:"minimum_calls_per_1000_records"`

	// HubSpotPacingMillis is the time the HubSpot client waited for its
	// own rate limiter, 0 without pacing.
	HubSpotPacingMillis int64 `json:"hubspot_pacing_ms"`

	// Counts holds the engine's items per outcome over all cycles.
	Counts map[string]int64 `json:"counts"`

	// PeakHeapBytes is the peak of the Go heap of the whole process,
	// emulators included, sampled every 10 ms. PeakRSSBytes is the
	// kernel's VmHWM. PeakRSSScope is "phase" when the kernel reset the
	// peak before this phase, else "process" for the peak since start.
	PeakHeapBytes uint64 `json:"peak_heap_bytes"`
	PeakRSSBytes  uint64 `json:"peak_rss_bytes"`
	PeakRSSScope  string `json:"peak_rss_scope"`

	// AgreeMillis is the time from the last edit to the end of the first
	// cycle after which both sides agreed on every edited pair, or -1
	// when they never did. Only the incremental phase has it.
	AgreeMillis int64 `json:"agree_ms,omitempty"`
}

// Mismatches are the differences between the two sides after the run
// where the default rules require them to agree.
type Mismatches struct {
	// UnlinkedSalesforce and UnlinkedHubSpot count generated records with
	// an email that have no link; records the generator made bad on
	// purpose are left out.
	UnlinkedSalesforce int `json:"unlinked_salesforce"`
	UnlinkedHubSpot    int `json:"unlinked_hubspot"`

	// PairsDiffering counts linked pairs with a two-way field that holds
	// different values on the two sides.
	PairsDiffering int `json:"pairs_differing"`

	// EditsNotAgreed counts edited pairs that differ after the
	// incremental cycles.
	EditsNotAgreed int `json:"edits_not_agreed"`

	// Examples lists up to 10 mismatches for a person to look at.
	Examples []string `json:"examples"`
}

// Total returns the number of mismatches.
func (m Mismatches) Total() int {
	return m.UnlinkedSalesforce + m.UnlinkedHubSpot + m.PairsDiffering + m.EditsNotAgreed
}
