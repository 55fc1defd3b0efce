package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func testEngine(t *testing.T, lang string) *checkin.Engine {
	t.Helper()
	engine, err := newEngine(t.Context(), lang)
	require.NoError(t, err)
	return engine
}

// The morning in each language matches its golden file: English in
// morning.golden, Spanish in morning.es.golden.
func TestMorningGolden(t *testing.T) {
	for lang, golden := range map[string]string{"en": "morning.golden", "es": "morning.es.golden"} {
		t.Run(lang, func(t *testing.T) {
			var out bytes.Buffer
			engine := testEngine(t, lang)
			require.NoError(t, play(t.Context(), &out, engine, lang, morning, false))
			// The revision changes with every policy edit; the morning's verdicts and words are what the file pins.
			got := strings.ReplaceAll(out.String(), engine.Revision(), "REVISION")

			golden := filepath.Join("testdata", golden)
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./examples/frontdesk -update to create it")
			require.Equal(t, string(want), got, "output differs from %s; rerun with -update if the change is intended", golden)
		})
	}
}

// Every story and every label the morning prints has its Spanish words, so
// the Spanish morning never falls back to English or to a code.
func TestMorningSpanishIsComplete(t *testing.T) {
	es, err := textsFor("es")
	require.NoError(t, err)
	for _, v := range morning {
		require.NotEmpty(t, v.story["es"], v.req.At)
		require.Contains(t, es.relationships, v.req.Companion.Relationship)
		for _, a := range v.req.Requested {
			require.Contains(t, es.actions, a)
		}
	}
	for _, v := range checkin.Verdicts() {
		require.Contains(t, es.verdicts, v)
	}
	for _, o := range []checkin.Outcome{checkin.Proceed, checkin.ProceedWithConditions, checkin.Partial,
		checkin.Refuse, checkin.OutcomeEscalate} {
		require.Contains(t, es.outcomes, o)
	}
}

// A language the demo has no words for fails before anything is printed,
// naming the languages it has.
func TestUnknownLanguage(t *testing.T) {
	var out bytes.Buffer
	err := run(t.Context(), []string{"-lang", "fr"}, &out)
	require.EqualError(t, err, `unknown language "fr": the morning plays in en or es`)
	require.Empty(t, out.String())
}

func TestMorningColor(t *testing.T) {
	engine := testEngine(t, "en")
	var plain, colored bytes.Buffer
	require.NoError(t, play(t.Context(), &plain, engine, "en", morning, false))
	require.NoError(t, play(t.Context(), &colored, engine, "en", morning, true))
	require.NotContains(t, plain.String(), "\x1b[")
	require.Contains(t, colored.String(), colors[checkin.Deny]+"deny")
	require.Contains(t, colored.String(), colors[checkin.Allow]+"allow ")
}

// TestMorningVerdicts checks the verdicts the morning is meant to show.
func TestMorningVerdicts(t *testing.T) {
	engine := testEngine(t, "en")
	decide := func(i int) checkin.Decision {
		d, err := engine.Decide(t.Context(), morning[i].req)
		require.NoError(t, err)
		return d
	}
	verdict := func(d checkin.Decision, a checkin.Action, v checkin.Verdict, basis string) {
		t.Helper()
		require.Contains(t, d.Actions, a)
		require.Equal(t, v, d.Actions[a].Verdict, a)
		require.Equal(t, basis, string(d.Actions[a].Basis), a)
	}

	require.Len(t, morning, 10)

	pediatrician := decide(0)
	require.Equal(t, checkin.ProceedWithConditions, pediatrician.Outcome)
	verdict(pediatrician, checkin.ConsentSick, checkin.AllowWithConditions, "VERBAL_CONSENT")
	verdict(pediatrician, checkin.ConsentVaccine, checkin.AllowWithConditions, "VERBAL_CONSENT")

	require.Equal(t, "strict", morning[1].req.Practice)
	dentist := decide(1)
	require.Equal(t, checkin.Partial, dentist.Outcome)
	verdict(dentist, checkin.Accompany, checkin.Deny, "AUTHORIZATION_REQUIRED")
	verdict(dentist, checkin.PickUp, checkin.Allow, "ACCOMPANYING_ADULT")

	aunt := decide(2)
	verdict(aunt, checkin.ConsentSick, checkin.AllowWithConditions, "PROXY_AUTHORIZATION")
	verdict(aunt, checkin.ConsentProcedure, checkin.Deny, "GUARDIAN_REQUIRED")

	affidavit := decide(3)
	require.Equal(t, checkin.Proceed, affidavit.Outcome)
	verdict(affidavit, checkin.ConsentVaccine, checkin.Allow, "CAREGIVER_AFFIDAVIT")

	sitter := decide(4)
	verdict(sitter, checkin.ConsentSick, checkin.Deny, "DOCUMENT_EXPIRED")

	father := decide(5)
	require.Equal(t, checkin.Refuse, father.Outcome)
	for _, a := range morning[5].req.Requested {
		verdict(father, a, checkin.Deny, "RESTRICTED_BY_ORDER")
	}

	adult := decide(6)
	verdict(adult, checkin.Accompany, checkin.Allow, "PATIENT_AGREES")
	verdict(adult, checkin.ConsentProcedure, checkin.Deny, "PATIENT_DECIDES")

	require.True(t, morning[7].req.Emergency)
	emergency := decide(7)
	verdict(emergency, checkin.ConsentSick, checkin.AllowWithConditions, "EMERGENCY")

	require.True(t, morning[8].req.Emergency)
	restricted := decide(8)
	verdict(restricted, checkin.ConsentSick, checkin.AllowWithConditions, "EMERGENCY")
	verdict(restricted, checkin.Accompany, checkin.Deny, "RESTRICTED_BY_ORDER")
	require.Contains(t, codes(restricted.Obligations), "FOLLOW_SAFETY_PROTOCOL")

	pregnant := decide(9)
	verdict(pregnant, checkin.ConsentConfidential, checkin.AllowWithConditions, "MINOR_SELF_CONSENT")
	verdict(pregnant, checkin.SchoolNote, checkin.AllowWithConditions, "MINOR_SELF_CONSENT")
}

func codes(notes []checkin.Note) []string {
	out := make([]string, len(notes))
	for i, n := range notes {
		out[i] = string(n.Code)
	}
	return out
}

func TestAge(t *testing.T) {
	day := at(9, 0)
	require.Equal(t, 7, age("2019-05-10", day))
	require.Equal(t, 5, age("2020-11-24", day))
	require.Equal(t, 6, age("2020-11-23", day))
}

// -record keeps the morning's decisions, one redacted record per visit, for
// checkin report and replay; a second morning appends to the same file.
func TestMorningRecorded(t *testing.T) {
	file := filepath.Join(t.TempDir(), "morning.jsonl")
	for range 2 {
		require.NoError(t, run(t.Context(), []string{"-record", file}, io.Discard))
	}
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	records, err := checkin.ReadRecords(bytes.NewReader(data))
	require.NoError(t, err)
	require.Len(t, records, 2*len(morning))
	for i, r := range records {
		require.Equal(t, morning[i%len(morning)].req.Requested, r.Request.Requested)
	}
	for _, v := range morning {
		require.NotContains(t, string(data), v.req.Patient.Name, "records are redacted")
		require.NotContains(t, string(data), v.req.Patient.BirthDate, "records are redacted")
	}
	require.ErrorContains(t, run(t.Context(), []string{"-record", t.TempDir()}, io.Discard), "is a directory")
}
