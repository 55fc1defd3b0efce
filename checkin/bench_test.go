package checkin_test

// Benchmarks of a decision against what a Go team would otherwise use: OPA
// embedded by hand, OPA re-prepared per call (the common mistake), OPA as a
// server on loopback, and OPA's floor for a one-line policy; and against the
// default policy as it was before its rules were restructured for speed
// (frontdesk_pinned, on testdata/pinned). Every variant decides the same
// corpus, the scenario files' requests, cycled:
//
//	go test -run '^$' -bench 'Compare|New|DecideParallel' -benchmem ./checkin
//
// A variant's ns/op and allocs/op are what one decision costs it. How the
// variants compare is Compare/ratios: the median of per-round ratios over
// interleaved rounds (measureRatios), in each of which frontdesk,
// frontdesk_pinned, opa_eval_map and opa_rest_loopback decide the same
// requests, taking turns. The figures and what they are held to:
//
//	frontdesk/pinned_ns             the default policy's time as a fraction of the pinned one's: <= 0.6
//	frontdesk/pinned_allocs         and its allocations: <= 0.6
//	opa_eval_map/frontdesk_ns       how many times slower OPA embedded by hand is: >= 1.5
//	opa_rest_loopback/frontdesk_ns  how many times slower OPA's server on loopback is: >= 3
//
// Ratios are taken within a round because a shared machine drifts: -count N
// runs each sub-benchmark N times in a row, so a machine that slows down
// between one variant's runs and the next's fakes a difference between them.
// The rounds are measured once, whatever b.N and -benchtime, in about 15 s,
// and logged one line each; ratios' own ns/op and allocs/op read zero.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/logging"
	"github.com/open-policy-agent/opa/v1/rego"
	opa "github.com/open-policy-agent/opa/v1/runtime"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
	policyfs "github.com/frontdesk-policy/frontdesk/rego"
)

// contractQuery is the contract's entry point, which someone embedding OPA by hand would query.
const contractQuery = "data.checkin.decision"

// corpus is the valid requests of the scenario files, as Go values and as JSON.
func corpus(b testing.TB) ([]checkin.Request, [][]byte) {
	b.Helper()
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(b, err)
	var reqs []checkin.Request
	var raw [][]byte
	for _, c := range cases {
		req, err := checkin.ParseRequest(c.Request)
		if err != nil || req.Validate() != nil || c.Expect.Outcome == checkin.Invalid {
			continue
		}
		reqs = append(reqs, req)
		raw = append(raw, c.Request)
	}
	require.NotEmpty(b, reqs)
	return reqs, raw
}

// bundle is the default policy as raw OPA reads it: its modules and data.
func bundle(b *testing.B) []func(*rego.Rego) {
	b.Helper()
	result, err := loader.NewFileLoader().
		WithFS(policyfs.FS()).
		WithProcessAnnotation(true).
		WithRegoVersion(ast.RegoV1).
		All([]string{"."})
	require.NoError(b, err)
	opts := []func(*rego.Rego){rego.Store(inmem.NewFromObject(result.Documents))}
	for _, m := range result.ParsedModules() {
		opts = append(opts, rego.ParsedModule(m))
	}
	return opts
}

func BenchmarkCompare(b *testing.B) {
	reqs, raw := corpus(b)
	maps := make([]map[string]any, len(raw))
	for i, r := range raw {
		require.NoError(b, json.Unmarshal(r, &maps[i]))
	}
	ctx := context.Background()

	// Each variant's setup returns what decides the corpus's i-th request, cycled.
	frontdesk := func(e *checkin.Engine) func(int) error {
		return func(i int) error {
			_, err := e.Decide(ctx, reqs[i%len(reqs)])
			return err
		}
	}
	variants := []struct {
		name  string
		setup func(b *testing.B) func(int) error
	}{
		{"frontdesk", func(b *testing.B) func(int) error { return frontdesk(engine(b)) }},
		{"frontdesk_pinned", func(b *testing.B) func(int) error { return frontdesk(pinnedEngine(b)) }},
		{"opa_eval_map", func(b *testing.B) func(int) error {
			pq, err := rego.New(append(bundle(b), rego.Query(contractQuery))...).PrepareForEval(ctx)
			require.NoError(b, err)
			return func(i int) error {
				rs, err := pq.Eval(ctx, rego.EvalInput(maps[i%len(maps)]))
				if err == nil && len(rs) != 1 {
					err = fmt.Errorf("%d results", len(rs))
				}
				return err
			}
		}},
		{"opa_prepare_per_call", func(b *testing.B) func(int) error {
			opts := append(bundle(b), rego.Query(contractQuery))
			return func(i int) error {
				rs, err := rego.New(append(opts, rego.Input(maps[i%len(maps)]))...).Eval(ctx)
				if err == nil && len(rs) != 1 {
					err = fmt.Errorf("%d results", len(rs))
				}
				return err
			}
		}},
		{"opa_rest_loopback", func(b *testing.B) func(int) error {
			url := serveOPA(b)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			bodies := make([][]byte, len(raw))
			for i, r := range raw {
				bodies[i] = append(append([]byte(`{"input":`), r...), '}')
			}
			return func(i int) error {
				body := bytes.NewReader(bodies[i%len(bodies)])
				resp, err := client.Post(url+"/v1/data/checkin/decision", "application/json", body)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				var out struct {
					Result map[string]any `json:"result"`
				}
				if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Result == nil {
					return fmt.Errorf("%s: %v", resp.Status, err)
				}
				return nil
			}
		}},
		{"opa_trivial", func(b *testing.B) func(int) error {
			pq, err := rego.New(
				rego.Query("data.trivial.allow"),
				rego.Module("trivial.rego", "package trivial\n\nallow if input.user == \"alice\"\n"),
			).PrepareForEval(ctx)
			require.NoError(b, err)
			input := ast.NewObject(ast.Item(ast.StringTerm("user"), ast.StringTerm("alice")))
			return func(int) error {
				rs, err := pq.Eval(ctx, rego.EvalParsedInput(input))
				if err == nil && !rs.Allowed() {
					err = errors.New("not allowed")
				}
				return err
			}
		}},
	}
	setups := map[string]func(b *testing.B) func(int) error{}
	for _, v := range variants {
		setups[v.name] = v.setup
		b.Run(v.name, func(b *testing.B) {
			decide := v.setup(b)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := decide(i); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}

	var measured struct {
		b      *testing.B
		ratios map[string]float64
	}
	b.Run("ratios", func(b *testing.B) {
		if measured.b != b { // once a run (-count runs it anew), however often the run calls this for b.N
			measured.b, measured.ratios = b, measureRatios(b, setups)
		}
		for unit, r := range measured.ratios {
			b.ReportMetric(r, unit)
		}
		// The rounds' own time and allocations are no one decision's.
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(0, "B/op")
		b.ReportMetric(0, "allocs/op")
	})
}

// The ratios' rounds: in each, every variant decides the same perRound
// requests, perTurn at a time, taking turns in an order rotated from one turn
// to the next, so that a machine slowing down within a round slows them all
// alike. A turn is long enough to run warm, as a process deciding all day does.
const (
	rounds   = 9
	perRound = 150
	perTurn  = 50
)

// measureRatios decides with frontdesk, frontdesk_pinned, opa_eval_map and
// opa_rest_loopback in interleaved rounds, and gives the median of each
// round's ratios of their time and allocations per decision.
func measureRatios(b *testing.B, setups map[string]func(*testing.B) func(int) error) map[string]float64 {
	names := []string{"frontdesk", "frontdesk_pinned", "opa_eval_map", "opa_rest_loopback"}
	decide := map[string]func(int) error{}
	for _, name := range names {
		decide[name] = setups[name](b)
		for i := range perRound / 10 { // a few first, so that no round pays for first use
			require.NoError(b, decide[name](i), name)
		}
	}
	type cost struct{ ns, allocs float64 } // per decision
	var per []map[string]cost
	for round := range rounds {
		costs := map[string]cost{}
		for turn := range perRound / perTurn {
			first := round*perRound + turn*perTurn
			for k := range names {
				name := names[(round+turn+k)%len(names)]
				runtime.GC() // each turn starts from a collected heap: no variant pays for another's garbage
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				for i := first; i < first+perTurn; i++ {
					if err := decide[name](i); err != nil {
						b.Fatal(name, err)
					}
				}
				elapsed := time.Since(start)
				runtime.ReadMemStats(&after)
				c := costs[name]
				c.ns += float64(elapsed.Nanoseconds()) / perRound
				c.allocs += float64(after.Mallocs-before.Mallocs) / perRound
				costs[name] = c
			}
		}
		per = append(per, costs)
	}
	// The median of the rounds' ratios of num's cost to den's.
	median := func(num, den string, of func(cost) float64) float64 {
		rs := make([]float64, len(per))
		for i, c := range per {
			rs[i] = of(c[num]) / of(c[den])
		}
		slices.Sort(rs)
		return rs[len(rs)/2]
	}
	ns := func(c cost) float64 { return c.ns }
	allocs := func(c cost) float64 { return c.allocs }
	ratios := map[string]float64{
		"frontdesk/pinned_ns":            median("frontdesk", "frontdesk_pinned", ns),
		"frontdesk/pinned_allocs":        median("frontdesk", "frontdesk_pinned", allocs),
		"opa_eval_map/frontdesk_ns":      median("opa_eval_map", "frontdesk", ns),
		"opa_rest_loopback/frontdesk_ns": median("opa_rest_loopback", "frontdesk", ns),
	}
	for round, c := range per {
		b.Logf("round %d: frontdesk %.0f µs %.0f allocs, pinned %.0f µs %.0f allocs, "+
			"opa_eval_map %.0f µs, opa_rest_loopback %.0f µs", round+1,
			c["frontdesk"].ns/1e3, c["frontdesk"].allocs, c["frontdesk_pinned"].ns/1e3, c["frontdesk_pinned"].allocs,
			c["opa_eval_map"].ns/1e3, c["opa_rest_loopback"].ns/1e3)
	}
	return ratios
}

// serveOPA runs OPA's own server on a loopback port with the default policy,
// as `opa run --server rego/` would, and returns its URL.
func serveOPA(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	err := fs.WalkDir(policyfs.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		bs, err := fs.ReadFile(policyfs.FS(), name)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		return os.WriteFile(path, bs, 0o644)
	})
	require.NoError(b, err)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	addr := l.Addr().String()
	require.NoError(b, l.Close())

	params := opa.NewParams()
	params.Addrs = &[]string{addr}
	params.Paths = []string{dir}
	params.Logger = logging.NewNoOpLogger()
	params.ConsoleLogger = logging.NewNoOpLogger()
	params.Output = io.Discard
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	rt, err := opa.NewRuntime(ctx, params)
	require.NoError(b, err)
	go func() { _ = rt.Serve(ctx) }()

	url := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return url
			}
		}
		if time.Now().After(deadline) {
			b.Fatal(fmt.Errorf("OPA server on %s did not become healthy: %v", addr, err))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// BenchmarkNew is the cost of loading, checking and preparing the embedded default policy.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := checkin.New(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecideParallel decides from every core at once; compare -cpu 1,2.
func BenchmarkDecideParallel(b *testing.B) {
	reqs, _ := corpus(b)
	e := engine(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := e.Decide(context.Background(), reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
