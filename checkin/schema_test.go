package checkin_test

import (
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
	"github.com/frontdesk-policy/frontdesk/policy"
	"github.com/frontdesk-policy/frontdesk/rego"
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

// readSchema reads one of the schemas of rego/schemas.
func readSchema(t *testing.T, name string) map[string]any {
	t.Helper()
	bs, err := fs.ReadFile(rego.FS(), "schemas/"+name)
	require.NoError(t, err)
	var schema map[string]any
	require.NoError(t, json.Unmarshal(bs, &schema))
	return schema
}

// at reads a schema's value at a path of keys.
func at(v any, path ...string) any {
	for _, key := range path {
		obj, _ := v.(map[string]any)
		v = obj[key]
	}
	return v
}

func enum(t *testing.T, v any) []string {
	t.Helper()
	list, ok := v.([]any)
	require.True(t, ok, "an enum")
	out := make([]string, len(list))
	for i, item := range list {
		out[i] = item.(string)
	}
	return out
}

func names[T ~string](list []T, more ...string) []string {
	out := make([]string, 0, len(list)+len(more))
	for _, v := range list {
		out = append(out, string(v))
	}
	return append(out, more...)
}

// The profile schemas name the contract's actions, statuses and
// relationships, and the request's jurisdiction codes, exactly: a value
// added to or removed from either side fails.
func TestProfileSchemasNameTheVocabulary(t *testing.T) {
	t.Parallel()
	actions, statuses, relationships := names(checkin.Actions()), names(checkin.Statuses()), names(checkin.Relationships())
	jurisdiction, practice, overlay := readSchema(t, "jurisdiction/data.json"), readSchema(t, "practice/data.json"),
		readSchema(t, "overlay/data.json")
	for _, schema := range []map[string]any{jurisdiction, practice} {
		assert.Equal(t, actions, enum(t, at(schema, "definitions", "action", "enum")))
		assert.Equal(t, statuses, enum(t, at(schema, "definitions", "status", "enum")))
		assert.Equal(t, relationships, enum(t, at(schema, "definitions", "relationship", "enum")))
	}
	statute := at(jurisdiction, "definitions", "amendment", "properties", "entries", "properties",
		"unreachable_guardian_statute", "properties", "value", "items", "properties", "relationships", "items", "enum")
	assert.Equal(t, names(checkin.Relationships(), "any_adult_caregiver"), enum(t, statute))
	assert.Equal(t, actions, enum(t, at(overlay, "definitions", "guardian_required", "enum")))
	for _, set := range []string{"restriction", "condition", "remedy"} {
		covers := at(overlay, "definitions", set, "properties", "covers", "items", "enum")
		assert.Equal(t, names(checkin.Actions(), string(checkin.AllActions)), enum(t, covers), set)
	}
	input := readSchema(t, "input.json")
	assert.Equal(t, at(input, "properties", "jurisdiction", "pattern"), at(overlay, "definitions", "jurisdiction_code", "pattern"))
	language := at(readSchema(t, "messages/data.json"), "definitions", "language", "pattern")
	assert.Equal(t, language, at(overlay, "definitions", "language", "pattern"))
	assert.Equal(t, language, at(practice, "properties", "language", "pattern"))
}

// The Rego tests hold the shipped profiles to the same schemas, so stock
// `opa test rego/` catches a malformed profile: they pass on the shipped
// data and fail on a broken copy.
func TestRegoSchemaTestsCatchAMalformedProfile(t *testing.T) {
	t.Parallel()
	copyOf := func(patch map[string]string) fstest.MapFS {
		fsys := fstest.MapFS{}
		err := fs.WalkDir(rego.FS(), ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || (path.Base(name) != "data.json" && name != "checkin/schemas_test.rego") {
				return err
			}
			bs, err := fs.ReadFile(rego.FS(), name)
			fsys[name] = &fstest.MapFile{Data: bs}
			return err
		})
		require.NoError(t, err)
		for name, data := range patch {
			fsys[name] = &fstest.MapFile{Data: []byte(data)}
		}
		return fsys
	}
	failing := func(fsys fstest.MapFS) []string {
		p, err := policy.Load(t.Context(), policy.Options{Query: "data.schemas"}, policy.Source{Name: "rego", FS: fsys})
		require.NoError(t, err)
		results, err := p.Test(t.Context())
		require.NoError(t, err)
		require.NotEmpty(t, results)
		var out []string
		for _, r := range results {
			if !r.Pass {
				out = append(out, r.Name)
			}
		}
		slices.Sort(out)
		return out
	}
	assert.Empty(t, failing(copyOf(nil)))
	assert.Equal(t, []string{"test_every_jurisdiction_profile_matches_its_schema"}, failing(copyOf(map[string]string{
		"jurisdictions/US-ZZ/data.json": `{"name": "Z", "entries": {"caregiver_affidavit": {"source": "s", "value": ` +
			`{"min_age": 18, "lives_with_required": true, "validity_days": 40000, "relatives": [], "relative_scope": [], ` +
			`"nonrelative_scope": []}}}}`,
	})))
	assert.Equal(t, []string{"test_every_practice_language_has_messages"}, failing(copyOf(map[string]string{
		"practices/mine/data.json": `{"language": "fr"}`,
	})))
	assert.Equal(t, []string{"test_every_practice_name_is_one", "test_every_practice_profile_matches_its_schema"},
		failing(copyOf(map[string]string{"practices/My Practice/data.json": `{"accompany": "anyone"}`})))
}

// A profile that fails its schema is a load error naming the file, the
// JSON path and the bad value.
func TestSchemaProblemsNameFilePathAndValue(t *testing.T) {
	t.Parallel()
	_, err := checkin.New(t.Context(), checkin.WithOverlay("overlay", fstest.MapFS{
		"jurisdictions/US-TX/data.json": {Data: []byte(`{"entries": {"caregiver_affidavit": {"source": "s", "value": ` +
			`{"min_age": 18, "lives_with_required": true, "validity_days": 40000, "relatives": [], "relative_scope": [], ` +
			`"nonrelative_scope": []}}}}`)},
	}))
	var loadErr *checkin.LoadError
	require.ErrorAs(t, err, &loadErr)
	require.Len(t, loadErr.Problems, 1)
	assert.Equal(t, "overlay/jurisdictions/US-TX/data.json: profile_error: entries.caregiver_affidavit.value.validity_days: "+
		"40000 is more than 36525 (days the affidavit is valid from signed_on, at most 36525: no affidavit law gives a century)",
		loadErr.Problems[0].String())
}

// The published overlay schema compiles with the others under their $id and
// says what an overlay's data may hold, as tools in other languages read it.
func TestOverlaySchemaDescribesAnOverlaysData(t *testing.T) {
	t.Parallel()
	c := jsonschema.NewCompiler()
	for _, name := range []string{"jurisdiction", "practice", "messages", "overlay"} {
		bs, err := fs.ReadFile(rego.FS(), "schemas/"+name+"/data.json")
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(bs)))
		require.NoError(t, err)
		require.NoError(t, c.AddResource("https://github.com/frontdesk-policy/frontdesk/rego/schemas/"+name+"/data.json", doc))
	}
	overlay, err := c.Compile("https://github.com/frontdesk-policy/frontdesk/rego/schemas/overlay/data.json")
	require.NoError(t, err)
	valid := func(data string) bool {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(data))
		require.NoError(t, err)
		return overlay.Validate(doc) == nil
	}
	assert.True(t, valid(`{"practices": {"careful": {"photo_id_required": ["consent_sick"], "language": "es"}},
		"jurisdictions": {"US-TX": {"entries": {"age_of_majority": {"value": 18, "source": "https://example.org"}}}},
		"messages": {"en": {"remedies": {"CALL_GUARDIAN": {"by_phone": "Phone {guardians}."}}}}}`))
	for _, bad := range []string{
		`{"jurisdictions": {"default": {"entries": {}}}}`,
		`{"jurisdictions": {"us-tx": {"entries": {}}}}`,
		`{"practices": {"strict": {}}}`,
		`{"practices": {"mine": {"min_companion_age": 13}}}`,
		`{"messages": {"Spanish": {}}}`,
		`{"frontdesk": {}}`,
	} {
		assert.False(t, valid(bad), bad)
	}
}
