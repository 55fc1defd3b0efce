package checkin_test

import (
	"encoding/json"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// pinnedEngine is an engine on the pinned copy of the default policy
// (testdata/pinned/README.md says what it is), in place of the embedded one.
func pinnedEngine(tb testing.TB, opts ...checkin.Option) *checkin.Engine {
	tb.Helper()
	opts = append([]checkin.Option{checkin.WithBasePolicy(os.DirFS("testdata/pinned"))}, opts...)
	e, err := checkin.New(tb.Context(), opts...)
	require.NoError(tb, err)
	return e
}

// pinnedSample is how many grid cells the comparison with the pinned policy
// decides as the grid builds them, in the default practice and in English: a
// ninth of the property grid (gridSize), which still reaches every value of
// every dimension in every jurisdiction many times over; a tenth of that
// under -short. A sixth as many again are decided in each other practice and
// language.
func pinnedSample() int {
	if testing.Short() {
		return gridSize() / 90
	}
	return gridSize() / 9
}

// The default policy decides the scenario corpus and a sample of the property
// grid, in every practice and language it ships, exactly as the pinned copy
// does: rules restructured for speed change no decision.
func TestDefaultPolicyDecidesAsPinned(t *testing.T) {
	t.Parallel()
	reqs, _ := corpus(t)
	type pair struct{ current, pinned *checkin.Engine }
	english := pair{engine(t), pinnedEngine(t)}
	spanishEngine, err := checkin.New(t.Context(), checkin.WithLanguage("es"))
	require.NoError(t, err)
	spanish := pair{spanishEngine, pinnedEngine(t, checkin.WithLanguage("es"))}
	jurisdictions := gridJurisdictions(english.current)
	require.Equal(t, jurisdictions, gridJurisdictions(english.pinned), "the pinned policy's jurisdictions")

	type job struct {
		engines pair
		req     checkin.Request
	}
	type difference struct {
		req             checkin.Request
		pinned, current string
	}
	var (
		mu          sync.Mutex
		differences []difference
		failures    int
		decided     int
	)
	decide := func(e *checkin.Engine, req checkin.Request) string {
		d, err := e.Decide(t.Context(), req)
		if err != nil {
			return "error: " + err.Error()
		}
		d.Policy.Revision = "" // the one thing the two policies are meant to differ in
		bs, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return "error: " + err.Error()
		}
		return string(bs)
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				// Compared as the JSON a client receives, so that the diff reads as it does.
				pinned, current := decide(j.engines.pinned, j.req), decide(j.engines.current, j.req)
				mu.Lock()
				decided++
				if pinned != current {
					failures++
					if len(differences) < 3 {
						differences = append(differences, difference{j.req, pinned, current})
					}
				}
				mu.Unlock()
			}
		})
	}
	for _, e := range []pair{english, spanish} {
		for _, req := range reqs {
			jobs <- job{e, req}
		}
	}
	for c := range checkintest.Grid(jurisdictions, pinnedSample()) {
		jobs <- job{english, c.Request()}
	}
	// The grid's requests name no practice and are decided in English.
	for c := range checkintest.Grid(jurisdictions, pinnedSample()/6) {
		strict := c.Request()
		strict.Practice = "strict"
		jobs <- job{english, strict}
		jobs <- job{spanish, c.Request()}
	}
	close(jobs)
	wg.Wait()

	for _, d := range differences {
		req, err := json.Marshal(d.req)
		require.NoError(t, err)
		assert.Equal(t, d.pinned, d.current,
			"the pinned policy's decision (expected) and the default's (actual) for\n%s", req)
	}
	require.Zero(t, failures, "of %d requests, %d are decided otherwise than by the pinned policy; the first %d are shown",
		decided, failures, len(differences))
	t.Logf("%d requests decided as the pinned policy decides them", decided)
}
