package bench

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Print writes the report as a table for people in lang ("en" or "nl").
func (r *Report) Print(w io.Writer, lang string) {
	data := localize(lang, msgDataClean)
	if r.Defects {
		data = localize(lang, msgDataDefects)
	}
	latency := time.Duration(r.LatencyMillis * float64(time.Millisecond)).String()
	fmt.Fprintln(w, localize(lang, msgTitle, integer(lang, int64(r.People)), r.Seed, data, latency, r.Store))
	if r.Pacing {
		fmt.Fprintln(w, localize(lang, msgTitlePacing))
	}
	fmt.Fprintln(w)

	in, inc := r.Initial, r.Incremental
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(label, a, b string) { fmt.Fprintf(tw, "%s\t%s\t%s\n", label, a, b) }
	row("", localize(lang, msgColumnInitial), localize(lang, msgColumnIncr, integer(lang, int64(r.Changes))))
	row(localize(lang, msgRowCycles), cycles(lang, in), cycles(lang, inc))
	row(localize(lang, msgRowWall), seconds(lang, in.WallMillis), seconds(lang, inc.WallMillis))
	row(localize(lang, msgRowRecords), integer(lang, in.Records), integer(lang, inc.Records))
	row(localize(lang, msgRowRate), decimal(lang, in.RecordsPerSecond, 0), decimal(lang, inc.RecordsPerSecond, 0))
	for _, side := range []struct{ key, label string }{{"hubspot", msgRowHubSpot}, {"salesforce", msgRowSalesforce}} {
		row(localize(lang, side.label), integer(lang, in.APICalls[side.key]), integer(lang, inc.APICalls[side.key]))
		row(localize(lang, msgRowPer1000), decimal(lang, in.CallsPerThousand[side.key], 1), decimal(lang, inc.CallsPerThousand[side.key], 1))
		row(localize(lang, msgRowMinimum), decimal(lang, in.MinimumPerThousand[side.key], 1), decimal(lang, inc.MinimumPerThousand[side.key], 1))
	}
	if r.Pacing {
		row(localize(lang, msgRowPacing), seconds(lang, in.HubSpotPacingMillis), seconds(lang, inc.HubSpotPacingMillis))
	}
	row(localize(lang, msgRowHeap), mebibytes(lang, in.PeakHeapBytes), mebibytes(lang, inc.PeakHeapBytes))
	rss := msgRowRSS
	if in.PeakRSSScope != "phase" {
		rss = msgRowRSSProcess
	}
	row(localize(lang, rss), mebibytes(lang, in.PeakRSSBytes), mebibytes(lang, inc.PeakRSSBytes))
	agree := localize(lang, msgNever)
	if inc.AgreeMillis >= 0 {
		agree = seconds(lang, inc.AgreeMillis)
	}
	row(localize(lang, msgRowAgree), "", agree)
	row(localize(lang, msgRowSetup), seconds(lang, r.SetupMillis), "")
	tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, localize(lang, msgMinimumNote))
	m := r.Mismatches
	if r.Converged {
		fmt.Fprintln(w, localize(lang, msgConverged))
		return
	}
	fmt.Fprintln(w, localize(lang, msgNotConverged, m.Total(), m.UnlinkedSalesforce, m.UnlinkedHubSpot, m.PairsDiffering, m.EditsNotAgreed))
	for _, e := range m.Examples {
		fmt.Fprintln(w, localize(lang, msgMismatchLine, e))
	}
}

func cycles(lang string, p Phase) string {
	s := strconv.Itoa(p.Cycles)
	if !p.Quiet {
		s += localize(lang, msgNotQuiet)
	}
	return s
}

func seconds(lang string, ms int64) string {
	return decimal(lang, float64(ms)/1000, 2) + " s"
}

func mebibytes(lang string, b uint64) string {
	return decimal(lang, float64(b)/(1<<20), 0) + " MiB"
}

// integer formats n with the thousands separator of lang.
func integer(lang string, n int64) string {
	return decimal(lang, float64(n), 0)
}

// decimal formats f with places decimals and the separators of lang:
// 12,345.6 in English, 12.345,6 in Dutch.
func decimal(lang string, f float64, places int) string {
	thousands, point := ",", "."
	if lang == "nl" {
		thousands, point = ".", ","
	}
	s := strconv.FormatFloat(f, 'f', places, 64)
	whole, frac, _ := strings.Cut(s, ".")
	sign := ""
	if strings.HasPrefix(whole, "-") {
		sign, whole = "-", whole[1:]
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(thousands)
		}
		b.WriteRune(c)
	}
	out := sign + b.String()
	if frac != "" {
		out += point + frac
	}
	return out
}
