package checkin_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// An overlay's own words (its conditions, remedies and restrictions, and its
// rewordings) reach the desk only as text a clerk can read that sends staff to
// nobody a restriction bars; what they ask of staff is never lost on the way.

// withheld is what staff read in place of such words.
const withheld = "A practice rule applies here, but its words cannot be shown: they are blank, or would name someone " +
	"a restriction on file bars. Ask the practice manager what it requires."

func practiceRules(t *testing.T, rego string) *checkin.Engine {
	t.Helper()
	e, err := checkin.New(t.Context(), overlay(map[string]string{"rules.rego": "package overlay\n\n" + rego}))
	require.NoError(t, err)
	return e
}

// A condition whose words happen to contain a barred guardian's id ("42", in
// "42 kg") is kept, with what it asks, in the withheld words: dropping it
// would let staff go ahead without doing it.
func TestPracticeConditionNamingABarredGuardianIsKept(t *testing.T) {
	t.Parallel()
	e := practiceRules(t, `conditions contains {"covers": ["*"], "code": "CHECK_WEIGHT",
	"message": "Weigh the child first: above 42 kg the nurse confirms the dose."}`)
	d := decideWith(t, e, barredFatherRequest)
	pickUp := d.Actions[checkin.PickUp]
	require.Equal(t, checkin.Deny, pickUp.Verdict) // the grandmother did not bring her
	sick := d.Actions[checkin.ConsentSick]
	require.Equal(t, checkin.Deny, sick.Verdict)

	brought := `{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-GU",
	"patient": {"id": "p", "name": "Ana", "birth_date": "2019-01-01"},
	"companion": {"id": "c", "name": "Rosa", "relationship": "grandparent", "age": 60, "brought_patient": true},
	"records": {"guardians": [{"person": "g-41", "name": "Maria Lopez", "role": "parent"},
		{"person": "42", "name": "Frank Lopez", "role": "parent"}],
		"restrictions": [{"person": "42", "covers": ["pick_up"]}]},
	"requested": ["accompany"]}`
	d = decideWith(t, e, brought)
	accompany := d.Actions[checkin.Accompany]
	assert.Equal(t, checkin.AllowWithConditions, accompany.Verdict)
	assert.Contains(t, accompany.Conditions, checkin.Note{Code: "CHECK_WEIGHT", Message: withheld})
}

// Elements an overlay computes are held to their shape when the decision is
// made: blank, missing or non-text words and malformed codes never drop a
// condition, blank a reason or fail the decision.
func TestPracticeRulesOfTheWrongShapeKeepWhatTheyAsk(t *testing.T) {
	t.Parallel()
	e := practiceRules(t, `
conditions contains {"covers": ["accompany"], "code": "BLANK", "message": "   "}
conditions contains {"covers": ["accompany"], "code": "NOT_TEXT", "message": json.unmarshal("false")}
conditions contains {"covers": ["accompany"], "code": "lower case code", "message": "Sign the visitor log."}
conditions contains {"covers": ["accompany"], "code": "NO_WORDS"}
restrictions contains {"covers": ["pick_up"], "code": ""}
remedies contains {"covers": ["*"], "code": "CALL_GUARDIAN", "message": json.unmarshal("false")}
`)
	req := `{"at": "2026-11-22T09:30:00Z", "jurisdiction": "US-GU",
	"patient": {"id": "p", "name": "Ana", "birth_date": "2019-01-01"},
	"companion": {"id": "c", "name": "Rosa", "relationship": "grandparent", "age": 60},
	"records": {"guardians": [{"person": "g-41", "name": "Maria Lopez", "role": "parent"}]},
	"requested": ["accompany", "pick_up", "consent_sick"]}`
	d := decideWith(t, e, req)
	accompany := d.Actions[checkin.Accompany]
	assert.Equal(t, checkin.AllowWithConditions, accompany.Verdict)
	assert.Contains(t, accompany.Conditions, checkin.Note{Code: "BLANK", Message: withheld})
	assert.Contains(t, accompany.Conditions, checkin.Note{Code: "NOT_TEXT", Message: withheld})
	assert.Contains(t, accompany.Conditions, checkin.Note{Code: "PRACTICE_CONDITION", Message: "Sign the visitor log."})
	assert.Contains(t, accompany.Conditions, checkin.Note{Code: "NO_WORDS", Message: withheld})

	pickUp := d.Actions[checkin.PickUp]
	assert.Equal(t, checkin.Deny, pickUp.Verdict)
	assert.Equal(t, checkin.CodeRestrictedByOrder, pickUp.Basis, "a restriction without a code of its own refuses as one")
	assert.Equal(t, []checkin.Note{{Code: checkin.CodeRestrictedByOrder, Message: withheld}}, pickUp.Reasons)

	sick := d.Actions[checkin.ConsentSick]
	assert.Equal(t, checkin.Deny, sick.Verdict)
	require.NotEmpty(t, sick.Remedies, "a remedy without words is left out, and the default's stand")
	assert.Equal(t, checkin.CodeCallGuardian, sick.Remedies[0].Code)
	assert.Contains(t, sick.Remedies[0].Message, "Maria Lopez")
}

// A template reworded in English is checked for a barred guardian in a
// decision made in a language an overlay added, where English fills the gap.
func TestRewordingIsCheckedInTheLanguageItFills(t *testing.T) {
	t.Parallel()
	e, err := checkin.New(t.Context(), checkin.WithLanguage("vi"), checkin.WithOverlay("reworded", messagesOverlay(map[string]any{
		"messages/en/data.json": map[string]any{"remedies": map[string]any{"CALL_GUARDIAN": map[string]any{
			"by_phone": "Call frank lopez, or {guardians}, to consent by phone.",
		}}},
		"messages/vi/data.json": map[string]any{"phrases": map[string]any{"or": " hoặc "}},
	})))
	require.NoError(t, err)
	d := decideWith(t, e, barredFatherRequest)
	for _, r := range d.Actions[checkin.ConsentSick].Remedies {
		assert.NotContains(t, r.Message, "Frank", "a barred guardian's name, in any case")
		assert.NotContains(t, r.Message, "frank")
	}
	assert.Equal(t, "Call Maria Lopez to consent by phone, with a staff witness.",
		d.Actions[checkin.ConsentSick].Remedies[0].Message)
}
