package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/report"
)

// The report counts the service's decisions as they are recorded, shows
// no name or birth date, and takes a period.
func TestReportPage(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.record = filepath.Join(t.TempDir(), "decisions.jsonl")
	ts := startServer(t, cfg, true)
	valid := readTestdata(t, "decision.json")
	var req checkin.Request
	require.NoError(t, json.Unmarshal(valid, &req))
	for range 3 {
		status, body := ts.postJSON(t, "/v1/decisions", valid)
		require.Equal(t, http.StatusOK, status, string(body))
	}

	status, body := ts.get(t, "/v1/report")
	require.Equal(t, http.StatusOK, status, string(body))
	r := decodeJSON[report.Report](t, body)
	assert.Equal(t, 3, r.Decisions)
	assert.NotEmpty(t, r.RefusalsByBasis)

	status, header, page := ts.do(t, http.MethodGet, "/report", "", nil)
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, header.Get("Content-Security-Policy"), "script-src 'self'")
	assert.Contains(t, string(page), "<svg")
	assert.Contains(t, string(page), string(r.RefusalsByBasis[0].Key))
	for _, private := range []string{req.Patient.Name, req.Companion.Name, req.Patient.BirthDate} {
		assert.NotContains(t, string(page), private)
		assert.NotContains(t, string(body), private)
	}

	day := req.At.Format("2006-01-02")
	status, body = ts.get(t, "/v1/report?since="+day+"&until="+day)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 3, decodeJSON[report.Report](t, body).Decisions)
	status, body = ts.get(t, "/v1/report?since=2999-01-01")
	require.Equal(t, http.StatusOK, status)
	assert.Zero(t, decodeJSON[report.Report](t, body).Decisions)
	status, body = ts.get(t, "/v1/report?since=yesterday")
	require.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, string(body), `since \"yesterday\" is not a date`)

	// Replayed under the policy serving, nothing changes.
	status, body = ts.get(t, "/v1/report?replay=1")
	require.Equal(t, http.StatusOK, status)
	rp := decodeJSON[report.Report](t, body).Replay
	require.NotNil(t, rp)
	assert.Equal(t, ts.engine.Load().Revision(), rp.Revision)
	assert.Zero(t, rp.NowAllowed+rp.NowRefused+rp.Failed)
	assert.Len(t, readRecords(t, cfg.record), 3, "a replay records nothing")

	// The page's links keep the period.
	_, page = ts.get(t, "/report?since="+day+"&until="+day)
	assert.Contains(t, string(page), `href="/report?replay=1&amp;since=`+day+`&amp;until=`+day+`"`)
	assert.Contains(t, string(page), `href="/v1/report?since=`+day+`&amp;until=`+day+`"`)

	// One replay at a time.
	ts.replaySlot.Lock()
	status, body = ts.get(t, "/v1/report?replay=1")
	ts.replaySlot.Unlock()
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Contains(t, string(body), "replay_running")

	// A line torn by a crash is left out and said, and the rest still counts.
	f, err := os.OpenFile(cfg.record, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"id": "torn", "ti` + "\n")
	require.NoError(t, errors.Join(err, f.Close()))
	status, body = ts.postJSON(t, "/v1/decisions", valid)
	require.Equal(t, http.StatusOK, status, string(body))
	status, body = ts.get(t, "/v1/report")
	require.Equal(t, http.StatusOK, status)
	r = decodeJSON[report.Report](t, body)
	assert.Equal(t, 4, r.Decisions)
	assert.Equal(t, 1, r.Unreadable)
	_, page = ts.get(t, "/report")
	assert.Contains(t, string(page), `id="unreadable"`)
}

// A record file a crash left with a torn last line gets its line ended when
// the service opens it, so the next record is whole.
func TestRecordFileTornByACrash(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.record = filepath.Join(t.TempDir(), "decisions.jsonl")
	require.NoError(t, os.WriteFile(cfg.record, []byte(`{"id": "torn", "ti`), 0o600))
	ts := startServer(t, cfg, true)
	status, body := ts.postJSON(t, "/v1/decisions", readTestdata(t, "decision.json"))
	require.Equal(t, http.StatusOK, status, string(body))
	status, body = ts.get(t, "/v1/report")
	require.Equal(t, http.StatusOK, status)
	r := decodeJSON[report.Report](t, body)
	assert.Equal(t, 1, r.Decisions, "the record after the torn line counts")
	assert.Equal(t, []int{1}, r.UnreadableLines)
}

// Without -record the report says there is nothing to report, and how to
// keep records.
func TestReportPageWithoutRecords(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	status, page := ts.get(t, "/report")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, string(page), pageWords["en"]["noRecords"])
	assert.Contains(t, string(page), "-record FILE")
	status, body := ts.get(t, "/v1/report")
	require.Equal(t, http.StatusOK, status)
	assert.Zero(t, decodeJSON[report.Report](t, body).Decisions)
	assert.False(t, strings.Contains(string(body), "null"), "lists are lists")
}
