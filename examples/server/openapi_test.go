package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIRejectsWrongAnswers: the document is strict enough that the
// validation of the other tests can fail: answers the service must never
// give do not conform.
func TestOpenAPIRejectsWrongAnswers(t *testing.T) {
	t.Parallel()
	sp := mustSpec(t)
	decision := `{"outcome": "partial", "actions": {"accompany": {"verdict": "allow", "basis": "ADULT_COMPANION",
		"reasons": [], "conditions": [], "remedies": [], "rule": {"number": "9", "title": "Adult companion"}}},
		"obligations": [], "notices": [], "policy": {"revision": "r", "jurisdiction": "US-TX", "practice": "default"}}`
	card := `{"uuid": "0b6f1d5e-8c0a-4f7b-9a3e-2d4c6b8a0f12", "summary": "S", "indicator": "warning", "source": {"label": "frontdesk"}}`
	tests := []struct {
		name, schema, body string
		conforms           bool
	}{
		{"a decision", "DecisionResponse", `{"decision_id": "0b6f1d5e-8c0a-4f7b-9a3e-2d4c6b8a0f12", "result": ` + decision + `}`, true},
		{"no decision id", "DecisionResponse", `{"result": ` + decision + `}`, false},
		{"an outcome outside the contract", "Decision", strings.Replace(decision, `"partial"`, `"maybe"`, 1), false},
		{"an invalid outcome as a decision", "Decision", strings.Replace(decision, `"partial"`, `"invalid"`, 1), false},
		{"an action outside the vocabulary", "Decision", strings.Replace(decision, `"accompany"`, `"sign_anything"`, 1), false},
		{"a verdict outside the contract", "Decision", strings.Replace(decision, `"allow"`, `"perhaps"`, 1), false},
		{"an invalid request without problems", "InvalidRequest", `{"code": "invalid_request", "message": "m", "outcome": "invalid", "problems": []}`, false},
		{"an error without a code", "Error", `{"message": "m"}`, false},
		{"a card", "Card", card, true},
		{"a summary of 140 characters", "Card", strings.Replace(card, `"S"`, `"`+strings.Repeat("s", 140)+`"`, 1), false},
		{"an indicator outside CDS Hooks", "Card", strings.Replace(card, `"warning"`, `"hard-stop"`, 1), false},
		{"a card without a source", "Card", `{"summary": "S", "indicator": "info"}`, false},
		{"feedback of another outcome", "CDSFeedback", `{"feedback": [{"card": "c", "outcome": "ignored", "outcomeTimestamp": "2026-12-02T09:41:00Z"}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sp.validateSchema(tt.schema, []byte(tt.body))
			if tt.conforms {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

// TestREADMEExamples posts each example of the README's curl commands, the
// files in testdata, as curl would, and checks the answer makes sense.
func TestREADMEExamples(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	tests := []struct {
		path, contentType, file string
		answer                  string // what the body must hold
	}{
		{"/v1/decisions", "application/json", "decision.json", `"decision_id"`},
		{"/v1/decisions/fhir", "application/fhir+json", "fhir-checkin.json", `"basis":"PROXY_AUTHORIZATION"`},
		{hookPath, "application/json", "cds-request.json", `"indicator":"warning"`},
		{hookPath + "/feedback", "application/json", "cds-feedback.json", `{"recorded":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			status, _, body := ts.do(t, http.MethodPost, tt.path, tt.contentType, readTestdata(t, tt.file))
			require.Equal(t, 200, status, string(body))
			assert.Contains(t, string(body), tt.answer)
		})
	}
	for _, path := range []string{"/v1/jurisdictions", "/v1/policy", "/cds-services", "/openapi.json", "/health/live", "/health/ready"} {
		status, body := ts.get(t, path)
		assert.Equal(t, 200, status, "%s: %s", path, body)
	}
}

// TestServerLimits: a slow or greedy client cannot hold the server.
func TestServerLimits(t *testing.T) {
	t.Parallel()
	srv := (&server{cfg: testConfig(), log: discardLogger()}).httpServer()
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout,
	} {
		assert.Positive(t, d, name)
		assert.LessOrEqual(t, d, 2*time.Minute, name)
	}
	assert.Less(t, srv.ReadHeaderTimeout, srv.ReadTimeout)
	assert.Less(t, decideTimeout, srv.WriteTimeout, "a decision ends before its answer's deadline")
	assert.Positive(t, srv.MaxHeaderBytes)
	assert.LessOrEqual(t, srv.MaxHeaderBytes, 1<<16)
}

// TestUnreadyWhenStopping: once shutdown begins, readiness fails so a load
// balancer sends no more.
func TestUnreadyWhenStopping(t *testing.T) {
	t.Parallel()
	ts := startServer(t, testConfig(), true)
	status, _ := ts.get(t, "/health/ready")
	require.Equal(t, 200, status)
	ts.stopping.Store(true)
	status, body := ts.get(t, "/health/ready")
	assert.Equal(t, 503, status)
	assert.Equal(t, "unavailable", decodeJSON[apiError](t, body).Code)
	status, _ = ts.get(t, "/health/live")
	assert.Equal(t, 200, status, "still live")
}
