package checkin_test

import (
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
)

// The published JSON Schema accepts every valid request the Go types write,
// and rejects the invalid ones, so clients in other languages can rely on it.
func TestSchemaMatchesTheContract(t *testing.T) {
	t.Parallel()
	matchesText := checkin.SchemaMatcher(t)
	matches := func(doc any) bool {
		text, err := json.Marshal(doc)
		require.NoError(t, err)
		return matchesText(t, text)
	}

	writes := func(name string, req checkin.Request) {
		written, err := json.Marshal(req)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(written, &doc))
		assert.True(t, matches(doc), "%s: %s", name, written)
	}
	cases, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	for _, c := range cases {
		req, err := checkin.ParseRequest(c.Request)
		if err != nil || req.Validate() != nil {
			continue
		}
		writes(c.Name, req)
	}
	// Documents built in Go without covers are written with empty lists, not
	// null: the scope the law gives the kind. A caregiver's affidavit needs no
	// grantor, and a well-formed code without a profile is defaulted, not invalid.
	writes("documents without covers", checkin.Request{
		At: time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC), Jurisdiction: "US-GU",
		Patient:   checkin.Patient{ID: "p", BirthDate: "2019-01-01"},
		Companion: checkin.Companion{ID: "c", Relationship: checkin.AuntUncle, Age: 30},
		Records: checkin.Records{Documents: []checkin.Document{
			{ID: "d", Kind: checkin.FosterPlacement, GrantedBy: "agency", Grantee: "c"},
			{ID: "e", Kind: checkin.CaregiverAffidavit, Grantee: "c"},
		}},
		Requested: []checkin.Action{checkin.Accompany},
	})

	for _, bad := range []string{
		`{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-GU", "patient": {"id": "p", "birth_date": "2019-01-01"}, "companion": {"id": "c", "relationship": "godparent", "age": 30}, "requested": ["accompany"]}`,
		`{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-GU", "patient": {"id": "p", "birth_date": "2019-01-01"}, "companion": {"id": "c", "relationship": "aunt_uncle", "age": 30}, "requested": []}`,
		`{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-GU", "patient": {"id": "p", "birth_date": "2019-01-01"}, "companion": {"id": "c", "relationship": "aunt_uncle", "age": 30}, "requested": ["accompany"], "colour": "red"}`,
	} {
		var doc any
		require.NoError(t, json.Unmarshal([]byte(bad), &doc))
		assert.False(t, matches(doc), bad)
	}
	// Version 2's invalid inputs the schema can state; the attack corpus
	// (testdata/requests) holds the schema to the rest.
	base := `{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-GU", ` +
		`"patient": {"id": "p", "birth_date": "2019-01-01"}, "companion": {"id": "c", "relationship": "aunt_uncle", "age": 30}, ` +
		`"requested": ["accompany"]}`
	var valid any
	require.NoError(t, json.Unmarshal([]byte(base), &valid))
	require.True(t, matches(valid), base)
	long := strings.Repeat("x", checkin.MaxTextLength+1)
	for name, patch := range map[string]string{
		"lower-case jurisdiction":      `{"jurisdiction": "us-tn"}`,
		"jurisdiction with a space":    `{"jurisdiction": "US-TN "}`,
		"country code alone":           `{"jurisdiction": "USA"}`,
		"underscore in jurisdiction":   `{"jurisdiction": "US_TN"}`,
		"restriction covering nothing": `{"records": {"restrictions": [{"person": "x", "covers": []}]}}`,
		"refusal covering nothing":     `{"records": {"refusals": [{"by": "x", "covers": []}]}}`,
		"designation covering nothing": `{"records": {"designations": [{"person": "x", "covers": []}]}}`,
		"phone consent to nothing":     `{"desk": {"verbal_consent": [{"from": "x", "covers": []}]}}`,
		"restriction without covers":   `{"records": {"restrictions": [{"person": "x"}]}}`,
		"proxy without grantor":        `{"records": {"documents": [{"id": "d", "kind": "proxy_authorization", "grantee": "c"}]}}`,
		"hipaa without grantor":        `{"records": {"documents": [{"id": "d", "kind": "hipaa_authorization", "grantee": "c"}]}}`,
		"poa without grantor":          `{"records": {"documents": [{"id": "d", "kind": "healthcare_poa", "grantee": "c"}]}}`,
		"placement without grantor":    `{"records": {"documents": [{"id": "d", "kind": "foster_placement", "grantee": "c"}]}}`,
		"null age":                     `{"companion": {"id": "c", "relationship": "aunt_uncle", "age": null}}`,
		"null name":                    `{"companion": {"id": "c", "relationship": "aunt_uncle", "age": 30, "name": null}}`,
		"null emergency":               `{"emergency": null}`,
		"key in capitals": `{"records": {"documents": [{"id": "d", "kind": "caregiver_affidavit", "grantee": "c", ` +
			`"REVOKED": true}]}}`,
		"12 requested actions": `{"requested": ["accompany", "accompany", "accompany", "accompany", "accompany", ` +
			`"accompany", "accompany", "accompany", "accompany", "accompany", "accompany", "accompany"]}`,
		"201-character name": `{"companion": {"id": "c", "relationship": "aunt_uncle", "age": 30, "name": "` + long + `"}}`,
		"51 guardians": `{"records": {"guardians": [` +
			strings.Repeat(`{"person": "g", "role": "parent"}, `, checkin.MaxEntries) + `{"person": "g", "role": "parent"}]}}`,
	} {
		var doc, fields map[string]any
		require.NoError(t, json.Unmarshal([]byte(base), &doc))
		require.NoError(t, json.Unmarshal([]byte(patch), &fields), name)
		maps.Copy(doc, fields)
		assert.False(t, matches(doc), name)
	}
}
