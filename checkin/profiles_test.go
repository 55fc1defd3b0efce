package checkin_test

import (
	"encoding/json"
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
			`{"name": "Z", "entries": {"age_of_majorty": {"value": 18, "source": "s"}}}`, "entries.age_of_majorty: is not a known key"},
		{"unknown action", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"guardian_required": {"value": ["consent_tattoo"], "source": "s"}}}`, `entries.guardian_required.value[0]: "consent_tattoo" is not an action`},
		{"missing source", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"age_of_majority": {"value": 19}}}`, "entries.age_of_majority.source: is required"},
		{"unknown relationship", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"unreachable_guardian_statute": {"value": [{"statute": "s", "actions": ["consent_sick"], "relationships": ["godparent"]}], "source": "s"}}}`,
			`relationships[0]: "godparent" is not a relationship`},
		{"bad practice setting", "practices/mine/data.json",
			`{"accompany": "anyone"}`, `accompany: "anyone" is not one of any_adult, authorized_only`},
		{"companion age below the bounds", "practices/mine/data.json",
			`{"min_companion_age": 13}`, "min_companion_age: 13 is less than 14 (the youngest companion who may bring a child in, in whole years from 14 to 21)"},
		{"companion age above the bounds", "practices/mine/data.json",
			`{"min_companion_age": 22}`, "min_companion_age: 22 is more than 21 (the youngest companion who may bring a child in, in whole years from 14 to 21)"},
		{"companion age a fraction", "practices/mine/data.json",
			`{"min_companion_age": 16.5}`, "min_companion_age: 16.5 is not a whole number"},
		{"confidential not a boolean", "jurisdictions/US-ZZ/data.json",
			`{"name": "Z", "entries": {"self_consent": {"value": [{"actions": ["consent_confidential"], "min_age": 12, "confidential": "yes"}], "source": "s"}}}`,
			`entries.self_consent.value[0].confidential: "yes" is not true or false`},
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

// A minor brought by a grandparent, with two parents on file, one of them
// barred by a restriction: every refusal offers a call to the other.
const barredFatherRequest = `{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-GU",
	"patient": {"id": "p", "name": "Ana", "birth_date": "2019-01-01"},
	"companion": {"id": "c", "name": "Rosa", "relationship": "grandparent", "age": 60},
	"records": {"guardians": [{"person": "g-41", "name": "Maria Lopez", "role": "parent"},
		{"person": "g-42", "name": "Frank Lopez", "role": "parent"}],
		"restrictions": [{"person": "g-42", "covers": ["*"]}]},
	"requested": ["consent_procedure", "pick_up", "consent_sick"]}`

func decideWith(t *testing.T, e *checkin.Engine, request string) checkin.Decision {
	t.Helper()
	req, err := checkin.ParseRequest([]byte(request))
	require.NoError(t, err)
	d, err := e.Decide(t.Context(), req)
	require.NoError(t, err)
	d.Policy.Revision = ""
	return d
}

func messagesOverlay(files map[string]any) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, v := range files {
		bs, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		fsys[name] = &fstest.MapFile{Data: bs}
	}
	return fsys
}

// shippedEnglish reads the shipped English templates of one kind and code.
func shippedEnglish(t *testing.T, kind, code string) map[string]string {
	t.Helper()
	bs, err := fs.ReadFile(rego.FS(), "messages/en/data.json")
	require.NoError(t, err)
	var all map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(bs, &all))
	var templates map[string]map[string]string
	require.NoError(t, json.Unmarshal(all[kind], &templates))
	require.NotEmpty(t, templates[code])
	return templates[code]
}

// An overlay that rewords a remedy changes its words in every decision,
// and nothing else: verdicts, bases, codes and every other message stay.
func TestOverlayRewordsAMessage(t *testing.T) {
	t.Parallel()
	reworded := map[string]any{}
	for name, text := range shippedEnglish(t, "remedies", "CALL_GUARDIAN") {
		reworded[name] = "At once: " + text
	}
	e, err := checkin.New(t.Context(), checkin.WithOverlay("reworded", messagesOverlay(map[string]any{
		"messages/en/data.json": map[string]any{"remedies": map[string]any{"CALL_GUARDIAN": reworded}},
	})))
	require.NoError(t, err)
	before, after := decideWith(t, engine(t), barredFatherRequest), decideWith(t, e, barredFatherRequest)
	changed := 0
	for action, a := range after.Actions {
		b := before.Actions[action]
		require.Len(t, a.Remedies, len(b.Remedies), action)
		for i, r := range a.Remedies {
			if r.Code == "CALL_GUARDIAN" {
				assert.Equal(t, "At once: "+b.Remedies[i].Message, r.Message, action)
				a.Remedies[i].Message = b.Remedies[i].Message
				changed++
			}
		}
		assert.Equal(t, b, a, action)
	}
	assert.Equal(t, 3, changed, "each refusal offers a call to the mother")
	before.Actions, after.Actions = nil, nil
	assert.Equal(t, before, after)
}

// A reworded remedy that would name a guardian a restriction bars is given
// in the shipped words: an overlay's words never offer a call to the barred.
func TestRewordingCannotNameABarredGuardian(t *testing.T) {
	t.Parallel()
	e, err := checkin.New(t.Context(), checkin.WithOverlay("reworded", messagesOverlay(map[string]any{
		"messages/en/data.json": map[string]any{"remedies": map[string]any{"CALL_GUARDIAN": map[string]any{
			"by_phone": "Call Frank Lopez, or {guardians}, to consent by phone.",
		}}},
	})))
	require.NoError(t, err)
	d := decideWith(t, e, barredFatherRequest)
	assert.Equal(t, "Call Maria Lopez to consent by phone, with a staff witness.", d.Actions[checkin.ConsentSick].Remedies[0].Message)
	assert.Equal(t, decideWith(t, engine(t), barredFatherRequest), d)

	// Where nobody is barred, the overlay's words stand.
	unbarred := strings.Replace(barredFatherRequest, `"restrictions": [{"person": "g-42", "covers": ["*"]}]`, `"restrictions": []`, 1)
	d = decideWith(t, e, unbarred)
	assert.Equal(t, "Call Frank Lopez, or Maria Lopez or Frank Lopez, to consent by phone.",
		d.Actions[checkin.ConsentSick].Remedies[0].Message)
}

// portuguese is an overlay that adds a language, with one template of its
// own: English fills every other.
var portuguese = map[string]any{"remedies": map[string]any{"CALL_GUARDIAN": map[string]any{
	"by_phone": "Ligue para {guardians} para consentir por telefone, com uma testemunha da equipe.",
}}}

func TestWithLanguage(t *testing.T) {
	t.Parallel()
	e, err := checkin.New(t.Context(), checkin.WithLanguage("pt-BR"),
		checkin.WithOverlay("portuguese", messagesOverlay(map[string]any{"messages/pt-BR/data.json": portuguese})))
	require.NoError(t, err)
	d := decideWith(t, e, barredFatherRequest)
	sick := d.Actions[checkin.ConsentSick]
	assert.Equal(t, "Ligue para Maria Lopez para consentir por telefone, com uma testemunha da equipe.", sick.Remedies[0].Message)
	english := decideWith(t, engine(t), barredFatherRequest)
	assert.Equal(t, english.Actions[checkin.ConsentSick].Reasons, sick.Reasons, "English fills what the language lacks")

	_, err = checkin.New(t.Context(), checkin.WithLanguage("fr"))
	var loadErr *checkin.LoadError
	require.ErrorAs(t, err, &loadErr)
	require.Len(t, loadErr.Problems, 1)
	assert.Contains(t, loadErr.Problems[0].Message, `WithLanguage("fr"): the policy has no messages in "fr"`)
}

// A practice profile chooses the language of its decisions; a practice
// that does not is decided in English.
func TestPracticeLanguage(t *testing.T) {
	t.Parallel()
	e, err := checkin.New(t.Context(), checkin.WithOverlay("portuguese", messagesOverlay(map[string]any{
		"messages/pt-BR/data.json": portuguese,
		"practices/casa/data.json": map[string]any{"name": "Casa", "language": "pt-BR"},
	})))
	require.NoError(t, err)
	inCasa := strings.Replace(barredFatherRequest, `"jurisdiction": "US-GU",`, `"jurisdiction": "US-GU", "practice": "casa",`, 1)
	assert.Equal(t, "Ligue para Maria Lopez para consentir por telefone, com uma testemunha da equipe.",
		decideWith(t, e, inCasa).Actions[checkin.ConsentSick].Remedies[0].Message)
	assert.Equal(t, "Call Maria Lopez to consent by phone, with a staff witness.",
		decideWith(t, e, barredFatherRequest).Actions[checkin.ConsentSick].Remedies[0].Message)
}
