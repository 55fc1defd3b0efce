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
		"request": with_records(
			minor_request,
			{"restrictions": [{"person": "per-dad", "covers": ["*"], "valid_until": "next year"}]},
		),
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
		"request": with_desk(
			minor_request,
			{"verbal_consent": [{"from": "", "covers": ["consent_sick"], "witness": "staff-3"}]},
		),
		"field": "desk.verbal_consent[0].from",
	},
	# Version 2.
	"jurisdiction in lower case": {
		"request": with_fields(minor_request, {"jurisdiction": "us-tn"}),
		"field": "jurisdiction",
	},
	"jurisdiction with a trailing space": {
		"request": with_fields(minor_request, {"jurisdiction": "US-TN "}),
		"field": "jurisdiction",
	},
	"jurisdiction a country": {
		"request": with_fields(minor_request, {"jurisdiction": "USA"}),
		"field": "jurisdiction",
	},
	"jurisdiction with an underscore": {
		"request": with_fields(minor_request, {"jurisdiction": "US_TN"}),
		"field": "jurisdiction",
	},
	"the patient's id, not self": {
		"request": with_fields(minor_request, {"companion": {"id": minor_request.patient.id}}),
		"field": "companion.relationship",
	},
	"two documents, one id": {
		"request": minor_with(aunt, [proxy, object.union(proxy, {"covers": ["*"]})], ["consent_sick"]),
		"field": "records.documents[1].id",
	},
	"two guardians, one person": {
		"request": with_records(minor_request, {"guardians": [mom, object.union(mom, {"legal_custody": false})]}),
		"field": "records.guardians[1].person",
	},
	"restriction without covers": {
		"request": with_records(minor_request, {"restrictions": [{"person": "per-dad"}]}),
		"field": "records.restrictions[0].covers",
	},
	"refusal covering nothing": {
		"request": with_records(minor_request, {"refusals": [{"by": "per-mom", "covers": []}]}),
		"field": "records.refusals[0].covers",
	},
	"designation covering nothing": {
		"request": with_records(adult_request, {"designations": [{"person": "per-son", "covers": []}]}),
		"field": "records.designations[0].covers",
	},
	"consent by phone to nothing": {
		"request": with_desk(minor_request, {"verbal_consent": [{"from": "per-mom", "witness": "staff-3"}]}),
		"field": "desk.verbal_consent[0].covers",
	},
	"proxy authorization without a grantor": {
		"request": minor_with(aunt, [object.remove(proxy, ["granted_by"])], ["consent_sick"]),
		"field": "records.documents[0].granted_by",
	},
	"hipaa authorization without a grantor": {
		"request": minor_with(grandma, [object.remove(hipaa, ["granted_by"])], ["discuss_care"]),
		"field": "records.documents[0].granted_by",
	},
	"healthcare poa without a grantor": {
		"request": minor_with(son, [object.remove(poa, ["granted_by"])], ["consent_sick"]),
		"field": "records.documents[0].granted_by",
	},
	"foster placement without a grantor": {
		"request": minor_with(neighbor, [object.remove(foster, ["granted_by"])], ["consent_sick"]),
		"field": "records.documents[0].granted_by",
	},
	"negative witnesses": {
		"request": minor_with(aunt, [object.union(proxy, {"witnesses": -1})], ["consent_sick"]),
		"field": "records.documents[0].witnesses",
	},
	"null age": {
		"request": with_fields(minor_request, {"companion": {"age": null}}),
		"field": "companion.age",
	},
	"null revoked": {
		"request": minor_with(aunt, [object.union(proxy, {"revoked": null})], ["consent_sick"]),
		"field": "records.documents[0].revoked",
	},
	"null name": {
		"request": with_fields(minor_request, {"patient": {"name": null}}),
		"field": "patient.name",
	},
	"null present": {
		"request": with_fields(minor_request, {"patient": {"present": null}}),
		"field": "patient.present",
	},
	"null covered action": {
		"request": with_records(minor_request, {"restrictions": [{"person": "per-dad", "covers": ["*", null]}]}),
		"field": "records.restrictions[0].covers[1]",
	},
	"a key in capitals": {
		"request": minor_with(aunt, [object.union(proxy, {"REVOKED": true})], ["consent_sick"]),
		"field": "records.documents[0].REVOKED",
	},
	"a capitalized top-level key": {
		"request": json.patch(minor_request, [
			{"op": "remove", "path": "/jurisdiction"},
			{"op": "add", "path": "/Jurisdiction", "value": "US-TX"},
		]),
		"field": "Jurisdiction",
	},
	"a key that is not a field": {
		"request": with_fields(minor_request, {"colour": "red"}),
		"field": "colour",
	},
	"the string false for revoked": {
		"request": minor_with(aunt, [object.union(proxy, {"revoked": "false"})], ["consent_sick"]),
		"field": "records.documents[0].revoked",
	},
	"covers a string, not a list": {
		"request": with_records(minor_request, {"restrictions": [{"person": "per-dad", "covers": "*"}]}),
		"field": "records.restrictions[0].covers",
	},
	"51 guardians": {
		"request": with_records(minor_request, {"guardians": [g |
			some i in numbers.range(0, 50)
			g := object.union(mom, {"person": sprintf("per-%d", [i])})
		]}),
		"field": "records.guardians",
	},
	"51 consents by phone": {
		"request": with_desk(minor_request, {"verbal_consent": [mom_by_phone(["consent_sick"]) |
			some _ in numbers.range(0, 50)
		]}),
		"field": "desk.verbal_consent",
	},
	"12 requested actions": {
		"request": asking(minor_request, array.concat(all_actions, ["accompany"])),
		"field": "requested",
	},
	"12 covered actions": {
		"request": minor_with(aunt, [object.union(proxy, {"covers": array.concat(["*"], all_actions)})], ["consent_sick"]),
		"field": "records.documents[0].covers",
	},
	"a 201-character name": {
		"request": with_fields(minor_request, {"companion": {"name": concat("", ["x" | some _ in numbers.range(0, 200)])}}),
		"field": "companion.name",
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

# A request over the limits, or not in the contract's form, is reported for
# that alone: nothing else is looked at.
test_form_problems_come_alone if {
	req := with_fields(asking(minor_request, ["fly"]), {"companion": {"relationship": "boyfriend", "age": null}})
	problem_fields(decide(req)) == {"companion.age"}
}

# A case variant is named with the field it was meant to be.
test_case_variant_says_which_field if {
	d := decide(minor_with(aunt, [object.union(proxy, {"REVOKED": true})], ["consent_sick"]))
	d.problems == [{
		"field": "records.documents[0].REVOKED",
		"problem": "is not a field of the request; did you mean \"revoked\"?",
	}]
}

# At the limits a request is valid: 50 entries, 11 actions, 200 characters.
test_at_the_limits_is_valid if {
	name := concat("", ["é" | some _ in numbers.range(1, 200)])
	req := with_desk(
		with_fields(asking(minor_request, all_actions), {"companion": {"name": name}}),
		{"verbal_consent": [mom_by_phone(all_actions) | some _ in numbers.range(1, 50)]},
	)
	decide(req).outcome != "invalid"
}

# A well-formed code without a profile is valid, and defaulted.
test_code_without_profile_is_valid if {
	decide(with_fields(minor_request, {"jurisdiction": "US-GU"})).outcome != "invalid"
}

# A caregiver's affidavit is the caregiver's own statement: no grantor needed.
test_affidavit_needs_no_grantor if {
	decide(minor_with(grandma, [affidavit], ["consent_sick"])).outcome != "invalid"
}

# Two documents with one id do not stop the policy: the request is invalid.
test_two_documents_one_id_is_decided_invalid if {
	d := decide(minor_with(aunt, [proxy, object.union(proxy, {"grantee": "per-gma"})], ["consent_sick"]))
	d.outcome == "invalid"
	d.problems == [{"field": "records.documents[1].id", "problem": "\"doc-1\" is also records.documents[0].id"}]
}
