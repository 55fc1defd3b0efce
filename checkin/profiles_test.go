package checkin_test

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/checkintest"
	"github.com/frontdesk-policy/frontdesk/rego"
)

func TestProfilesAreCheckedAtLoad(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, file, data, want string }{
		{"unknown field", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"age_of_majorty": {"value": 18, "source": "s"}}}`, "entries.age_of_majorty: is not a jurisdiction field"},
		{"unknown action", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"guardian_required": {"value": ["consent_tattoo"], "source": "s"}}}`, "entries.guardian_required.value[0]: consent_tattoo is not an action"},
		{"missing source", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"age_of_majority": {"value": 19}}}`, "entries.age_of_majority.source: is required"},
		{"unknown relationship", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"unreachable_guardian_statute": {"value": [{"statute": "s", "actions": ["consent_sick"], "relationships": ["godparent"]}], "source": "s"}}}`,
			"relationships[0]: godparent is not a relationship"},
		{"bad practice setting", "practices/mine/data.json",
			`{"accompany": "anyone"}`, "accompany: anyone is not any_adult or authorized_only"},
		{"companion age below the bounds", "practices/mine/data.json",
			`{"min_companion_age": 13}`, "min_companion_age: 13 is not a whole number of years from 14 to 21"},
		{"companion age above the bounds", "practices/mine/data.json",
			`{"min_companion_age": 22}`, "min_companion_age: 22 is not a whole number of years from 14 to 21"},
		{"companion age a fraction", "practices/mine/data.json",
			`{"min_companion_age": 16.5}`, "min_companion_age: 16.5 is not a whole number"},
		{"confidential not a boolean", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"self_consent": {"value": [{"actions": ["consent_confidential"], "min_age": 12, "confidential": "yes"}], "source": "s"}}}`,
			"entries.self_consent.value[0].confidential: yes is not true or false"},
		{"unknown practice key", "practices/mine/data.json",
			`{"min_companion_age": 16, "allow_everything": true}`, "allow_everything: is not a known key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := checkin.New(t.Context(), checkin.WithOverlay("overlay", fstest.MapFS{tc.file: {Data: []byte(tc.data)}}))
			var loadErr *checkin.LoadError
			require.ErrorAs(t, err, &loadErr)
			require.NotEmpty(t, loadErr.Problems)
			assert.Equal(t, "overlay/"+tc.file, loadErr.Problems[0].File)
			assert.Contains(t, loadErr.Problems[0].Message, tc.want)
		})
	}
}

func TestCompanionAgeBoundsAreInclusive(t *testing.T) {
	t.Parallel()
	for _, age := range []string{"14", "21"} {
		_, err := checkin.New(t.Context(), checkin.WithOverlay("overlay", fstest.MapFS{
			"practices/mine/data.json": {Data: []byte(`{"min_companion_age": ` + age + `}`)}}))
		assert.NoError(t, err, age)
	}
}

func TestJurisdictions(t *testing.T) {
	t.Parallel()
	list := engine(t).Jurisdictions()
	require.NotEmpty(t, list)
	assert.Equal(t, "default", list[0].Code)
	codes := map[string]checkin.Jurisdiction{}
	for _, j := range list {
		codes[j.Code] = j
		assert.NotEmpty(t, j.Name, j.Code)
		assert.NotEmpty(t, j.Entries, j.Code)
		for _, e := range j.Entries {
			assert.NotEmpty(t, e.Source, "%s %s", j.Code, e.Field)
			assert.Contains(t, e.Source, "http", "%s %s: a source names its URL", j.Code, e.Field)
		}
	}
	// Every state and the District of Columbia has a profile: no practice in
	// the United States is decided on the default rules alone.
	for _, code := range strings.Fields(`US-AL US-AK US-AZ US-AR US-CA US-CO US-CT US-DE US-DC US-FL US-GA
		US-HI US-ID US-IL US-IN US-IA US-KS US-KY US-LA US-ME US-MD US-MA US-MI US-MN US-MS US-MO US-MT
		US-NE US-NV US-NH US-NJ US-NM US-NY US-NC US-ND US-OH US-OK US-OR US-PA US-RI US-SC US-SD US-TN
		US-TX US-UT US-VT US-VA US-WA US-WV US-WI US-WY`) {
		assert.Contains(t, codes, code)
	}
	assert.Len(t, codes, 52, "the default and 51 jurisdictions")
}

// rego/jurisdictions/SOURCES.md says, for every profile, what was searched
// and found: a profile without its section, or a section without its
// profile, fails.
func TestSourcesRecordEveryProfile(t *testing.T) {
	t.Parallel()
	text, err := fs.ReadFile(rego.FS(), "jurisdictions/SOURCES.md")
	require.NoError(t, err)
	sections := map[string]bool{}
	for line := range strings.Lines(string(text)) {
		if code, ok := strings.CutPrefix(line, "## "); ok {
			code, _, _ = strings.Cut(code, " ")
			sections[code] = true
		}
	}
	profiles := map[string]bool{}
	for _, j := range engine(t).Jurisdictions()[1:] {
		profiles[j.Code] = true
	}
	assert.Equal(t, profiles, sections)
}

// Every profile is shown by scenario cases, at least two (a minor at the
// state's edge, a relative or surrogate), so that a changed entry changes
// an answer somebody wrote down.
func TestEveryProfileHasScenarios(t *testing.T) {
	t.Parallel()
	scenarios, err := checkintest.LoadScenarios(os.DirFS("testdata"), "scenarios")
	require.NoError(t, err)
	cases := map[string]int{}
	for _, s := range scenarios {
		if req, err := checkin.ParseRequest(s.Request); err == nil {
			cases[req.Jurisdiction]++
		}
	}
	for _, j := range engine(t).Jurisdictions()[1:] {
		assert.GreaterOrEqual(t, cases[j.Code], 2, "%s has %d scenario cases", j.Code, cases[j.Code])
	}
}
