package overlay_test

import data.checkin

sitter := {
	"at": "2026-11-22T09:30:00-06:00",
	"jurisdiction": "US-KS",
	"patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": "2019-05-10"},
	"companion": {
		"id": "per-sitter", "name": "Kim Park", "relationship": "sitter", "age": 22,
		"identity": "known_to_staff", "brought_patient": true,
	},
	"records": {"guardians": [{"person": "per-mom", "name": "Ana Lopez", "role": "parent"}]},
	"desk": {"verbal_consent": [{"from": "per-mom", "covers": ["consent_sick"], "witness": "staff-3"}]},
	"requested": ["accompany", "consent_sick", "pick_up"],
}

test_sitter_may_not_take_the_child_home if {
	d := checkin.decision with input as sitter
	d.actions.pick_up.verdict == "deny"
	d.actions.pick_up.basis == "PRACTICE_POLICY"
	"CALL_GUARDIAN" in {r.code | some r in d.actions.pick_up.remedies}
}

test_sitter_may_still_bring_the_child_in if {
	d := checkin.decision with input as sitter
	d.actions.accompany.basis == "ADULT_COMPANION"
}

test_consent_needs_photo_id_even_from_someone_known if {
	d := checkin.decision with input as sitter
	d.actions.consent_sick.verdict == "allow_with_conditions"
	"VERIFY_PHOTO_ID" in {c.code | some c in d.actions.consent_sick.conditions}
}

test_photo_id_asked_once if {
	unverified := json.patch(sitter, [{"op": "replace", "path": "/companion/identity", "value": "unverified"}])
	d := checkin.decision with input as unverified
	count([c | some c in d.actions.consent_sick.conditions; c.code == "VERIFY_PHOTO_ID"]) == 1
}
