package checkin_test

import (
	"encoding/json"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

func overlay(files map[string]string) checkin.Option {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return checkin.WithOverlay("overlay", fsys)
}

func TestOverlayLoadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string]string
		line  int
		code  string
	}{
		{"redefines a default rule", map[string]string{"x.rego": "package checkin\n\nrecord_relationship := {}\n"}, 1, "policy_package_error"},
		{"reads a field requests lack", map[string]string{"x.rego": "package overlay\n\nguardian_required contains \"accompany\" if {\n\tinput.companion.relatinship == \"sitter\"\n}\n"}, 4, "rego_type_error"},
		{"syntax", map[string]string{"x.rego": "package overlay\n\nguardian_required contains \"accompany\" if {\n"}, 4, "rego_parse_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := checkin.New(t.Context(), overlay(tc.files))
			var loadErr *checkin.LoadError
			require.ErrorAs(t, err, &loadErr)
			assert.Equal(t, "overlay/x.rego", loadErr.Problems[0].File, loadErr.Error())
			assert.Equal(t, tc.line, loadErr.Problems[0].Line, loadErr.Error())
			assert.Equal(t, tc.code, loadErr.Problems[0].Code, loadErr.Error())
		})
	}
}

func TestOverlaysConflict(t *testing.T) {
	t.Parallel()
	one := overlay(map[string]string{"x.rego": "package overlay\n\nlevel := 1\n"})
	two := checkin.WithOverlay("second", fstest.MapFS{"y.rego": {Data: []byte("package overlay\n\nlevel := 2\n")}})
	_, err := checkin.New(t.Context(), one, two)
	var loadErr *checkin.LoadError
	require.ErrorAs(t, err, &loadErr)
	assert.Equal(t, "second/y.rego", loadErr.Problems[0].File)
	assert.Equal(t, 3, loadErr.Problems[0].Line)
	assert.Contains(t, loadErr.Problems[0].Message, "overlay/x.rego:3")
}

// texasAge amends one Texas entry.
const texasAge = `{"entries": {"age_of_majority": {"value": 19,
	"source": "Our counsel's reading: https://example.org/tx"}}}`

func TestOverlayAmendsAJurisdiction(t *testing.T) {
	t.Parallel()
	e, err := checkin.New(t.Context(),
		checkin.WithOverlay("tx-counsel", fstest.MapFS{"jurisdictions/US-TX/data.json": {Data: []byte(texasAge)}}),
		checkin.WithOverlay("new-state", fstest.MapFS{"jurisdictions/US-ZZ/data.json": {Data: []byte(
			`{"name": "Zed", "entries": {"age_of_majority": {"value": 20, "source": "https://example.org/zz"}}}`)}}),
	)
	require.NoError(t, err)
	want := checkin.Amendment{Code: "US-TX", Overlays: []string{"tx-counsel"}, Fields: []string{"age_of_majority"}}
	assert.Equal(t, []checkin.Amendment{want}, e.Amendments(), "a profile an overlay adds is not an amendment")

	byCode := map[string]checkin.Jurisdiction{}
	for _, j := range e.Jurisdictions() {
		byCode[j.Code] = j
	}
	tx := byCode["US-TX"]
	assert.Equal(t, "Texas", tx.Name, "an amendment keeps the shipped name")
	assert.Equal(t, []string{"tx-counsel"}, tx.AmendedBy)
	fields := map[string]checkin.ProfileEntry{}
	for _, entry := range tx.Entries {
		fields[entry.Field] = entry
	}
	assert.Equal(t, "tx-counsel", fields["age_of_majority"].Overlay)
	assert.Equal(t, json.Number("19"), fields["age_of_majority"].Value)
	require.Contains(t, fields, "unreachable_guardian_statute", "the entries the overlay does not set stay")
	assert.Empty(t, fields["unreachable_guardian_statute"].Overlay)
	assert.Empty(t, byCode["US-ZZ"].AmendedBy)
	assert.Equal(t, "new-state", byCode["US-ZZ"].Entries[0].Overlay)
}

func TestAmendedJurisdictionsData(t *testing.T) {
	t.Parallel()
	same := texasAge
	e, err := checkin.New(t.Context(),
		checkin.WithOverlay("first", fstest.MapFS{"jurisdictions/US-TX/data.json": {Data: []byte(texasAge)}}),
		checkin.WithOverlay("restates", fstest.MapFS{"jurisdictions/US-TX/data.json": {Data: []byte(same)}}),
		checkin.WithOverlay("second", fstest.MapFS{"jurisdictions/US-TX/data.json": {Data: []byte(
			`{"entries": {"stepparent_is_parent": {"value": true, "source": "https://example.org/tx2"}}}`)}}),
	)
	require.NoError(t, err)
	assert.Equal(t, []checkin.Amendment{{Code: "US-TX", Overlays: []string{"first", "second"},
		Fields: []string{"age_of_majority", "stepparent_is_parent"}}}, e.Amendments(),
		"an overlay that restates an entry as it stands changes nothing")
	assert.JSONEq(t, `{"US-TX": {"overlays": ["first", "second"], "fields": ["age_of_majority", "stepparent_is_parent"]}}`,
		queryJSON(t, e, "data.frontdesk.amended_jurisdictions"))

	plain, err := checkin.New(t.Context())
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, queryJSON(t, plain, "data.frontdesk.amended_jurisdictions"))
}

func TestOverlayAmendsAPracticeKeyByKey(t *testing.T) {
	t.Parallel()
	first := overlay(map[string]string{"practices/careful/data.json": `{"accompany": "authorized_only", "min_companion_age": 18}`})
	second := checkin.WithOverlay("second", fstest.MapFS{"practices/careful/data.json": {Data: []byte(`{"min_companion_age": 21}`)}})
	e, err := checkin.New(t.Context(), first, second)
	require.NoError(t, err)
	got := queryJSON(t, e, "data.practices.careful")
	assert.Contains(t, got, `"accompany":"authorized_only"`, "the keys the later overlay does not set stay")
	assert.Contains(t, got, `"min_companion_age":21`)
}

func TestNoOverlayWritesFrontdeskData(t *testing.T) {
	t.Parallel()
	for name, files := range map[string]map[string]string{
		"a data file":    {"frontdesk/data.json": `{"amended_jurisdictions": {}}`},
		"the root":       {"data.json": `{"frontdesk": {"amended_jurisdictions": {}}}`},
		"a Rego package": {"x.rego": "package frontdesk\n\namended_jurisdictions := {}\n"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := checkin.New(t.Context(), overlay(files))
			var loadErr *checkin.LoadError
			require.ErrorAs(t, err, &loadErr)
			assert.Contains(t, []string{"policy_file_error", "policy_package_error"}, loadErr.Problems[0].Code, loadErr.Error())
		})
	}
}

func queryJSON(t *testing.T, e *checkin.Engine, query string) string {
	t.Helper()
	v, _, err := checkin.PolicyOf(e).Query(t.Context(), query, ast.NewObject(), false)
	require.NoError(t, err)
	bs, err := json.Marshal(ast.MustJSON(v))
	require.NoError(t, err)
	return string(bs)
}
