package checkin_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	policyfs "github.com/frontdesk-policy/frontdesk/rego"
)

// The published JSON Schema accepts every valid request the Go types write,
// and rejects the invalid ones, so clients in other languages can rely on it.
func TestSchemaMatchesTheContract(t *testing.T) {
	t.Parallel()
	raw, err := fs.ReadFile(policyfs.FS(), "schemas/input.json")
	require.NoError(t, err)
	var schema any
	require.NoError(t, json.Unmarshal(raw, &schema))
	pq, err := rego.New(rego.Query("[ok, errors] := json.match_schema(input, data.schema)"),
		rego.Store(inmem.NewFromObject(map[string]any{"schema": schema}))).PrepareForEval(t.Context())
	require.NoError(t, err)
	matches := func(req any) bool {
		rs, err := pq.Eval(t.Context(), rego.EvalInput(req))
		require.NoError(t, err)
		require.Len(t, rs, 1)
		return rs[0].Bindings["ok"].(bool)
	}

	writes := func(name string, req checkin.Request) {
		written, err := json.Marshal(req)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(written, &doc))
		assert.True(t, matches(doc), "%s: %s", name, written)
	}
	cases, err := checkin.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	for _, c := range cases {
		req, err := checkin.ParseRequest(c.Request)
		if err != nil || req.Validate() != nil {
			continue
		}
		writes(c.Name, req)
	}
	// Entries built in Go without covers are written with empty lists, not null.
	writes("entries without covers", checkin.Request{
		At: time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC), Jurisdiction: "US-KS",
		Patient:   checkin.Patient{ID: "p", BirthDate: "2019-01-01"},
		Companion: checkin.Companion{ID: "c", Relationship: checkin.AuntUncle, Age: 30},
		Records: checkin.Records{
			Documents:    []checkin.Document{{ID: "d", Kind: checkin.FosterPlacement, Grantee: "c"}},
			Restrictions: []checkin.Restriction{{Person: "x"}},
			Refusals:     []checkin.Refusal{{By: "x"}},
			Designations: []checkin.Designation{{Person: "x"}},
		},
		Desk:      checkin.Desk{VerbalConsent: []checkin.VerbalConsent{{From: "x"}}},
		Requested: []checkin.Action{checkin.Accompany},
	})

	for _, bad := range []string{
		`{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-KS", "patient": {"id": "p", "birth_date": "2019-01-01"}, "companion": {"id": "c", "relationship": "godparent", "age": 30}, "requested": ["accompany"]}`,
		`{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-KS", "patient": {"id": "p", "birth_date": "2019-01-01"}, "companion": {"id": "c", "relationship": "aunt_uncle", "age": 30}, "requested": []}`,
		`{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-KS", "patient": {"id": "p", "birth_date": "2019-01-01"}, "companion": {"id": "c", "relationship": "aunt_uncle", "age": 30}, "requested": ["accompany"], "colour": "red"}`,
	} {
		var doc any
		require.NoError(t, json.Unmarshal([]byte(bad), &doc))
		assert.False(t, matches(doc), bad)
	}
}
