package fhir_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
)

// ref is a FHIR Reference.
func ref(r string) map[string]any { return map[string]any{"reference": r} }

func coding(system, code string) map[string]any {
	return map[string]any{"system": system, "code": code}
}

func concept(codings ...map[string]any) map[string]any {
	list := make([]any, len(codings))
	for i, c := range codings {
		list[i] = c
	}
	return map[string]any{"coding": list}
}

func actions(names ...string) []any {
	var cs []map[string]any
	for _, n := range names {
		cs = append(cs, coding("https://github.com/frontdesk-policy/frontdesk/fhir/CodeSystem/action", n))
	}
	return []any{concept(cs...)}
}

// consent is a Consent of the patient jamie performed by performer, with
// the given scope and provision.
func consent(id, status, scope, performer string, provision map[string]any) map[string]any {
	c := map[string]any{
		"resourceType": "Consent", "id": id, "status": status,
		"scope":    concept(coding(scopeSystem, scope)),
		"category": []any{concept(coding("http://loinc.org", "59284-0"))},
		"patient":  ref("Patient/jamie"),
		"dateTime": "2026-10-01",
	}
	if performer != "" {
		c["performer"] = []any{ref(performer)}
	}
	if provision != nil {
		c["provision"] = provision
	}
	return c
}

func actor(r string) []any { return []any{map[string]any{"reference": ref(r)}} }

// relatedPerson is a RelatedPerson of jamie with RoleCode code.
func relatedPerson(id, code, birthDate string) map[string]any {
	r := map[string]any{
		"resourceType": "RelatedPerson", "id": id, "active": true,
		"patient":      ref("Patient/jamie"),
		"relationship": []any{concept(coding(roleCode, code))},
		"name":         []any{map[string]any{"given": []any{id}, "family": "Lopez"}},
	}
	if birthDate != "" {
		r["birthDate"] = birthDate
	}
	return r
}

func companion(b body, reference string) body {
	b["companion"] = map[string]any{"reference": reference, "identity": "photo_id", "brought_patient": true}
	return b
}

// want is what a check-in decides for one action: a verdict and basis, and
// reason codes among its reasons.
type want struct {
	verdict checkin.Verdict
	basis   checkin.Code
	reasons []string
}

// TestCheckIns decides check-ins written for real front-desk situations, end
// to end: FHIR in, the default policy's decision out.
func TestCheckIns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, b body)
		want   map[checkin.Action]want
	}{{
		name: "the aunt with a proxy Consent from the mother",
		want: map[checkin.Action]want{
			checkin.Accompany:   {checkin.Allow, checkin.CodeProxyAuthorization, nil},
			checkin.ConsentSick: {checkin.Allow, checkin.CodeProxyAuthorization, nil},
		},
	}, {
		name: "the same Consent, inactive: revoked",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "status", "inactive")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeDocumentRevoked, []string{"DOCUMENT_REVOKED"}},
		},
	}, {
		name: "the same Consent, rejected: it never took effect, the aunt holds nothing by it",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "status", "rejected")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeNoAuthority, nil},
		},
	}, {
		name: "the same Consent, ended before the visit: expired",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "provision.period.end", "2026-11-30")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeDocumentExpired, nil},
		},
	}, {
		name: "the same Consent, ended an hour before the visit on its day: expired, not valid to the end of the day",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "provision.period.end", "2026-12-02T08:30:00-06:00")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeDocumentExpired, nil},
		},
	}, {
		name: "the same Consent, starting later on the visit's day: not yet valid",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "provision.period.start", "2026-12-02T17:00:00-06:00")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeDocumentNotYetValid, nil},
		},
	}, {
		name: "a proxy Consent performed by the grandmother, who is not a guardian",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "performer", []any{ref("RelatedPerson/rosa")})
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeDocumentNotFromGuardian, nil},
		},
	}, {
		name: "the mother's deny provision on the father: restricted",
		change: func(t *testing.T, b body) {
			b.add(consent("no-dad", "active", "treatment", "RelatedPerson/ana",
				map[string]any{"type": "deny", "actor": actor("RelatedPerson/luis")}))
			companion(b, "RelatedPerson/luis")
		},
		want: map[checkin.Action]want{
			checkin.Accompany:   {checkin.Deny, checkin.CodeRestrictedByOrder, nil},
			checkin.ConsentSick: {checkin.Deny, checkin.CodeRestrictedByOrder, nil},
		},
	}, {
		name: "a deny provision on the father that has ended: he decides as a parent",
		change: func(t *testing.T, b body) {
			b.add(consent("no-dad", "active", "treatment", "RelatedPerson/ana",
				map[string]any{"type": "deny", "actor": actor("RelatedPerson/luis"), "period": map[string]any{"end": "2026-06-30"}}))
			companion(b, "RelatedPerson/luis")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Allow, checkin.CodeGuardian, nil},
		},
	}, {
		name: "a privacy deny on the aunt bars information only",
		change: func(t *testing.T, b body) {
			b.add(consent("no-info", "active", "patient-privacy", "RelatedPerson/ana",
				map[string]any{"type": "deny", "actor": actor("RelatedPerson/maria")}))
			b["requested"] = []any{"consent_sick", "discuss_care"}
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Allow, checkin.CodeProxyAuthorization, nil},
			checkin.DiscussCare: {checkin.Deny, checkin.CodeRestrictedByOrder, nil},
		},
	}, {
		name: "a deny nested in the proxy permit bars the aunt from what it names",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "provision.provision", []any{
				map[string]any{"type": "deny", "action": actions("consent_sick")},
			})
		},
		want: map[checkin.Action]want{
			checkin.Accompany:   {checkin.Allow, checkin.CodeProxyAuthorization, nil},
			checkin.ConsentSick: {checkin.Deny, checkin.CodeRestrictedByOrder, nil},
		},
	}, {
		name: "a guardian's refusal: a deny naming no actor, performed by the mother",
		change: func(t *testing.T, b body) {
			b.add(consent("no-vaccines", "active", "treatment", "RelatedPerson/ana",
				map[string]any{"type": "deny", "action": actions("consent_vaccine")}))
			set(b.resource(t, "Consent/proxy-1"), "provision.action", actions("consent_sick", "consent_vaccine"))
			b["requested"] = []any{"consent_sick", "consent_vaccine"}
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick:    {checkin.Allow, checkin.CodeProxyAuthorization, nil},
			checkin.ConsentVaccine: {checkin.Deny, checkin.CodeGuardianRefused, nil},
		},
	}, {
		name: "a privacy Consent from the mother to the aunt: a HIPAA authorization",
		change: func(t *testing.T, b body) {
			b.add(consent("hipaa-1", "active", "patient-privacy", "RelatedPerson/ana",
				map[string]any{"type": "permit", "actor": actor("RelatedPerson/maria"),
					"action": []any{concept(coding("http://terminology.hl7.org/CodeSystem/consentaction", "access"))}}))
			b.remove("Consent/proxy-1")
			b["requested"] = []any{"receive_records", "consent_sick"}
		},
		want: map[checkin.Action]want{
			checkin.ReceiveRecords: {checkin.Allow, checkin.CodeHIPAAAuthorization, nil},
			checkin.ConsentSick:    {checkin.Deny, checkin.CodeNoAuthority, nil},
		},
	}, {
		name: "the facts' guardians replace the inferred: the father without legal custody",
		change: func(t *testing.T, b body) {
			b["guardians"] = []any{
				map[string]any{"reference": "RelatedPerson/ana", "role": "parent"},
				map[string]any{"reference": "RelatedPerson/luis", "role": "parent", "legal_custody": false},
			}
			companion(b, "RelatedPerson/luis")
		},
		want: map[checkin.Action]want{
			checkin.Accompany:   {checkin.Allow, checkin.CodeParent, nil},
			checkin.ConsentSick: {checkin.Deny, checkin.CodeNoLegalCustody, nil},
		},
	}, {
		name: "the mother decides as the natural guardian",
		change: func(t *testing.T, b body) {
			companion(b, "RelatedPerson/ana")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Allow, checkin.CodeGuardian, nil},
		},
	}, {
		name: "a stepfather is no guardian by his relationship",
		change: func(t *testing.T, b body) {
			b.add(relatedPerson("tom", "STPFTH", "1985-01-01"))
			companion(b, "RelatedPerson/tom")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeNoAuthority, nil},
		},
	}, {
		name: "a sitter coded with the project's relationship code",
		change: func(t *testing.T, b body) {
			b.add(map[string]any{
				"resourceType": "RelatedPerson", "id": "kim", "patient": ref("Patient/jamie"),
				"relationship": []any{concept(coding("https://github.com/frontdesk-policy/frontdesk/fhir/CodeSystem/relationship", "sitter"))},
				"birthDate":    "2004-02-02",
			})
			companion(b, "RelatedPerson/kim")
		},
		want: map[checkin.Action]want{
			checkin.ConsentSick: {checkin.Deny, checkin.CodeNoAuthority, nil},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := load(t, "lopez.json")
			if tc.change != nil {
				tc.change(t, b)
			}
			_, d := decide(t, b)
			for action, w := range tc.want {
				got, ok := d.Actions[action]
				require.True(t, ok, "no decision for %s: %s", action, show(d))
				assert.Equal(t, w.verdict, got.Verdict, "%s: %s", action, show(d))
				assert.Equal(t, w.basis, got.Basis, "%s: %s", action, show(d))
				for _, r := range w.reasons {
					assert.Contains(t, codes(got.Reasons), r, "%s: %s", action, show(d))
				}
			}
		})
	}
}

// TestCheckInErrors are check-ins nothing may be decided on: each is an
// error naming the resource and path, and what to send instead.
func TestCheckInErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(t *testing.T, b body)
		path   string
		words  []string
	}{{
		name:   "the patient's birth date partial",
		change: func(t *testing.T, b body) { set(b.resource(t, "Patient/jamie"), "birthDate", "2019") },
		path:   "Patient/jamie.birthDate", words: []string{`"2019"`, "YYYY-MM-DD"},
	}, {
		name:   "the patient's birth date missing",
		change: func(t *testing.T, b body) { set(b.resource(t, "Patient/jamie"), "birthDate", nil) },
		path:   "Patient/jamie.birthDate", words: []string{"required"},
	}, {
		name:   "the companion's birth date partial, and no age in the facts",
		change: func(t *testing.T, b body) { set(b.resource(t, "RelatedPerson/maria"), "birthDate", "1963") },
		path:   "RelatedPerson/maria.birthDate", words: []string{`"1963"`, "facts.companion.age"},
	}, {
		name: "the companion's birth date and the facts' age disagree",
		change: func(t *testing.T, b body) {
			set(b, "companion.age", 40)
		},
		path: "facts.companion.age", words: []string{"40", "34"},
	}, {
		name: "neither a birth date nor an age for the companion",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "birthDate", nil)
		},
		path: "RelatedPerson/maria.birthDate", words: []string{"facts.companion.age"},
	}, {
		name: "a Consent whose actor is missing from the bundle",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "provision.actor[0].reference.reference", "RelatedPerson/nobody")
		},
		path: "Consent/proxy-1.provision.actor[0].reference", words: []string{"RelatedPerson/nobody", "not among"},
	}, {
		name: "a resource of the wrong type where a RelatedPerson is expected",
		change: func(t *testing.T, b body) {
			companion(b, "Consent/proxy-1")
		},
		path: "facts.companion.reference", words: []string{"Consent", "RelatedPerson"},
	}, {
		name: "a Consent whose actor is a Consent",
		change: func(t *testing.T, b body) {
			b.add(consent("odd", "active", "treatment", "RelatedPerson/ana",
				map[string]any{"type": "deny", "actor": actor("Consent/proxy-1")}))
		},
		path: "Consent/odd.provision.actor[0].reference", words: []string{"Consent/proxy-1"},
	}, {
		name: "a RelatedPerson of another patient",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "patient.reference", "Patient/someone-else")
		},
		path: "RelatedPerson/maria.patient", words: []string{"Patient/someone-else", "Patient/jamie"},
	}, {
		name: "two Patients",
		change: func(t *testing.T, b body) {
			b.add(map[string]any{"resourceType": "Patient", "id": "twin", "birthDate": "2019-05-10"})
		},
		path: "Patient/twin", words: []string{"one patient"},
	}, {
		name: "no Patient",
		change: func(t *testing.T, b body) {
			b.remove("Patient/jamie")
		},
		path: "Bundle.entry", words: []string{"no Patient"},
	}, {
		name: "an unknown relationship code",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "relationship", []any{concept(coding(roleCode, "TIA"))})
		},
		path: "RelatedPerson/maria.relationship[0].coding[0]", words: []string{"TIA", "AUNT"},
	}, {
		name: "a contact role only",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "relationship", []any{concept(coding(contactRole, "C"))})
		},
		path: "RelatedPerson/maria.relationship", words: []string{"contact role", "C", "MTH", "sitter"},
	}, {
		name: "an inactive companion",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "active", false)
		},
		path: "RelatedPerson/maria.active", words: []string{"no longer current"},
	}, {
		name: "a companion whose relationship period has ended",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "period", map[string]any{"start": "2019-05-10", "end": "2025-01-01"})
		},
		path: "RelatedPerson/maria.period.end", words: []string{"no longer current"},
	}, {
		name: "facts with an unknown key",
		change: func(t *testing.T, b body) {
			b["companions"] = b["companion"]
		},
		path: "facts.companions", words: []string{"not a field"},
	}, {
		name: "facts with a null",
		change: func(t *testing.T, b body) {
			set(b, "companion.age", nil)
			b["companion"].(map[string]any)["age"] = nil
		},
		path: "facts.companion.age", words: []string{"null"},
	}, {
		name: "facts with a case-variant key",
		change: func(t *testing.T, b body) {
			b["Requested"] = b["requested"]
			delete(b, "requested")
		},
		path: "facts.Requested", words: []string{`"requested"`},
	}, {
		name: "facts with too many restrictions",
		change: func(t *testing.T, b body) {
			var list []any
			for range checkin.MaxEntries + 1 {
				list = append(list, map[string]any{"person": "RelatedPerson/luis", "covers": []any{"*"}})
			}
			b["restrictions"] = list
		},
		path: "facts.restrictions", words: []string{"51", "50"},
	}, {
		name: "facts with too many actions requested",
		change: func(t *testing.T, b body) {
			var list []any
			for range checkin.MaxActions + 1 {
				list = append(list, "accompany")
			}
			b["requested"] = list
		},
		path: "facts.requested", words: []string{"12", "11"},
	}, {
		name: "more Consents than the contract's documents",
		change: func(t *testing.T, b body) {
			for i := range checkin.MaxEntries + 1 {
				c := clone(b.resource(t, "Consent/proxy-1"))
				c["id"] = fmt.Sprintf("p%d", i)
				b.add(c)
			}
		},
		path: "records.documents", words: []string{"at most 50"},
	}, {
		name: "a restriction in the facts naming nobody in the bundle",
		change: func(t *testing.T, b body) {
			b["restrictions"] = []any{map[string]any{"person": "RelatedPerson/MARIA", "covers": []any{"*"}}}
		},
		path: "facts.restrictions[0].person", words: []string{"RelatedPerson/MARIA"},
	}, {
		name: "a proxy Consent without actions",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "provision.action", nil)
		},
		path: "Consent/proxy-1.provision.action", words: []string{"required", "consent_sick"},
	}, {
		name: "a proxy Consent without a performer",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "Consent/proxy-1"), "performer", nil)
		},
		path: "Consent/proxy-1.performer", words: []string{"granted_by"},
	}, {
		name: "no at",
		change: func(t *testing.T, b body) {
			delete(b, "at")
		},
		path: "facts.at", words: []string{"required"},
	}, {
		name: "a jurisdiction in lower case",
		change: func(t *testing.T, b body) {
			b["jurisdiction"] = "us-tx"
		},
		path: "facts.jurisdiction", words: []string{"us-tx"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := load(t, "lopez.json")
			tc.change(t, b)
			req, err := mapBody(t, b)
			requireIssue(t, err, tc.path, tc.words...)
			assert.Zero(t, req.Patient.ID, "no request on an error")
		})
	}
}
