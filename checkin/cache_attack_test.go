package checkin_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// pickUpRequest is Jamie's mother, with photo ID and custody, taking Jamie
// home at the hour given, on 2026-11-22 in the visit's zone (-06:00).
func pickUpRequest(hour int) checkin.Request {
	req := aRequest()
	req.Companion = checkin.Companion{ID: mother.Person, Name: mother.Name, Relationship: checkin.Parent, Age: 38,
		Identity: checkin.PhotoID}
	req.Records.Guardians = []checkin.Guardian{mother}
	req.Records.Guardians[0].LegalCustody = new(true)
	req.Requested = []checkin.Action{checkin.PickUp}
	req.At = time.Date(2026, 11, 22, hour, 0, 0, 0, visitTime.Location())
	return req
}

// hasCondition reports whether d sets a condition of code on action.
func hasCondition(d checkin.Decision, action checkin.Action, code checkin.Code) bool {
	return slices.ContainsFunc(d.Actions[action].Conditions, func(n checkin.Note) bool { return n.Code == code })
}

// Each testdata/overlays/cache-* overlay reads the time of day in its own
// way, to add condition AFTER_NOON to a pick-up after 12:00. Asked at 09:00
// and then at 17:00 of the same day, an engine with the cache decides each
// as one without it: the 09:00 answer is never given at 17:00.
func TestDecisionCacheAttackOverlays(t *testing.T) {
	if raceEnabled {
		t.Skip("-race: each attack overlay's answers are compared in the run without -race; TestDecisionCacheChurnsUnderConcurrentUse is the cache's race test")
	}
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join("testdata", "overlays", "cache-*"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(strings.TrimPrefix(filepath.Base(dir), "cache-"), func(t *testing.T) {
			t.Parallel()
			overlay := checkin.WithOverlayDir(filepath.Join(dir, "overlay"))
			plain, err := checkin.New(t.Context(), overlay)
			require.NoError(t, err)
			var log strings.Builder
			cached := cacheEngine(t, 10, overlay, checkin.WithRecorder(cacheFlag{}),
				checkin.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
			for _, hour := range []int{9, 17} {
				req := pickUpRequest(hour)
				want, err := plain.Decide(t.Context(), req)
				require.NoError(t, err)
				require.Equal(t, hour >= 12, hasCondition(want, checkin.PickUp, "AFTER_NOON"), "%02d:00: the overlay must read the time of day", hour)
				got, hit := decideFlagged(t, cached, req)
				assert.False(t, hit, "%02d:00 answered from the cache", hour)
				assert.Equal(t, want, got, "%02d:00", hour)
			}
			assert.Equal(t, 2, cached.CacheStats().Entries)
			assert.Contains(t, log.String(), "read_at=", "the engine's log names the rule that reads the time")
			t.Log(strings.TrimSpace(log.String()))
		})
	}
}

// Requests that differ in one field each, or only in how a list is ordered,
// a field left out or given its zero value, or the zone of the same
// instant, decided in turn on one cached engine and then again: each answer
// is the one an engine without the cache gives.
func TestDecisionCacheTellsRequestsApart(t *testing.T) {
	t.Parallel()
	proxy := checkin.Document{ID: "doc-1", Kind: checkin.ProxyAuthorization, GrantedBy: mother.Person,
		Grantee: "per-aunt", Covers: []checkin.Action{checkin.Accompany, checkin.ConsentSick}, SignedOn: "2026-01-10"}
	father := checkin.Guardian{Person: "per-dad", Name: "Luis Lopez", Role: checkin.RoleParent}
	// Eighteen on 2026-11-23: at 23:30 on the 22nd in -06:00, the same
	// instant as 05:30 on the 23rd in UTC, a minor in one zone and an adult
	// in the other.
	turning18 := func(r *checkin.Request) { r.Patient.BirthDate = "2008-11-23" }
	lateOn22nd := time.Date(2026, 11, 22, 23, 30, 0, 0, visitTime.Location())
	variants := map[string]func(*checkin.Request){
		"base":                         func(*checkin.Request) {},
		"patient name":                 func(r *checkin.Request) { r.Patient.Name = "Jamie López" },
		"no patient name":              func(r *checkin.Request) { r.Patient.Name = "" },
		"patient id and name run on":   func(r *checkin.Request) { r.Patient.ID, r.Patient.Name = "pt-1J", "amie Lopez" },
		"companion name":               func(r *checkin.Request) { r.Companion.Name = "Marie Lopez" },
		"guardian name":                func(r *checkin.Request) { r.Records.Guardians[0].Name = "Anna Lopez" },
		"guardian without custody":     func(r *checkin.Request) { r.Records.Guardians[0].LegalCustody = new(false) },
		"guardian with custody said":   func(r *checkin.Request) { r.Records.Guardians[0].LegalCustody = new(true) },
		"two guardians":                func(r *checkin.Request) { r.Records.Guardians = append(r.Records.Guardians, father) },
		"two guardians, the other way": func(r *checkin.Request) { r.Records.Guardians = []checkin.Guardian{father, mother} },
		"actions the other way":        func(r *checkin.Request) { r.Requested = []checkin.Action{checkin.ConsentSick, checkin.Accompany} },
		"one action":                   func(r *checkin.Request) { r.Requested = []checkin.Action{checkin.Accompany} },
		"patient away":                 func(r *checkin.Request) { r.Patient.Present = new(false) },
		"patient present said":         func(r *checkin.Request) { r.Patient.Present = new(true) },
		"no statuses":                  func(r *checkin.Request) { r.Patient.Statuses = []checkin.Status{} },
		"emancipated":                  func(r *checkin.Request) { r.Patient.Statuses = []checkin.Status{checkin.Emancipated} },
		"strict practice":              func(r *checkin.Request) { r.Practice = "strict" },
		"default practice named":       func(r *checkin.Request) { r.Practice = "default" },
		"emergency":                    func(r *checkin.Request) { r.Emergency = true },
		"proxy":                        func(r *checkin.Request) { r.Records.Documents = []checkin.Document{proxy} },
		"proxy, one witness":           func(r *checkin.Request) { p := proxy; p.Witnesses = 1; r.Records.Documents = []checkin.Document{p} },
		"proxy, two witnesses":         func(r *checkin.Request) { p := proxy; p.Witnesses = 2; r.Records.Documents = []checkin.Document{p} },
		"proxy, notarized":             func(r *checkin.Request) { p := proxy; p.Notarized = true; r.Records.Documents = []checkin.Document{p} },
		"proxy, covers left out":       func(r *checkin.Request) { p := proxy; p.Covers = nil; r.Records.Documents = []checkin.Document{p} },
		"proxy, covers the other way": func(r *checkin.Request) {
			p := proxy
			p.Covers = []checkin.Action{checkin.ConsentSick, checkin.Accompany}
			r.Records.Documents = []checkin.Document{p}
		},
		"proxy, expired": func(r *checkin.Request) {
			p := proxy
			p.ValidUntil = "2026-11-21"
			r.Records.Documents = []checkin.Document{p}
		},
		"proxy, last day": func(r *checkin.Request) {
			p := proxy
			p.ValidUntil = "2026-11-22"
			r.Records.Documents = []checkin.Document{p}
		},
		"proxy, revoked": func(r *checkin.Request) { p := proxy; p.Revoked = true; r.Records.Documents = []checkin.Document{p} },
		"verbal consent": func(r *checkin.Request) {
			r.Desk.VerbalConsent = []checkin.VerbalConsent{{From: mother.Person, Covers: []checkin.Action{checkin.ConsentSick}, Witness: "staff-1"}}
		},
		"verbal consent, no witness": func(r *checkin.Request) {
			r.Desk.VerbalConsent = []checkin.VerbalConsent{{From: mother.Person, Covers: []checkin.Action{checkin.ConsentSick}}}
		},
		"no verbal consent, said": func(r *checkin.Request) { r.Desk.VerbalConsent = []checkin.VerbalConsent{} },
		"restricted": func(r *checkin.Request) {
			r.Records.Restrictions = []checkin.Restriction{{Person: "per-aunt", Covers: []checkin.Action{checkin.Accompany}}}
		},
		"the next day":                  func(r *checkin.Request) { r.At = r.At.AddDate(0, 0, 1) },
		"turning 18, late on the 22nd":  func(r *checkin.Request) { turning18(r); r.At = lateOn22nd },
		"turning 18, the same in UTC":   func(r *checkin.Request) { turning18(r); r.At = lateOn22nd.UTC() },
		"turning 18, at 09:30 the 22nd": turning18,
	}
	// alike are the variants whose input is another's but for the time of
	// day: one entry serves both.
	alike := map[string]string{
		"no statuses":                   "base",
		"no verbal consent, said":       "base",
		"turning 18, at 09:30 the 22nd": "turning 18, late on the 22nd",
	}
	plain := engine(t)
	cached := cacheEngine(t, 1000)
	want := map[string]checkin.Decision{}
	differ := 0
	for name, vary := range variants {
		req := aRequest()
		vary(&req)
		d, err := plain.Decide(t.Context(), req)
		require.NoError(t, err, name)
		want[name] = d
	}
	for name, d := range want {
		if name != "base" && !assert.ObjectsAreEqual(want["base"], d) {
			differ++
		}
	}
	require.NotEqual(t, want["turning 18, late on the 22nd"], want["turning 18, the same in UTC"],
		"the same instant is another date in another zone")
	for a, b := range alike {
		require.Equal(t, want[b], want[a], a)
	}
	for round := range 2 {
		for name, vary := range variants {
			req := aRequest()
			vary(&req)
			d, err := cached.Decide(t.Context(), req)
			require.NoError(t, err, name)
			assert.Equal(t, want[name], d, "%s, asked %d times", name, round+1)
		}
	}
	stats := cached.CacheStats()
	assert.Equal(t, uint64(len(variants)+len(alike)), stats.Hits, "every request asked again is answered from the cache")
	assert.Equal(t, len(variants)-len(alike), stats.Entries, "no two variants share an entry but those alike")
	t.Logf("%d variants, %d decided otherwise than the base request; %+v", len(variants), differ, stats)
}

// Engines deciding in other languages have caches of their own: each
// answers in its language, as one without the cache.
func TestDecisionCacheKeepsTheEnginesLanguage(t *testing.T) {
	t.Parallel()
	req := aRequest()
	for _, lang := range []string{"es", "en"} {
		plain, err := checkin.New(t.Context(), checkin.WithLanguage(lang))
		require.NoError(t, err)
		want, err := plain.Decide(t.Context(), req)
		require.NoError(t, err)
		cached := cacheEngine(t, 10, checkin.WithLanguage(lang))
		for range 2 {
			d, err := cached.Decide(t.Context(), req)
			require.NoError(t, err)
			assert.Equal(t, want, d, lang)
		}
	}
}

// spoilingRecorder, while on, changes every slice and map of the decision
// it records, and the list of actions of the caller's request.
type spoilingRecorder struct{ on atomic.Bool }

func (r *spoilingRecorder) Record(_ context.Context, rec checkin.Record) error {
	if !r.on.Load() {
		return nil
	}
	for a, ad := range rec.Decision.Actions {
		for i := range ad.Reasons {
			ad.Reasons[i].Message = "spoiled"
		}
		for i := range ad.Remedies {
			ad.Remedies[i].Code = "SPOILED"
		}
		ad.Verdict = checkin.Allow
		rec.Decision.Actions[a] = ad
	}
	for i := range rec.Decision.Notices {
		rec.Decision.Notices[i].Message = "spoiled"
	}
	rec.Decision.Actions["spoiled"] = checkin.ActionDecision{}
	rec.Request.Requested[0] = checkin.PickUp
	return nil
}

// A recorder that changes what it is given, on a miss and on hits, never
// changes what the cache holds; nor does a caller that changes the request
// it asked with, in place, get the answer to the request as it was.
func TestDecisionCacheHoldsItsOwnCopies(t *testing.T) {
	t.Parallel()
	plain := engine(t)
	want, err := plain.Decide(t.Context(), aRequest())
	require.NoError(t, err)
	var rec spoilingRecorder
	e := cacheEngine(t, 10, checkin.WithRecorder(&rec))
	rec.on.Store(true)
	for range 3 { // the miss, then hits
		_, err := e.Decide(t.Context(), aRequest())
		require.NoError(t, err)
	}
	rec.on.Store(false)
	d, err := e.Decide(t.Context(), aRequest())
	require.NoError(t, err)
	assert.Equal(t, want, d)
	assert.Equal(t, checkin.CacheStats{Hits: 3, Misses: 1, Entries: 1, Size: 10}, e.CacheStats())

	req := aRequest()
	req.Records.Guardians = slices.Clone(req.Records.Guardians)
	_, err = e.Decide(t.Context(), req)
	require.NoError(t, err)
	req.Records.Guardians[0].Name = "Someone Else" // the same backing array, changed in place
	wantChanged, err := plain.Decide(t.Context(), req)
	require.NoError(t, err)
	require.NotEqual(t, want, wantChanged, "the guardian's name is in the decision's words")
	d, err = e.Decide(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, wantChanged, d)
}

// A request answered from the cache for a practice that a reload then
// removes is refused as invalid, not answered from the old policy's cache.
func TestDecisionCacheForgetsARemovedPractice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeOverlay(t, dir, lenientPractice)
	e := cacheEngine(t, 10, checkin.WithOverlayDir(dir), checkin.WithLogger(slog.New(slog.DiscardHandler)))
	for range 2 {
		_, err := e.Decide(t.Context(), teenRequest())
		require.NoError(t, err)
	}
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "practices")))
	require.NoError(t, e.Reload(t.Context()))
	_, err := e.Decide(t.Context(), teenRequest())
	var invalid *checkin.ValidationError
	require.ErrorAs(t, err, &invalid)
	assert.Equal(t, "practice", invalid.Problems[0].Field)
}

// A cache of any size up to the largest int is made lazily: it takes no
// memory for what it does not hold.
func TestDecisionCacheOfTheLargestSize(t *testing.T) {
	t.Parallel()
	e := cacheEngine(t, math.MaxInt)
	for range 2 {
		_, err := e.Decide(t.Context(), aRequest())
		require.NoError(t, err)
	}
	assert.Equal(t, checkin.CacheStats{Hits: 1, Misses: 1, Entries: 1, Size: math.MaxInt}, e.CacheStats())
}

// A cache far smaller than the requests asked, so that entries are dropped
// and made again all the time, while callers spoil their answers, others
// read the statistics and the unchanged policy is reloaded every few dozen
// decisions: every answer is the one the engine without the cache gives,
// and some are answered from the cache. Meant for -race.
func TestDecisionCacheChurnsUnderConcurrentUse(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the cache's churn under concurrent decisions and reloads, meant for -race")
	}
	t.Parallel()
	plain := engine(t)
	var reqs []checkin.Request
	var want []checkin.Decision
	for day := range 12 {
		req := aRequest()
		req.At = req.At.AddDate(0, 0, day*40) // documents and ages change with the date
		req.Companion.Name = fmt.Sprintf("Companion %d", day)
		d, err := plain.Decide(t.Context(), req)
		require.NoError(t, err)
		reqs, want = append(reqs, req), append(want, d)
	}
	e := cacheEngine(t, 3, checkin.WithLogger(slog.New(slog.DiscardHandler)))
	const workers, each, reloadEvery = 4, 120, 40
	var wg sync.WaitGroup
	var decided atomic.Int64
	reload := make(chan struct{}, 1)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				n := (w*7 + i/3*5) % len(reqs) // each request three times in a row
				d, err := e.Decide(t.Context(), reqs[n])
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, want[n], d, "request %d", n)
				for a, ad := range d.Actions { // the caller's to spoil
					ad.Reasons[0].Message = "spoiled"
					d.Actions[a] = ad
				}
				d.Notices = append(d.Notices[:0], checkin.Note{Code: "SPOILED"})
				if decided.Add(1)%reloadEvery == 0 {
					select {
					case reload <- struct{}{}:
					default: // a reload is under way
					}
				}
			}
		})
	}
	done := make(chan struct{})
	var side sync.WaitGroup
	side.Go(func() {
		for {
			select {
			case <-done:
				return
			case <-reload:
			}
			assert.LessOrEqual(t, e.CacheStats().Entries, 3)
			assert.NoError(t, e.Reload(t.Context()))
		}
	})
	wg.Wait()
	close(done)
	side.Wait()
	stats := e.CacheStats()
	assert.Equal(t, uint64(workers*each), stats.Hits+stats.Misses)
	assert.Positive(t, stats.Hits)
	t.Logf("%+v", stats)
}
