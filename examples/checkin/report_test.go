package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin/report"
)

// recordedMorning decides the request a few times, as the father under a
// protective order and as the aunt, and returns the records file.
func recordedMorning(t *testing.T) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "records.jsonl")
	for range 3 {
		code, _, errOut := cli(t, recordedRequest, "decide", "-record", file)
		require.Equal(t, 0, code, errOut)
	}
	return file
}

// checkin report prints the tables, with no name or birth date; -json
// prints the same report as JSON; several files add up.
func TestReport(t *testing.T) {
	file := recordedMorning(t)
	code, out, errOut := cli(t, "", "report", file)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "3 decisions, 2026-11-22 to 2026-11-22")
	for _, heading := range []string{"OUTCOME", "DAY", "REFUSALS BY BASIS", "REFUSALS BY ACTION",
		"WHAT WOULD HAVE MADE A REFUSAL A YES", "CONDITIONS STAFF HAD TO MEET",
		"JURISDICTIONS WITH NO PROFILE", "JURISDICTIONS AN OVERLAY AMENDED", "DECISIONS BY POLICY REVISION"} {
		assert.Contains(t, out, heading)
	}
	assert.Contains(t, out, "US-GU", "the request's jurisdiction had no profile")
	for _, private := range []string{"Jamie", "Lopez", "Sam Rivera", "2019-05-10"} {
		assert.NotContains(t, out, private)
	}

	code, out, errOut = cli(t, "", "report", "-json", file, file)
	require.Equal(t, 0, code, errOut)
	var r report.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, 6, r.Decisions)
	assert.Nil(t, r.Replay)

	data, err := os.ReadFile(file)
	require.NoError(t, err)
	code, out, errOut = cli(t, string(data), "report", "-json", "-since", "2026-11-23", "-")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Zero(t, r.Decisions, "nothing since the 23rd")
}

// With -policy the report replays the period under the candidate.
func TestReportReplays(t *testing.T) {
	file := recordedMorning(t)
	code, out, errOut := cli(t, "", "report", "-policy", careful, file)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "REPLAYED UNDER REVISION")
	assert.Contains(t, out, "refusals now allowed")
}

func TestReportErrors(t *testing.T) {
	file := recordedMorning(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "-since", "22/11/2026", file}, `since "22/11/2026" is not a date (YYYY-MM-DD)`},
		{[]string{"report", filepath.Join(t.TempDir(), "none.jsonl")}, "no such file"},
		{[]string{"report", "-policy", t.TempDir() + "/missing", file}, "missing"},
	} {
		code, _, errOut := cli(t, "", tc.args...)
		assert.Equal(t, 1, code, strings.Join(tc.args, " "))
		assert.Contains(t, errOut, tc.want)
	}
	broken := filepath.Join(t.TempDir(), "broken.jsonl")
	require.NoError(t, os.WriteFile(broken, []byte("{\"id\": 1}\nnot json\n"), 0o644))
	code, out, errOut := cli(t, "", "report", broken)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "unreadable lines, left out: 2 (line numbers: 1, 2)")

	code, _, errOut = cli(t, "", "report")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: checkin report")
}
