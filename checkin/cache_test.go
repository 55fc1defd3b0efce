package checkin_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// cacheEngine is an engine on the default policy, and any options, with a
// decision cache of size entries.
func cacheEngine(tb testing.TB, size int, opts ...checkin.Option) *checkin.Engine {
	tb.Helper()
	e, err := checkin.New(tb.Context(), append(opts, checkin.WithDecisionCache(size))...)
	require.NoError(tb, err)
	return e
}

// cacheRecords keeps every record, in order.
type cacheRecords struct {
	mu      sync.Mutex
	records []checkin.Record
	fail    error // returned by Record once set
}

func (r *cacheRecords) Record(_ context.Context, rec checkin.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec)
	return r.fail
}

func (r *cacheRecords) last() checkin.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.records[len(r.records)-1]
}

// lastCached is set by the recorder cacheFlag to whether the decision made
// with the context was answered from the cache.
type lastCached struct{}

type cacheFlag struct{}

func (cacheFlag) Record(ctx context.Context, rec checkin.Record) error {
	*ctx.Value(lastCached{}).(*bool) = rec.Cached
	return nil
}

// decideFlagged decides req and reports whether the answer came from the
// cache, as the record says.
func decideFlagged(t testing.TB, e *checkin.Engine, req checkin.Request) (checkin.Decision, bool) {
	t.Helper()
	var cached bool
	d, err := e.Decide(context.WithValue(context.Background(), lastCached{}, &cached), req)
	assert.NoError(t, err)
	return d, cached
}

func TestDecisionCacheSizeMustBePositive(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, -1} {
		_, err := checkin.New(t.Context(), checkin.WithDecisionCache(size))
		require.Error(t, err)
		assert.Contains(t, err.Error(), fmt.Sprintf("WithDecisionCache(%d)", size))
	}
	assert.Equal(t, checkin.CacheStats{}, engine(t).CacheStats(), "no cache, no stats")
}

// The property grid, decided with and without the cache: every decision is
// the same, and asked again, the same request, or the same at another time
// of the same day, is answered from the cache. A twentieth of the grid still
// reaches every value of every dimension; a tenth of that under -short.
func TestDecisionCacheDecidesAsTheEngine(t *testing.T) {
	t.Parallel()
	sample := gridSize() / 20
	if testing.Short() {
		sample /= 10
	}
	plain := engine(t)
	jurisdictions := gridJurisdictions(plain)
	cached := cacheEngine(t, 2*sample, checkin.WithRecorder(cacheFlag{}))

	cells := make(chan checkintest.Cell)
	var decided atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range cells {
				req := c.Request()
				want, err := plain.Decide(t.Context(), req)
				if !assert.NoError(t, err, c) {
					continue
				}
				later := req
				later.At = req.At.Add(7 * time.Hour) // 16:30, the same day
				wantLater, err := plain.Decide(t.Context(), later)
				if !assert.NoError(t, err, c) {
					continue
				}
				for i, r := range []checkin.Request{req, req, later} {
					d, hit := decideFlagged(t, cached, r)
					assert.Equal(t, []checkin.Decision{want, want, wantLater}[i], d, "%s, asked %d times", c, i+1)
					assert.True(t, hit || i == 0, "%s, asked %d times: not from the cache", c, i+1)
				}
				decided.Add(1)
			}
		})
	}
	for c := range checkintest.Grid(jurisdictions, sample) {
		cells <- c
	}
	close(cells)
	wg.Wait()

	n := uint64(decided.Load())
	require.GreaterOrEqual(t, n, uint64(sample*9/10))
	stats := cached.CacheStats()
	assert.Equal(t, 3*n, stats.Hits+stats.Misses)
	assert.GreaterOrEqual(t, stats.Hits, 2*n)
	t.Logf("decided %d grid requests; cache %+v", decided.Load(), stats)
}

// On the default policy, which reads only the date of at, requests that
// differ in the time of day, or in the offset on the same local date, are
// one entry; another date is another.
func TestDecisionCacheKeysOnTheDate(t *testing.T) {
	t.Parallel()
	e := cacheEngine(t, 10, checkin.WithRecorder(cacheFlag{}))
	req := aRequest()
	day := func(date string) time.Time {
		at, err := time.Parse(time.RFC3339, date)
		require.NoError(t, err)
		return at
	}

	req.At = day("2026-11-22T09:00:00-06:00")
	morning, hit := decideFlagged(t, e, req)
	assert.False(t, hit)
	for _, at := range []string{"2026-11-22T17:00:00-06:00", "2026-11-22T23:59:59+14:00", "2026-11-22T00:00:00Z"} {
		req.At = day(at)
		d, hit := decideFlagged(t, e, req)
		assert.True(t, hit, at)
		assert.Equal(t, morning, d, at)
	}
	assert.Equal(t, 1, e.CacheStats().Entries)

	req.At = day("2026-11-23T09:00:00-06:00")
	_, hit = decideFlagged(t, e, req)
	assert.False(t, hit, "another date")
	assert.Equal(t, 2, e.CacheStats().Entries)
}

// An overlay whose condition reads the time of day has the cache key on
// the whole of at: a pick-up at 09:00 and at 17:00 on the same day are
// decided apart, each as without the cache.
func TestDecisionCacheKeysOnTheTimeAnOverlayReads(t *testing.T) {
	t.Parallel()
	overlay := checkin.WithOverlayDir(filepath.Join("testdata", "overlays", "condition-by-time-of-day", "overlay"))
	plain, err := checkin.New(t.Context(), overlay)
	require.NoError(t, err)
	cached := cacheEngine(t, 10, overlay, checkin.WithRecorder(cacheFlag{}), checkin.WithLogger(slog.New(slog.DiscardHandler)))

	var decided []checkin.Decision
	for _, r := range []checkin.Request{pickUpRequest(9), pickUpRequest(17)} {
		want, err := plain.Decide(t.Context(), r)
		require.NoError(t, err)
		got, hit := decideFlagged(t, cached, r)
		assert.False(t, hit, r.At)
		require.Equal(t, want, got, r.At)
		got, hit = decideFlagged(t, cached, r)
		assert.True(t, hit, r.At)
		require.Equal(t, want, got, r.At)
		decided = append(decided, got)
	}
	assert.False(t, hasCondition(decided[0], checkin.PickUp, "CALL_GUARDIAN_AFTER_HOURS"), "09:00")
	assert.True(t, hasCondition(decided[1], checkin.PickUp, "CALL_GUARDIAN_AFTER_HOURS"), "17:00")
	assert.Equal(t, 2, cached.CacheStats().Entries)
}

// The cache holds at most its size, dropping the least recently used.
func TestDecisionCacheEvictsTheLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	e := cacheEngine(t, 2, checkin.WithRecorder(cacheFlag{}))
	on := func(day int) checkin.Request {
		req := aRequest()
		req.At = visitTime.AddDate(0, 0, day)
		return req
	}
	hit := func(day int) bool {
		_, hit := decideFlagged(t, e, on(day))
		return hit
	}
	assert.False(t, hit(1))
	assert.False(t, hit(2))
	assert.True(t, hit(1))  // 1 is now the most recently used
	assert.False(t, hit(3)) // and 2 makes room for 3
	assert.Equal(t, 2, e.CacheStats().Entries)
	assert.True(t, hit(1))
	assert.True(t, hit(3))
	assert.False(t, hit(2))
	assert.Equal(t, checkin.CacheStats{Hits: 3, Misses: 4, Entries: 2, Size: 2}, e.CacheStats())
}

// What a caller does to a decision never reaches the cache.
func TestDecisionCacheAnswersAreCopies(t *testing.T) {
	t.Parallel()
	e := cacheEngine(t, 10)
	req := aRequest()
	want, err := engine(t).Decide(t.Context(), req)
	require.NoError(t, err)
	for range 2 { // spoil the answer that filled the cache, then one it gave
		d, err := e.Decide(t.Context(), req)
		require.NoError(t, err)
		require.Equal(t, want, d)
		for a, ad := range d.Actions {
			ad.Reasons[0].Message = "spoiled"
			ad.Conditions = append(ad.Conditions[:0], checkin.Note{Code: "SPOILED"})
			d.Actions[a] = ad
		}
		d.Actions[checkin.PickUp] = checkin.ActionDecision{Verdict: checkin.Allow}
		d.Obligations = append(d.Obligations[:0], checkin.Note{Code: "SPOILED"})
		if len(d.Notices) > 0 {
			d.Notices[0].Message = "spoiled"
		}
	}
	d, err := e.Decide(t.Context(), req)
	require.NoError(t, err)
	require.Equal(t, want, d)
}

// The recorder sees every decision, each with its own ID, and whether the
// cache answered; a required recorder that fails withholds a cached answer
// as any other.
func TestDecisionCacheRecordsEveryDecision(t *testing.T) {
	t.Parallel()
	var rec cacheRecords
	e := cacheEngine(t, 10, checkin.WithRequiredRecorder(&rec))
	req := aRequest()
	first, err := e.Decide(t.Context(), req)
	require.NoError(t, err)
	again, err := e.Decide(t.Context(), req)
	require.NoError(t, err)
	require.Len(t, rec.records, 2)
	assert.False(t, rec.records[0].Cached)
	assert.True(t, rec.records[1].Cached)
	assert.NotEqual(t, rec.records[0].ID, rec.records[1].ID)
	assert.Equal(t, first, rec.records[0].Decision)
	assert.Equal(t, again, rec.records[1].Decision)
	assert.Equal(t, e.Revision(), rec.records[1].Revision)

	rec.fail = errors.New("audit log unavailable")
	d, err := e.Decide(t.Context(), req)
	var recErr *checkin.RecordError
	require.ErrorAs(t, err, &recErr)
	assert.Equal(t, rec.last().ID, recErr.DecisionID)
	assert.True(t, rec.last().Cached)
	assert.Equal(t, checkin.Decision{}, d)
}

// An invalid request is refused before the cache is looked at, every time,
// and never enters it; a cancelled context fails as without the cache.
func TestDecisionCacheNeverHoldsInvalidRequests(t *testing.T) {
	t.Parallel()
	e := cacheEngine(t, 10)
	req := aRequest()
	_, err := e.Decide(t.Context(), req)
	require.NoError(t, err)
	req.Practice = "lenient"
	for range 2 {
		_, err := e.Decide(t.Context(), req)
		var invalid *checkin.ValidationError
		require.ErrorAs(t, err, &invalid)
	}
	assert.Equal(t, checkin.CacheStats{Hits: 0, Misses: 1, Entries: 1, Size: 10}, e.CacheStats())

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = e.Decide(ctx, aRequest())
	require.ErrorIs(t, err, context.Canceled)
}

// A reload starts an empty cache: the new policy decides the next request,
// though the old one had decided it.
func TestDecisionCacheStartsEmptyOnReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeOverlay(t, dir, lenientPractice)
	e := cacheEngine(t, 10, checkin.WithOverlayDir(dir), checkin.WithRecorder(cacheFlag{}),
		checkin.WithLogger(slog.New(slog.DiscardHandler)))
	old := e.Revision()
	d, _ := decideFlagged(t, e, teenRequest())
	_, hit := decideFlagged(t, e, teenRequest())
	require.True(t, hit)
	assert.Equal(t, checkin.AllowWithConditions, d.Actions[checkin.Accompany].Verdict)

	writeOverlay(t, dir, carefulPractice)
	require.NoError(t, e.Reload(t.Context()))
	require.NotEqual(t, old, e.Revision())
	assert.Equal(t, 0, e.CacheStats().Entries)
	d, hit = decideFlagged(t, e, teenRequest())
	assert.False(t, hit)
	assert.Equal(t, checkin.Deny, d.Actions[checkin.Accompany].Verdict)
	assert.Equal(t, e.Revision(), d.Policy.Revision)
}

// Many goroutines decide on one cached engine, repeating requests and
// asking new ones, while the policy is reloaded: every answer is the one its
// revision gives, and no decision fails. Meant for -race.
func TestDecisionCacheUnderConcurrentUse(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the cached decisions under concurrent use and a reload, meant for -race")
	}
	t.Parallel()
	dir := t.TempDir()
	writeOverlay(t, dir, lenientPractice)
	e := cacheEngine(t, 64, checkin.WithOverlayDir(dir), checkin.WithLogger(slog.New(slog.DiscardHandler)))
	lenient := e.Revision()
	writeOverlay(t, dir, carefulPractice)
	careful, err := checkin.New(t.Context(), checkin.WithOverlayDir(dir))
	require.NoError(t, err)
	want := map[string]checkin.Verdict{lenient: checkin.AllowWithConditions, careful.Revision(): checkin.Deny}

	const workers, each, distinct = 4, 150, 24 // requests: the same few again, and new ones
	var wg sync.WaitGroup
	var decided atomic.Int64
	half := make(chan struct{})
	halfway := sync.OnceFunc(func() { close(half) })
	for w := range workers {
		wg.Go(func() {
			defer halfway() // a worker that fails lets the reload go ahead
			for i := range each {
				req := teenRequest()
				req.At = req.At.AddDate(0, 0, (w*each+i)%distinct)
				if i%5 == 0 {
					req.At = req.At.AddDate(0, 0, distinct+w*each+i) // asked once
				}
				d, err := e.Decide(t.Context(), req)
				if !assert.NoError(t, err) {
					return
				}
				verdict, known := want[d.Policy.Revision]
				assert.True(t, known, "unknown revision %s", d.Policy.Revision)
				assert.Equal(t, verdict, d.Actions[checkin.Accompany].Verdict, "revision %s", d.Policy.Revision)
				if decided.Add(1) == workers*each/2 {
					halfway()
				}
			}
		})
	}
	<-half
	require.NoError(t, e.Reload(t.Context()))
	wg.Wait()
	require.Equal(t, int64(workers*each), decided.Load())
	assert.Equal(t, careful.Revision(), e.Revision())
	stats := e.CacheStats()
	assert.Positive(t, stats.Hits)
	assert.LessOrEqual(t, stats.Entries, 64)
}

// A rule reading other fields, and the date, keeps the date alone in the
// key; every way of reading more of at is a testdata/overlays/cache-*
// overlay (TestDecisionCacheAttackOverlays).
func TestDecisionCacheFindsWhatReadsTheTime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "rule.rego"), []byte(`package overlay

conditions contains {"covers": ["pick_up"], "code": "X", "message": "x"} if {
	substring(input.at, 0, 10) == "1999-01-01"
	object.get(input, "companion", {}).age > object.get(input, ["patient", "age"], 200)
	input.companion.id == "never"
}
`), 0o644))
	e := cacheEngine(t, 10, checkin.WithOverlayDir(dir), checkin.WithLogger(slog.New(slog.DiscardHandler)))
	req := aRequest()
	for _, hour := range []int{9, 17} {
		req.At = time.Date(2026, 11, 22, hour, 0, 0, 0, visitTime.Location())
		_, err := e.Decide(t.Context(), req)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.CacheStats().Entries)
}

// BenchmarkDecisionCache decides the scenario corpus in turn: cold, on an
// engine without the cache; hit, answered from a cache holding it all; and
// miss, on a cache of one entry, which the next request always displaces,
// so each decision pays for the key and the copy on top of evaluating.
func BenchmarkDecisionCache(b *testing.B) {
	reqs, _ := corpus(b)
	run := func(b *testing.B, e *checkin.Engine) {
		ctx := context.Background()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := e.Decide(ctx, reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	cold, err := checkin.New(context.Background())
	require.NoError(b, err)
	hit, err := checkin.New(context.Background(), checkin.WithDecisionCache(len(reqs)))
	require.NoError(b, err)
	for _, req := range reqs {
		_, err := hit.Decide(context.Background(), req)
		require.NoError(b, err)
	}
	miss, err := checkin.New(context.Background(), checkin.WithDecisionCache(1))
	require.NoError(b, err)
	b.Run("cold", func(b *testing.B) { run(b, cold) })
	b.Run("hit", func(b *testing.B) { run(b, hit) })
	b.Run("miss", func(b *testing.B) { run(b, miss) })
}

// A service that names the decision id before deciding (ContextWithDecisionID)
// finds it on the record, cached or not; without one each record gets its own
// random UUID.
func TestRecordCarriesTheDecisionIDTheCallerGave(t *testing.T) {
	t.Parallel()
	var rec cacheRecords
	e := cacheEngine(t, 10, checkin.WithRecorder(&rec))
	req := aRequest()
	for _, id := range []string{"3b0c8a9e-1f2d-4c5b-9a8e-7d6c5b4a3f21", "card-2"} {
		_, err := e.Decide(checkin.ContextWithDecisionID(t.Context(), id), req)
		require.NoError(t, err)
		assert.Equal(t, id, rec.last().ID)
	}
	_, err := e.Decide(checkin.ContextWithDecisionID(t.Context(), ""), req)
	require.NoError(t, err)
	assert.Regexp(t, decisionIDPattern, rec.last().ID)
	assert.True(t, rec.last().Cached)
	assert.NotEqual(t, checkin.NewDecisionID(), checkin.NewDecisionID())
}
