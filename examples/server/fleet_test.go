package main

import (
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's "A group of clinics" commands, run as written against a
// bundle server (a static file server over the folder they publish to) and a
// collector on 127.0.0.1: the bundle built and signed, a desk started with
// the configuration shown, a decision made on the bundle's revision, and the
// decision at the collector, redacted, once the desk shuts down.
func TestReadmeFleetCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the checkin command")
	}
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run the README's commands with")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	section := string(readme)[strings.Index(string(readme), "## A group of clinics"):]
	config, commands := fencedBlock(t, section, "yaml"), fencedBlock(t, section, "sh")

	dir := t.TempDir()
	served := filepath.Join(dir, "srv")
	require.NoError(t, os.MkdirAll(filepath.Join(served, "bundles"), 0o755))
	bundles := httptest.NewServer(http.FileServer(http.Dir(served)))
	t.Cleanup(bundles.Close)
	audit := &logCollector{}
	collector := httptest.NewServer(audit)
	t.Cleanup(collector.Close)

	in := func(name string) string { return filepath.Join(dir, name) }
	var serverArgs []string
	var built string
	for line := range strings.SplitSeq(commands, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.ReplaceAll(line, "/srv/bundles", served)
		for _, name := range []string{"compliance.pem", "compliance.pub.pem", "frontdesk.tar.gz", "fleet.yaml", "decisions.jsonl"} {
			line = regexp.MustCompile(`(^| )`+regexp.QuoteMeta(name)).ReplaceAllString(line, "${1}"+in(name))
		}
		args := strings.Fields(line)
		switch {
		case args[0] == "go" && args[2] == "./examples/server":
			serverArgs = args[3:]
			continue
		case args[0] == "openssl":
			if _, err := exec.LookPath("openssl"); err != nil {
				writeKeyPair(t, in("compliance.pem"), in("compliance.pub.pem"))
				continue
			}
		case args[0] == "go":
			args[0] = goTool
		}
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s\n%s", line, out)
		if strings.Contains(line, "bundle build") {
			built = string(out)
		}
	}
	revision := regexp.MustCompile(`revision ([0-9a-f]{16})`).FindStringSubmatch(built)
	require.NotNil(t, revision, built)

	public, err := os.ReadFile(in("compliance.pub.pem"))
	require.NoError(t, err)
	config = strings.ReplaceAll(config, "https://bundles.clinics.example", bundles.URL)
	config = strings.ReplaceAll(config, "https://audit.clinics.example", collector.URL)
	config = strings.Replace(config, "PUBLIC KEY PEM: the contents of compliance.pub.pem",
		strings.ReplaceAll(strings.TrimSpace(string(public)), "\n", "\n      "), 1)
	require.NoError(t, os.WriteFile(in("fleet.yaml"), []byte(config), 0o644))

	require.Contains(t, serverArgs, "-config")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append(serverArgs, "-addr", "127.0.0.1:0", "-shutdown-grace", "10s"), stdout, stderr)
	}()
	var base string
	require.Eventually(t, func() bool {
		m := listening.FindStringSubmatch(stdout.String())
		if m != nil {
			base = "http://" + m[1]
		}
		return m != nil
	}, 30*time.Second, 10*time.Millisecond, stderr.String())
	waitReady(t, base)

	status, body := postFile(t, base+"/v1/decisions", "application/json", "decision.json")
	require.Equal(t, http.StatusOK, status, string(body))
	decided := decodeJSON[decisionResponse](t, body)
	assert.Equal(t, revision[1], decided.Result.Policy.Revision, "decided on the bundle's revision")
	resp, err := http.Get(base + "/v1/policy")
	require.NoError(t, err)
	var policy policyStatus
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&policy))
	resp.Body.Close()
	require.NotNil(t, policy.Bundle)
	assert.True(t, policy.Bundle.Ready)
	assert.Equal(t, "frontdesk", policy.Bundle.Bundle)

	cancel() // as SIGTERM does: the buffered decision is uploaded
	select {
	case err := <-done:
		require.NoError(t, err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	events := audit.received()
	require.Len(t, events, 1, stderr.String())
	assert.Equal(t, decided.DecisionID, events[0]["decision_id"])
	request := readTestdata(t, "decision.json")
	var asked struct {
		Patient   struct{ Name string }
		Companion struct{ Name string }
	}
	require.NoError(t, json.Unmarshal(request, &asked))
	event, _ := json.Marshal(events[0])
	for _, name := range []string{asked.Patient.Name, asked.Companion.Name} {
		require.NotEmpty(t, name)
		assert.NotContains(t, string(event), name, "the collector's event names nobody")
	}
	assert.Len(t, readRecords(t, in("decisions.jsonl")), 1, "-record still records beside the collector")
}

// fencedBlock is the first fenced code block of the language in text.
func fencedBlock(t *testing.T, text, lang string) string {
	t.Helper()
	start := strings.Index(text, "```"+lang+"\n")
	require.GreaterOrEqual(t, start, 0, "no %s block", lang)
	rest := text[start+len("```"+lang+"\n"):]
	end := strings.Index(rest, "```")
	require.GreaterOrEqual(t, end, 0)
	return rest[:end]
}

// writeKeyPair stands in for the README's openssl commands where openssl is
// not installed: an RSA key as openssl writes one, and its public half.
func writeKeyPair(t *testing.T, private, public string) {
	if _, err := os.Stat(private); err == nil {
		return
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(private, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	der, err = x509.MarshalPKIXPublicKey(&key.PublicKey)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(public, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644))
}

// A logCollector stores the decision-log events posted to /logs, gunzipped.
type logCollector struct {
	mu     sync.Mutex
	events []map[string]any
}

func (c *logCollector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
}

func (c *logCollector) received() []map[string]any {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]map[string]any(nil), c.events...)
}
