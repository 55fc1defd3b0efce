package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

const hookPath = "/cds-services/" + serviceID

// TestCDSHooksFlow is an EHR's session with the service: discovery, a call
// with the prefetch discovery asked for, the card, and feedback overriding
// it, which the feedback file records under the id of the recorded decision.
func TestCDSHooksFlow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := testConfig()
	cfg.record = filepath.Join(dir, "decisions.jsonl")
	cfg.feedback = feedbackBeside(cfg.record)
	ts := startServer(t, cfg, true)

	// Discovery.
	status, body := ts.get(t, "/cds-services")
	require.Equal(t, 200, status)
	services := decodeJSON[struct{ Services []cdsService }](t, body).Services
	require.Len(t, services, 1)
	svc := services[0]
	assert.Equal(t, "encounter-start", svc.Hook)
	assert.Equal(t, serviceID, svc.ID)
	assert.Equal(t, "Patient/{{context.patientId}}", svc.Prefetch["patient"])

	// The call carries every prefetch discovery asked for.
	call := readTestdata(t, "cds-request.json")
	var sent hookRequest
	require.NoError(t, json.Unmarshal(call, &sent))
	for key := range svc.Prefetch {
		assert.Contains(t, sent.Prefetch, key)
	}
	status, body = ts.postJSON(t, "/cds-services/"+svc.ID, call)
	require.Equal(t, 200, status, string(body))
	cards := decodeJSON[cardsResponse](t, body).Cards
	require.Len(t, cards, 1)
	card := cards[0]
	assert.Regexp(t, uuidV4, card.UUID)
	assert.Less(t, utf8.RuneCountInString(card.Summary), 140)
	assert.Equal(t, "warning", card.Indicator, "two allowed, one refused")
	assert.Contains(t, card.Detail, "PROXY_AUTHORIZATION")
	assert.Equal(t, ts.base+"/v1/policy", card.Source.URL)
	require.NotEmpty(t, card.Suggestions, "the refusal's remedy")

	// The decision is recorded under the card's uuid, redacted.
	records := readRecords(t, cfg.record)
	require.Len(t, records, 1)
	assert.Equal(t, card.UUID, records[0].ID)
	assert.Equal(t, "[companion]", records[0].Request.Companion.Name)
	assert.Contains(t, card.Source.Label, records[0].Revision[:8])

	// Feedback: overridden, with a reason the card offered.
	require.NotEmpty(t, card.OverrideReasons)
	feedback := map[string]any{"feedback": []map[string]any{{
		"card": card.UUID, "outcome": "overridden",
		"overrideReason":   map[string]any{"reason": card.OverrideReasons[0], "userComment": "Mother confirmed by phone"},
		"outcomeTimestamp": "2026-12-02T09:41:00-06:00",
	}, {
		"card": card.UUID, "outcome": "accepted",
		"acceptedSuggestions": []map[string]string{{"id": card.Suggestions[0].UUID}},
		"outcomeTimestamp":    "2026-12-02T09:42:00-06:00",
	}}}
	fb, err := json.Marshal(feedback)
	require.NoError(t, err)
	status, body = ts.postJSON(t, "/cds-services/"+svc.ID+"/feedback", fb)
	require.Equal(t, 200, status, string(body))
	assert.Equal(t, 2, decodeJSON[map[string]int](t, body)["recorded"])

	lines := readLines(t, cfg.feedback)
	require.Len(t, lines, 2)
	got := decodeJSON[feedbackRecord](t, []byte(lines[0]))
	assert.Equal(t, records[0].ID, got.DecisionID, "the override leads to the recorded decision")
	assert.Equal(t, "overridden", got.Feedback.Outcome)
	assert.Equal(t, card.OverrideReasons[0].Code, got.Feedback.OverrideReason.Reason.Code)
	assert.Equal(t, "accepted", decodeJSON[feedbackRecord](t, []byte(lines[1])).Feedback.Outcome)

	// The log says which decision was overridden, without the comment.
	var logged []map[string]any
	for _, l := range ts.logs.logLines(t) {
		if l["msg"] == "feedback" {
			logged = append(logged, l)
		}
	}
	require.Len(t, logged, 2)
	assert.Equal(t, card.UUID, logged[0]["decision_id"])
	assert.NotContains(t, ts.logs.String(), "Mother confirmed")
}

func TestCDSHookErrors(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	call := readTestdata(t, "cds-request.json")
	tests := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		code        string
		mentions    []string // the message must name these
	}{
		{"another hook", "application/json", setJSON(t, call, "hook", "patient-view"), 400, "invalid_hook_request", []string{"hook", "encounter-start"}},
		{"no hookInstance", "application/json", setJSON(t, call, "hookInstance", deleted), 400, "invalid_hook_request", []string{"hookInstance"}},
		{"no patientId", "application/json", setJSON(t, call, "context.patientId", deleted), 400, "invalid_hook_request", []string{"context.patientId"}},
		{"no extension", "application/json", setJSON(t, call, "context.extension", deleted), 400, "invalid_hook_request", []string{`context.extension["frontdesk-check-in"]`}},
		{"another patient", "application/json", setJSON(t, call, "context.patientId", "someone-else"), 400, "invalid_hook_request", []string{"prefetch.patient", "someone-else"}},
		{"not JSON", "application/json", []byte(`{"hook":`), 400, "invalid_hook_request", nil},
		{"no prefetch", "application/json", setJSON(t, call, "prefetch", deleted), 412, "prefetch_missing", []string{"prefetch.patient", "prefetch.relatedPersons", "prefetch.consents"}},
		{"a null prefetch", "application/json", setJSON(t, call, "prefetch.consents", nil), 412, "prefetch_missing", []string{"prefetch.consents", "Consent?patient={{context.patientId}}"}},
		{"a missing prefetch", "application/json", setJSON(t, call, "prefetch.relatedPersons", deleted), 412, "prefetch_missing", []string{"prefetch.relatedPersons"}},
		{"text", "text/plain", call, 415, "unsupported_media_type", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := ts.do(t, http.MethodPost, hookPath, tt.contentType, tt.body)
			require.Equal(t, tt.status, status, string(body))
			got := decodeJSON[apiError](t, body)
			assert.Equal(t, tt.code, got.Code)
			for _, m := range tt.mentions {
				assert.Contains(t, got.Message, m)
			}
		})
	}
}

// TestCDSHookUndecided: patient data that cannot be decided on is one
// critical card saying so, never a decision and never silence.
func TestCDSHookUndecided(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	call := readTestdata(t, "cds-request.json")
	doc := decodeJSON[map[string]any](t, call)
	relatedPersons := doc["prefetch"].(map[string]any)["relatedPersons"].(map[string]any)
	// Maria's relationship given in no code system the mapping knows.
	entries := relatedPersons["entry"].([]any)
	maria := entries[1].(map[string]any)["resource"].(map[string]any)
	maria["relationship"] = []any{map[string]any{"coding": []any{map[string]any{"system": "urn:example:local", "code": "TIA"}}}}

	tests := []struct {
		name     string
		body     []byte
		mentions []string // the card's detail must name these
	}{
		{"an unknown action", setJSON(t, call, "context.extension.frontdesk-check-in.requested", []string{"accompany", "sign_anything"}), []string{"requested"}},
		{"a jurisdiction not in capitals", setJSON(t, call, "context.extension.frontdesk-check-in.jurisdiction", "us-tx"), []string{"jurisdiction"}},
		{"a companion not among the resources", setJSON(t, call, "context.extension.frontdesk-check-in.companion.reference", "RelatedPerson/nobody"), []string{"companion"}},
		{"a relationship in no known code system", setJSON(t, call, "prefetch.relatedPersons", relatedPersons), []string{"RelatedPerson/maria"}},
		{"another patient's resources", setJSON(t, setJSON(t, call, "prefetch.patient.id", "someone-else"), "context.patientId", "someone-else"),
			[]string{"RelatedPerson/ana.patient", "Consent/proxy-1.patient"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := ts.postJSON(t, hookPath, tt.body)
			require.Equal(t, 200, status, string(body))
			cards := decodeJSON[cardsResponse](t, body).Cards
			require.Len(t, cards, 1)
			card := cards[0]
			assert.Equal(t, "critical", card.Indicator)
			assert.Contains(t, card.Summary, "could not be decided")
			assert.Less(t, utf8.RuneCountInString(card.Summary), 140)
			assert.Empty(t, card.Suggestions)
			for _, m := range tt.mentions {
				assert.Contains(t, strings.ReplaceAll(card.Detail, `\`, ""), m)
			}
			ext, _ := json.Marshal(card.Extension[cardExtensionKey])
			assert.Contains(t, string(ext), `"resourceType":"OperationOutcome"`)
			assert.Contains(t, string(ext), `"outcome":"invalid"`)
		})
	}
}

// TestCDSPublicURL: a card links to the service where -public-url says it
// is, whatever Host a request names.
func TestCDSPublicURL(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.publicURL = "https://desk.example.org/frontdesk/"
	ts := startServer(t, cfg, true)
	req, err := http.NewRequest(http.MethodPost, ts.base+hookPath, bytes.NewReader(readTestdata(t, "cds-request.json")))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Host = "attacker.example.com"
	resp, err := ts.client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	var got cardsResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	require.Len(t, got.Cards, 1)
	assert.Equal(t, "https://desk.example.org/frontdesk/v1/policy", got.Cards[0].Source.URL)
}

func TestCDSFeedbackErrors(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	valid := readTestdata(t, "cds-feedback.json")
	entry := func(fields map[string]any) []byte {
		e := map[string]any{"card": "0b6f1d5e-8c0a-4f7b-9a3e-2d4c6b8a0f12", "outcome": "accepted", "outcomeTimestamp": "2026-12-02T09:41:00Z"}
		for k, v := range fields {
			if v == deleted {
				delete(e, k)
			} else {
				e[k] = v
			}
		}
		b, err := json.Marshal(map[string]any{"feedback": []any{e}})
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		name     string
		body     []byte
		status   int
		mentions string
	}{
		{"the README's example", valid, 200, ""},
		{"accepted", entry(nil), 200, ""},
		{"an unknown outcome", entry(map[string]any{"outcome": "ignored"}), 400, "feedback[0].outcome"},
		{"no outcome", entry(map[string]any{"outcome": deleted}), 400, "feedback[0].outcome"},
		{"not a card uuid", entry(map[string]any{"card": "card-1"}), 400, "feedback[0].card"},
		{"no timestamp", entry(map[string]any{"outcomeTimestamp": deleted}), 400, "feedback[0].outcomeTimestamp"},
		{"a reason to an accepted card", entry(map[string]any{"overrideReason": map[string]any{"userComment": "x"}}), 400, "feedback[0].overrideReason"},
		{"no entries", []byte(`{"feedback": []}`), 400, "feedback"},
		{"not JSON", []byte(`feedback`), 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := ts.postJSON(t, hookPath+"/feedback", tt.body)
			require.Equal(t, tt.status, status, string(body))
			if status == 400 {
				got := decodeJSON[apiError](t, body)
				assert.Equal(t, "invalid_feedback", got.Code)
				assert.Contains(t, got.Message, tt.mentions)
			}
		})
	}
}

func TestFHIRDecisions(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	valid := readTestdata(t, "fhir-checkin.json")
	tests := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		expressions []string // for 400: what the OperationOutcome's issues point at
	}{
		{"valid, as FHIR JSON", "application/fhir+json", valid, 200, nil},
		{"valid, as JSON", "application/json", valid, 200, nil},
		{"no bundle", "application/fhir+json", setJSON(t, valid, "bundle", deleted), 400, []string{"bundle"}},
		{"an unknown fact", "application/fhir+json", setJSON(t, valid, "compainon", map[string]any{}), 400, nil},
		{"an unknown action", "application/fhir+json", setJSON(t, valid, "requested", []string{"sign_anything"}), 400, nil},
		{"a jurisdiction not in capitals", "application/fhir+json", setJSON(t, valid, "jurisdiction", "us-tx"), 400, nil},
		{"not JSON", "application/fhir+json", []byte(`{"bundle": `), 400, nil},
		{"XML", "application/fhir+xml", valid, 415, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, header, body := ts.do(t, http.MethodPost, "/v1/decisions/fhir", tt.contentType, tt.body)
			require.Equal(t, tt.status, status, string(body))
			switch status {
			case 200:
				got := decodeJSON[decisionResponse](t, body)
				assert.Regexp(t, uuidV4, got.DecisionID)
				assert.Equal(t, checkin.Allow, got.Result.Actions[checkin.ConsentSick].Verdict)
				assert.Equal(t, checkin.CodeProxyAuthorization, got.Result.Actions[checkin.ConsentSick].Basis)
				assert.Equal(t, checkin.Deny, got.Result.Actions[checkin.ReceiveRecords].Verdict)
			case 400:
				assert.Equal(t, "application/fhir+json", header.Get("Content-Type"))
				var outcome struct {
					ResourceType string `json:"resourceType"`
					Issue        []struct {
						Severity    string   `json:"severity"`
						Code        string   `json:"code"`
						Diagnostics string   `json:"diagnostics"`
						Expression  []string `json:"expression"`
					} `json:"issue"`
				}
				require.NoError(t, json.Unmarshal(body, &outcome))
				assert.Equal(t, "OperationOutcome", outcome.ResourceType)
				require.NotEmpty(t, outcome.Issue)
				var expressions []string
				for _, is := range outcome.Issue {
					assert.Equal(t, "error", is.Severity)
					expressions = append(expressions, is.Expression...)
				}
				for _, e := range tt.expressions {
					assert.Contains(t, expressions, e)
				}
			default:
				assert.Equal(t, "unsupported_media_type", decodeJSON[apiError](t, body).Code)
			}
		})
	}
}

func readLines(t testing.TB, name string) []string {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}
