package checkin_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// Two versions of an overlay practice profile: one lets a 16-year-old
// bring a child in, the other does not.
const (
	lenientPractice = `{"min_companion_age": 16}`
	carefulPractice = `{"min_companion_age": 21}`
)

func writeOverlay(t *testing.T, dir, practice string) {
	t.Helper()
	path := filepath.Join(dir, "practices", "teen-friendly", "data.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(practice), 0o644))
}

// lenientOverlayEngine decides on an overlay folder holding the lenient
// practice, logging nothing.
func lenientOverlayEngine(t *testing.T) (dir string, e *checkin.Engine) {
	t.Helper()
	dir = t.TempDir()
	writeOverlay(t, dir, lenientPractice)
	e, err := checkin.New(t.Context(), checkin.WithOverlayDir(dir), checkin.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	return dir, e
}

func teenRequest() checkin.Request {
	req := aRequest()
	req.Practice = "teen-friendly"
	req.Companion.Age = 17
	req.Requested = []checkin.Action{checkin.Accompany}
	return req
}

// Reloads run continuously while goroutines decide: no decision fails, and
// each matches the revision it reports.
func TestReloadWhileDeciding(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the reloads under concurrent decisions, meant for -race")
	}
	t.Parallel()
	dir, e := lenientOverlayEngine(t)
	lenientRev := e.Revision()

	writeOverlay(t, dir, carefulPractice)
	require.NoError(t, e.Reload(t.Context()))
	carefulRev := e.Revision()
	require.NotEqual(t, lenientRev, carefulRev)
	want := map[string]checkin.Verdict{lenientRev: checkin.AllowWithConditions, carefulRev: checkin.Deny}

	ctx, stop := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	var decided atomic.Int64
	for range 4 {
		wg.Go(func() {
			for ctx.Err() == nil {
				d, err := e.Decide(context.Background(), teenRequest())
				if !assert.NoError(t, err) {
					return
				}
				verdict, known := want[d.Policy.Revision]
				assert.True(t, known, "unknown revision %s", d.Policy.Revision)
				assert.Equal(t, verdict, d.Actions[checkin.Accompany].Verdict, "revision %s", d.Policy.Revision)
				decided.Add(1)
			}
		})
	}
	for i := range 20 {
		writeOverlay(t, dir, []string{lenientPractice, carefulPractice}[i%2])
		require.NoError(t, e.Reload(t.Context()))
	}
	stop()
	wg.Wait()
	assert.Positive(t, decided.Load())
}

// A broken edit never reaches the desk: the last good policy keeps serving,
// and the error is returned and logged.
func TestReloadKeepsLastGoodPolicy(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeOverlay(t, dir, lenientPractice)
	var logs bytes.Buffer
	var mu sync.Mutex
	type reloaded struct {
		revision string
		err      error
	}
	var hooked []reloaded
	e, err := checkin.New(t.Context(), checkin.WithOverlayDir(dir), checkin.WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))),
		checkin.WithReloadHook(func(_ context.Context, revision string, err error) { hooked = append(hooked, reloaded{revision, err}) }))
	require.NoError(t, err)
	good := e.Revision()
	require.NoError(t, e.Reload(t.Context()))
	require.Equal(t, []reloaded{{good, nil}}, hooked, "the hook sees every reload, one that changes nothing too")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.rego"), []byte("package overlay\n\nguardian_required contains x if {\n"), 0o644))
	err = e.Reload(t.Context())
	var loadErr *checkin.LoadError
	require.ErrorAs(t, err, &loadErr)
	assert.Equal(t, filepath.ToSlash(filepath.Join(dir, "broken.rego")), loadErr.Problems[0].File)
	assert.Equal(t, good, e.Revision())
	require.Len(t, hooked, 2)
	assert.Equal(t, good, hooked[1].revision, "the hook names the policy still serving")
	assert.Same(t, err, hooked[1].err)
	mu.Lock()
	assert.Contains(t, logs.String(), "policy reload failed")
	mu.Unlock()

	d, err := e.Decide(t.Context(), teenRequest())
	require.NoError(t, err)
	assert.Equal(t, checkin.AllowWithConditions, d.Actions[checkin.Accompany].Verdict)
}

func TestWatchReloadsOnChange(t *testing.T) {
	t.Parallel()
	dir, e := lenientOverlayEngine(t)
	before := e.Revision()
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	go e.Watch(ctx, 10*time.Millisecond)

	// The edit keeps the file's size, so only its modification time tells
	// Watch. It is stamped anew at each look, as Watch may take its first
	// fingerprint after the write, and a busy machine may take seconds to
	// reload.
	writeOverlay(t, dir, carefulPractice)
	edited := filepath.Join(dir, "practices", "teen-friendly", "data.json")
	require.Eventually(t, func() bool {
		if e.Revision() != before {
			return true
		}
		later := time.Now().Add(time.Hour)
		return os.Chtimes(edited, later, later) != nil // a failure ends the wait
	}, time.Minute, 50*time.Millisecond)
	require.NotEqual(t, before, e.Revision())
	d, err := e.Decide(t.Context(), teenRequest())
	require.NoError(t, err)
	assert.Equal(t, checkin.Deny, d.Actions[checkin.Accompany].Verdict)
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

var errDiskFull = errors.New("disk full")

// decisionIDPattern is the form of a decision id the engine makes: a random
// version 4 UUID.
const decisionIDPattern = `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`

type failingRecorder struct{}

func (failingRecorder) Record(context.Context, checkin.Record) error { return errDiskFull }

func TestRecorderFailureNeverChangesADecision(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	var mu sync.Mutex
	e, err := checkin.New(t.Context(), checkin.WithRecorder(failingRecorder{}),
		checkin.WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))))
	require.NoError(t, err)
	d, err := e.Decide(t.Context(), aRequest())
	require.NoError(t, err)
	want, err := engine(t).Decide(t.Context(), aRequest())
	require.NoError(t, err)
	assert.Equal(t, want, d)
	mu.Lock()
	assert.Contains(t, logs.String(), "disk full")
	mu.Unlock()
}

// A required recorder's failure gives no decision at all: a *RecordError
// wrapping the recorder's error. An invalid request is still only invalid.
func TestRequiredRecorderFailureGivesNoDecision(t *testing.T) {
	t.Parallel()
	e, err := checkin.New(t.Context(), checkin.WithRequiredRecorder(failingRecorder{}))
	require.NoError(t, err)
	d, err := e.Decide(t.Context(), aRequest())
	var notRecorded *checkin.RecordError
	require.ErrorAs(t, err, &notRecorded)
	assert.ErrorIs(t, err, errDiskFull)
	assert.Regexp(t, decisionIDPattern, notRecorded.DecisionID)
	assert.Equal(t, checkin.Decision{}, d)

	invalid := aRequest()
	invalid.Requested = nil
	_, err = e.Decide(t.Context(), invalid)
	var validation *checkin.ValidationError
	assert.ErrorAs(t, err, &validation)
}

func TestRecordsAreRedactedAndReplayTheSame(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	e, err := checkin.New(t.Context(), checkin.WithRecorder(checkin.NewJSONLRecorder(&out, nil)))
	require.NoError(t, err)
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	for _, c := range cases {
		if req, err := checkin.ParseRequest(c.Request); err == nil { // an unreadable request records nothing
			_, _ = e.Decide(t.Context(), req)
		}
	}
	records, err := checkin.ReadRecords(&out)
	require.NoError(t, err)
	require.NotEmpty(t, records)
	for _, rec := range records {
		assert.NotContains(t, out.String(), "Jamie Lopez")
		assert.NotContains(t, out.String(), "2019-05-10")
		assert.Regexp(t, decisionIDPattern, rec.ID)
		assert.Equal(t, e.Revision(), rec.Revision)
		again, err := e.Decide(t.Context(), rec.Request)
		require.NoError(t, err)
		for a, ad := range rec.Decision.Actions {
			assert.Equal(t, ad.Verdict, again.Actions[a].Verdict, "%s %s", rec.ID, a)
			assert.Equal(t, ad.Basis, again.Actions[a].Basis, "%s %s", rec.ID, a)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	x, err := engine(t).Explain(t.Context(), aRequest(), checkin.WithTrace())
	require.NoError(t, err)
	ax := x.Actions[checkin.ConsentSick]
	assert.Equal(t, "9", ax.DecidedBy)
	require.NotEmpty(t, ax.Rules)
	assert.Equal(t, "2", ax.Rules[0].Rule)
	assert.Equal(t, checkin.CodeNoAuthority, x.Decision.Actions[checkin.ConsentSick].Basis)
	assert.Contains(t, x.String(), "applies, and decides")
	assert.NotEmpty(t, x.Trace)
}
