# Rule 2: the patient asks for themselves. An adult, by age or by an
# emancipating status, decides everything; a minor consents alone only where
# the jurisdiction grants it for that action and age, and the service stays
# confidential; otherwise a guardian is needed.
package checkin_test

# The patient of the minor fixture, asking for themselves.
jamie_self := {"id": "pt-1", "name": "Jamie Lopez", "relationship": "self", "age": 12, "identity": "photo_id"}

# Jamie asking for themselves, born on this day, with these statuses, in this jurisdiction.
self_request(birth_date, statuses, jurisdiction) := object.union(
	asking(brought_by(minor_request, jamie_self), all_actions),
	{"jurisdiction": jurisdiction, "patient": {"birth_date": birth_date, "statuses": statuses}},
)

# An adult patient may do everything for themselves.
test_adult_self_decides_everything if {
	dana := {"id": "pt-9", "name": "Dana Cole", "relationship": "self", "age": 45}
	req := asking(brought_by(adult_request, dana), all_actions)
	d := decide(req)
	every action in all_actions {
		d.actions[action].verdict == "allow"
		d.actions[action].basis == "SELF"
	}
	d.outcome == "proceed"
}

# An emancipated or married 16-year-old is an adult for their own care.
test_emancipated_minor_is_adult[status] if {
	some status in ["emancipated", "married", "military"]
	d := decide(self_request("2010-01-01", [status], "US-GU"))
	every action in all_actions {
		verdict_basis(d.actions[action]) == ["allow", "SELF"]
	}
}

# A married 16-year-old is an adult to a companion too: the patient decides consent.
test_married_minor_decides_own_care if {
	req := object.union(
		asking(adult_request, ["consent_sick"]),
		{"patient": {"birth_date": "2010-01-01", "statuses": ["married"]}},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "PATIENT_DECIDES"]
}

# A status that does not emancipate leaves a minor a minor.
test_pregnant_minor_is_still_minor if {
	r := ruling_for(self_request("2010-01-01", ["pregnant"], "US-GU"), "consent_sick")
	verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# A minor of 12 (the birthday is today) consents alone to confidential services, kept confidential.
test_minor_self_consent_confidential_at_twelve if {
	r := ruling_for(self_request("2014-11-22", [], "US-GU"), "consent_confidential")
	r.verdict == "allow_with_conditions"
	r.basis == "MINOR_SELF_CONSENT"
	codes(r.conditions) == ["KEEP_CONFIDENTIAL"]
	r.remedies == []
}

# A minor one day short of 12 may not consent alone, and is told to call a guardian.
test_minor_under_twelve_needs_guardian if {
	req := self_request("2014-11-23", [], "US-GU")
	every action in all_actions {
		r := ruling_for(req, action)
		verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
		codes(r.remedies) == ["CALL_GUARDIAN"]
	}
}

# A 12-year-old who may consent alone to confidential care controls the
# information about it, and only about it; the rest needs a guardian.
test_minor_self_controls_information_about_own_care[action] if {
	some action in ["discuss_care", "receive_records", "school_note"]
	r := ruling_for(self_request("2014-11-22", [], "US-GU"), action)
	verdict_basis(r) == ["allow_with_conditions", "MINOR_SELF_CONSENT"]
	codes(r.conditions) == ["LIMIT_TO_SELF_CONSENTED_CARE"]
}

test_minor_self_other_actions_need_guardian[action] if {
	some action in ["accompany", "pick_up", "consent_sick", "consent_wellness", "consent_vaccine", "consent_procedure"]
	r := ruling_for(self_request("2014-11-22", [], "US-GU"), action)
	verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
	codes(r.remedies) == ["CALL_GUARDIAN"]
}

# The remedy for consent is the call a guardian can answer now; for anything else, to come in.
test_minor_self_remedy_words if {
	req := self_request("2014-11-22", [], "US-GU")
	contains(ruling_for(req, "consent_sick").remedies[0].message, "consent by phone")
	contains(ruling_for(req, "pick_up").remedies[0].message, "come to the desk")
}

# A 12-year-old alone in an emergency: care goes ahead (rule 4), what they may
# consent to alone stays theirs, and the rest still needs a guardian.
test_minor_self_in_emergency if {
	d := decide(with_fields(self_request("2014-11-22", [], "US-GU"), {"emergency": true}))
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.consent_procedure) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.consent_confidential) == ["allow_with_conditions", "MINOR_SELF_CONSENT"]
	verdict_basis(d.actions.pick_up) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# A 12-year-old asking for confidential care and a sick visit: part allowed.
test_minor_self_partial_outcome if {
	req := asking(self_request("2014-11-22", [], "US-GU"), ["consent_confidential", "consent_sick"])
	decide(req).outcome == "partial"
}

# A profile that gives a general consent age keeps the care confidential only
# where its entry says so; confidential services always stay with the minor.
general_consent(confidential) := jurisdictions_plus({"self_consent": [{
	"actions": ["consent_sick", "consent_confidential"],
	"min_age": 14, "confidential": confidential,
}]})

test_keep_confidential_only_where_the_law_says if {
	req := with_fields(self_request("2011-01-01", [], "US-XX"), {"jurisdiction": "US-XX"})
	open := ruling_for(req, "consent_sick") with data.jurisdictions as general_consent(false)
	verdict_basis(open) == ["allow", "MINOR_SELF_CONSENT"]
	confidential := ruling_for(req, "consent_confidential") with data.jurisdictions as general_consent(false)
	codes(confidential.conditions) == ["KEEP_CONFIDENTIAL"]
	kept := ruling_for(req, "consent_sick") with data.jurisdictions as general_consent(true)
	codes(kept.conditions) == ["KEEP_CONFIDENTIAL"]
}

# The reason names the status that let the minor decide, and the law it names.
test_self_consent_reason_names_the_status if {
	profile := jurisdictions_plus({"self_consent": [{
		"actions": ["consent_sick"], "min_age": 0,
		"statuses": ["pregnant"], "confidential": true,
	}]})
	req := with_fields(self_request("2010-01-01", ["pregnant"], "US-XX"), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as profile
	r.basis == "MINOR_SELF_CONSENT"
	contains(r.reasons[0].message, "is 16 and pregnant")
}

test_self_consent_reason_names_the_defaulted_jurisdiction if {
	r := ruling_for(self_request("2014-11-22", [], "US-GU"), "consent_confidential")
	contains(r.reasons[0].message, "the default rules (no profile for US-GU)")
}

# California: a self-supporting 15-year-old consents alone to their own care and records.
test_california_self_supporting_fifteen[action] if {
	some action in [
		"consent_sick", "consent_wellness", "consent_vaccine", "consent_procedure",
		"consent_behavioral", "discuss_care", "receive_records", "school_note",
	]
	r := ruling_for(self_request("2011-01-01", ["self_supporting"], "US-CA"), action)
	r.verdict in {"allow", "allow_with_conditions"}
	r.basis == "MINOR_SELF_CONSENT"
}

# California: a 15-year-old who is not self-supporting may not consent to a sick visit alone.
test_california_fifteen_not_self_supporting if {
	r := ruling_for(self_request("2011-01-01", [], "US-CA"), "consent_sick")
	verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# California: a 13-year-old consents alone to behavioral care, not to a sick visit.
test_california_behavioral_at_thirteen if {
	req := self_request("2013-01-01", [], "US-CA")
	r := ruling_for(req, "consent_behavioral")
	r.basis == "MINOR_SELF_CONSENT"
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# The default profile gives no self-consent to behavioral care.
test_default_no_behavioral_self_consent if {
	r := ruling_for(self_request("2011-01-01", [], "US-GU"), "consent_behavioral")
	verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# A grant narrowed by the law tells the desk its limit; where another grant
# covers the whole action, no limit applies.
test_self_consent_grant_limit if {
	teen := object.union(minor_request, {
		"patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": "2010-05-10"},
		"jurisdiction": "US-XX",
	})
	jamie := {"id": "pt-1", "name": "Jamie Lopez", "relationship": "self", "age": 16}
	req := asking(brought_by(teen, jamie), ["consent_behavioral"])
	limited := {"self_consent": [{"actions": ["consent_behavioral"], "min_age": 13, "limit": "Only crisis counseling."}]}
	r := ruling_for(req, "consent_behavioral") with data.jurisdictions as jurisdictions_plus(limited)
	verdict_basis(r) == ["allow_with_conditions", "MINOR_SELF_CONSENT"]
	limits := [n | some n in r.conditions; n.code == "LIMIT_TO_SELF_CONSENTED_CARE"]
	limits == [note_of("LIMIT_TO_SELF_CONSENTED_CARE", "Only crisis counseling.")]

	whole := {"self_consent": array.concat(limited.self_consent, [{"actions": ["consent_behavioral"], "min_age": 16}])}
	w := ruling_for(req, "consent_behavioral") with data.jurisdictions as jurisdictions_plus(whole)
	w.basis == "MINOR_SELF_CONSENT"
	not "LIMIT_TO_SELF_CONSENTED_CARE" in code_set(w.conditions)
}

note_of(code, message) := {"code": code, "message": message}

# Of two statuses a grant lists and the minor holds, the reason names the
# first in alphabetical order; of two grants, the first in the profile's order.
test_self_consent_reason_names_one_status_and_grant if {
	profile := jurisdictions_plus({"self_consent": [
		{"actions": ["consent_sick"], "min_age": 0, "statuses": ["pregnant", "minor_parent"]},
		{"actions": ["consent_sick"], "min_age": 14},
	]})
	req := with_fields(self_request("2010-01-01", ["pregnant", "minor_parent"], "US-XX"), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as profile
	r.reasons[0].message == "Jamie Lopez is 16 and a parent, so under Test state law may consent alone to this."

	by_age_first := jurisdictions_plus({"self_consent": [
		{"actions": ["consent_sick"], "min_age": 14},
		{"actions": ["consent_sick"], "min_age": 0, "statuses": ["pregnant", "minor_parent"]},
	]})
	a := ruling_for(req, "consent_sick") with data.jurisdictions as by_age_first
	a.reasons[0].message == "Jamie Lopez is 16, so under Test state law may consent alone to this."
}
