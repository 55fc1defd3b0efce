package checkin_test

import (
	"encoding/json"
	"maps"
	"os"
	"runtime"
	"slices"
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
// under -short. A sixth as many again are decided in each other practice,
// and in each language no practice speaks.
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
	if raceEnabled {
		t.Skip("-race: this compares answers, not concurrency; the run without -race compares them all")
	}
	t.Parallel()
	reqs, _ := corpus(t)
	type pair struct{ current, pinned *checkin.Engine }
	// As they come, engines decide in each practice's own language.
	asTheyCome := pair{engine(t), pinnedEngine(t)}
	jurisdictions := gridJurisdictions(asTheyCome.current)
	require.Equal(t, jurisdictions, gridJurisdictions(asTheyCome.pinned), "the pinned policy's jurisdictions")
	data := checkin.PolicyOf(asTheyCome.current).Data()
	practices, _ := data["practices"].(map[string]any)
	messages, _ := data["messages"].(map[string]any)
	require.NotEmpty(t, practices)
	require.NotEmpty(t, messages)
	spoken := map[string]bool{}
	for _, p := range practices {
		lang, _ := p.(map[string]any)["language"].(string)
		spoken[lang] = true
	}
	inOtherLanguages := []pair{}
	for _, lang := range slices.Sorted(maps.Keys(messages)) {
		if spoken[lang] {
			continue
		}
		current, err := checkin.New(t.Context(), checkin.WithLanguage(lang))
		require.NoError(t, err)
		inOtherLanguages = append(inOtherLanguages, pair{current, pinnedEngine(t, checkin.WithLanguage(lang))})
	}

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
	for _, e := range append([]pair{asTheyCome}, inOtherLanguages...) {
		for _, req := range reqs {
			jobs <- job{e, req}
		}
	}
	for c := range checkintest.Grid(jurisdictions, pinnedSample()) {
		jobs <- job{asTheyCome, c.Request()}
	}
	// The grid's requests are the default practice's.
	for c := range checkintest.Grid(jurisdictions, pinnedSample()/6) {
		for practice := range practices {
			if practice != "default" {
				req := c.Request()
				req.Practice = practice
				jobs <- job{asTheyCome, req}
			}
		}
		for _, e := range inOtherLanguages {
			jobs <- job{e, c.Request()}
		}
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
