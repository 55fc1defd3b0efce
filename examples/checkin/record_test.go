package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

const recordedRequest = `{
  "at": "2026-11-22T09:30:00-06:00", "jurisdiction": "US-GU",
  "patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": "2019-05-10"},
  "companion": {"id": "per-1", "name": "Sam Rivera", "relationship": "aunt_uncle", "age": 35, "brought_patient": true},
  "records": {"guardians": [{"person": "per-mom", "name": "Ana Lopez", "role": "parent"}]},
  "requested": ["accompany", "consent_sick"]
}`

// A decision asked to be recorded is printed only once it is recorded.
func TestDecideRecords(t *testing.T) {
	file := filepath.Join(t.TempDir(), "records.jsonl")
	for range 2 {
		code, out, errOut := cli(t, recordedRequest, "decide", "-record", file)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, `"outcome"`)
	}
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	records, err := checkin.ReadRecords(strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.Len(t, records, 2, "records are appended")
	assert.NotContains(t, string(data), "Lopez")
}

// A decision that could not be recorded is an error, and nothing on
// standard output looks like a decision.
func TestDecideThatCannotBeRecordedIsAnError(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	code, out, errOut := cli(t, recordedRequest, "decide", "-record", "/dev/full")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "the decision was not recorded in /dev/full, so it is not given")
	assert.Contains(t, errOut, "no space left on device")

	code, out, errOut = cli(t, recordedRequest, "decide", "-record", filepath.Join(t.TempDir(), "no", "such", "dir"))
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no such file or directory")
}
