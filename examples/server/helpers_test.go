package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// spec is the OpenAPI document the server serves, loaded and validated by
// kin-openapi, with a router over its paths.
type spec struct {
	doc    *openapi3.T
	router routers.Router
}

// The page and its assets are text the document describes as strings.
func init() {
	for _, kind := range []string{"text/html", "text/css", "text/javascript"} {
		openapi3filter.RegisterBodyDecoder(kind, openapi3filter.FileBodyDecoder)
	}
}

var loadSpec = sync.OnceValues(func() (*spec, error) {
	data, err := openAPIDocument()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("loading: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validating: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &spec{doc: doc, router: router}, nil
})

func mustSpec(t testing.TB) *spec {
	t.Helper()
	s, err := loadSpec()
	require.NoError(t, err)
	return s
}

// validateSchema validates a JSON value against a component schema.
func (s *spec) validateSchema(name string, body []byte) error {
	ref := s.doc.Components.Schemas[name]
	if ref == nil {
		return fmt.Errorf("no schema %s", name)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
}

// An exchange is one request and response as the client saw them, and
// what the OpenAPI document made of each.
type exchange struct {
	method, path string
	status       int
	requestErr   error // the request against the document; nil when it conforms
	responseErr  error // the response against the document
}

// validatingTransport checks every exchange against the OpenAPI document:
// each response must conform, and each request the server accepted (2xx)
// must be one the document describes. A request the server refused may
// well not be; what the document says of it is kept for the test to check.
type validatingTransport struct {
	t    testing.TB
	spec *spec
	base http.RoundTripper

	mu   sync.Mutex
	last exchange
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		var err error
		if reqBody, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))

	ex := exchange{method: req.Method, path: req.URL.Path, status: resp.StatusCode}
	ctx := context.Background()
	// The router matches on a copy, with the body the server received.
	probe := req.Clone(ctx)
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, routeErr := v.spec.router.FindRoute(probe)
	switch {
	case routeErr != nil:
		// No route in the document (an unknown path, a wrong method): the
		// answer must still be the service's JSON error.
		ex.requestErr = routeErr
		ex.responseErr = v.spec.validateSchema("Error", respBody)
	default:
		in := &openapi3filter.RequestValidationInput{
			Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
		}
		ex.requestErr = openapi3filter.ValidateRequest(ctx, in)
		in.Request = req.Clone(ctx)
		in.Request.Body = io.NopCloser(bytes.NewReader(reqBody))
		out := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: in,
			Status:                 resp.StatusCode,
			Header:                 resp.Header,
			Body:                   io.NopCloser(bytes.NewReader(respBody)),
			Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		ex.responseErr = openapi3filter.ValidateResponse(ctx, out)
	}
	if ex.responseErr != nil {
		shown := respBody
		if len(shown) > 2000 {
			shown = append(shown[:2000:2000], "..."...)
		}
		v.t.Errorf("%s %s -> %d: the response does not conform to openapi.json: %v\n%s", req.Method, req.URL.Path, resp.StatusCode, ex.responseErr, shown)
	}
	if resp.StatusCode/100 == 2 && ex.requestErr != nil {
		v.t.Errorf("%s %s -> %d: the server accepted a request openapi.json does not describe: %v", req.Method, req.URL.Path, resp.StatusCode, ex.requestErr)
	}
	v.mu.Lock()
	v.last = ex
	v.mu.Unlock()
	return resp, nil
}

// lastExchange is the last exchange through the transport (for tests that
// send one request at a time).
func (v *validatingTransport) lastExchange() exchange {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.last
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// logLines parses the JSON log lines written so far.
func (b *syncBuffer) logLines(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &m), line)
		out = append(out, m)
	}
	return out
}

// testServer is a server running in this process on 127.0.0.1, with a
// client whose every exchange is validated against the OpenAPI document.
type testServer struct {
	*server
	base      string
	client    *http.Client
	transport *validatingTransport
	logs      *syncBuffer
}

// testConfig is a configuration for tests: any free port on 127.0.0.1,
// a small cache.
func testConfig() config {
	return config{addr: "127.0.0.1:0", cache: 1000, maxBody: 1 << 20, grace: 5 * time.Second}
}

// startServer starts a server with cfg and loads its policy, unless
// loaded is false (a server still starting).
func startServer(t testing.TB, cfg config, loaded bool) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	s, err := newServer(cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	require.NoError(t, err)
	if loaded {
		require.NoError(t, s.load(context.Background()))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.listening(ln.Addr())
	srv := s.httpServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := s.shutdown(srv, served); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	vt := &validatingTransport{t: t, spec: mustSpec(t), base: &http.Transport{MaxIdleConnsPerHost: 16}}
	return &testServer{server: s, base: "http://" + ln.Addr().String(), client: &http.Client{Transport: vt, Timeout: 30 * time.Second}, transport: vt, logs: logs}
}

// sharedServer is one server for the tests that record nothing and change
// nothing, so the policy is loaded once for them.
var sharedServer struct {
	once sync.Once
	ts   *testServer
}

func shared(t *testing.T) *testServer {
	sharedServer.once.Do(func() {
		// Started outside any one test: it lives as long as the test binary.
		sharedServer.ts = startServer(&foreverTB{TB: t}, testConfig(), true)
	})
	ts := *sharedServer.ts
	vt := &validatingTransport{t: t, spec: mustSpec(t), base: sharedServer.ts.transport.base}
	ts.transport, ts.client = vt, &http.Client{Transport: vt, Timeout: 30 * time.Second}
	return &ts
}

// foreverTB lets the shared server outlive the test that started it: its
// cleanups never run, and the process's end stops the server.
type foreverTB struct{ testing.TB }

func (foreverTB) Cleanup(func()) {}

// do sends one request and returns the status, headers and body.
func (ts *testServer) do(t testing.TB, method, path, contentType string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.base+path, bytes.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := ts.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, data
}

func (ts *testServer) postJSON(t testing.TB, path string, body []byte) (int, []byte) {
	t.Helper()
	status, _, data := ts.do(t, http.MethodPost, path, "application/json", body)
	return status, data
}

func (ts *testServer) get(t testing.TB, path string) (int, []byte) {
	t.Helper()
	status, _, data := ts.do(t, http.MethodGet, path, "", nil)
	return status, data
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}

// readRecords reads a record file written by the server.
func readRecords(t testing.TB, name string) []checkin.Record {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	records, err := checkin.ReadRecords(f)
	require.NoError(t, err)
	return records
}

// deleted, given to setJSON, removes the key.
var deleted = &struct{}{}

// setJSON returns the JSON object data with the value at the dotted path
// replaced by v (nil for null, deleted to remove the key).
func setJSON(t testing.TB, data []byte, path string, v any) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	keys := strings.Split(path, ".")
	m := doc
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		require.True(t, ok, "no object at %s in %s", k, path)
		m = next
	}
	if v == deleted {
		delete(m, keys[len(keys)-1])
	} else {
		m[keys[len(keys)-1]] = v
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

func decodeJSON[T any](t testing.TB, data []byte) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(data, &v), string(data))
	return v
}
