package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The load test's bounds. It runs in full under -race too, where each
// decision is several times slower: it then simply answers fewer requests
// in the same time.
var (
	loadClients  = flag.Int("load-clients", 8, "concurrent clients of the load test")
	loadDuration = flag.Duration("load-duration", 10*time.Second, "how long the load test sends requests")
	loadMax      = flag.Int("load-max", 20000, "the most requests the load test sends")
	// One exchange in loadValidateEvery is validated against openapi.json:
	// validating every one would measure kin-openapi rather than the server.
	loadValidateEvery = flag.Int("load-validate-every", 25, "validate one load-test exchange in N against openapi.json")
)

// TestLoad sends a mix of contract and CDS Hooks calls from several
// clients at once and checks that every one is answered, and that the
// record file holds exactly one record per answered decision, each id once.
func TestLoad(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.record = filepath.Join(t.TempDir(), "decisions.jsonl")
	cfg.cache = 10000
	ts := startServer(t, cfg, true)

	// Requests vary by patient, so that some are decided and some answered
	// from the cache, as at a desk whose screens ask again.
	const variants = 200
	decision := readTestdata(t, "decision.json")
	call := readTestdata(t, "cds-request.json")
	fhirCheckIn := readTestdata(t, "fhir-checkin.json")
	bodies := make([][]byte, variants)
	for i := range bodies {
		bodies[i] = setJSON(t, decision, "patient.id", fmt.Sprintf("pt-%d", i))
	}

	plain := &http.Transport{MaxIdleConnsPerHost: *loadClients}
	validating := &validatingTransport{t: t, spec: mustSpec(t), base: plain}
	var (
		sent, failed, validated atomic.Int64
		mu                      sync.Mutex
		answered                []string // decision ids, as the clients were given them
		firstFailure            string
	)
	fail := func(msg string) {
		failed.Add(1)
		mu.Lock()
		if firstFailure == "" {
			firstFailure = msg
		}
		mu.Unlock()
	}
	deadline := time.Now().Add(*loadDuration)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range *loadClients {
		wg.Go(func() {
			for n := 0; time.Now().Before(deadline); n++ {
				i := sent.Add(1)
				if i > int64(*loadMax) {
					return
				}
				var rt http.RoundTripper = plain
				if i%int64(*loadValidateEvery) == 0 {
					rt = validating
					validated.Add(1)
				}
				path, contentType, body := "/v1/decisions", "application/json", bodies[(c*31+n)%variants]
				switch n % 4 {
				case 1:
					path, body = hookPath, call
				case 3:
					path, contentType, body = "/v1/decisions/fhir", "application/fhir+json", fhirCheckIn
				}
				req, err := http.NewRequest(http.MethodPost, ts.base+path, bytes.NewReader(body))
				if err != nil {
					fail(err.Error())
					return
				}
				req.Header.Set("Content-Type", contentType)
				resp, err := rt.RoundTrip(req)
				if err != nil {
					fail(err.Error())
					continue
				}
				data, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					fail(fmt.Sprintf("%s: %d %s %v", path, resp.StatusCode, data, err))
					continue
				}
				id, err := answeredID(path, data)
				if err != nil {
					fail(err.Error())
					continue
				}
				mu.Lock()
				answered = append(answered, id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	stats := ts.engine.Load().CacheStats()
	t.Logf("%d clients: %d requests answered in %s, %.0f requests/s, %d failed; cache hits %d, misses %d; %d exchanges validated against openapi.json",
		*loadClients, len(answered), elapsed.Round(time.Millisecond), float64(len(answered))/elapsed.Seconds(), failed.Load(),
		stats.Hits, stats.Misses, validated.Load())
	require.Zero(t, failed.Load(), "first failure: %s", firstFailure)
	require.NotEmpty(t, answered)

	records := readRecords(t, cfg.record)
	assert.Len(t, records, len(answered), "one record per answered decision")
	recorded := map[string]bool{}
	for _, r := range records {
		assert.False(t, recorded[r.ID], "decision id %s recorded twice", r.ID)
		recorded[r.ID] = true
	}
	for _, id := range answered {
		assert.True(t, recorded[id], "decision %s answered but not recorded", id)
	}
	assert.Positive(t, stats.Hits, "repeated requests are answered from the cache")
	raw, err := os.ReadFile(cfg.record)
	require.NoError(t, err)
	for _, name := range []string{"Jamie", "Lopez", "Maria", "2019-05-10"} {
		assert.NotContains(t, string(raw), name, "records are redacted")
	}
}

// answeredID is the decision id an answer gives: the decision's, or the
// card's uuid.
func answeredID(path string, data []byte) (string, error) {
	if path == hookPath {
		var cards cardsResponse
		if err := json.Unmarshal(data, &cards); err != nil || len(cards.Cards) != 1 {
			return "", fmt.Errorf("%s: not one card: %s", path, data)
		}
		return cards.Cards[0].UUID, nil
	}
	var d decisionResponse
	if err := json.Unmarshal(data, &d); err != nil || d.DecisionID == "" {
		return "", fmt.Errorf("%s: no decision id: %s", path, data)
	}
	return d.DecisionID, nil
}
