package main

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestDecisions(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	valid := readTestdata(t, "decision.json")
	tests := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		code        string   // the error's code
		fields      []string // for 400: fields the problems must name
		// specRejects: the OpenAPI document's request schema rejects the
		// body too, as it can for what is not the contract's form.
		specRejects bool
	}{
		{name: "valid", contentType: "application/json", body: valid, status: 200},
		{name: "charset utf-8", contentType: "application/json; charset=utf-8", body: valid, status: 200},
		{name: "jurisdiction not in capitals", contentType: "application/json", body: setJSON(t, valid, "jurisdiction", "us-tx"),
			status: 400, code: "invalid_request", fields: []string{"jurisdiction"}, specRejects: true},
		{name: "a key in another case", contentType: "application/json", body: setJSON(t, valid, "Jurisdiction", "US-TX"),
			status: 400, code: "invalid_request", fields: []string{"Jurisdiction"}, specRejects: true},
		{name: "null age", contentType: "application/json", body: setJSON(t, valid, "companion.age", nil),
			status: 400, code: "invalid_request", fields: []string{"companion.age"}, specRejects: true},
		{name: "unknown action", contentType: "application/json", body: setJSON(t, valid, "requested", []string{"accompany", "sign_anything"}),
			status: 400, code: "invalid_request", fields: []string{"requested[1]"}, specRejects: true},
		{name: "no requested actions", contentType: "application/json", body: setJSON(t, valid, "requested", deleted),
			status: 400, code: "invalid_request", fields: []string{"requested"}, specRejects: true},
		{name: "a key given twice", contentType: "application/json",
			body:   bytes.Replace(valid, []byte(`"jurisdiction": "US-TX",`), []byte(`"jurisdiction": "US-TX", "jurisdiction": "US-CA",`), 1),
			status: 400, code: "invalid_request", fields: []string{"jurisdiction"}},
		{name: "the patient's id for an aunt", contentType: "application/json", body: setJSON(t, valid, "companion.id", "pt-1"),
			status: 400, code: "invalid_request", fields: []string{"companion.relationship"}},
		{name: "not JSON", contentType: "application/json", body: []byte(`{"at": `), status: 400, code: "invalid_request", specRejects: true},
		{name: "a list", contentType: "application/json", body: []byte(`[]`), status: 400, code: "invalid_request", specRejects: true},
		{name: "text", contentType: "text/plain", body: valid, status: 415, code: "unsupported_media_type", specRejects: true},
		{name: "no content type", body: valid, status: 415, code: "unsupported_media_type", specRejects: true},
		{name: "latin-1", contentType: "application/json; charset=iso-8859-1", body: valid, status: 415, code: "unsupported_media_type"},
		{name: "FHIR's type on the contract's route", contentType: "application/fhir+json", body: valid, status: 415, code: "unsupported_media_type", specRejects: true},
		{name: "over the body limit", contentType: "application/json", body: append(bytes.Repeat([]byte(" "), 1<<20), valid...),
			status: 413, code: "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := ts.do(t, http.MethodPost, "/v1/decisions", tt.contentType, tt.body)
			require.Equal(t, tt.status, status, string(body))
			if tt.specRejects {
				assert.Error(t, ts.transport.lastExchange().requestErr, "openapi.json accepts what the server refuses")
			}
			switch status {
			case 200:
				got := decodeJSON[decisionResponse](t, body)
				assert.Regexp(t, uuidV4, got.DecisionID)
				assert.Equal(t, checkin.Partial, got.Result.Outcome)
				assert.Equal(t, checkin.Deny, got.Result.Actions[checkin.ReceiveRecords].Verdict)
				assert.Equal(t, checkin.CodeStatutoryRelative, got.Result.Actions[checkin.ConsentSick].Basis)
			case 400:
				got := decodeJSON[invalidRequest](t, body)
				assert.Equal(t, "invalid_request", got.Code)
				assert.Equal(t, checkin.Invalid, got.Outcome)
				require.NotEmpty(t, got.Problems)
				var fields []string
				for _, p := range got.Problems {
					fields = append(fields, p.Field)
					assert.NotEmpty(t, p.Problem)
				}
				for _, f := range tt.fields {
					assert.Contains(t, fields, f)
				}
			default:
				assert.Equal(t, tt.code, decodeJSON[apiError](t, body).Code)
			}
		})
	}
}

func TestRouteErrors(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	tests := []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{"GET", "/v1/nothing-here", 404, "not_found", ""},
		{"GET", "/index.html", 404, "not_found", ""},
		{"GET", "/assets/", 404, "not_found", ""},
		{"POST", "/", 405, "method_not_allowed", "GET, HEAD"},
		{"GET", "/cds-services/another-service", 404, "not_found", ""},
		{"GET", "/v1/decisions", 405, "method_not_allowed", "POST"},
		{"PUT", "/v1/decisions/fhir", 405, "method_not_allowed", "POST"},
		{"DELETE", "/v1/policy", 405, "method_not_allowed", "GET, HEAD"},
		{"POST", "/health/live", 405, "method_not_allowed", "GET, HEAD"},
		{"GET", "/cds-services/frontdesk-check-in", 405, "method_not_allowed", "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			status, header, body := ts.do(t, tt.method, tt.path, "application/json", nil)
			require.Equal(t, tt.status, status, string(body))
			assert.Equal(t, "application/json", header.Get("Content-Type"))
			assert.Equal(t, tt.code, decodeJSON[apiError](t, body).Code)
			assert.Equal(t, tt.allow, header.Get("Allow"))
		})
	}
}

func TestReadRoutes(t *testing.T) {
	t.Parallel()
	ts := shared(t)
	engine := ts.engine.Load()

	t.Run("jurisdictions", func(t *testing.T) {
		status, body := ts.get(t, "/v1/jurisdictions")
		require.Equal(t, 200, status)
		got := decodeJSON[struct{ Jurisdictions []checkin.Jurisdiction }](t, body)
		require.Len(t, got.Jurisdictions, len(engine.Jurisdictions()))
		assert.Equal(t, "default", got.Jurisdictions[0].Code)
		var codes []string
		for _, j := range got.Jurisdictions {
			codes = append(codes, j.Code)
		}
		assert.Contains(t, codes, "US-TX")
	})
	t.Run("policy", func(t *testing.T) {
		status, body := ts.get(t, "/v1/policy")
		require.Equal(t, 200, status)
		got := decodeJSON[policyStatus](t, body)
		assert.Equal(t, engine.Revision(), got.Revision)
		assert.Equal(t, engine.Revision(), got.LastReload.Revision)
		assert.Empty(t, got.LastReload.Error)
		assert.Empty(t, got.Overlays)
		assert.Equal(t, 1000, got.Cache.Size)
	})
	t.Run("live and ready", func(t *testing.T) {
		status, body := ts.get(t, "/health/live")
		assert.Equal(t, 200, status, string(body))
		status, body = ts.get(t, "/health/ready")
		assert.Equal(t, 200, status, string(body))
		assert.Equal(t, engine.Revision(), decodeJSON[map[string]string](t, body)["revision"])
	})
	t.Run("openapi.json", func(t *testing.T) {
		status, body := ts.get(t, "/openapi.json")
		require.Equal(t, 200, status)
		doc, err := openAPIDocument()
		require.NoError(t, err)
		assert.JSONEq(t, string(doc), string(body))
	})
}

// TestOpenAPICoversEveryRoute holds the routes and the document to each
// other: each route is a path and operation of the document, and each
// operation of the document a route.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	sp := mustSpec(t)
	assert.True(t, sp.doc.IsOpenAPI31OrLater(), "openapi %s", sp.doc.OpenAPI)
	served := map[string]bool{}
	for _, r := range (&server{}).routes() {
		served[strings.ReplaceAll(r.pattern, "{$}", "")] = true // "GET /{$}" is the path "/" alone
	}
	documented := map[string]bool{}
	for path, item := range sp.doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	assert.Equal(t, served, documented)

	// The request's schema is the policy's own.
	req := sp.doc.Components.Schemas["Request"].Value
	require.NotNil(t, req)
	assert.Equal(t, "Check-in request", req.Title)
	assert.Contains(t, req.Required, "requested")
}

func TestNotReady(t *testing.T) {
	t.Parallel()
	ts := startServer(t, testConfig(), false) // the policy is not loaded yet
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/health/live", 200},
		{"GET", "/health/ready", 503},
		{"POST", "/v1/decisions", 503},
		{"GET", "/v1/policy", 503},
		{"GET", "/cds-services", 200}, // discovery needs no policy
	}
	for _, tt := range tests {
		status, _, body := ts.do(t, tt.method, tt.path, "application/json", readTestdata(t, "decision.json"))
		assert.Equal(t, tt.status, status, "%s %s: %s", tt.method, tt.path, body)
	}
}

// TestNotRecorded: a decision whose record cannot be written is not given.
func TestNotRecorded(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.record = "/dev/full" // every write fails: no space left on device
	cfg.feedback = "/dev/full"
	ts := startServer(t, cfg, true)
	status, body := ts.postJSON(t, "/v1/decisions", readTestdata(t, "decision.json"))
	require.Equal(t, 500, status, string(body))
	got := decodeJSON[apiError](t, body)
	assert.Equal(t, "not_recorded", got.Code)
	assert.NotContains(t, string(body), "outcome")
}

// TestAccessLog: one line per request, with the decision id, never a name.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	ts := startServer(t, testConfig(), true)
	status, body := ts.postJSON(t, "/v1/decisions", readTestdata(t, "decision.json"))
	require.Equal(t, 200, status)
	id := decodeJSON[decisionResponse](t, body).DecisionID
	status, _ = ts.get(t, "/v1/nothing")
	require.Equal(t, 404, status)

	var requests []map[string]any
	for _, line := range ts.logs.logLines(t) {
		if line["msg"] == "request" {
			requests = append(requests, line)
		}
	}
	require.Len(t, requests, 2)
	assert.Equal(t, "/v1/decisions", requests[0]["path"])
	assert.Equal(t, "POST", requests[0]["method"])
	assert.EqualValues(t, 200, requests[0]["status"])
	assert.Equal(t, id, requests[0]["decision_id"])
	assert.Positive(t, requests[0]["bytes"])
	assert.Contains(t, requests[0], "duration")
	assert.Contains(t, requests[0], "remote")
	assert.EqualValues(t, 404, requests[1]["status"])
	assert.NotContains(t, requests[1], "decision_id")
	for _, name := range []string{"Jamie", "Lopez", "Maria", "2019-05-10"} {
		assert.NotContains(t, ts.logs.String(), name)
	}
	assert.False(t, strings.Contains(ts.logs.String(), "receive_records"), "no part of the body is logged")
}
