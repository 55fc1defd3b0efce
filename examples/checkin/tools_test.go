package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

const careful = "../overlays/careful-pediatrics"

// copyDir copies an overlay folder, so a test can edit it.
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		bs, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), bs, 0o644)
	})
	require.NoError(t, err)
	return to
}

func publicRequests(t *testing.T) []string {
	t.Helper()
	cases, err := checkintest.ReadScenarioFile(os.DirFS("../../checkin/testdata"), "scenarios/public.json")
	require.NoError(t, err)
	var out []string
	for _, c := range cases {
		out = append(out, string(c.Request))
	}
	return out
}

func TestTestNamesTheBrokenLine(t *testing.T) {
	dir := copyDir(t, careful)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "overlay", "broken.rego"),
		[]byte("package overlay\n\nguardian_required contains \"accompany\" if {\n\tinput.companion.age >\n}\n"), 0o644))
	code, _, errOut := cli(t, "", "test", "-policy", dir)
	assert.NotEqual(t, 0, code)
	assert.Regexp(t, `overlay/broken\.rego:\d+`, errOut)

	code, out, _ := cli(t, "", "check", "-policy", dir)
	assert.Equal(t, 1, code)
	assert.Regexp(t, `overlay/broken\.rego:\d+: rego_parse_error`, out)
}

func TestTestRunsOverlayTestsAndScenarios(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out the Rego tests and the whole scenario corpus run through checkin test")
	}
	code, out, _ := cli(t, "", "test", "-v", "-policy", careful, "../../checkin/testdata/scenarios")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "test_sitter_may_not_take_the_child_home")
	assert.Contains(t, out, "careful-sitter-brings-but-may-not-take-home")
	assert.Regexp(t, `(?m)^\d+ passed, 0 failed$`, out)

	dir := copyDir(t, careful)
	scenario := filepath.Join(dir, "scenarios", "careful.json")
	bs, err := os.ReadFile(scenario)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(scenario, []byte(strings.Replace(string(bs), `"PRACTICE_POLICY"`, `"ACCOMPANYING_ADULT"`, 1)), 0o644))
	code, _, errOut := cli(t, "", "test", "-policy", dir)
	assert.NotEqual(t, 0, code, "a failing scenario keeps the overlay from loading")
	assert.Contains(t, errOut, "careful-sitter-brings-but-may-not-take-home")
}

func TestDecideWithTheOverlay(t *testing.T) {
	sitter := `{"at": "2026-11-22T09:30:00-06:00", "jurisdiction": "US-GU",
		"patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": "2019-05-10"},
		"companion": {"id": "per-s", "name": "Kim Park", "relationship": "sitter", "age": 22, "identity": "known_to_staff", "brought_patient": true},
		"records": {"guardians": [{"person": "per-mom", "name": "Ana Lopez", "role": "parent"}]},
		"desk": {"verbal_consent": [{"from": "per-mom", "covers": ["consent_sick"], "witness": "staff-3"}]},
		"requested": ["pick_up", "consent_sick"]}`
	decide := func(args ...string) checkin.Decision {
		code, out, errOut := cli(t, sitter, append([]string{"decide"}, args...)...)
		require.Equal(t, 0, code, errOut)
		var d checkin.Decision
		require.NoError(t, json.Unmarshal([]byte(out), &d))
		return d
	}
	plain, withOverlay := decide(), decide("-policy", careful)
	assert.Equal(t, checkin.CodeAccompanyingAdult, plain.Actions[checkin.PickUp].Basis)
	assert.Equal(t, checkin.Code("PRACTICE_POLICY"), withOverlay.Actions[checkin.PickUp].Basis)
	assert.Equal(t, checkin.AllowWithConditions, plain.Actions[checkin.ConsentSick].Verdict)
	codes := func(d checkin.Decision) (out []string) {
		for _, c := range d.Actions[checkin.ConsentSick].Conditions {
			out = append(out, string(c.Code))
		}
		return out
	}
	assert.NotContains(t, codes(plain), "VERIFY_PHOTO_ID")
	assert.Contains(t, codes(withOverlay), "VERIFY_PHOTO_ID")
}

// pickUpBy is a request for the given companion to bring Jamie in and take her home.
func pickUpBy(id, relationship string) string {
	return `{"at": "2026-11-22T09:30:00-06:00", "jurisdiction": "US-GU",
		"patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": "2019-05-10"},
		"companion": {"id": "` + id + `", "name": "Sam Rivera", "relationship": "` + relationship + `", "age": 35, "identity": "photo_id", "brought_patient": true},
		"records": {"guardians": [{"person": "per-mom", "name": "Ana Lopez", "role": "parent"}]},
		"requested": ["accompany", "pick_up"]}`
}

// Decisions recorded under one overlay, replayed under an edit of it, list
// exactly the decisions the edit changes.
func TestRecordThenReplay(t *testing.T) {
	dir := copyDir(t, careful)
	records := filepath.Join(t.TempDir(), "decisions.jsonl")
	for _, req := range []string{
		pickUpBy("per-partner", "parent_partner"),
		pickUpBy("per-aunt", "aunt_uncle"),
		pickUpBy("per-sitter", "sitter"),
		pickUpBy("per-partner", "parent_partner"),
	} {
		code, _, errOut := cli(t, req, "decide", "-policy", dir, "-record", records)
		require.Equal(t, 0, code, errOut)
	}
	bs, err := os.ReadFile(records)
	require.NoError(t, err)
	assert.NotContains(t, string(bs), "Jamie Lopez", "records are redacted")

	code, out, _ := cli(t, "", "replay", "-policy", dir, records)
	require.Equal(t, 0, code)
	assert.Equal(t, "4 decisions, 0 changed\n", out)

	// The edit: a parent's partner may no longer take a child home either.
	rules := filepath.Join(dir, "overlay", "sitters.rego")
	bs, err = os.ReadFile(rules)
	require.NoError(t, err)
	edited := strings.Replace(string(bs), `input.companion.relationship == "sitter"`, `input.companion.relationship in {"sitter", "parent_partner"}`, 1)
	require.NoError(t, os.WriteFile(rules, []byte(edited), 0o644))

	code, out, _ = cli(t, "", "replay", "-policy", dir, records)
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	for _, line := range lines[:2] {
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} pick_up: allow ACCOMPANYING_ADULT -> deny PRACTICE_POLICY$`, line)
	}
	assert.Equal(t, "4 decisions, 2 changed", lines[2])
}

func TestDiffReportsOnlyTheOverlaysChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("-short leaves out checkin diff over the request grid")
	}
	code, out, _ := cli(t, "", "diff", "-n", "3000", "-to", careful)
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Regexp(t, `^\d+ requests, \d+ verdicts changed$`, lines[len(lines)-1])
	for _, line := range lines[:len(lines)-1] {
		if strings.HasPrefix(strings.TrimSpace(line), "e.g.") {
			assert.Contains(t, line, "/sitter/")
			continue
		}
		assert.Regexp(t, `^\s*\d+  pick_up: allow \w+ -> deny PRACTICE_POLICY$`, line)
	}

	code, out, _ = cli(t, "", "diff", "-n", "500")
	require.Equal(t, 0, code)
	assert.Regexp(t, `^\d+ requests, 0 verdicts changed\n$`, out)
}

func TestFmt(t *testing.T) {
	dir := t.TempDir()
	messy := filepath.Join(dir, "messy.rego")
	require.NoError(t, os.WriteFile(messy, []byte("package overlay\nguardian_required contains \"accompany\" if {input.emergency}\n"), 0o644))
	code, out, _ := cli(t, "", "fmt", "-check", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "messy.rego")
	code, _, _ = cli(t, "", "fmt", dir)
	assert.Equal(t, 0, code)
	code, _, _ = cli(t, "", "fmt", "-check", dir)
	assert.Equal(t, 0, code)
}

func TestExplainCommand(t *testing.T) {
	code, out, _ := cli(t, publicRequests(t)[0], "explain")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "applies, and decides")
	assert.Contains(t, out, "consent_sick: allow_with_conditions, basis VERBAL_CONSENT")
}
