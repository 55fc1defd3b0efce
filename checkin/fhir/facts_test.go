package fhir_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	models "github.com/samply/golang-fhir-models/fhir-models/fhir"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

// TestParseFacts reads facts as strictly as checkin.ParseRequest reads a
// request, each problem at its facts.<field> path.
func TestParseFacts(t *testing.T) {
	t.Parallel()
	const good = `{"at": "2026-12-02T09:30:00-06:00", "jurisdiction": "US-TX", "practice": "default", "emergency": true,
		"companion": {"reference": "RelatedPerson/maria", "identity": "known_to_staff", "lives_with_patient": true, "brought_patient": true, "age": 34},
		"patient": {"statuses": ["married"], "lacks_capacity": true, "present": false},
		"guardians": [{"reference": "Organization/dfps", "role": "agency"}],
		"restrictions": [{"person": "RelatedPerson/luis", "covers": ["pick_up"], "source": "court_order", "valid_until": "2027-01-01"}],
		"designations": [{"person": "RelatedPerson/rosa", "covers": ["discuss_care"]}],
		"desk": {"verbal_consent": [{"from": "RelatedPerson/ana", "covers": ["consent_sick"], "witness": "RN Diaz"}], "guardian_unreachable": true, "patient_agrees": true},
		"requested": ["accompany"]}`
	f, err := fhir.ParseFacts([]byte(good))
	require.NoError(t, err)
	age, no := 34, false
	want := fhir.Facts{
		At: time.Date(2026, 12, 2, 9, 30, 0, 0, time.FixedZone("", -6*3600)), Jurisdiction: "US-TX", Practice: "default", Emergency: true,
		Companion:    fhir.CompanionFacts{Reference: "RelatedPerson/maria", Identity: checkin.KnownToStaff, LivesWithPatient: true, BroughtPatient: true, Age: &age},
		Patient:      fhir.PatientFacts{Statuses: []checkin.Status{checkin.Married}, LacksCapacity: true, Present: &no},
		Guardians:    []fhir.GuardianFact{{Reference: "Organization/dfps", Role: checkin.RoleAgency}},
		Restrictions: []checkin.Restriction{{Person: "RelatedPerson/luis", Covers: []checkin.Action{checkin.PickUp}, Source: "court_order", ValidUntil: "2027-01-01"}},
		Designations: []checkin.Designation{{Person: "RelatedPerson/rosa", Covers: []checkin.Action{checkin.DiscussCare}}},
		Desk: checkin.Desk{VerbalConsent: []checkin.VerbalConsent{{From: "RelatedPerson/ana", Covers: []checkin.Action{checkin.ConsentSick}, Witness: "RN Diaz"}},
			GuardianUnreachable: true, PatientAgrees: true},
		Requested: []checkin.Action{checkin.Accompany},
	}
	assert.True(t, want.At.Equal(f.At))
	f.At = want.At
	assert.Equal(t, want, f)

	many := func(n int, item string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
	}
	tests := []struct{ json, path, words string }{
		{`{"at": "2026-12-02", "companion": {}, "requested": []}`, "facts.at", "RFC 3339"},
		{`{"jurisdiction": "US-TX", "companion": {}, "requested": []}`, "facts.at", "required"},
		{`{"at": null}`, "facts.at", "null"},
		{`{"companion": {"Age": 3}}`, "facts.companion.Age", `"age"`},
		{`{"companion": {"age": "34"}}`, "facts.companion.age", "not a number"},
		{`{"companion": {"age": 3, "age": 4}}`, "facts.companion.age", "twice"},
		{`{"companion": {"relationship": "aunt_uncle"}}`, "facts.companion.relationship", "not a field"},
		{`{"records": {}}`, "facts.records", "not a field"},
		{`{"bundle": {}}`, "facts.bundle", "not a field"},
		{`{"practice": ""}`, "facts.practice", "empty"},
		{`{"jurisdiction": "` + strings.Repeat("x", 201) + `"}`, "facts.jurisdiction", "201 characters"},
		{`{"restrictions": [{"person": "p", "covers": ` + many(12, `"accompany"`) + `}]}`, "facts.restrictions[0].covers", "at most 11"},
		{`{"guardians": ` + many(51, `{"reference": "Organization/a", "role": "agency"}`) + `}`, "facts.guardians", "at most 50"},
		{`{"desk": {"verbal_consent": ` + many(51, `{"from": "a", "covers": ["*"]}`) + `}}`, "facts.desk.verbal_consent", "at most 50"},
		{`{"designations": ` + many(51, `{"person": "a", "covers": ["*"]}`) + `}`, "facts.designations", "at most 50"},
		{`[]`, "facts", "not an object"},
		{`{"at": "2026-12-02T09:30:00Z"} {}`, "facts", "more than one"},
	}
	for _, tc := range tests {
		_, err := fhir.ParseFacts([]byte(tc.json))
		requireIssue(t, err, tc.path, tc.words)
	}
	_, err = fhir.ParseFacts(make([]byte, checkin.MaxRequestBytes+1))
	requireIssue(t, err, "", "at most")
	_, _, err = fhir.ParseCheckIn([]byte(`{"at": "2026-12-02T09:30:00Z"}`))
	requireIssue(t, err, "bundle", "required")
}

// TestFactsGuardians: facts.guardians replace the inferred guardians, for an
// agency not among the resources, and are checked like the rest.
func TestFactsGuardians(t *testing.T) {
	t.Parallel()
	b := load(t, "lopez.json")
	b["guardians"] = []any{map[string]any{"reference": "Organization/dfps", "role": "agency"}}
	req, err := mapBody(t, b)
	require.NoError(t, err)
	assert.Equal(t, []checkin.Guardian{{Person: "Organization/dfps", Role: checkin.RoleAgency}}, req.Records.Guardians)

	b["guardians"] = []any{}
	req, err = mapBody(t, b)
	require.NoError(t, err)
	assert.Empty(t, req.Records.Guardians, "an empty list says there are none")

	for _, tc := range []struct {
		guardian   map[string]any
		path, word string
	}{
		{map[string]any{"reference": "RelatedPerson/nobody", "role": "parent"}, "facts.guardians[0].reference", "not among"},
		{map[string]any{"reference": "mom", "role": "parent"}, "facts.guardians[0].reference", "relative reference"},
		{map[string]any{"reference": "RelatedPerson/ana", "role": "mother"}, "facts.guardians[0]", `"mother"`},
	} {
		b["guardians"] = []any{tc.guardian}
		_, err = mapBody(t, b)
		requireIssue(t, err, tc.path, tc.word)
	}
}

// TestRequestFromGo maps Facts built in Go, not JSON.
func TestRequestFromGo(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/hl7/Patient-example.json")
	require.NoError(t, err)
	res, err := fhir.ParseBundle(data)
	require.NoError(t, err)
	_, err = fhir.Request(res, fhir.Facts{})
	requireIssue(t, err, "facts.at", "required")
	_, err = fhir.Request(res, fhir.Facts{At: time.Now(), Jurisdiction: "US-TX", Requested: []checkin.Action{checkin.Accompany}})
	requireIssue(t, err, "facts.companion.reference", "Patient/example")
	_, err = fhir.Request(res, fhir.Facts{At: time.Now(), Jurisdiction: "US-TX",
		Companion: fhir.CompanionFacts{Reference: "Patient/example"}, Requested: []checkin.Action{"dance"}})
	requireIssue(t, err, "facts.requested[0]", `"dance"`)
	_, err = fhir.Request(fhir.Resources{}, fhir.Facts{At: time.Now()})
	requireIssue(t, err, "Bundle.entry", "no Patient")
}

// TestOperationOutcome renders errors as FHIR R4 OperationOutcomes.
func TestOperationOutcome(t *testing.T) {
	t.Parallel()
	b := load(t, "lopez.json")
	set(b.resource(t, "Patient/jamie"), "birthDate", "2019")
	set(b.resource(t, "RelatedPerson/maria"), "relationship", []any{concept(coding(roleCode, "TIA"))})
	_, err := mapBody(t, b)
	require.Error(t, err)
	data, err := json.Marshal(fhir.OperationOutcome(err))
	require.NoError(t, err)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(data, &raw))
	assert.Equal(t, "OperationOutcome", raw["resourceType"])
	oo, err := models.UnmarshalOperationOutcome(data)
	require.NoError(t, err)
	require.Len(t, oo.Issue, 2)
	for _, is := range oo.Issue {
		assert.Equal(t, models.IssueSeverityError, is.Severity)
		require.NotNil(t, is.Diagnostics)
		require.Len(t, is.Expression, 1)
	}
	assert.Equal(t, models.IssueTypeValue, oo.Issue[0].Code)
	assert.Equal(t, []string{"Patient/jamie.birthDate"}, oo.Issue[0].Expression)
	assert.Equal(t, models.IssueTypeCodeInvalid, oo.Issue[1].Code)
	assert.Equal(t, []string{"RelatedPerson/maria.relationship[0].coding[0]"}, oo.Issue[1].Expression)
	assert.Contains(t, *oo.Issue[1].Diagnostics, "TIA")

	ve := &checkin.ValidationError{Problems: []checkin.Problem{{Field: "companion.age", Problem: "is required"}}}
	oo = fhir.OperationOutcome(fmt.Errorf("wrapped: %w", ve))
	require.Len(t, oo.Issue, 1)
	assert.Equal(t, models.IssueTypeInvalid, oo.Issue[0].Code)
	assert.Equal(t, []string{"companion.age"}, oo.Issue[0].Expression)

	oo = fhir.OperationOutcome(errors.New("the policy did not load"))
	require.Len(t, oo.Issue, 1)
	assert.Equal(t, models.IssueTypeException, oo.Issue[0].Code)
	assert.Nil(t, oo.Issue[0].Expression)

	oo = fhir.OperationOutcome(nil)
	require.Len(t, oo.Issue, 1, "an OperationOutcome has at least one issue")
	assert.Equal(t, models.IssueSeverityInformation, oo.Issue[0].Severity)
}

// FuzzParseCheckIn: no input makes parsing, mapping or rendering the
// outcome panic, and whatever maps is a valid request. The seed corpus runs
// in every go test.
func FuzzParseCheckIn(f *testing.F) {
	files, _ := filepath.Glob("testdata/checkins/*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	examples, _ := filepath.Glob("testdata/hl7/*-*.json")
	var entries []string
	for _, name := range examples {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		entries = append(entries, `{"resource": `+string(data)+`}`)
		f.Add([]byte(`{"at": "2026-12-02T09:30:00Z", "jurisdiction": "US-TX", "companion": {"reference": "Patient/example", "age": 40},
			"requested": ["accompany"], "bundle": {"resourceType": "Bundle", "entry": [` + entries[len(entries)-1] + `]}}`))
	}
	f.Add([]byte(`{"at": "2026-12-02T09:30:00Z", "bundle": {"resourceType": "Bundle", "entry": [` + strings.Join(entries, ",") + `]}}`))
	f.Add([]byte(`{"bundle": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Consent", "id": "c", "status": null}}]}}`))
	f.Add([]byte(`{"bundle": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Consent", "id": "c", "provision": {"provision": [{"provision": [{}]}]}}}]}}`))
	f.Add([]byte(`{"bundle": [1, 2], "at": 5}`))
	f.Add([]byte(`{"bundle": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Bundle", "entry": [{}]}}]}}`))
	f.Add([]byte(`{"bundle": {"resourceType": "Patient", "id": "p", "birthDate": "2019-02-30"}, "at": "2026-12-02T09:30:00Z", "companion": {"reference": "Patient/p"}}`))
	f.Add([]byte(`nul`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, facts, err := fhir.ParseCheckIn(data)
		if err != nil {
			checkOutcome(t, err)
			return
		}
		req, err := fhir.Request(res, facts)
		if err != nil {
			checkOutcome(t, err)
			return
		}
		if err := req.Validate(); err != nil {
			t.Fatalf("a mapped request that is not valid: %v", err)
		}
	})
}

func checkOutcome(t *testing.T, err error) {
	var fe *fhir.Error
	if !errors.As(err, &fe) || len(fe.Issues) == 0 {
		t.Fatalf("not a *fhir.Error with issues: %v", err)
	}
	if _, err := json.Marshal(fhir.OperationOutcome(err)); err != nil {
		t.Fatal(err)
	}
}
