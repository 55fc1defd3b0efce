package checkin_test

// BenchmarkClinicDay decides one day at a busy practice group as its front
// desks ask it: 400 appointments in ten clinics (eight states whose
// profiles ship, and Puerto Rico and the Virgin Islands, decided under the
// default rules), each family as it comes — parents, a stepparent,
// grandparents, aunts, sitters, foster parents, a parent under a protective
// order, teenagers on their own, adults alone or with a partner, adults who
// cannot decide with an agent or a spouse — with authorizations, affidavits,
// placements and powers of attorney, some expired or revoked, restrictions,
// refusals and consents by phone. Each appointment is decided at check-in
// and asked again 10 to 30 times by the screens until the patient leaves;
// about one in four changes on the way (a guardian consents by phone, a
// companion shows ID, the patient agrees), a new request from then on.
// That is about 8,400 requests, of which about 500 are first asks. The day is
// generated from a fixed seed by clinicDay, in clinicday_test.go.
//
//	go test -run '^$' -bench ClinicDay -benchmem ./checkin
//
// One op is one request of the day, on one goroutine; b.N cycles through
// the day part by part. Each of the day's twenty parts holds every request
// of one appointment in twenty, in the day's order, so a run shorter than
// the day still decides whole appointments, with the day's share of first
// asks and repeats.
//
//   - cold: the engine without a cache, as BenchmarkCompare's frontdesk.
//   - cached: WithDecisionCache sized for the whole day, on a fresh engine
//     each time the day starts again, so that no run finds the decisions of
//     an earlier one in the cache (building the engine is not timed).
//   - opa_rest_loopback: the same requests posted to OPA's own server on a
//     loopback port, the default policy loaded as `opa run --server rego/` would.
//
// Besides ns/op, each reports decisions/s/core (requests answered per second
// by the one goroutine deciding, 1/ns/op; GOMAXPROCS cores are available to
// it, and the garbage collector may work on another) and the p50_us and
// p99_us latency of its requests in microseconds. cached adds hit_ratio, the
// share of requests the cache answered, from CacheStats, and
// x_cold_throughput: how many times the cold path's throughput the cache
// gives on the day. That ratio is measured apart from the runs above, which
// a drifting machine would skew, once in each run of cached (-count N
// measures it N times): in rounds that each decide one part of the day cold
// and cached, back to back, the order alternating; it is the median of ten
// rounds' ratios. rounds_hit_ratio is the share of those rounds' requests
// the cache answered, which bounds what any cache can give them: about
// 1/(1-rounds_hit_ratio), if a miss costs what a cold decision does and a
// hit nothing.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// dayParts is how many parts the day is split into; x_cold_throughput's
// rounds decide every other part, half the day, to keep the benchmark short.
const dayParts = 20

func BenchmarkClinicDay(b *testing.B) {
	parts := dayByPart(clinicDay())
	day := slices.Concat(parts...)
	ctx := context.Background()

	b.Run("cold", func(b *testing.B) {
		e := engine(b)
		latencies := make([]time.Duration, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			start := time.Now()
			if _, err := e.Decide(ctx, day[i%len(day)].req); err != nil {
				b.Fatal(err)
			}
			latencies[i] = time.Since(start)
		}
		reportLatencies(b, latencies)
	})

	var measured struct {
		b               *testing.B
		ratio, hitRatio float64
	}
	b.Run("cached", func(b *testing.B) {
		if measured.b != b { // once a run (-count runs it anew), however often the run calls this for b.N
			measured.b = b
			measured.ratio, measured.hitRatio = cachedOverCold(b, everyOther(parts))
		}
		latencies := make([]time.Duration, b.N)
		var e *checkin.Engine
		var hits, misses uint64
		count := func() {
			if e != nil {
				s := e.CacheStats()
				hits, misses = hits+s.Hits, misses+s.Misses
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			if i%len(day) == 0 {
				b.StopTimer()
				count()
				e = cacheEngine(b, len(day))
				runtime.GC() // so that the requests timed next do not pay for building it
				b.StartTimer()
			}
			start := time.Now()
			if _, err := e.Decide(ctx, day[i%len(day)].req); err != nil {
				b.Fatal(err)
			}
			latencies[i] = time.Since(start)
		}
		b.StopTimer()
		count()
		reportLatencies(b, latencies)
		b.ReportMetric(float64(hits)/float64(hits+misses), "hit_ratio")
		b.ReportMetric(measured.ratio, "x_cold_throughput")
		b.ReportMetric(measured.hitRatio, "rounds_hit_ratio")
	})

	b.Run("opa_rest_loopback", func(b *testing.B) {
		bodies := make([][]byte, len(day))
		for i, a := range day {
			req, err := json.Marshal(a.req)
			require.NoError(b, err)
			bodies[i] = append(append([]byte(`{"input":`), req...), '}')
		}
		url := serveOPA(b) + "/v1/data/checkin/decision"
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		latencies := make([]time.Duration, b.N)
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			start := time.Now()
			resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[i%len(bodies)]))
			if err != nil {
				b.Fatal(err)
			}
			var out struct {
				Result map[string]any `json:"result"`
			}
			err = json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if err != nil || out.Result == nil {
				b.Fatal(err, resp.Status)
			}
			latencies[i] = time.Since(start)
		}
		reportLatencies(b, latencies)
	})
}

// dayByPart splits the day into dayParts parts by appointment, each in the
// day's order.
func dayByPart(day []dayAsk) [][]dayAsk {
	parts := make([][]dayAsk, dayParts)
	for _, a := range day {
		parts[a.appointment%dayParts] = append(parts[a.appointment%dayParts], a)
	}
	return parts
}

func everyOther[T any](list []T) []T {
	var out []T
	for i := 0; i < len(list); i += 2 {
		out = append(out, list[i])
	}
	return out
}

// cachedOverCold decides each part on the cold engine and on one cached
// engine, alternating which goes first, and returns the median of the
// rounds' ratios of cold time to cached time, and the share of the rounds'
// requests the cache answered. One cached engine serves every round: the
// parts share no appointment, so no part finds another's decisions in the
// cache.
func cachedOverCold(b *testing.B, parts [][]dayAsk) (ratio, hitRatio float64) {
	ctx := context.Background()
	cold, cached := engine(b), cacheEngine(b, len(slices.Concat(parts...)))
	runtime.GC()
	decideAll := func(e *checkin.Engine, part []dayAsk) time.Duration {
		start := time.Now()
		for _, a := range part {
			if _, err := e.Decide(ctx, a.req); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	ratios := make([]float64, len(parts))
	for r, part := range parts {
		var coldTime, cachedTime time.Duration
		if r%2 == 0 {
			coldTime = decideAll(cold, part)
			cachedTime = decideAll(cached, part)
		} else {
			cachedTime = decideAll(cached, part)
			coldTime = decideAll(cold, part)
		}
		ratios[r] = coldTime.Seconds() / cachedTime.Seconds()
	}
	slices.Sort(ratios)
	stats := cached.CacheStats()
	return ratios[len(ratios)/2], float64(stats.Hits) / float64(stats.Hits+stats.Misses)
}

// reportLatencies reports the run's throughput on its one goroutine and the
// median and 99th percentile of its requests' latencies.
func reportLatencies(b *testing.B, latencies []time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s/core")
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	percentile := func(p int) float64 {
		return float64(sorted[(len(sorted)-1)*p/100]) / float64(time.Microsecond)
	}
	b.ReportMetric(percentile(50), "p50_us")
	b.ReportMetric(percentile(99), "p99_us")
}
