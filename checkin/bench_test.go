package checkin_test

// Benchmarks of a decision against what a Go team would otherwise use: OPA
// embedded by hand, OPA re-prepared per call (the common mistake), OPA as a
// server on loopback, and OPA's floor for a one-line policy. Every variant
// decides the same corpus, the scenario files' requests, cycled; compare them
// as ratios within one run:
//
//	go test -run '^$' -bench 'Compare|New|DecideParallel' -benchmem -count 5 ./checkin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/logging"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/runtime"
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

	b.Run("frontdesk", func(b *testing.B) {
		e := engine(b)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := e.Decide(ctx, reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})

	b.Run("opa_eval_map", func(b *testing.B) {
		pq, err := rego.New(append(bundle(b), rego.Query(contractQuery))...).PrepareForEval(ctx)
		require.NoError(b, err)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			rs, err := pq.Eval(ctx, rego.EvalInput(maps[i%len(maps)]))
			if err != nil || len(rs) != 1 {
				b.Fatal(err)
			}
			i++
		}
	})

	b.Run("opa_prepare_per_call", func(b *testing.B) {
		opts := append(bundle(b), rego.Query(contractQuery))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			rs, err := rego.New(append(opts, rego.Input(maps[i%len(maps)]))...).Eval(ctx)
			if err != nil || len(rs) != 1 {
				b.Fatal(err)
			}
			i++
		}
	})

	b.Run("opa_rest_loopback", func(b *testing.B) {
		url := serveOPA(b)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		bodies := make([][]byte, len(raw))
		for i, r := range raw {
			bodies[i] = append(append([]byte(`{"input":`), r...), '}')
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			resp, err := client.Post(url+"/v1/data/checkin/decision", "application/json", bytes.NewReader(bodies[i%len(bodies)]))
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
			i++
		}
	})

	b.Run("opa_trivial", func(b *testing.B) {
		pq, err := rego.New(
			rego.Query("data.trivial.allow"),
			rego.Module("trivial.rego", "package trivial\n\nallow if input.user == \"alice\"\n"),
		).PrepareForEval(ctx)
		require.NoError(b, err)
		input := ast.NewObject(ast.Item(ast.StringTerm("user"), ast.StringTerm("alice")))
		b.ReportAllocs()
		for b.Loop() {
			rs, err := pq.Eval(ctx, rego.EvalParsedInput(input))
			if err != nil || !rs.Allowed() {
				b.Fatal(err)
			}
		}
	})
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

	params := runtime.NewParams()
	params.Addrs = &[]string{addr}
	params.Paths = []string{dir}
	params.Logger = logging.NewNoOpLogger()
	params.ConsoleLogger = logging.NewNoOpLogger()
	params.Output = io.Discard
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	rt, err := runtime.NewRuntime(ctx, params)
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
