package bench

import "fmt"

// Message is a progress line or table label by id, with its arguments
// in the order of the format's verbs.
type Message struct {
	ID   string
	Args []any
}

// Message ids.
const (
	msgProgressGenerate    = "progress_generate"
	msgProgressEmulators   = "progress_emulators"
	msgProgressInitial     = "progress_initial"
	msgProgressIncremental = "progress_incremental"
	msgProgressCycle       = "progress_cycle"
	msgProgressCheck       = "progress_check"
	msgProgressWarmUp      = "progress_warm_up"

	msgTitle         = "title"
	msgDataClean     = "data_clean"
	msgDataDefects   = "data_defects"
	msgColumnInitial = "column_initial"
	msgColumnIncr    = "column_incremental"
	msgRowCycles     = "row_cycles"
	msgRowWall       = "row_wall"
	msgRowRecords    = "row_records"
	msgRowRate       = "row_rate"
	msgRowHubSpot    = "row_hubspot"
	msgRowSalesforce = "row_salesforce"
	msgRowPer1000    = "row_per_1000"
	msgRowMinimum    = "row_minimum"
	msgRowHeap       = "row_heap"
	msgRowRSS        = "row_rss"
	msgRowRSSProcess = "row_rss_process"
	msgRowAgree      = "row_agree"
	msgRowSetup      = "row_setup"
	msgRowPacing     = "row_pacing"
	msgTitlePacing   = "title_pacing"
	msgNever         = "never"
	msgNotQuiet      = "not_quiet"
	msgConverged     = "converged"
	msgNotConverged  = "not_converged"
	msgMismatchLine  = "mismatch_line"
	msgMinimumNote   = "minimum_note"
)

// catalog holds the formats per language. Every id is in both.
var catalog = map[string]map[string]string{
	"en": {
		msgProgressGenerate:    "Generating %d people (seed %d)...",
		msgProgressEmulators:   "Starting both emulators on 127.0.0.1 and storing the connection...",
		msgProgressInitial:     "Initial sync...",
		msgProgressIncremental: "Incremental sync after %d edits...",
		msgProgressCycle:       "  cycle %d: %d records written, %s since the phase started",
		msgProgressCheck:       "Checking that both sides agree...",
		msgProgressWarmUp:      "Warm-up: %d edits and cycles until nothing is written, not measured...",

		msgTitle:         "koppel bench: %s people, seed %d, %s, latency %s per request, %s store",
		msgDataClean:     "clean data",
		msgDataDefects:   "data with defects",
		msgColumnInitial: "Initial sync",
		msgColumnIncr:    "Incremental (%s edits)",
		msgRowCycles:     "Cycles",
		msgRowWall:       "Wall time",
		msgRowRecords:    "Records",
		msgRowRate:       "Records per second",
		msgRowHubSpot:    "HubSpot API calls",
		msgRowSalesforce: "Salesforce API calls",
		msgRowPer1000:    "  per 1,000 records",
		msgRowMinimum:    "  batch minimum per 1,000",
		msgRowHeap:       "Peak Go heap (whole process)",
		msgRowRSS:        "Peak RSS (this phase)",
		msgRowRSSProcess: "Peak RSS (since start)",
		msgRowAgree:      "Last edit to both sides agreeing",
		msgRowSetup:      "Setup (generate, emulators, connection)",
		msgRowPacing:     "HubSpot client waiting for its rate limiter",
		msgTitlePacing:   "HubSpot client paced at 100 calls per 10 s",
		msgNever:         "never",
		msgNotQuiet:      " (still writing)",
		msgConverged:     "Converged: yes, 0 mismatches.",
		msgNotConverged:  "Converged: NO, %d mismatches (%d Salesforce and %d HubSpot records unlinked, %d pairs differ, %d edits not agreed).",
		msgMismatchLine:  "  - %s",
		msgMinimumNote:   "Batch minimum: every record read once in full pages (HubSpot search 200, SOQL 2,000 per object) and written once in full batches (HubSpot 100, Salesforce 200).",
	},
	"nl": {
		msgProgressGenerate:    "%d personen genereren (seed %d)...",
		msgProgressEmulators:   "Beide emulators starten op 127.0.0.1 en de koppeling opslaan...",
		msgProgressInitial:     "Eerste synchronisatie...",
		msgProgressIncremental: "Incrementele synchronisatie na %d wijzigingen...",
		msgProgressCycle:       "  ronde %d: %d records geschreven, %s sinds de start van de fase",
		msgProgressCheck:       "Controleren of beide kanten overeenkomen...",
		msgProgressWarmUp:      "Opwarmen: %d wijzigingen en rondes tot er niets meer wordt geschreven, niet gemeten...",

		msgTitle:         "koppel bench: %s personen, seed %d, %s, vertraging %s per verzoek, %s-opslag",
		msgDataClean:     "schone gegevens",
		msgDataDefects:   "gegevens met fouten",
		msgColumnInitial: "Eerste synchronisatie",
		msgColumnIncr:    "Incrementeel (%s wijzigingen)",
		msgRowCycles:     "Rondes",
		msgRowWall:       "Kloktijd",
		msgRowRecords:    "Records",
		msgRowRate:       "Records per seconde",
		msgRowHubSpot:    "HubSpot-API-aanroepen",
		msgRowSalesforce: "Salesforce-API-aanroepen",
		msgRowPer1000:    "  per 1.000 records",
		msgRowMinimum:    "  batchminimum per 1.000",
		msgRowHeap:       "Piek Go-heap (hele proces)",
		msgRowRSS:        "Piek RSS (deze fase)",
		msgRowRSSProcess: "Piek RSS (sinds de start)",
		msgRowAgree:      "Laatste wijziging tot beide kanten overeenkomen",
		msgRowSetup:      "Voorbereiding (genereren, emulators, koppeling)",
		msgRowPacing:     "HubSpot-client wacht op zijn snelheidslimiet",
		msgTitlePacing:   "HubSpot-client begrensd op 100 aanroepen per 10 s",
		msgNever:         "nooit",
		msgNotQuiet:      " (schrijft nog)",
		msgConverged:     "Gelijk: ja, 0 verschillen.",
		msgNotConverged:  "Gelijk: NEE, %d verschillen (%d Salesforce- en %d HubSpot-records niet gekoppeld, %d paren verschillen, %d wijzigingen niet overgenomen).",
		msgMismatchLine:  "  - %s",
		msgMinimumNote:   "Batchminimum: elk record één keer gelezen in volle pagina's (HubSpot-zoekopdracht 200, SOQL 2.000 per object) en één keer geschreven in volle batches (HubSpot 100, Salesforce 200).",
	},
}

// Text returns the message in lang, English for a language without a
// catalog.
func (m Message) Text(lang string) string {
	formats, ok := catalog[lang]
	if !ok {
		formats = catalog["en"]
	}
	return fmt.Sprintf(formats[m.ID], m.Args...)
}

func localize(lang, id string, args ...any) string { return Message{ID: id, Args: args}.Text(lang) }
