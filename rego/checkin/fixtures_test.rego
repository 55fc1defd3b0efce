# Shared fixtures for the check-in tests: a minor and an adult patient's
# requests, the people and documents the tests combine with them, and
# helpers that decide a request and read the codes out of a decision.
package checkin_test

import data.checkin

# The visit: 22 November 2026, 09:30 in Guam (no profile of its own, so the
# default profile applies).
at := "2026-11-22T09:30:00-06:00"

# Jamie, 7, brought in by an aunt with nothing on file; the mother has custody.
minor_request := {
	"at": at,
	"jurisdiction": "US-GU",
	"patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": "2019-05-10"},
	"companion": aunt,
	"records": {
		"guardians": [mom],
		"documents": [],
		"restrictions": [],
		"refusals": [],
		"designations": [],
	},
	"desk": {},
	"requested": ["accompany"],
}

# Dana, 45, capable, present, brought in by a friend.
adult_request := {
	"at": at,
	"jurisdiction": "US-GU",
	"patient": {"id": "pt-9", "name": "Dana Cole", "birth_date": "1981-02-14", "present": true},
	"companion": friend,
	"records": {
		"guardians": [],
		"documents": [],
		"restrictions": [],
		"refusals": [],
		"designations": [],
	},
	"desk": {},
	"requested": ["accompany"],
}

# Walter, 81, with documented dementia.
incapable_adult_request := object.union(adult_request, {"patient": {
	"id": "pt-8",
	"name": "Walter Hahn",
	"birth_date": "1945-07-01",
	"lacks_capacity": true,
}})

# Every action of the contract.
all_actions := [
	"accompany", "consent_sick", "consent_wellness", "consent_vaccine", "consent_procedure",
	"consent_behavioral", "consent_confidential", "discuss_care", "receive_records", "school_note", "pick_up",
]

consent_actions := [
	"consent_sick", "consent_wellness", "consent_vaccine", "consent_procedure",
	"consent_behavioral", "consent_confidential",
]

# Guardians on record.
mom := {"person": "per-mom", "name": "Ana Lopez", "role": "parent", "legal_custody": true}

dad := {"person": "per-dad", "name": "Luis Lopez", "role": "parent", "legal_custody": true}

# Companions.
aunt := {
	"id": "per-aunt", "name": "Maria Lopez", "relationship": "aunt_uncle", "age": 35,
	"identity": "photo_id", "brought_patient": true,
}

grandma := {
	"id": "per-gma", "name": "Rosa Diaz", "relationship": "grandparent", "age": 66,
	"identity": "photo_id", "brought_patient": true, "lives_with_patient": true,
}

neighbor := {
	"id": "per-nbr", "name": "Pat Green", "relationship": "neighbor", "age": 50,
	"identity": "photo_id", "brought_patient": true,
}

stepdad := {
	"id": "per-step", "name": "Sam Rivera", "relationship": "stepparent", "age": 40,
	"identity": "photo_id", "brought_patient": true,
}

mom_companion := {
	"id": "per-mom", "name": "Ana Lopez", "relationship": "parent", "age": 34,
	"identity": "photo_id", "brought_patient": true,
}

dad_companion := {
	"id": "per-dad", "name": "Luis Lopez", "relationship": "parent", "age": 36,
	"identity": "photo_id", "brought_patient": true,
}

friend := {"id": "per-friend", "name": "Lee Ford", "relationship": "friend", "age": 44, "identity": "photo_id"}

son := {"id": "per-son", "name": "Eric Hahn", "relationship": "adult_child", "age": 52, "identity": "photo_id"}

# The mother's authorization for the aunt, in force on the day of the visit.
proxy := {
	"id": "doc-1", "kind": "proxy_authorization", "granted_by": "per-mom", "grantee": "per-aunt",
	"covers": ["consent_sick", "consent_vaccine", "consent_procedure", "pick_up"],
	"valid_from": "2026-01-10", "valid_until": "2027-01-10", "revoked": false, "witnesses": 0,
}

# The mother's HIPAA authorization for the grandmother.
hipaa := {
	"id": "doc-4", "kind": "hipaa_authorization", "granted_by": "per-mom", "grantee": "per-gma",
	"covers": ["discuss_care", "receive_records", "school_note"],
	"valid_from": "2026-01-01", "valid_until": "2027-12-31",
}

# A California relative caregiver's affidavit the grandmother signed.
affidavit := {
	"id": "doc-2", "kind": "caregiver_affidavit", "grantee": "per-gma",
	"covers": [], "relative": true, "signed_on": "2026-03-01",
}

# The county agency that placed a child in foster care, and its placement
# naming the companion. A placement counts only from an agency or court
# guardian on file, so requests that use it put the agency on file.
agency := {"person": "per-agency", "name": "County Children's Services", "role": "agency"}

foster := {"id": "doc-6", "kind": "foster_placement", "granted_by": "per-agency", "grantee": "per-nbr", "covers": []}

fostered(req) := with_records(req, {"guardians": [mom, agency]})

# A healthcare power of attorney from the adult patient to the son.
poa := {"id": "doc-5", "kind": "healthcare_poa", "granted_by": "pt-8", "grantee": "per-son", "covers": []}

# The mother's consent by phone for this visit, witnessed by staff.
mom_by_phone(covers) := {"from": "per-mom", "covers": covers, "witness": "staff-3"}

# ---------------------------------------------------------------------------
# Building requests.

# The request with the given fields merged in (objects merge, lists replace).
with_fields(req, fields) := object.union(req, fields)

# The request asking for these actions.
asking(req, actions) := object.union(req, {"requested": actions})

# The request with these records replacing the ones of the same name.
with_records(req, recs) := object.union(req, {"records": recs})

# The request with these desk facts.
with_desk(req, facts) := object.union(req, {"desk": facts})

# The request with this companion.
brought_by(req, person) := json.patch(req, [{"op": "replace", "path": "/companion", "value": person}])

# The minor request with this companion, these documents and these actions.
minor_with(person, docs, actions) := asking(
	with_records(brought_by(minor_request, person), {"documents": docs}),
	actions,
)

# ---------------------------------------------------------------------------
# Reading decisions.

decide(req) := d if {
	d := checkin.decision with input as req
}

# One action's ruling.
ruling_for(req, action) := r if {
	r := decide(req).actions[action]
}

codes(notes) := [n.code | some n in notes]

code_set(notes) := {n.code | some n in notes}

# The ruling's verdict and basis, for compact comparisons.
verdict_basis(r) := [r.verdict, r.basis]

problem_fields(d) := {p.field | some p in d.problems}

# ---------------------------------------------------------------------------
# Profiles the shipped data lacks.

# The shipped jurisdiction profiles plus a test-only one, US-XX, giving these
# settings (each other setting falls back to the default profile).
jurisdictions_plus(settings) := object.union(data.jurisdictions, {"US-XX": {
	"name": "Test state",
	"entries": {name: {"value": value, "source": "test profile"} | some name, value in settings},
}})

# The shipped practice profiles plus a test-only one, "test", with these settings.
practices_plus(settings) := object.union(data.practices, {"test": settings})
