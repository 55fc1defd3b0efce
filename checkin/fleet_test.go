package checkin_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// A fleet is what the fleet tests run against: a bundle server and a
// collector on 127.0.0.1, the compliance office's signing key, and the
// policies it ships.
type testFleet struct {
	bundles   *bundleServer
	collector *collector
	signing   *checkin.BundleSigning
	publicKey string
}

// photoIDOverlay is the change the compliance office ships in its second
// bundle: photo ID before every consent.
var photoIDOverlay = fstest.MapFS{
	"overlay/photo_id.rego": {Data: []byte(`package overlay

import data.checkin

conditions contains {
	"covers": checkin.consent_actions,
	"code": "VERIFY_PHOTO_ID",
	"message": sprintf("The clinic group checks photo ID before every consent: see %s's ID.", [input.companion.name]),
} if {
	not checkin.is_self
	input.companion.identity != "photo_id"
}
`)},
	"overlay/photo_id_test.rego": {Data: []byte(`package overlay_test

import data.checkin

test_photo_id_asked_of_a_known_face if {
	d := checkin.decision with input as {
		"at": "2026-11-22T09:30:00-06:00", "jurisdiction": "US-KS",
		"patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": "2019-05-10"},
		"companion": {"id": "per-mom", "name": "Ana Lopez", "relationship": "parent", "age": 35, "identity": "known_to_staff"},
		"records": {"guardians": [{"person": "per-mom", "name": "Ana Lopez", "role": "parent"}]},
		"requested": ["consent_sick"],
	}
	"VERIFY_PHOTO_ID" in {c.code | some c in d.actions.consent_sick.conditions}
}
`)},
}

// Two releases of the clinic group's policy: the default alone, then with
// the photo-ID overlay; built once, as `checkin bundle build` builds them.
var fleetPolicies = sync.OnceValues(func() (map[string]*checkin.Engine, error) {
	ctx := context.Background()
	plain, err := checkin.New(ctx)
	if err != nil {
		return nil, err
	}
	photoID, err := checkin.New(ctx, checkin.WithOverlay("clinic-group", photoIDOverlay))
	if err != nil {
		return nil, err
	}
	return map[string]*checkin.Engine{"plain": plain, "photo-id": photoID}, nil
})

var fleetKey = sync.OnceValues(func() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) })

func newTestFleet(t testing.TB) *testFleet {
	t.Helper()
	key, err := fleetKey()
	require.NoError(t, err)
	return &testFleet{
		bundles:   newBundleServer(t),
		collector: newCollector(t),
		signing:   &checkin.BundleSigning{Key: privatePEM(t, key), Algorithm: "ES256", KeyID: "compliance"},
		publicKey: publicPEM(t, &key.PublicKey),
	}
}

func privatePEM(t testing.TB, key *ecdsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func publicPEM(t testing.TB, key *ecdsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// bundle is one of fleetPolicies as a bundle, signed with signing (nil:
// unsigned).
func (f *testFleet) bundle(t testing.TB, name string, signing *checkin.BundleSigning) ([]byte, string) {
	t.Helper()
	engines, err := fleetPolicies()
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, engines[name].WriteBundle(&buf, signing))
	return buf.Bytes(), engines[name].Revision()
}

// config is a desk's configuration: the bundle asked for on Reload, and
// decision logs uploaded on Close or when the test triggers them.
func (f *testFleet) config(t testing.TB, bundle, logs map[string]any) []byte {
	t.Helper()
	cfg := map[string]any{
		"services": map[string]any{
			"bundles": map[string]any{"url": f.bundles.srv.URL},
			"audit":   map[string]any{"url": "http://" + f.collector.addr},
		},
		"keys": map[string]any{"compliance": map[string]any{"key": f.publicKey, "algorithm": "ES256"}},
		"bundles": map[string]any{"frontdesk": merged(map[string]any{
			"service": "bundles", "resource": "bundles/frontdesk.tar.gz",
			"trigger": "manual", "signing": map[string]any{"keyid": "compliance"},
		}, bundle)},
		"labels": map[string]any{"clinic": "north"},
	}
	if logs != nil {
		cfg["decision_logs"] = merged(map[string]any{"service": "audit",
			"reporting": map[string]any{"trigger": "manual"}}, logs)
	}
	bs, err := json.Marshal(cfg)
	require.NoError(t, err)
	return bs
}

func merged(base, over map[string]any) map[string]any {
	for k, v := range over {
		base[k] = v
	}
	return base
}

// desk is a bundle-fed engine on config, closed when the test ends.
func desk(t testing.TB, config []byte, opts ...checkin.Option) *checkin.Engine {
	t.Helper()
	opts = append([]checkin.Option{checkin.WithBundleService(config), checkin.WithLogger(slog.New(slog.DiscardHandler))}, opts...)
	e, err := checkin.New(t.Context(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = e.Close(ctx)
	})
	return e
}

// A bundleServer serves one bundle at /bundles/frontdesk.tar.gz with an
// ETag, as a bundle service does, and whatever it was last given.
type bundleServer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	body []byte
	etag string
}

func newBundleServer(t testing.TB) *bundleServer {
	b := &bundleServer{}
	b.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		body, etag := b.body, b.etag
		b.mu.Unlock()
		switch {
		case r.URL.Path != "/bundles/frontdesk.tar.gz" || body == nil:
			http.NotFound(w, r)
		case r.Header.Get("If-None-Match") == etag:
			w.WriteHeader(http.StatusNotModified)
		default:
			w.Header().Set("ETag", etag)
			w.Header().Set("Content-Type", "application/gzip")
			_, _ = w.Write(body)
		}
	}))
	t.Cleanup(b.srv.Close)
	return b
}

func (b *bundleServer) publish(body []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.body, b.etag = body, fmt.Sprintf(`"%x"`, sha256.Sum256(body))
}

// A collector stores the decision-log events it is sent, gunzipped, and can
// be stopped and started again on the same address.
type collector struct {
	addr   string
	mu     sync.Mutex
	events []map[string]any
	srv    *http.Server
}

func newCollector(t testing.TB) *collector {
	c := &collector{}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c.addr = ln.Addr().String()
	c.serve(ln)
	t.Cleanup(c.stop)
	return c
}

func (c *collector) serve(ln net.Listener) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/logs" {
			http.NotFound(w, r)
			return
		}
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var events []map[string]any
		if err := json.NewDecoder(gz).Decode(&events); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.mu.Lock()
		c.events = append(c.events, events...)
		c.mu.Unlock()
	})}
	go func() { _ = c.srv.Serve(ln) }()
}

func (c *collector) stop() {
	c.mu.Lock()
	srv := c.srv
	c.mu.Unlock()
	_ = srv.Close()
}

func (c *collector) start(t *testing.T) {
	ln, err := net.Listen("tcp", c.addr)
	require.NoError(t, err)
	c.serve(ln)
}

func (c *collector) received() []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]map[string]any(nil), c.events...)
}

// consentByKnownFace is a request the two releases decide differently: a
// mother staff know by sight consents, and the photo-ID release asks for ID.
func consentByKnownFace() checkin.Request {
	req := aRequest()
	req.Companion = checkin.Companion{ID: mother.Person, Name: mother.Name, Relationship: checkin.Parent, Age: 38,
		Identity: checkin.KnownToStaff, BroughtPatient: true}
	return req
}

func TestBundleFedEngineDecidesNothingBeforeItsFirstBundle(t *testing.T) {
	t.Parallel()
	f := newTestFleet(t)
	e := desk(t, f.config(t, nil, nil))
	_, err := e.Decide(t.Context(), aRequest())
	require.ErrorIs(t, err, checkin.ErrNotReady)
	_, err = e.Explain(t.Context(), aRequest())
	require.ErrorIs(t, err, checkin.ErrNotReady)
	assert.Empty(t, e.Revision())
	assert.False(t, e.PolicyStatus().Ready)

	// The service has no bundle yet: still nothing decided, and the failure reported.
	require.Error(t, e.Reload(t.Context()))
	_, err = e.Decide(t.Context(), aRequest())
	require.ErrorIs(t, err, checkin.ErrNotReady)
	st := e.PolicyStatus()
	assert.False(t, st.Ready)
	assert.Contains(t, st.Error, "Not Found")
	select {
	case <-e.Ready():
		t.Fatal("ready with no bundle")
	default:
	}
}

func TestBundleFedEngineTakesNewBundlesAndRefusesBadOnes(t *testing.T) {
	t.Parallel()
	f := newTestFleet(t)
	var hooked []error
	var hookMu sync.Mutex
	e := desk(t, f.config(t, nil, nil), checkin.WithReloadHook(func(_ context.Context, _ string, err error) {
		hookMu.Lock()
		hooked = append(hooked, err)
		hookMu.Unlock()
	}))

	plain, plainRevision := f.bundle(t, "plain", f.signing)
	f.bundles.publish(plain)
	require.NoError(t, e.Reload(t.Context()))
	<-e.Ready()
	d, err := e.Decide(t.Context(), consentByKnownFace())
	require.NoError(t, err)
	assert.Equal(t, plainRevision, d.Policy.Revision, "the decision names the bundle's revision")
	assert.False(t, hasCondition(d, checkin.ConsentSick, "VERIFY_PHOTO_ID"))

	photoID, photoIDRevision := f.bundle(t, "photo-id", f.signing)
	f.bundles.publish(photoID)
	require.NoError(t, e.Reload(t.Context()))
	d, err = e.Decide(t.Context(), consentByKnownFace())
	require.NoError(t, err)
	assert.Equal(t, photoIDRevision, d.Policy.Revision)
	assert.True(t, hasCondition(d, checkin.ConsentSick, "VERIFY_PHOTO_ID"), "the new bundle decides")
	assert.Empty(t, e.PolicyStatus().Error)

	// Not modified: nothing changes and nothing is reported.
	require.NoError(t, e.Reload(t.Context()))
	assert.Equal(t, photoIDRevision, e.Revision())

	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	stranger := &checkin.BundleSigning{Key: privatePEM(t, other), Algorithm: "ES256", KeyID: "compliance"}
	unsigned, _ := f.bundle(t, "plain", nil)
	strangers, _ := f.bundle(t, "plain", stranger)
	rewrite := func(edit func(files map[string][]byte)) []byte {
		raw, err := checkin.RewriteBundle(plain, f.signing, edit)
		require.NoError(t, err)
		return raw
	}
	bad := []struct {
		name, why string
		bundle    []byte
	}{
		{"unsigned", "missing .signatures.json", unsigned},
		{"signed by another key", "verify", strangers},
		{"a file the signature leaves out", "not included in bundle signature", func() []byte {
			raw, err := checkin.RewriteBundle(plain, nil, func(files map[string][]byte) {
				files["checkin/extra.rego"] = []byte("package checkin\n")
			})
			require.NoError(t, err)
			return raw
		}()},
		{"not gzip", "", []byte("this is not a bundle")},
		{"a default policy changed", "differs from this desk's at checkin/adults.rego", rewrite(func(files map[string][]byte) {
			files["checkin/adults.rego"] = append(files["checkin/adults.rego"], []byte("\n# edited\n")...)
		})},
		{"a default file missing", "lacks system/log/mask.rego", rewrite(func(files map[string][]byte) {
			delete(files, "system/log/mask.rego")
		})},
		{"a manifest that lies about the revision", "holds revision", rewrite(func(files map[string][]byte) {
			files[".manifest"] = bytes.Replace(files[".manifest"], []byte(plainRevision), []byte("0123456789abcdef"), 1)
		})},
		{"no layers in the manifest", "names no layers", rewrite(func(files map[string][]byte) {
			files[".manifest"] = []byte(`{"revision": "x", "roots": [""]}`)
		})},
		{"an overlay outside package overlay", "overlay", rewriteWithOverlay(t, plain, f.signing, plainRevision, map[string]string{
			"overlays/1/overlay/grab.rego": "package checkin\n\nallow_everything := true\n",
		})},
		{"an overlay whose Rego test fails", "rego_test_failure", rewriteWithOverlay(t, plain, f.signing, plainRevision, map[string]string{
			"overlays/1/overlay/x_test.rego": "package overlay_test\n\ntest_fails if false\n",
		})},
		{"an overlay reading the network", "http.send", rewriteWithOverlay(t, plain, f.signing, plainRevision, map[string]string{
			"overlays/1/overlay/net.rego": "package overlay\n\nleak := http.send({\"method\": \"get\", \"url\": \"http://127.0.0.1:1\"})\n",
		})},
		{"an overlay file outside the layers", "in no overlay", rewriteWithOverlay(t, plain, f.signing, plainRevision, map[string]string{
			"overlays/7/overlay/x.rego": "package overlay\n",
		})},
		{"a path climbing out of its layer", "not a file path", rewriteWithOverlay(t, plain, f.signing, plainRevision, map[string]string{
			"overlays/1/../../checkin/x.rego": "package overlay\n",
		})},
	}
	for _, b := range bad {
		f.bundles.publish(b.bundle)
		err := e.Reload(t.Context())
		require.Error(t, err, b.name)
		assert.Contains(t, err.Error(), b.why, b.name)
		assert.Equal(t, photoIDRevision, e.Revision(), "%s: the last good bundle keeps serving", b.name)
		d, err := e.Decide(t.Context(), consentByKnownFace())
		require.NoError(t, err, b.name)
		assert.True(t, hasCondition(d, checkin.ConsentSick, "VERIFY_PHOTO_ID"), b.name)
		st := e.PolicyStatus()
		assert.True(t, st.Ready, b.name)
		assert.Contains(t, st.Error, b.why, b.name)
		// Asked again, the bad bundle is downloaded and refused again, not taken as current.
		require.Error(t, e.Reload(t.Context()), b.name)
	}

	f.bundles.publish(plain)
	require.NoError(t, e.Reload(t.Context()))
	assert.Equal(t, plainRevision, e.Revision())
	assert.Empty(t, e.PolicyStatus().Error, "a good bundle clears the failure")

	hookMu.Lock()
	defer hookMu.Unlock()
	var failures int
	for _, err := range hooked {
		if err != nil {
			failures++
		}
	}
	assert.Equal(t, 2*len(bad), failures, "the reload hook hears of every refusal")
}

// rewriteWithOverlay is plain with files added (by their path in the
// bundle) as an overlay, its manifest
// naming the layer and claiming the revision, signed by the office: a
// bundle only the desk's own checks can refuse.
func rewriteWithOverlay(t *testing.T, plain []byte, signing *checkin.BundleSigning, revision string, files map[string]string) []byte {
	t.Helper()
	raw, err := checkin.RewriteBundle(plain, signing, func(all map[string][]byte) {
		for name, src := range files {
			all[name] = []byte(src)
		}
		var manifest map[string]any
		require.NoError(t, json.Unmarshal(all[".manifest"], &manifest))
		manifest["roots"] = append(manifest["roots"].([]any), "overlay", "overlay_test", "overlays")
		manifest["metadata"] = map[string]any{"frontdesk": map[string]any{"layers": []string{"rego", "clinic-group"}}}
		all[".manifest"] = []byte(mustJSON(t, manifest))
	})
	require.NoError(t, err)
	return raw
}

// A desk polling on its own picks up a new bundle without being asked.
func TestBundleFedEnginePollsForNewBundles(t *testing.T) {
	t.Parallel()
	f := newTestFleet(t)
	plain, plainRevision := f.bundle(t, "plain", f.signing)
	f.bundles.publish(plain)
	e := desk(t, f.config(t, map[string]any{"trigger": "periodic",
		"polling": map[string]any{"min_delay_seconds": 1, "max_delay_seconds": 1}}, nil))
	select {
	case <-e.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("no bundle activated within 30 s")
	}
	assert.Equal(t, plainRevision, e.Revision())
	require.Error(t, e.Reload(t.Context()), "a polled bundle is not asked for by hand")

	photoID, photoIDRevision := f.bundle(t, "photo-id", f.signing)
	f.bundles.publish(photoID)
	require.Eventually(t, func() bool { return e.Revision() == photoIDRevision }, 30*time.Second, 50*time.Millisecond)
}

// Every decision reaches the collector, as the redacting recorder writes it,
// and none is lost while the collector is down and restarted, within the
// buffer's bound; decisions run concurrently with bundle changes.
func TestDecisionLogsReachTheCollectorRedacted(t *testing.T) {
	t.Parallel()
	f := newTestFleet(t)
	plain, _ := f.bundle(t, "plain", f.signing)
	photoID, _ := f.bundle(t, "photo-id", f.signing)
	f.bundles.publish(plain)
	recorded := &memoryRecorder{}
	e := desk(t, f.config(t, nil, map[string]any{"reporting": map[string]any{"trigger": "manual",
		"buffer_type": "event", "buffer_size_limit_events": 10000}}), checkin.WithRecorder(recorded))
	require.NoError(t, e.Reload(t.Context()))

	reqs, _ := corpus(t)
	if len(reqs) > 200 {
		reqs = reqs[:200]
	}
	decide := func() {
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := w; i < len(reqs); i += 4 {
					_, err := e.Decide(t.Context(), reqs[i])
					assert.NoError(t, err)
				}
			})
		}
		wg.Go(func() {
			f.bundles.publish(photoID)
			assert.NoError(t, e.Reload(t.Context()))
		})
		wg.Wait()
	}
	decide()
	require.NoError(t, e.Close(closeContext(t))) // uploads what is buffered

	records := recorded.all()
	require.Len(t, records, len(reqs))
	events := f.collector.received()
	require.Len(t, events, len(reqs), "every decision reaches the collector")
	byID := map[string]map[string]any{}
	for _, ev := range events {
		byID[ev["decision_id"].(string)] = ev
	}
	for _, rec := range records {
		ev, ok := byID[rec.ID]
		require.True(t, ok, "decision %s did not reach the collector", rec.ID)
		want := checkin.Redact(rec)
		assert.JSONEq(t, mustJSON(t, want.Request), mustJSON(t, ev["input"]), "the event's input is the redacted request")
		assert.JSONEq(t, mustJSON(t, want.Decision), mustJSON(t, ev["result"]), "the event's result is the redacted decision")
		assert.Equal(t, "checkin/decision", ev["path"])
		assert.Equal(t, map[string]any{"frontdesk": map[string]any{"revision": rec.Revision}}, ev["bundles"])
		assert.Equal(t, map[string]any{"clinic": "north"}, filterLabels(ev["labels"]))
		for _, name := range namesOf(rec.Request) {
			assert.NotContains(t, strings.ToLower(mustJSON(t, ev)), strings.ToLower(name), "decision %s names %q", rec.ID, name)
		}
	}
}

func TestDecisionLogsSurviveACollectorRestartWithinTheBuffer(t *testing.T) {
	t.Parallel()
	f := newTestFleet(t)
	plain, _ := f.bundle(t, "plain", f.signing)
	f.bundles.publish(plain)
	const limit = 40
	e := desk(t, f.config(t, nil, map[string]any{"reporting": map[string]any{"trigger": "manual",
		"buffer_type": "event", "buffer_size_limit_events": limit}}))
	require.NoError(t, e.Reload(t.Context()))
	reqs, _ := corpus(t)

	f.collector.stop()
	for _, r := range reqs[:limit] {
		_, err := e.Decide(t.Context(), r)
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.Error(t, flush(ctx, e), "the collector is down")
	st := e.PolicyStatus().DecisionLogs
	require.NotNil(t, st)
	assert.NotEmpty(t, st.Error, "the failed upload is reported")
	assert.Equal(t, int64(limit), st.Limit)
	assert.Zero(t, st.Dropped)

	f.collector.start(t)
	require.NoError(t, flush(ctx, e))
	assert.Len(t, f.collector.received(), limit, "none lost across the restart")

	// Past the bound the oldest are dropped, and the drop is counted.
	f.collector.stop()
	for _, r := range reqs[:limit+5] {
		_, err := e.Decide(t.Context(), r)
		require.NoError(t, err)
	}
	f.collector.start(t)
	require.NoError(t, flush(ctx, e))
	assert.Len(t, f.collector.received(), 2*limit)
	assert.Equal(t, uint64(5), e.PolicyStatus().DecisionLogs.Dropped)
}

func flush(ctx context.Context, e *checkin.Engine) error { return e.FlushDecisionLogs(ctx) }

func closeContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	bs, err := json.Marshal(v)
	require.NoError(t, err)
	return string(bs)
}

func filterLabels(v any) map[string]any {
	labels, _ := v.(map[string]any)
	out := map[string]any{}
	for k, v := range labels {
		if k == "clinic" {
			out[k] = v
		}
	}
	return out
}

// namesOf are the full names of a request's people: a name of one word,
// such as the corpus's "Parent", may also be a word of the vocabulary.
func namesOf(r checkin.Request) []string {
	var names []string
	for _, n := range []string{r.Patient.Name, r.Companion.Name} {
		if strings.Contains(n, " ") {
			names = append(names, n)
		}
	}
	for _, g := range r.Records.Guardians {
		if strings.Contains(g.Name, " ") {
			names = append(names, g.Name)
		}
	}
	return names
}

type memoryRecorder struct {
	mu      sync.Mutex
	records []checkin.Record
}

func (m *memoryRecorder) Record(_ context.Context, r checkin.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records = append(m.records, r)
	return nil
}

func (m *memoryRecorder) all() []checkin.Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]checkin.Record(nil), m.records...)
}
