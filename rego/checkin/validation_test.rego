# Rule 1: a request with a name outside the vocabulary, a malformed date or
# an empty required field is not decided; the decision is "invalid", names
# the field, and allows nothing.
package checkin_test

# Each case: a bad request and the field its problem names.
invalid_cases := {
	"unknown action": {
		"request": asking(minor_request, ["accompany", "consent_tattoo"]),
		"field": "requested[1]",
	},
	"empty requested": {
		"request": asking(minor_request, []),
		"field": "requested",
	},
	"requested left out": {
		"request": json.patch(minor_request, [{"op": "remove", "path": "/requested"}]),
		"field": "requested",
	},
	"unknown relationship": {
		"request": with_fields(minor_request, {"companion": {"relationship": "boyfriend"}}),
		"field": "companion.relationship",
	},
	"self, but someone else's id": {
		"request": with_fields(minor_request, {"companion": {"relationship": "self"}}),
		"field": "companion.relationship",
	},
	"unknown identity check": {
		"request": with_fields(minor_request, {"companion": {"identity": "passport"}}),
		"field": "companion.identity",
	},
	"age not in whole years": {
		"request": with_fields(minor_request, {"companion": {"age": 17.5}}),
		"field": "companion.age",
	},
	"age not a number": {
		"request": with_fields(minor_request, {"companion": {"age": "35"}}),
		"field": "companion.age",
	},
	"negative age": {
		"request": with_fields(minor_request, {"companion": {"age": -1}}),
		"field": "companion.age",
	},
	"empty companion id": {
		"request": with_fields(minor_request, {"companion": {"id": ""}}),
		"field": "companion.id",
	},
	"companion left out": {
		"request": json.patch(minor_request, [{"op": "remove", "path": "/companion"}]),
		"field": "companion.id",
	},
	"patient left out": {
		"request": json.patch(minor_request, [{"op": "remove", "path": "/patient"}]),
		"field": "patient.id",
	},
	"empty patient id": {
		"request": with_fields(minor_request, {"patient": {"id": ""}}),
		"field": "patient.id",
	},
	"unknown patient status": {
		"request": with_fields(minor_request, {"patient": {"statuses": ["widowed"]}}),
		"field": "patient.statuses[0]",
	},
	"birth date not YYYY-MM-DD": {
		"request": with_fields(minor_request, {"patient": {"birth_date": "05/10/2019"}}),
		"field": "patient.birth_date",
	},
	"birth date not a calendar day": {
		"request": with_fields(minor_request, {"patient": {"birth_date": "2019-02-30"}}),
		"field": "patient.birth_date",
	},
	"birth date after the visit": {
		"request": with_fields(minor_request, {"patient": {"birth_date": "2026-11-23"}}),
		"field": "patient.birth_date",
	},
	"empty birth date": {
		"request": with_fields(minor_request, {"patient": {"birth_date": ""}}),
		"field": "patient.birth_date",
	},
	"time not RFC 3339": {
		"request": with_fields(minor_request, {"at": "2026-11-22 09:30"}),
		"field": "at",
	},
	"empty time": {
		"request": with_fields(minor_request, {"at": ""}),
		"field": "at",
	},
	"empty jurisdiction": {
		"request": with_fields(minor_request, {"jurisdiction": ""}),
		"field": "jurisdiction",
	},
	"unknown practice profile": {
		"request": with_fields(minor_request, {"practice": "lenient"}),
		"field": "practice",
	},
	"unknown guardian role": {
		"request": with_records(minor_request, {"guardians": [object.union(mom, {"role": "uncle"})]}),
		"field": "records.guardians[0].role",
	},
	"guardian without a person": {
		"request": with_records(minor_request, {"guardians": [mom, object.union(dad, {"person": ""})]}),
		"field": "records.guardians[1].person",
	},
	"unknown document kind": {
		"request": minor_with(aunt, [object.union(proxy, {"kind": "birth_certificate"})], ["consent_sick"]),
		"field": "records.documents[0].kind",
	},
	"document without an id": {
		"request": minor_with(aunt, [object.union(proxy, {"id": ""})], ["consent_sick"]),
		"field": "records.documents[0].id",
	},
	"document without a grantee": {
		"request": minor_with(aunt, [object.union(proxy, {"grantee": ""})], ["consent_sick"]),
		"field": "records.documents[0].grantee",
	},
	"document end date not a calendar day": {
		"request": minor_with(aunt, [object.union(proxy, {"valid_until": "2027-02-30"})], ["consent_sick"]),
		"field": "records.documents[0].valid_until",
	},
	"document start date malformed": {
		"request": minor_with(aunt, [object.union(proxy, {"valid_from": "2026-1-10"})], ["consent_sick"]),
		"field": "records.documents[0].valid_from",
	},
	"affidavit signing date malformed": {
		"request": minor_with(grandma, [object.union(affidavit, {"signed_on": "March 1"})], ["consent_sick"]),
		"field": "records.documents[0].signed_on",
	},
	"document covering an unknown action": {
		"request": minor_with(aunt, [object.union(proxy, {"covers": ["consent_sick", "sleepover"]})], ["consent_sick"]),
		"field": "records.documents[0].covers[1]",
	},
	"restriction end date malformed": {
		"request": with_records(minor_request, {"restrictions": [{"person": "per-dad", "covers": ["*"], "valid_until": "next year"}]}),
		"field": "records.restrictions[0].valid_until",
	},
	"restriction without a person": {
		"request": with_records(minor_request, {"restrictions": [{"person": "", "covers": ["*"]}]}),
		"field": "records.restrictions[0].person",
	},
	"refusal covering an unknown action": {
		"request": with_records(minor_request, {"refusals": [{"by": "per-mom", "covers": ["piercing"]}]}),
		"field": "records.refusals[0].covers[0]",
	},
	"designation without a person": {
		"request": with_records(adult_request, {"designations": [{"person": "", "covers": ["discuss_care"]}]}),
		"field": "records.designations[0].person",
	},
	"consent by phone from nobody": {
		"request": with_desk(minor_request, {"verbal_consent": [{"from": "", "covers": ["consent_sick"], "witness": "staff-3"}]}),
		"field": "desk.verbal_consent[0].from",
	},
}

# Every bad request is invalid, names the bad field, and decides nothing.
test_invalid_request_names_the_field[name] if {
	some name, tc in invalid_cases
	d := decide(tc.request)
	d.outcome == "invalid"
	tc.field in problem_fields(d)
	d.actions == {}
	d.obligations == []
	d.notices == []
}

# Each problem names its field and says what is wrong with it.
test_problem_has_field_and_words if {
	d := decide(asking(minor_request, ["consent_tattoo"]))
	d.problems == [{"field": "requested[0]", "problem": "consent_tattoo is not an action"}]
}

# Several problems are all listed, each with its field.
test_every_problem_is_listed if {
	req := with_fields(asking(minor_request, ["fly"]), {
		"companion": {"relationship": "boyfriend", "identity": "passport"},
		"patient": {"birth_date": "2019-13-01"},
	})
	problem_fields(decide(req)) == {"requested[0]", "companion.relationship", "companion.identity", "patient.birth_date"}
}

# The "*" wildcard is a valid entry in a list of actions.
test_wildcard_covers_is_valid if {
	req := with_records(minor_request, {"restrictions": [{"person": "per-dad", "covers": ["*"]}]})
	decide(req).outcome != "invalid"
}

# Well-formed requests of both fixtures are decided.
test_fixtures_are_valid if {
	decide(minor_request).outcome != "invalid"
	decide(adult_request).outcome != "invalid"
	decide(incapable_adult_request).outcome != "invalid"
}

# A required field left out entirely is a problem, just as an empty one is.
test_absent_required_fields_are_listed if {
	req := {
		"patient": {},
		"companion": {},
		"records": {"guardians": [{}], "documents": [{}]},
		"requested": ["accompany"],
	}
	problem_fields(decide(req)) == {
		"at", "jurisdiction", "patient.id", "patient.birth_date",
		"companion.id", "companion.relationship", "companion.age",
		"records.guardians[0].person", "records.guardians[0].role",
		"records.documents[0].id", "records.documents[0].kind", "records.documents[0].grantee",
	}
}
