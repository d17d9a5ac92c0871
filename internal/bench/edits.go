package bench

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/koppel-sync/koppel/internal/store"
)

// editSeed is the second word of the PCG seed of the edit choice, so the
// edits differ from the generator's stream for the same --seed.
const editSeed = 0x62656e6368

// warmUpEdits is the number of edits of the warm-up round.
const warmUpEdits = 2

// chooseEdits picks the pairs to edit, each once: n for the measured
// edits and warmUpEdits others for the warm-up, fewer when there are not
// enough links.
func (r *runner) chooseEdits(links []store.Link, n int) (measured, warmUp []store.Link) {
	rnd := rand.New(rand.NewPCG(r.opts.Seed, editSeed))
	perm := rnd.Perm(len(links))
	n = min(n, len(links))
	for _, i := range perm[:n] {
		measured = append(measured, links[i])
	}
	for _, i := range perm[n:min(len(links), n+warmUpEdits)] {
		warmUp = append(warmUp, links[i])
	}
	return measured, warmUp
}

// edit changes each of links the way people do in each UI: the first
// half get a fax number on the HubSpot contact, the rest a new job title
// on the Salesforce record. The generator fills no fax number, and the
// default rule prefers Salesforce unless it is blank, so both halves
// travel to the other side. It returns the records the next cycles must
// read. label keeps the values of two rounds apart.
func (r *runner) edit(links []store.Link, label string) (Work, error) {
	work := Work{SalesforceRead: map[string]int64{}}
	hubspotEdits := len(links) / 2
	for i, l := range links {
		if i < hubspotEdits {
			props := map[string]string{"fax": fmt.Sprintf("+31 20 555 %s%04d", label, i)}
			if _, err := r.emus.hubspot.UpdateRecord("contacts", l.HubSpotID, props); err != nil {
				return Work{}, fmt.Errorf("edit HubSpot contact %s: %w", l.HubSpotID, err)
			}
			work.HubSpotRead++
			continue
		}
		fields := map[string]any{"Title": fmt.Sprintf("Benchtitel %s%d", label, i)}
		if err := r.emus.salesforce.Update(l.SalesforceID, fields); err != nil {
			return Work{}, fmt.Errorf("edit Salesforce %s %s: %w", l.SalesforceObject, l.SalesforceID, err)
		}
		work.SalesforceRead[string(l.SalesforceObject)]++
	}
	return work, nil
}

// warmUp edits links and runs unmeasured cycles until one writes
// nothing, and returns how many ran. Every read starts the overlap
// window before its cursor, so the first cycle after the initial sync
// reads the initial sync's last writes again. The warm-up pays that once,
// as the first poll after an import does, so the measured cycles show
// the cost of the edits alone.
func (r *runner) warmUp(ctx context.Context, links []store.Link) (int, error) {
	if _, err := r.edit(links, "9"); err != nil {
		return 0, err
	}
	for cycle := 1; cycle <= MaxCycles; cycle++ {
		res, err := r.engine.SyncOnce(ctx)
		if err != nil {
			return cycle, fmt.Errorf("run warm-up cycle %d: %w", cycle, err)
		}
		if writes(res) == 0 {
			return cycle, nil
		}
	}
	return MaxCycles, fmt.Errorf("run warm-up: still writing after %d cycles", MaxCycles)
}
