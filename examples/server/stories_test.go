package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// storiesServer is a server as a practice runs it for the page: the worked
// overlay, copied, with -stories on it, decisions recorded, in lang ("":
// the policy's own).
func storiesServer(t *testing.T, lang string) (ts *testServer, overlay string) {
	t.Helper()
	dir := t.TempDir()
	overlay = filepath.Join(dir, "careful-pediatrics")
	require.NoError(t, os.CopyFS(overlay, os.DirFS("../overlays/careful-pediatrics")))
	cfg := testConfig()
	cfg.overlays = []string{overlay}
	cfg.stories = overlay
	cfg.record = filepath.Join(dir, "decisions.jsonl")
	cfg.lang = lang
	return startServer(t, cfg, true), overlay
}

// aStory is a story about the request in testdata/decision.json, expecting
// what the policy decides, unless changed.
func aStory(t *testing.T, ts *testServer, name string) storyRequest {
	t.Helper()
	req := readTestdata(t, "decision.json")
	status, body := ts.postJSON(t, "/v1/explanations", req)
	require.Equal(t, http.StatusOK, status, string(body))
	d := decodeJSON[explanationResponse](t, body).Result.Decision
	expect := checkintest.ScenarioExpect{Outcome: d.Outcome, Actions: map[checkin.Action]checkintest.ExpectedVerdict{}}
	for a, ad := range d.Actions {
		expect.Actions[a] = checkintest.ExpectedVerdict{Verdict: ad.Verdict, Basis: ad.Basis}
	}
	return storyRequest{Name: name, Story: "The aunt brings her in; the grandmother is away.", Request: req, Expect: expect}
}

func postStory(t *testing.T, ts *testServer, s storyRequest) (int, []byte) {
	t.Helper()
	body, err := json.Marshal(s)
	require.NoError(t, err)
	return ts.postJSON(t, "/v1/stories", body)
}

func savedStories(t *testing.T, overlay string) []checkintest.Scenario {
	t.Helper()
	cases, err := checkintest.ReadScenarioFile(os.DirFS(overlay), storiesFile)
	require.NoError(t, err)
	return cases
}

// A story the policy agrees with is saved, redacted, into the overlay's
// scenarios, and the policy reloads with it as one of its checks.
func TestStorySaved(t *testing.T) {
	t.Parallel()
	ts, overlay := storiesServer(t, "")
	before := ts.engine.Load().Revision()
	status, body := postStory(t, ts, aStory(t, ts, "aunt-brings-her-in"))
	require.Equal(t, http.StatusOK, status, string(body))
	got := decodeJSON[storyResponse](t, body)
	assert.True(t, got.Agrees)
	assert.Empty(t, got.Differences)
	assert.Equal(t, storiesFile, got.Saved)
	assert.Empty(t, readRecords(t, ts.cfg.record), "trying a story records no decision")

	file, err := os.ReadFile(filepath.Join(overlay, storiesFile))
	require.NoError(t, err)
	var req checkin.Request
	require.NoError(t, json.Unmarshal(readTestdata(t, "decision.json"), &req))
	for _, private := range []string{req.Patient.Name, req.Companion.Name, req.Patient.BirthDate} {
		require.NotEmpty(t, private)
		assert.NotContains(t, string(file), private, "a story holds no name or birth date")
	}
	cases := savedStories(t, overlay)
	require.Len(t, cases, 1)
	assert.Equal(t, "aunt-brings-her-in", cases[0].Name)
	assert.Equal(t, before, ts.engine.Load().Revision(), "saving a story does not change the policy serving")
	require.NoError(t, ts.reload(t.Context()), "the overlay loads with the story")
	assert.NotEqual(t, before, ts.engine.Load().Revision(), "after a reload the story is one of the overlay's checks")
	for _, f := range checkintest.CheckScenario(t.Context(), ts.engine.Load(), cases[0]) {
		t.Error(f)
	}

	// The same name again is refused; another name is added.
	status, body = postStory(t, ts, aStory(t, ts, "aunt-brings-her-in"))
	require.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, string(body), "already the name of a story")
	status, _ = postStory(t, ts, aStory(t, ts, "aunt-again"))
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, savedStories(t, overlay), 2)
}

// The story's text is redacted as the request is: the names and the birth
// date of the case do not reach the file.
func TestStoryTextRedacted(t *testing.T) {
	t.Parallel()
	ts, overlay := storiesServer(t, "")
	s := aStory(t, ts, "aunt-in-texas")
	var req checkin.Request
	require.NoError(t, json.Unmarshal(s.Request, &req))
	s.Story = req.Patient.Name + " (born " + req.Patient.BirthDate + ") came with " + req.Companion.Name + "."
	status, body := postStory(t, ts, s)
	require.Equal(t, http.StatusOK, status, string(body))
	got := decodeJSON[storyResponse](t, body)
	assert.Equal(t, "[patient] (born [birth date]) came with [companion].", got.Scenario.Story)
	file, err := os.ReadFile(filepath.Join(overlay, storiesFile))
	require.NoError(t, err)
	for _, private := range []string{req.Patient.Name, req.Companion.Name, req.Patient.BirthDate} {
		assert.NotContains(t, string(file), private)
	}
}

// A story the policy disagrees with never reaches the overlay: it would
// fail the overlay's check and stop it loading. It is still returned, to
// download.
func TestStoryTheDeskDisagreesWithIsNotSaved(t *testing.T) {
	t.Parallel()
	ts, overlay := storiesServer(t, "")
	s := aStory(t, ts, "aunt-should-get-records")
	s.Expect.Actions[checkin.ReceiveRecords] = checkintest.ExpectedVerdict{Verdict: checkin.Allow}
	s.Expect.Outcome = checkin.ProceedWithConditions
	status, body := postStory(t, ts, s)
	require.Equal(t, http.StatusOK, status, string(body))
	got := decodeJSON[storyResponse](t, body)
	assert.False(t, got.Agrees)
	assert.Empty(t, got.Saved)
	assert.Contains(t, got.Reason, "would fail the overlay's checks")
	assert.Contains(t, strings.Join(got.Differences, "\n"), "receive_records verdict: expected allow, the policy gives deny (NO_AUTHORITY)")
	assert.Equal(t, "aunt-should-get-records", got.Scenario.Name)
	_, err := os.Stat(filepath.Join(overlay, storiesFile))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// Without -stories nothing is written, and the answer says how to save.
func TestStoryWithoutStoriesFolder(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	status, body := postStory(t, ts, aStory(t, ts, "anything"))
	require.Equal(t, http.StatusOK, status, string(body))
	got := decodeJSON[storyResponse](t, body)
	assert.True(t, got.Agrees)
	assert.Empty(t, got.Saved)
	assert.Contains(t, got.Reason, "-stories")
}

func TestStoryRefusesBadInput(t *testing.T) {
	t.Parallel()
	ts, overlay := storiesServer(t, "")
	good := aStory(t, ts, "good-name")
	tests := []struct {
		name  string
		edit  func(*storyRequest)
		field string
	}{
		{"path in the name", func(s *storyRequest) { s.Name = "../../overlay/x" }, "name"},
		{"upper case name", func(s *storyRequest) { s.Name = "Aunt" }, "name"},
		{"empty name", func(s *storyRequest) { s.Name = "" }, "name"},
		{"long name", func(s *storyRequest) { s.Name = strings.Repeat("a", 81) }, "name"},
		{"no story", func(s *storyRequest) { s.Story = " " }, "story"},
		{"two lines", func(s *storyRequest) { s.Story = "one\ntwo" }, "story"},
		{"long story", func(s *storyRequest) { s.Story = strings.Repeat("x", 301) }, "story"},
		{"unknown outcome", func(s *storyRequest) { s.Expect.Outcome = "fine" }, "expect.outcome"},
		{"invalid outcome", func(s *storyRequest) { s.Expect.Outcome = checkin.Invalid }, "expect.outcome"},
		{"action not asked", func(s *storyRequest) {
			s.Expect.Actions[checkin.PickUp] = checkintest.ExpectedVerdict{Verdict: checkin.Allow}
		}, "expect.actions.pick_up"},
		{"unknown verdict", func(s *storyRequest) {
			s.Expect.Actions[checkin.ConsentSick] = checkintest.ExpectedVerdict{Verdict: "maybe"}
		}, "expect.actions.consent_sick.verdict"},
		{"basis not a code", func(s *storyRequest) {
			s.Expect.Actions[checkin.ConsentSick] = checkintest.ExpectedVerdict{Verdict: checkin.Allow, Basis: "<b>"}
		}, "expect.actions.consent_sick.basis"},
		{"no actions", func(s *storyRequest) { s.Expect.Actions = nil }, "expect.actions"},
		{"invalid request", func(s *storyRequest) { s.Request = setJSON(t, s.Request, "companion.age", nil) }, "request.companion.age"},
		{"a line separator", func(s *storyRequest) { s.Story = "one\u2028two" }, "story"},
		{"a right-to-left override", func(s *storyRequest) { s.Story = "aunt \u202egnorw" }, "story"},
		{"the patient's name as the name", func(s *storyRequest) { s.Name = "jamie-lopez-aunt" }, "name"},
		{"the birth date as the name", func(s *storyRequest) { s.Name = "born-2019-05-10" }, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good
			s.Expect.Actions = map[checkin.Action]checkintest.ExpectedVerdict{}
			for a, v := range good.Expect.Actions {
				s.Expect.Actions[a] = v
			}
			tt.edit(&s)
			status, body := postStory(t, ts, s)
			require.Equal(t, http.StatusBadRequest, status, string(body))
			got := decodeJSON[invalidRequest](t, body)
			var fields []string
			for _, p := range got.Problems {
				fields = append(fields, p.Field)
			}
			assert.Contains(t, fields, tt.field)
		})
	}
	status, _ := ts.postJSON(t, "/v1/stories", []byte(`{"name": "x", "story": "y", "request": {}, "expect": {}, "extra": 1}`))
	assert.Equal(t, http.StatusBadRequest, status, "unknown keys are refused")
	_, err := os.Stat(filepath.Join(overlay, storiesFile))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing was written")
	entries, err := os.ReadDir(filepath.Join(overlay, "scenarios"))
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), "."), "no temporary file is left: %s", e.Name())
	}
}

// Stories saved at once all land, each once, and the file stays a
// scenario file the overlay loads.
func TestStoriesSavedConcurrently(t *testing.T) {
	t.Parallel()
	ts, overlay := storiesServer(t, "")
	// Saves queue behind one lock, each loading the overlay (seconds under
	// -race, on a busy machine): a few at once show they all land, within
	// the server's 30-second write timeout.
	const n = 2
	ts.client.Timeout = 2 * time.Minute
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			status, body := postStory(t, ts, aStory(t, ts, fmt.Sprintf("story-%d", i)))
			assert.Equal(t, http.StatusOK, status, string(body))
		})
	}
	wg.Wait()
	assert.Len(t, savedStories(t, overlay), n)
	require.NoError(t, ts.reload(t.Context()), "the overlay loads with every story")
}

// -stories takes one of the overlays, and one that can be written.
func TestStoriesFlag(t *testing.T) {
	dir := t.TempDir()
	_, err := parseFlags([]string{"-stories", dir}, &strings.Builder{})
	assert.ErrorContains(t, err, "give one of the -policy overlays")
	_, err = parseFlags([]string{"-policy", dir, "-stories", dir + "/"}, &strings.Builder{})
	assert.NoError(t, err)
	if os.Getuid() != 0 { // root writes anywhere
		readOnly := t.TempDir()
		require.NoError(t, os.Mkdir(filepath.Join(readOnly, "scenarios"), 0o555))
		_, err = parseFlags([]string{"-policy", readOnly, "-stories", readOnly}, &strings.Builder{})
		assert.ErrorContains(t, err, "cannot be written")
	}
}
