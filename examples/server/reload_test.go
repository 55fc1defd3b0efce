package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// amendment is an overlay's jurisdiction profile changing one entry.
func amendment(source string) string {
	return `{"entries": {"age_of_majority": {"value": 18, "source": "` + source + `"}}}`
}

// writeOverlay writes files (path: content) into the overlay folder dir.
func writeOverlay(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
}

// brokenRego is overlay Rego that does not parse, on its line 3.
const brokenRego = "package overlay\n\nphoto_id_required contains action if {\n"

func (ts *testServer) policyStatus(t *testing.T) policyStatus {
	t.Helper()
	status, body := ts.get(t, "/v1/policy")
	require.Equal(t, 200, status, string(body))
	return decodeJSON[policyStatus](t, body)
}

// TestReloadKeepsServingOnFailure: a reload that fails (as on SIGHUP)
// leaves the last good policy serving and ready, reports every problem
// with file and line, and the next good reload takes over.
func TestReloadKeepsServingOnFailure(t *testing.T) {
	t.Parallel()
	overlay := t.TempDir()
	writeOverlay(t, overlay, map[string]string{"jurisdictions/US-TX/data.json": amendment("https://example.org/tx")})
	cfg := testConfig()
	cfg.overlays = []string{overlay}
	cfg.record = filepath.Join(t.TempDir(), "decisions.jsonl")
	ts := startServer(t, cfg, true)

	before := ts.policyStatus(t)
	assert.Equal(t, []string{overlay}, before.Overlays)
	require.Len(t, before.Amended, 1)
	assert.Equal(t, "US-TX", before.Amended[0].Code)
	assert.Equal(t, []string{"age_of_majority"}, before.Amended[0].Fields)

	writeOverlay(t, overlay, map[string]string{"overlay/broken.rego": brokenRego})
	err := ts.reload(context.Background())
	var load *checkin.LoadError
	require.ErrorAs(t, err, &load)

	after := ts.policyStatus(t)
	assert.Equal(t, before.Revision, after.Revision, "the last good policy serves")
	assert.Equal(t, before.Revision, after.LastReload.Revision)
	assert.NotEmpty(t, after.LastReload.Error)
	require.NotEmpty(t, after.LastReload.Problems)
	assert.Contains(t, strings.Join(after.LastReload.Problems, "\n"), "broken.rego:")
	status, _ := ts.get(t, "/health/ready")
	assert.Equal(t, 200, status, "still ready: the old policy serves")
	status, body := ts.postJSON(t, "/v1/decisions", readTestdata(t, "decision.json"))
	require.Equal(t, 200, status)
	assert.Equal(t, before.Revision, decodeJSON[decisionResponse](t, body).Result.Policy.Revision)

	// Each problem is logged with its file and line.
	var logged bool
	for _, l := range ts.logs.logLines(t) {
		if strings.HasPrefix(l["msg"].(string), "reload failed") {
			logged = true
			assert.Contains(t, l["file"], "broken.rego")
			assert.Positive(t, l["line"])
		}
	}
	assert.True(t, logged, "the failed reload is logged")

	// Fixed, and amended further: the next reload takes over.
	require.NoError(t, os.Remove(filepath.Join(overlay, "overlay", "broken.rego")))
	writeOverlay(t, overlay, map[string]string{"jurisdictions/US-CA/data.json": amendment("https://example.org/ca")})
	require.NoError(t, ts.reload(context.Background()))
	fixed := ts.policyStatus(t)
	assert.NotEqual(t, before.Revision, fixed.Revision)
	assert.Empty(t, fixed.LastReload.Error)
	assert.Empty(t, fixed.LastReload.Problems)
	require.Len(t, fixed.Amended, 2)
	assert.Equal(t, "US-CA", fixed.Amended[0].Code)
	status, body = ts.postJSON(t, "/v1/decisions", readTestdata(t, "decision.json"))
	require.Equal(t, 200, status)
	assert.Equal(t, fixed.Revision, decodeJSON[decisionResponse](t, body).Result.Policy.Revision)
}

// TestWatch: with -watch, a change to the overlay is picked up, a broken
// one reported and the old policy kept.
func TestWatch(t *testing.T) {
	t.Parallel()
	overlay := t.TempDir()
	writeOverlay(t, overlay, map[string]string{"jurisdictions/US-TX/data.json": amendment("https://example.org/tx")})
	cfg := testConfig()
	cfg.overlays = []string{overlay}
	ts := startServer(t, cfg, true)
	ctx, cancel := context.WithCancel(context.Background())
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		ts.watch(ctx, 20*time.Millisecond)
	}()
	t.Cleanup(func() { cancel(); <-watched })
	first := ts.policyStatus(t).Revision

	writeOverlay(t, overlay, map[string]string{"overlay/broken.rego": brokenRego})
	require.Eventually(t, func() bool { return ts.reloadStatus().Error != "" }, 30*time.Second, 20*time.Millisecond)
	assert.Equal(t, first, ts.policyStatus(t).Revision)

	require.NoError(t, os.Remove(filepath.Join(overlay, "overlay", "broken.rego")))
	writeOverlay(t, overlay, map[string]string{"jurisdictions/US-CA/data.json": amendment("https://example.org/ca")})
	require.Eventually(t, func() bool {
		st := ts.reloadStatus()
		return st.Error == "" && st.Revision != first
	}, 30*time.Second, 20*time.Millisecond)
	assert.Len(t, ts.policyStatus(t).Amended, 2)
}
