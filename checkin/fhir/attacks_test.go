package fhir_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/frontdesk-policy/frontdesk/checkin"
	"github.com/frontdesk-policy/frontdesk/checkin/fhir"
)

// TestAttacksRefused are inputs that could make the mapping allow more than
// the FHIR says, or read it otherwise than a FHIR server would: each is an
// error at its path, and nothing is decided.
func TestAttacksRefused(t *testing.T) {
	t.Parallel()
	proxy := func(t *testing.T, b body) map[string]any { return b.resource(t, "Consent/proxy-1") }
	tests := []struct {
		name   string
		change func(t *testing.T, b body)
		path   string
		words  []string
	}{{
		name: "a deny inside a research Consent, which maps to no document",
		change: func(t *testing.T, b body) {
			b.add(consent("study", "active", "research", "RelatedPerson/ana", map[string]any{
				"type": "permit", "provision": []any{map[string]any{"type": "deny", "actor": actor("RelatedPerson/luis")}},
			}))
		},
		path: "Consent/study.provision", words: []string{"deny provision", "facts.restrictions"},
	}, {
		name: "a deny in an advance directive that delegates nothing (a DNR)",
		change: func(t *testing.T, b body) {
			c := consent("dnr", "active", "adr", "RelatedPerson/ana", map[string]any{"type": "deny", "actor": actor("RelatedPerson/luis")})
			c["category"] = []any{map[string]any{"coding": []any{coding("http://terminology.hl7.org/CodeSystem/consentcategorycodes", "dnr")}}}
			b.add(c)
		},
		path: "Consent/dnr.provision", words: []string{"deny provision"},
	}, {
		name: "a permit nested in a deny: an exception to a restriction",
		change: func(t *testing.T, b body) {
			b.add(consent("deny-but", "active", "treatment", "RelatedPerson/ana", map[string]any{
				"type": "deny", "actor": actor("RelatedPerson/luis"),
				"provision": []any{map[string]any{"type": "permit", "action": actions("pick_up")}},
			}))
		},
		path: "Consent/deny-but.provision.provision[0]", words: []string{"permit inside a deny"},
	}, {
		name: "provisions nested three deep",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.provision", []any{map[string]any{
				"type": "deny", "action": actions("consent_sick"),
				"provision": []any{map[string]any{"type": "deny", "action": actions("accompany")}},
			}})
		},
		path: "Consent/proxy-1.provision.provision[0].provision[0]", words: []string{"nested"},
	}, {
		name: "a permit limited to a class of data",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.class", []any{map[string]any{"system": "http://hl7.org/fhir/resource-types", "code": "Immunization"}})
		},
		path: "Consent/proxy-1.provision.class", words: []string{"cannot be represented"},
	}, {
		name: "a permit limited to a purpose",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.purpose", []any{coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT")})
		},
		path: "Consent/proxy-1.provision.purpose",
	}, {
		name: "a deny limited to some data",
		change: func(t *testing.T, b body) {
			b.add(consent("some", "active", "patient-privacy", "RelatedPerson/ana", map[string]any{
				"type": "deny", "actor": actor("RelatedPerson/maria"),
				"data": []any{map[string]any{"meaning": "instance", "reference": ref("Observation/x")}},
			}))
		},
		path: "Consent/some.provision.data",
	}, {
		name: "a permit limited by provision.code to content",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.code", []any{concept(coding("http://loinc.org", "34133-9"))})
		},
		path: "Consent/proxy-1.provision.code[0].coding[0]",
	}, {
		name: "an action code no one maps",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.action", []any{concept(coding("https://github.com/frontdesk-policy/frontdesk/fhir/CodeSystem/action", "everything"))})
		},
		path: "Consent/proxy-1.provision.action[0].coding[0]", words: []string{"everything"},
	}, {
		name: "a Consent without a status (the model would read draft)",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "status", nil)
		},
		path: "Consent/proxy-1.status", words: []string{"required"},
	}, {
		name: "a status in another case",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "status", "Active")
		},
		path: "Consent/proxy-1", words: []string{"Active"},
	}, {
		name: "a key in another case (Go would read it as the element)",
		change: func(t *testing.T, b body) {
			c := proxy(t, b)
			c["Provision"] = c["provision"]
			delete(c, "provision")
		},
		path: "Consent/proxy-1.Provision", words: []string{`"provision"`},
	}, {
		name: "a modifierExtension",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.modifierExtension", []any{map[string]any{"url": "https://x.example/not", "valueBoolean": true}})
		},
		path: "Consent/proxy-1.provision.modifierExtension", words: []string{"meaning"},
	}, {
		name: "a null in a resource",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "active", nil)
			b.resource(t, "RelatedPerson/maria")["active"] = nil
		},
		path: "RelatedPerson/maria.active", words: []string{"null"},
	}, {
		name: "the same resource twice with different content",
		change: func(t *testing.T, b body) {
			c := clone(proxy(t, b))
			set(c, "provision.action", actions("accompany", "consent_sick", "consent_procedure"))
			b.add(c)
		},
		path: "Consent/proxy-1", words: []string{"twice", "different"},
	}, {
		name: "a Consent of another patient",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "patient.reference", "Patient/other")
		},
		path: "Consent/proxy-1.patient", words: []string{"Patient/other"},
	}, {
		name: "a Consent naming no patient",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "patient", nil)
		},
		path: "Consent/proxy-1.patient", words: []string{"required"},
	}, {
		name: "a grant to another patient's RelatedPerson",
		change: func(t *testing.T, b body) {
			other := relatedPerson("stranger", "FRND", "1990-01-01")
			set(other, "patient.reference", "Patient/other")
			b.add(other)
			set(proxy(t, b), "provision.actor[0].reference.reference", "RelatedPerson/stranger")
		},
		path: "RelatedPerson/stranger.patient", words: []string{"Patient/other"},
	}, {
		name: "a Consent performed by an Organization no guardian names",
		change: func(t *testing.T, b body) {
			b.add(map[string]any{"resourceType": "Organization", "id": "agency", "name": "Agency"})
			set(proxy(t, b), "performer", []any{ref("Organization/agency")})
		},
		path: "Consent/proxy-1.performer[0]", words: []string{"Organization"},
	}, {
		name: "a refusal by someone not a guardian",
		change: func(t *testing.T, b body) {
			b.add(consent("rosa-says-no", "active", "treatment", "RelatedPerson/rosa",
				map[string]any{"type": "deny", "action": actions("consent_vaccine")}))
		},
		path: "Consent/rosa-says-no.provision", words: []string{"not a guardian"},
	}, {
		name: "a refusal naming no performer",
		change: func(t *testing.T, b body) {
			b.add(consent("no-one", "active", "treatment", "", map[string]any{"type": "deny", "action": actions("consent_vaccine")}))
		},
		path: "Consent/no-one.performer", words: []string{"required"},
	}, {
		name: "an absolute reference",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.actor[0].reference.reference", "https://ehr.example/fhir/RelatedPerson/maria")
		},
		path: "Consent/proxy-1.provision.actor[0].reference", words: []string{"relative reference"},
	}, {
		name: "a category saying proxy on a privacy Consent",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "scope", concept(coding(scopeSystem, "patient-privacy")))
		},
		path: "Consent/proxy-1.scope", words: []string{"proxy_authorization"},
	}, {
		name: "two scopes",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "scope", concept(coding(scopeSystem, "treatment"), coding(scopeSystem, "research")))
		},
		path: "Consent/proxy-1.scope.coding[1]", words: []string{"research"},
	}, {
		name: "an unknown scope",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "scope", concept(coding(scopeSystem, "everything")))
		},
		path: "Consent/proxy-1.scope", words: []string{"everything"},
	}, {
		name: "a partial period",
		change: func(t *testing.T, b body) {
			set(proxy(t, b), "provision.period.end", "2027")
		},
		path: "Consent/proxy-1.provision.period.end", words: []string{`"2027"`},
	}, {
		name: "the aunt coded ONESELF",
		change: func(t *testing.T, b body) {
			set(b.resource(t, "RelatedPerson/maria"), "relationship", []any{concept(coding(roleCode, "ONESELF"))})
		},
		path: "RelatedPerson/maria.relationship", words: []string{"self"},
	}, {
		name: "a Bundle inside a Bundle",
		change: func(t *testing.T, b body) {
			b.add(map[string]any{"resourceType": "Bundle", "type": "collection", "entry": []any{}})
		},
		path: "Bundle.entry[6].resource.Bundle", words: []string{"Bundle inside a Bundle"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := load(t, "lopez.json")
			tc.change(t, b)
			req, err := mapBody(t, b)
			requireIssue(t, err, tc.path, tc.words...)
			assert.Zero(t, req)
		})
	}
}

// TestAttacksHeld are inputs whose FHIR says less than it might seem to: the
// mapping grants what it says and no more.
func TestAttacksHeld(t *testing.T) {
	t.Parallel()
	t.Run("a nested deny on the father inside a permit to the aunt restricts him", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		set(b.resource(t, "Consent/proxy-1"), "provision.provision", []any{
			map[string]any{"type": "deny", "actor": actor("RelatedPerson/luis"), "action": actions("pick_up")},
		})
		companion(b, "RelatedPerson/luis")
		b["requested"] = []any{"pick_up", "consent_sick"}
		req, d := decide(t, b)
		require.Len(t, req.Records.Restrictions, 1)
		// Within the permit's period, as the exception it is.
		assert.Equal(t, checkin.Restriction{Person: "RelatedPerson/luis", Covers: []checkin.Action{checkin.PickUp}, Source: "practice_flag", ValidUntil: "2027-08-31"}, req.Records.Restrictions[0])
		assert.Equal(t, checkin.CodeRestrictedByOrder, d.Actions[checkin.PickUp].Basis)
		assert.Equal(t, checkin.CodeGuardian, d.Actions[checkin.ConsentSick].Basis)
	})
	t.Run("a deny of an entered-in-error or draft Consent never took effect", func(t *testing.T) {
		t.Parallel()
		for _, status := range []string{"entered-in-error", "draft", "proposed", "rejected"} {
			b := load(t, "lopez.json")
			b.add(consent("no-dad", status, "treatment", "RelatedPerson/ana",
				map[string]any{"type": "deny", "actor": actor("RelatedPerson/luis")}))
			req, err := mapBody(t, b)
			require.NoError(t, err, status)
			assert.Empty(t, req.Records.Restrictions, status)
		}
	})
	t.Run("a draft proxy grants nothing", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		set(b.resource(t, "Consent/proxy-1"), "status", "draft")
		req, d := decide(t, b)
		assert.Empty(t, req.Records.Documents)
		assert.Equal(t, checkin.Deny, d.Actions[checkin.ConsentSick].Verdict)
	})
	t.Run("a deny starting tomorrow does not restrict today, one ending tonight still does", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		b.add(consent("later", "active", "treatment", "RelatedPerson/ana",
			map[string]any{"type": "deny", "actor": actor("RelatedPerson/luis"), "period": map[string]any{"start": "2026-12-03"}}))
		b.add(consent("tonight", "active", "treatment", "RelatedPerson/ana",
			map[string]any{"type": "deny", "actor": actor("RelatedPerson/rosa"), "period": map[string]any{"end": "2026-12-02T20:00:00-06:00"}}))
		req, err := mapBody(t, b)
		require.NoError(t, err)
		assert.Equal(t, []checkin.Restriction{{Person: "RelatedPerson/rosa", Covers: []checkin.Action{checkin.AllActions}, Source: "practice_flag", ValidUntil: "2026-12-02"}}, req.Records.Restrictions)
	})
	t.Run("the aunt's privacy Consent to herself is not from a guardian", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		b.add(consent("self-granted", "active", "patient-privacy", "RelatedPerson/maria",
			map[string]any{"type": "permit", "actor": actor("RelatedPerson/maria")}))
		b["requested"] = []any{"receive_records"}
		_, d := decide(t, b)
		assert.Equal(t, checkin.Deny, d.Actions[checkin.ReceiveRecords].Verdict, show(d))
	})
	t.Run("a permit only to the custodian grants no person anything", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		b.add(map[string]any{"resourceType": "Organization", "id": "clinic"})
		b.add(consent("custodian", "active", "patient-privacy", "RelatedPerson/ana", map[string]any{
			"type": "permit", "actor": []any{map[string]any{
				"role":      concept(coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "CST")),
				"reference": ref("Organization/clinic")}},
		}))
		req, err := mapBody(t, b)
		require.NoError(t, err)
		assert.Len(t, req.Records.Documents, 1, "only the proxy")
	})
	t.Run("a permit of collect and use only is none of the contract's actions", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		set(b.resource(t, "Consent/proxy-1"), "provision.action", []any{concept(
			coding("http://terminology.hl7.org/CodeSystem/consentaction", "collect"),
			coding("http://terminology.hl7.org/CodeSystem/consentaction", "use"))})
		req, err := mapBody(t, b)
		require.NoError(t, err)
		assert.Empty(t, req.Records.Documents)
	})
	t.Run("an inactive mother is no guardian, and her refusal then is an error", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		set(b.resource(t, "RelatedPerson/ana"), "active", false)
		req, err := mapBody(t, b)
		require.NoError(t, err)
		assert.Equal(t, []checkin.Guardian{{Person: "RelatedPerson/luis", Name: "Luis Ramos", Role: checkin.RoleParent}}, req.Records.Guardians)
		b.add(consent("no-vaccines", "active", "treatment", "RelatedPerson/ana",
			map[string]any{"type": "deny", "action": actions("consent_vaccine")}))
		_, err = mapBody(t, b)
		requireIssue(t, err, "Consent/no-vaccines.provision", "not a guardian")
	})
	t.Run("one Consent to two actors: a document each", func(t *testing.T) {
		t.Parallel()
		b := load(t, "lopez.json")
		set(b.resource(t, "Consent/proxy-1"), "provision.actor[1]", map[string]any{"reference": ref("RelatedPerson/rosa")})
		req, err := mapBody(t, b)
		require.NoError(t, err)
		require.Len(t, req.Records.Documents, 2)
		assert.Equal(t, "Consent/proxy-1#1", req.Records.Documents[0].ID)
		assert.Equal(t, "RelatedPerson/maria", req.Records.Documents[0].Grantee)
		assert.Equal(t, "Consent/proxy-1#2", req.Records.Documents[1].ID)
		assert.Equal(t, "RelatedPerson/rosa", req.Records.Documents[1].Grantee)
	})
}

// TestAdultPatient maps an adult patient's own privacy Consent: a
// designation while in force, and a HIPAA authorization kept with its dates
// and revocation.
func TestAdultPatient(t *testing.T) {
	t.Parallel()
	build := func(status string) body {
		b := load(t, "chalmers-self.json")
		b.add(readJSON(t, "hl7/Patient-example.json"))
		b.add(readJSON(t, "hl7/RelatedPerson-benedicte.json"))
		c := consent("share", status, "patient-privacy", "Patient/example",
			map[string]any{"type": "permit", "actor": actor("RelatedPerson/benedicte"), "period": map[string]any{"start": "2026-01-01"}})
		set(c, "patient.reference", "Patient/example")
		b.add(c)
		b["companion"] = map[string]any{"reference": "RelatedPerson/benedicte", "age": 50}
		b["patient"] = map[string]any{"present": false}
		b["requested"] = []any{"discuss_care", "receive_records", "consent_sick"}
		return b
	}
	req, d := decide(t, build("active"))
	assert.Equal(t, []checkin.Designation{{Person: "RelatedPerson/benedicte", Covers: []checkin.Action{checkin.DiscussCare, checkin.ReceiveRecords, checkin.SchoolNote}}}, req.Records.Designations)
	require.Len(t, req.Records.Documents, 1)
	assert.Equal(t, checkin.Document{ID: "Consent/share", Kind: checkin.HIPAAAuthorization, GrantedBy: "Patient/example",
		Grantee: "RelatedPerson/benedicte", ValidFrom: "2026-01-01", SignedOn: "2026-10-01"}, req.Records.Documents[0])
	assert.Equal(t, checkin.CodePatientDesignation, d.Actions[checkin.DiscussCare].Basis, show(d))
	assert.Equal(t, checkin.CodePatientDesignation, d.Actions[checkin.ReceiveRecords].Basis, show(d))
	assert.Equal(t, checkin.CodePatientDecides, d.Actions[checkin.ConsentSick].Basis, show(d))

	req, d = decide(t, build("inactive"))
	assert.Empty(t, req.Records.Designations, "a revoked Consent designates no one")
	require.Len(t, req.Records.Documents, 1)
	assert.True(t, req.Records.Documents[0].Revoked)
	assert.Equal(t, checkin.Deny, d.Actions[checkin.DiscussCare].Verdict, show(d))
	assert.Equal(t, checkin.Deny, d.Actions[checkin.ReceiveRecords].Verdict, show(d))
}

// TestResourcesAdd reads resources one by one, as a CDS Hooks prefetch holds
// them, and refuses what is not a resource.
func TestResourcesAdd(t *testing.T) {
	t.Parallel()
	b := load(t, "lopez.json")
	var res fhir.Resources
	var rps []any
	for _, e := range b.entries() {
		r := e.(map[string]any)["resource"].(map[string]any)
		data, err := json.Marshal(r)
		require.NoError(t, err)
		switch r["resourceType"] {
		case "RelatedPerson":
			rps = append(rps, map[string]any{"resource": r, "search": map[string]any{"mode": "match"}})
		default:
			require.NoError(t, res.Add(data))
		}
	}
	searchset, err := json.Marshal(map[string]any{"resourceType": "Bundle", "type": "searchset", "total": len(rps), "entry": rps})
	require.NoError(t, err)
	require.NoError(t, res.Add(searchset))
	require.NoError(t, res.Add(searchset), "the same resources again are the same")
	assert.Equal(t, 6, res.Len())
	assert.Equal(t, []string{"Patient/jamie", "Consent/proxy-1", "RelatedPerson/ana", "RelatedPerson/luis", "RelatedPerson/maria", "RelatedPerson/rosa"}, res.References())
	f, err := fhir.ParseFacts([]byte(`{"at": "2026-12-02T09:30:00-06:00", "jurisdiction": "US-TX", "companion": {"reference": "RelatedPerson/maria"}, "requested": ["consent_sick"]}`))
	require.NoError(t, err)
	req, err := fhir.Request(res, f)
	require.NoError(t, err)
	assert.Equal(t, "RelatedPerson/maria", req.Records.Documents[0].Grantee)

	for _, tc := range []struct{ json, path, words string }{
		{`[]`, "", "not a JSON object"},
		{`{"resourceType": "Patient", "id": "a"`, "", "not valid JSON"},
		{`{"id": "a"}`, "resourceType", "resourceType"},
		{`{"resourceType": "patient", "id": "a"}`, "resourceType", "resourceType"},
		{`{"resourceType": "Patient"}`, "id", "no id"},
		{`{"resourceType": "Patient", "id": "a/b"}`, "id", "not a FHIR id"},
		{`{"resourceType": "Patient", "id": 7}`, "id", "not a FHIR id"},
		{`{"resourceType": "Patient", "id": "a", "birthDate": "2019-01-01", "birthDate": "2001-01-01"}`, "Patient/a.birthDate", "twice"},
		{`{"resourceType": "Patient", "id": "a", "BirthDate": "2019-01-01"}`, "Patient/a.BirthDate", "birthDate"},
		{`{"resourceType": "Patient", "id": "a", "name": {"text": "x"}}`, "Patient/a.name", "not a list"},
		{`{"resourceType": "Patient", "id": "a", "active": "yes"}`, "Patient/a.active", "not true or false"},
		{`{"resourceType": "Patient", "id": "a"} {}`, "", "not valid JSON"},
		{`{"resourceType": "Bundle", "entry": [{"fullUrl": "x"}]}`, "Bundle.entry[0].resource", "no resource"},
		{`{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}]}`, "Bundle.entry[0].resource.id", "no id"},
		{`{"resourceType": "Consent", "id": "c", "status": "final"}`, "Consent/c", "final"},
		{`{"resourceType": "Organization", "id": "o", "name": null}`, "Organization/o.name", "null"},
		{`{"resourceType": "Patient", "id": "a", "extension": [` + strings.Repeat(`{"extension": [`, 70) + strings.Repeat(`]}`, 70) + `]}`, "Patient/a", "nested"},
	} {
		var r fhir.Resources
		err := r.Add([]byte(tc.json))
		requireIssue(t, err, tc.path, tc.words)
		assert.Zero(t, r.Len(), "a failed Add adds nothing")
	}

	var r fhir.Resources
	var many []any
	for i := range fhir.MaxResources + 1 {
		many = append(many, map[string]any{"resource": map[string]any{"resourceType": "Basic", "id": strings.Repeat("b", 1+i%60) + string(rune('a'+i/60))}})
	}
	data, err := json.Marshal(map[string]any{"resourceType": "Bundle", "entry": many})
	require.NoError(t, err)
	requireIssue(t, r.Add(data), "Bundle.entry", "at most 500")
	requireIssue(t, r.Add(make([]byte, fhir.MaxResourceBytes+1)), "", "at most")
}

// TestNullCodes: a code given as null is not left out (the model would read
// a null provision.type as no type at all).
func TestNullCodes(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"provision.type", "status"} {
		b := load(t, "lopez.json")
		set(b.resource(t, "Consent/proxy-1"), path, "x")
		data := strings.Replace(string(b.bytes(t)), `"x"`, "null", 1)
		_, _, err := fhir.ParseCheckIn([]byte(data))
		requireIssue(t, err, "Consent/proxy-1."+path, "null")
	}
	b := load(t, "lopez.json")
	set(b.resource(t, "Consent/proxy-1"), "provision.type", 1)
	_, _, err := fhir.ParseCheckIn(b.bytes(t))
	requireIssue(t, err, "Consent/proxy-1.provision.type", "not a code")
}
