package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// perDecision reads the rule bodies and expressions per decision of the
// profile line that begins with label.
func perDecision(t *testing.T, out, label string) (bodies, exprs float64) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) +
		`: (\d+\.\d\d) rule bodies and (\d+\.\d\d) expressions per decision$`).FindStringSubmatch(out)
	require.NotNil(t, m, "no line %q in\n%s", label, out)
	bodies, _ = strconv.ParseFloat(m[1], 64)
	exprs, _ = strconv.ParseFloat(m[2], 64)
	return bodies, exprs
}

// profiled is what the library measures for the valid requests of a
// scenario file.
func profiled(t *testing.T, file string, opts ...checkin.Option) (_ checkin.Profile, invalid int) {
	t.Helper()
	cases, err := checkintest.ReadScenarioFile(os.DirFS(filepath.Dir(file)), filepath.Base(file))
	require.NoError(t, err)
	e, err := checkin.New(t.Context(), opts...)
	require.NoError(t, err)
	var reqs []checkin.Request
	for _, c := range cases {
		if req, err := checkin.ParseRequest(c.Request); err == nil && req.Validate() == nil {
			reqs = append(reqs, req)
		}
	}
	prof, err := e.Profile(t.Context(), reqs)
	require.NoError(t, err)
	return prof, len(cases) - len(reqs)
}

func fixed(x float64) string { return fmt.Sprintf("%.2f", x) }

// By default the command profiles the overlay's scenarios, under the
// overlay and under the default policy alone, and says what the overlay
// adds per decision, as the library counts it.
func TestProfileOverlay(t *testing.T) {
	code, out, errOut := cli(t, "", "profile", "-policy", careful, "-top", "200")
	require.Equal(t, 0, code, errOut)
	scenarios := filepath.Join(careful, "scenarios")
	assert.Contains(t, out, "decisions profiled: 2, the scenarios in "+scenarios+"\n")

	with, _ := profiled(t, filepath.Join(scenarios, "careful.json"), checkin.WithOverlayDir(careful))
	alone, _ := profiled(t, filepath.Join(scenarios, "careful.json"))
	bodies, exprs := perDecision(t, out, "with your overlay")
	assert.Equal(t, fixed(with.PerEvaluation(with.RuleBodies)), fixed(bodies))
	assert.Equal(t, fixed(with.PerEvaluation(with.Expressions)), fixed(exprs))
	baseBodies, baseExprs := perDecision(t, out, "default policy alone")
	assert.Equal(t, fixed(alone.PerEvaluation(alone.RuleBodies)), fixed(baseBodies))
	assert.Equal(t, fixed(alone.PerEvaluation(alone.Expressions)), fixed(baseExprs))
	assert.Greater(t, exprs, baseExprs, "the overlay's rules cost something")
	assert.Contains(t, out, fmt.Sprintf("your overlay adds %.2f rule bodies per decision (%+.1f%%) and %.2f expressions (%+.1f%%)\n",
		bodies-baseBodies, 100*(bodies/baseBodies-1), exprs-baseExprs, 100*(exprs/baseExprs-1)))

	// Every rule entered is listed, the overlay's own with their place in
	// the overlay's files and what they add.
	assert.Contains(t, out, fmt.Sprintf("the %d rules of %d entered that cost most per decision:\n", len(with.Rules), len(with.Rules)))
	assert.Regexp(t, `rule\s+defined at\s+bodies\s+expressions\s+time\s+bodies vs default\n`, out)
	photoID := regexp.QuoteMeta(filepath.ToSlash(filepath.Join(careful, "overlay", "photo_id.rego")))
	assert.Regexp(t, `(?m)^data\.overlay\.conditions\s+`+photoID+`:\d+\s+1\.00\s+\d+\.\d\d\s+\d+\.\d%\s+\+1\.00$`, out)
	assert.Regexp(t, `(?m)^data\.checkin\.valid_decision\s+rego/checkin/decision\.rego:\d+\s+1\.00\s+\d+\.\d\d\s+\d+\.\d%\s*$`, out,
		"the entry point is entered once per decision, as without the overlay")
}

// With no overlay, a scenario file is profiled under the default policy
// alone, its invalid requests left out, and -top bounds the table.
func TestProfileDefault(t *testing.T) {
	file := "../../checkin/testdata/scenarios/v2-invalid.json"
	code, out, errOut := cli(t, "", "profile", "-top", "3", "../../checkin/testdata/scenarios/public.json")
	require.Equal(t, 0, code, errOut)
	prof, invalid := profiled(t, "../../checkin/testdata/scenarios/public.json")
	require.Equal(t, 1, invalid, "public.json has one invalid request")
	assert.Contains(t, out, fmt.Sprintf("decisions profiled: %d, ../../checkin/testdata/scenarios/public.json (1 invalid request left out)\n",
		prof.Evaluations))
	bodies, exprs := perDecision(t, out, "default policy")
	assert.Equal(t, fixed(prof.PerEvaluation(prof.RuleBodies)), fixed(bodies))
	assert.Equal(t, fixed(prof.PerEvaluation(prof.Expressions)), fixed(exprs))
	assert.NotContains(t, out, "adds")
	assert.NotContains(t, out, "vs default")
	table := out[strings.Index(out, "\nthe 3 rules of "):]
	assert.Len(t, strings.Split(strings.TrimSpace(table), "\n"), 1+1+3+1, "title, header, 3 rules, note:\n%s", table)
	top := prof.Rules[0]
	assert.Regexp(t, `(?m)^`+regexp.QuoteMeta(top.Rule)+`\s+`+regexp.QuoteMeta(fmt.Sprintf("%s:%d", top.File, top.Line))+
		`\s+`+fixed(prof.PerEvaluation(top.Bodies))+`\s+`+fixed(prof.PerEvaluation(top.Expressions))+`\s`, table)

	// Invalid requests are counted and left out; none left is an error.
	code, out, errOut = cli(t, "", "profile", file)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "checkin: no valid request to profile in "+file)
}

// Recorded decisions, as replay reads them, are profiled too; without any
// file and any overlay scenarios, a sample of the grid.
func TestProfileRecordsAndGrid(t *testing.T) {
	records := filepath.Join(t.TempDir(), "decisions.jsonl")
	for range 2 {
		code, _, errOut := cli(t, recordedRequest, "decide", "-record", records)
		require.Equal(t, 0, code, errOut)
	}
	code, out, errOut := cli(t, "", "profile", "-top", "1", records)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "decisions profiled: 2, "+records+"\n")

	code, out, errOut = cli(t, "", "profile", "-n", "40", "-top", "1")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^decisions profiled: \d\d, a sample of the grid of requests, one action each$`, out)
	perDecision(t, out, "default policy")
}

func TestProfileBadArguments(t *testing.T) {
	code, _, errOut := cli(t, "", "profile", "a.json", "b.json")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: checkin profile [-policy DIR]... [-top N] [FILE|DIR]")

	code, _, errOut = cli(t, "", "profile", "testdata/no-such-file.json")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no-such-file.json")

	notRecords := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(notRecords, []byte("not json\n"), 0o644))
	code, _, errOut = cli(t, "", "profile", notRecords)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, notRecords+" is neither a scenario file nor records")

	code, _, errOut = cli(t, "", "profile", "-top", "-1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: checkin profile")
}
