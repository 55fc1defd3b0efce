package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var listening = regexp.MustCompile(`listening on (127\.0\.0\.1:[0-9]+)`)

// waitReady polls /health/ready until it answers 200.
func waitReady(t *testing.T, base string) {
	t.Helper()
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/health/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 60*time.Second, 20*time.Millisecond, "the server never became ready")
}

func postFile(t *testing.T, url, contentType, name string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(readTestdata(t, name)))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

// TestRun runs the command as main does, in this process: it serves on the
// port it printed, and when its context ends it shuts down gracefully and
// leaves every decision and feedback entry in its files.
func TestRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	record := filepath.Join(dir, "decisions.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-record", record, "-cache", "0", "-shutdown-grace", "5s"}, stdout, stderr)
	}()
	var addr string
	require.Eventually(t, func() bool {
		m := listening.FindStringSubmatch(stdout.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	}, 30*time.Second, 10*time.Millisecond, stderr.String())
	base := "http://" + addr
	waitReady(t, base)

	var ids []string
	for range 3 {
		status, body := postFile(t, base+"/v1/decisions", "application/json", "decision.json")
		require.Equal(t, 200, status, string(body))
		ids = append(ids, decodeJSON[decisionResponse](t, body).DecisionID)
	}
	status, body := postFile(t, base+hookPath+"/feedback", "application/json", "cds-feedback.json")
	require.Equal(t, 200, status, string(body))

	cancel() // as SIGTERM does
	select {
	case err := <-done:
		require.NoError(t, err, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	var recorded []string
	for _, r := range readRecords(t, record) {
		recorded = append(recorded, r.ID)
	}
	assert.Equal(t, ids, recorded)
	assert.Len(t, readLines(t, filepath.Join(dir, "decisions.feedback.jsonl")), 1)
	assert.Contains(t, stderr.String(), `"msg":"stopped"`)
	_, err := http.Get(base + "/health/live")
	assert.Error(t, err, "nothing listens any more")
}

func TestRunRefusesBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"-cache", "-1"}, "-cache"},
		{[]string{"-max-body", "0"}, "-max-body"},
		{[]string{"-nonsense"}, "nonsense"},
		{[]string{"extra"}, "extra"},
		{[]string{"-public-url", "desk.example.org"}, "-public-url"},
		{[]string{"-policy", "/nonexistent/overlay", "-addr", "127.0.0.1:0"}, "/nonexistent/overlay"},
		{[]string{"-record", "/nonexistent/dir/decisions.jsonl"}, "/nonexistent/dir"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, &stdout, &stderr)
			require.Error(t, err)
			assert.Contains(t, err.Error()+stderr.String(), tt.says)
		})
	}
}

// TestBinary builds the command and runs it as an operator would: SIGHUP
// reloads, SIGTERM stops it cleanly with every record on disk.
func TestBinary(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the server with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "server")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	overlay := filepath.Join(dir, "overlay")
	writeOverlay(t, overlay, map[string]string{"jurisdictions/US-TX/data.json": amendment("https://example.org/tx")})
	record := filepath.Join(dir, "decisions.jsonl")
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-policy", overlay, "-record", record, "-sync", "-shutdown-grace", "5s")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	})

	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, stderr.String())
	m := listening.FindStringSubmatch(line)
	require.NotNil(t, m, line)
	base := "http://" + m[1]
	waitReady(t, base)

	var ids []string
	decide := func() {
		status, body := postFile(t, base+"/v1/decisions", "application/json", "decision.json")
		require.Equal(t, 200, status, string(body))
		ids = append(ids, decodeJSON[decisionResponse](t, body).DecisionID)
	}
	decide()

	// SIGHUP with an amended overlay: the new policy serves.
	writeOverlay(t, overlay, map[string]string{"jurisdictions/US-CA/data.json": amendment("https://example.org/ca")})
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	require.Eventually(t, func() bool { return strings.Contains(stderr.String(), `"msg":"policy reloaded"`) },
		60*time.Second, 20*time.Millisecond, stderr.String())
	resp, err := http.Get(base + "/v1/policy")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Len(t, decodeJSON[policyStatus](t, body).Amended, 2)
	decide()

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-exited:
		require.NoError(t, err, "a clean exit on SIGTERM\n%s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not stop on SIGTERM\n%s", stderr.String())
	}
	var recorded []string
	for _, r := range readRecords(t, record) {
		recorded = append(recorded, r.ID)
	}
	assert.Equal(t, ids, recorded, "every answered decision is on disk")
	assert.Contains(t, stderr.String(), `"msg":"stopped"`)
	_, err = os.Stat(filepath.Join(dir, "decisions.feedback.jsonl"))
	assert.NoError(t, err, "the feedback file is beside the record file")
}
