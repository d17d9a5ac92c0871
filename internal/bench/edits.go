package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/koppel-sync/koppel/internal/store"
)

// editSeed is the second word of the PCG seed of the edit choice, so the
// edits differ from the generator's stream for the same --seed.
const editSeed = 0x62656e6368

// edit makes the run's changes the way people do in each UI: half set a
// fax number on HubSpot contacts, the rest set a new job title on
// Salesforce records, each on another linked pair. The generator fills
// no fax number, and the default rule prefers Salesforce unless it is
// blank, so both halves travel to the other side. It returns the edited
// links and the records the incremental cycle must read.
func (r *runner) edit(links []store.Link) ([]store.Link, Work, error) {
	n := min(r.opts.Changes, len(links))
	rnd := rand.New(rand.NewPCG(r.opts.Seed, editSeed))
	perm := rnd.Perm(len(links))
	edited := make([]store.Link, 0, n)
	work := Work{SalesforceRead: map[string]int64{}}

	hubspotEdits := n / 2
	for i := range n {
		l := links[perm[i]]
		edited = append(edited, l)
		if i < hubspotEdits {
			props := map[string]string{"fax": fmt.Sprintf("+31 20 555 %04d", i)}
			if _, err := r.emus.hubspot.UpdateRecord("contacts", l.HubSpotID, props); err != nil {
				return nil, Work{}, fmt.Errorf("edit HubSpot contact %s: %w", l.HubSpotID, err)
			}
			work.HubSpotRead++
			continue
		}
		fields := map[string]any{"Title": fmt.Sprintf("Benchtitel %d", i)}
		if err := r.emus.salesforce.Update(l.SalesforceID, fields); err != nil {
			return nil, Work{}, fmt.Errorf("edit Salesforce %s %s: %w", l.SalesforceObject, l.SalesforceID, err)
		}
		work.SalesforceRead[string(l.SalesforceObject)]++
	}
	return edited, work, nil
}
