package fhir_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

// TestHL7Examples maps HL7's own published R4 example resources
// (testdata/hl7, from the package hl7.fhir.r4.examples 4.0.1), each with the
// Patient it belongs to. Where HL7 publishes no such Patient (f001, xcda,
// animal), testdata/ours has a minimal one of our writing. Each row says what
// the example maps to, or which documented error it gives.
func TestHL7Examples(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 2, 9, 30, 0, 0, time.FixedZone("CST", -6*3600))
	tests := []struct {
		name      string
		files     []string
		companion string
		age       int // facts.companion.age; 0 for none
		requested checkin.Action
		// On success: the companion as mapped, the guardians inferred, the
		// documents, and the basis the default policy decides on.
		relationship checkin.Relationship
		companionAge int
		guardians    []checkin.Guardian
		documents    int
		basis        checkin.Code
		// On error: the path of the issue, and words of its message.
		path  string
		words []string
	}{{
		name:  "Patient-example asking for himself: self, 51, SELF",
		files: []string{"hl7/Patient-example.json"}, companion: "Patient/example", requested: checkin.ConsentSick,
		relationship: checkin.Self, companionAge: 51, basis: checkin.CodeSelf,
	}, {
		name:  "Patient-mom asking for herself: self, 53",
		files: []string{"hl7/Patient-mom.json"}, companion: "Patient/mom", requested: checkin.ReceiveRecords,
		relationship: checkin.Self, companionAge: 53, basis: checkin.CodeSelf,
	}, {
		name:  "RelatedPerson-benedicte: WIFE beside the contact role N is a spouse; no birth date, so the facts give the age",
		files: []string{"hl7/Patient-example.json", "hl7/RelatedPerson-benedicte.json"}, companion: "RelatedPerson/benedicte", age: 50,
		requested:    checkin.ConsentSick,
		relationship: checkin.Spouse, companionAge: 50, basis: checkin.CodePatientDecides,
	}, {
		name:  "RelatedPerson-benedicte without an age in the facts: an error naming both places",
		files: []string{"hl7/Patient-example.json", "hl7/RelatedPerson-benedicte.json"}, companion: "RelatedPerson/benedicte",
		requested: checkin.Accompany,
		path:      "RelatedPerson/benedicte.birthDate", words: []string{"no birth date", "facts.companion.age"},
	}, {
		name:  "RelatedPerson-newborn-mom: NMTH is a parent, the newborn's guardian, 53 by her birth date",
		files: []string{"hl7/Patient-newborn.json", "hl7/RelatedPerson-newborn-mom.json"}, companion: "RelatedPerson/newborn-mom",
		requested:    checkin.ConsentSick,
		relationship: checkin.Parent, companionAge: 53, basis: checkin.CodeGuardian,
		guardians: []checkin.Guardian{{Person: "RelatedPerson/newborn-mom", Name: "Eve Everywoman", Role: checkin.RoleParent}},
	}, {
		name:  "Patient-mom beside Patient-newborn: two Patients in one check-in",
		files: []string{"hl7/Patient-newborn.json", "hl7/Patient-mom.json", "hl7/RelatedPerson-newborn-mom.json"}, companion: "RelatedPerson/newborn-mom",
		requested: checkin.Accompany,
		path:      "Patient/mom", words: []string{"one patient"},
	}, {
		name:  "RelatedPerson-f001: SIGOTHR is other (a significant other claims no partnership), the age from the facts",
		files: []string{"ours/Patient-f001.json", "hl7/RelatedPerson-f001.json"}, companion: "RelatedPerson/f001", age: 50,
		requested:    checkin.Accompany,
		relationship: checkin.OtherPerson, companionAge: 50, basis: checkin.CodePatientAgrees,
	}, {
		name:  "RelatedPerson-f001 with Patient-example: another patient's RelatedPerson",
		files: []string{"hl7/Patient-example.json", "hl7/RelatedPerson-f001.json"}, companion: "RelatedPerson/f001", age: 50,
		requested: checkin.Accompany,
		path:      "RelatedPerson/f001.patient", words: []string{"Patient/f001", "Patient/example"},
	}, {
		name:  "RelatedPerson-peter: only the contact role C, no relationship",
		files: []string{"ours/Patient-animal.json", "hl7/RelatedPerson-peter.json"}, companion: "RelatedPerson/peter", age: 40,
		requested: checkin.Accompany,
		path:      "RelatedPerson/peter.relationship", words: []string{"contact role", "v2-0131|C", "MTH", "sitter"},
	}, {
		name:  "Consent-consent-example-basic: a privacy Consent naming no person, its period long over: nothing for a check-in",
		files: []string{"ours/Patient-f001.json", "hl7/Consent-consent-example-basic.json"}, companion: "Patient/f001",
		requested:    checkin.ReceiveRecords,
		relationship: checkin.Self, companionAge: 66, basis: checkin.CodeSelf,
	}, {
		name:  "Consent-consent-example-basic with Patient-example: another patient's Consent",
		files: []string{"hl7/Patient-example.json", "hl7/Consent-consent-example-basic.json"}, companion: "Patient/example",
		requested: checkin.ReceiveRecords,
		path:      "Consent/consent-example-basic.patient", words: []string{"Patient/f001"},
	}, {
		name:  "Consent-consent-example-notTime: withholding a timeframe from everyone, naming no person: nothing for a check-in",
		files: []string{"ours/Patient-f001.json", "hl7/Consent-consent-example-notTime.json"}, companion: "Patient/f001",
		requested:    checkin.DiscussCare,
		relationship: checkin.Self, companionAge: 66, basis: checkin.CodeSelf,
	}, {
		name:  "Consent-consent-example-grantor: actors but no provision.type, so neither permit nor deny",
		files: []string{"ours/Patient-f001.json", "hl7/Consent-consent-example-grantor.json"}, companion: "Patient/f001",
		requested: checkin.DiscussCare,
		path:      "Consent/consent-example-grantor.provision.type", words: []string{"required", "permit or deny"},
	}, {
		name:  "Consent-consent-example-smartonfhir: performed by RelatedPerson/peter, who is not in the check-in",
		files: []string{"ours/Patient-xcda.json", "hl7/Consent-consent-example-smartonfhir.json"}, companion: "Patient/xcda",
		requested: checkin.ReceiveRecords,
		path:      "Consent/consent-example-smartonfhir.performer[0]", words: []string{"RelatedPerson/peter", "not among"},
	}, {
		name:      "Consent-consent-example-smartonfhir with RelatedPerson-peter, who is another patient's",
		files:     []string{"ours/Patient-xcda.json", "hl7/Consent-consent-example-smartonfhir.json", "hl7/RelatedPerson-peter.json"},
		companion: "Patient/xcda", requested: checkin.ReceiveRecords,
		path: "RelatedPerson/peter.patient", words: []string{"Patient/animal", "Patient/xcda"},
	}}
	e, err := engine()
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var res fhir.Resources
			for _, f := range tc.files {
				data, err := os.ReadFile(filepath.Join("testdata", f))
				require.NoError(t, err)
				require.NoError(t, res.Add(data), f)
			}
			f := fhir.Facts{At: at, Jurisdiction: "US-TX", Requested: []checkin.Action{tc.requested}}
			f.Companion.Reference = tc.companion
			if tc.age > 0 {
				f.Companion.Age = &tc.age
			}
			req, err := fhir.Request(res, f)
			if tc.path != "" {
				requireIssue(t, err, tc.path, tc.words...)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.relationship, req.Companion.Relationship)
			assert.Equal(t, tc.companionAge, req.Companion.Age)
			assert.Equal(t, tc.guardians, req.Records.Guardians)
			assert.Len(t, req.Records.Documents, tc.documents)
			d, err := e.Decide(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, tc.basis, d.Actions[tc.requested].Basis, show(d))
		})
	}
}

// TestHL7ExamplesParse reads every HL7 example as a resource and all of them
// as one Bundle: every one is valid FHIR to Add. Together they are three
// Patients' resources, which no check-in is.
func TestHL7ExamplesParse(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/hl7/*-*.json")
	require.NoError(t, err)
	require.Len(t, files, 11)
	var all fhir.Resources
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		_, err = fhir.ParseBundle(data)
		require.NoError(t, err, f)
		require.NoError(t, all.Add(data), f)
	}
	assert.Len(t, all.Patients(), 3)
	assert.Len(t, all.RelatedPersons(), 4)
	assert.Len(t, all.Consents(), 4)
	f := fhir.Facts{At: time.Now(), Jurisdiction: "US-TX", Requested: []checkin.Action{checkin.Accompany}}
	f.Companion.Reference = "Patient/example"
	_, err = fhir.Request(all, f)
	for _, p := range []string{"Patient/example", "Patient/mom", "Patient/newborn"} {
		requireIssue(t, err, p, "one of 3 Patients")
	}
}
