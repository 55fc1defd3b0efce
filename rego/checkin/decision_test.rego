# The decision as a whole: every requested action decided once, the outcome
# rolled up from the verdicts, conditions every allow shares, what the desk
# does once for the visit (obligations), what it should know (notices), and
# the profiles that were used.
package checkin_test

# Outcomes ------------------------------------------------------------------

# Each outcome, from the verdicts of the requested actions.
test_outcome[name] if {
	some name, tc in {
		"proceed: a custodial parent, everything allowed": {
			"request": asking(brought_by(minor_request, mom_companion), all_actions),
			"outcome": "proceed",
		},
		"proceed_with_conditions: an aunt brings the child in": {
			"request": minor_with(aunt, [], ["accompany", "school_note"]),
			"outcome": "proceed_with_conditions",
		},
		"partial: the aunt may bring the child but not consent": {
			"request": minor_with(aunt, [], ["accompany", "consent_sick"]),
			"outcome": "partial",
		},
		"refuse: nothing allowed": {
			"request": minor_with(aunt, [], ["consent_sick", "receive_records"]),
			"outcome": "refuse",
		},
		"invalid: an unknown action": {
			"request": minor_with(aunt, [], ["consent_tattoo"]),
			"outcome": "invalid",
		},
	}
	decide(tc.request).outcome == tc.outcome
}

# An allow whose only condition is added on top (ID check) still makes the outcome conditional.
test_outcome_with_added_condition if {
	req := asking(brought_by(minor_request, object.union(mom_companion, {"identity": "unverified"})), ["consent_sick"])
	decide(req).outcome == "proceed_with_conditions"
}

# Actions -------------------------------------------------------------------

# Every requested action appears exactly once, and only requested actions appear.
test_every_requested_action_once[name] if {
	some name, requested in {
		"all actions": all_actions,
		"one action": ["school_note"],
		"a repeated action": ["accompany", "consent_sick", "accompany"],
	}
	d := decide(minor_with(aunt, [proxy], requested))
	object.keys(d.actions) == {a | some a in requested}
}

# Every ruling has a verdict, a basis, reasons in words, and lists of conditions and remedies.
test_ruling_shape[action] if {
	some action in all_actions
	r := ruling_for(minor_with(aunt, [proxy], all_actions), action)
	r.verdict in {"allow", "allow_with_conditions", "deny", "escalate"}
	is_string(r.basis)
	count(r.reasons) > 0
	every n in r.reasons {
		is_string(n.code)
		n.message != ""
	}
	is_array(r.conditions)
	is_array(r.remedies)
}

# An allow carries no conditions, a conditional allow at least one, a denial none.
test_verdict_matches_conditions[action] if {
	some action in all_actions
	r := ruling_for(minor_with(aunt, [proxy], all_actions), action)
	conditions_fit(r)
}

# A ruling's conditions agree with its verdict.
conditions_fit(r) if {
	r.verdict == "allow"
	r.conditions == []
}

conditions_fit(r) if {
	r.verdict == "allow_with_conditions"
	count(r.conditions) > 0
}

conditions_fit(r) if {
	r.verdict == "deny"
	r.conditions == []
}

# Conditions added on top ----------------------------------------------------

# An unverified identity adds an ID check to allows resting on a role or document.
test_verify_photo_id_on_role_or_document[name] if {
	some name, tc in {
		"guardian": {"request": asking(brought_by(minor_request, mom_companion), ["pick_up"]), "action": "pick_up"},
		"parent without custody": {
			"request": with_records(
				asking(brought_by(minor_request, dad_companion), ["discuss_care"]),
				{"guardians": [mom, object.union(dad, {"legal_custody": false})]},
			),
			"action": "discuss_care",
		},
		"proxy authorization": {"request": minor_with(aunt, [proxy], ["consent_sick"]), "action": "consent_sick"},
		"foster placement": {"request": fostered(minor_with(neighbor, [foster], ["consent_sick"])), "action": "consent_sick"},
		"hipaa authorization": {"request": minor_with(grandma, [hipaa], ["receive_records"]), "action": "receive_records"},
		"statute": {
			"request": with_desk(
				with_fields(minor_with(aunt, [], ["consent_sick"]), {"jurisdiction": "US-TX"}),
				{"guardian_unreachable": true},
			),
			"action": "consent_sick",
		},
	}
	req := with_fields(tc.request, {"companion": {"identity": "unverified"}})
	r := ruling_for(req, tc.action)
	r.verdict == "allow_with_conditions"
	"VERIFY_PHOTO_ID" in codes(r.conditions)
	count([c | some c in r.conditions; c.code == "VERIFY_PHOTO_ID"]) == 1
}

# An identity left out counts as unverified.
test_identity_defaults_to_unverified if {
	person := json.patch(mom_companion, [{"op": "remove", "path": "/identity"}])
	r := ruling_for(asking(brought_by(minor_request, person), ["consent_sick"]), "consent_sick")
	codes(r.conditions) == ["VERIFY_PHOTO_ID"]
}

# No ID check for what any adult may do, nor on a denial.
test_no_photo_id_without_role_or_document if {
	req := with_fields(minor_with(aunt, [], ["accompany", "consent_sick"]), {"companion": {"identity": "unverified"}})
	d := decide(req)
	codes(d.actions.accompany.conditions) == ["RECORD_RELATIONSHIP"]
	d.actions.consent_sick.conditions == []
}

# A practice that requires photo ID for an action checks it whoever the companion, unless already shown.
test_practice_requires_photo_id if {
	settings := {"photo_id_required": ["pick_up"]}
	known := with_fields(
		minor_with(aunt, [], ["pick_up", "school_note"]),
		{"practice": "test", "companion": {"identity": "known_to_staff"}},
	)
	d := decide(known) with data.practices as practices_plus(settings)
	verdict_basis(d.actions.pick_up) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	codes(d.actions.pick_up.conditions) == ["VERIFY_PHOTO_ID"]
	verdict_basis(d.actions.school_note) == ["allow", "ACCOMPANYING_ADULT"]
	shown := with_fields(known, {"companion": {"identity": "photo_id"}})
	verdict_basis(ruling_for(shown, "pick_up")) == ["allow", "ACCOMPANYING_ADULT"]
		with data.practices as practices_plus(settings)
}

# Obligations ---------------------------------------------------------------

# A document that decided an action is copied into the chart, once however many actions it decided.
test_copy_document_obligation if {
	d := decide(minor_with(aunt, [proxy], ["consent_sick", "consent_vaccine", "pick_up"]))
	copies := [o | some o in d.obligations; o.code == "COPY_DOCUMENT"]
	count(copies) == 1
	contains(copies[0].message, "doc-1")
}

# A document that decided nothing is not copied.
test_no_copy_document_without_document_basis if {
	d := decide(minor_with(aunt, [proxy], ["accompany", "consent_wellness"]))
	not "COPY_DOCUMENT" in code_set(d.obligations)
}

# The relationship is recorded once for the visit.
test_record_relationship_obligation if {
	d := decide(minor_with(aunt, [], ["accompany", "school_note", "discuss_care"]))
	count([o | some o in d.obligations; o.code == "RECORD_RELATIONSHIP"]) == 1
}

# Obligations gathered from several rules in one visit.
test_obligations_gathered if {
	req := with_desk(
		minor_with(aunt, [proxy], ["accompany", "consent_sick", "consent_procedure", "consent_behavioral"]),
		{"verbal_consent": [mom_by_phone(["consent_procedure"])]},
	)
	code_set(decide(req).obligations) == {"RECORD_RELATIONSHIP", "COPY_DOCUMENT", "DOCUMENT_VERBAL_CONSENT"}
}

# A guardian's plain visit has no obligations.
test_no_obligations_for_guardian if {
	decide(asking(brought_by(minor_request, mom_companion), all_actions)).obligations == []
}

# Notices -------------------------------------------------------------------

# A jurisdiction without a profile is decided on the default profile, and the desk is told.
test_jurisdiction_defaulted if {
	d := decide(minor_request)
	notes := [n | some n in d.notices; n.code == "JURISDICTION_DEFAULTED"]
	count(notes) == 1
	contains(notes[0].message, "US-GU")
	d.policy.jurisdiction == "default"
}

# A profiled jurisdiction is used without that notice.
test_jurisdiction_profiled[code] if {
	some code in ["US-CA", "US-TX", "US-TN"]
	d := decide(with_fields(minor_request, {"jurisdiction": code}))
	not "JURISDICTION_DEFAULTED" in code_set(d.notices)
	d.policy.jurisdiction == code
}

# The practice used is reported, "default" when the request names none.
test_policy_practice if {
	decide(minor_request).policy.practice == "default"
	decide(with_fields(minor_request, {"practice": "strict"})).policy.practice == "strict"
}

# A document that decided an action and expires within 30 days of the visit is flagged, naming it and its last day.
test_document_expires_soon if {
	d := decide(minor_with(aunt, [object.union(proxy, {"valid_until": "2026-12-22"})], ["consent_sick"]))
	notes := [n | some n in d.notices; n.code == "DOCUMENT_EXPIRES_SOON"]
	count(notes) == 1
	contains(notes[0].message, "doc-1")
	contains(notes[0].message, "2026-12-22")
}

# A document expiring on the visit day itself is flagged.
test_document_expires_today if {
	d := decide(minor_with(aunt, [object.union(proxy, {"valid_until": "2026-11-22"})], ["consent_sick"]))
	"DOCUMENT_EXPIRES_SOON" in code_set(d.notices)
}

# A document expiring 31 days after the visit is not flagged.
test_document_not_expiring_soon if {
	d := decide(minor_with(aunt, [object.union(proxy, {"valid_until": "2026-12-23"})], ["consent_sick"]))
	not "DOCUMENT_EXPIRES_SOON" in code_set(d.notices)
}

# A California affidavit nearing the end of its year is flagged; a fresh one is not.
test_affidavit_expires_soon if {
	near := with_fields(
		minor_with(grandma, [affidavit], ["consent_sick"]),
		{"jurisdiction": "US-CA", "at": "2027-02-10T09:30:00-08:00"},
	)
	some n in decide(near).notices
	n.code == "DOCUMENT_EXPIRES_SOON"
	contains(n.message, "2027-03-01") # the day its year is up, the last day it is in force
	fresh := with_fields(near, {"at": "2026-11-22T09:30:00-08:00"})
	not "DOCUMENT_EXPIRES_SOON" in code_set(decide(fresh).notices)
}

# Dates and ages ------------------------------------------------------------

# The visit's date is the calendar date where the request was made: late evening is still that day.
test_visit_date_in_request_time_zone if {
	req := with_fields(
		minor_with(aunt, [object.union(proxy, {"valid_until": "2026-11-22"})], ["consent_sick"]),
		{"at": "2026-11-22T23:30:00-06:00"},
	)
	ruling_for(req, "consent_sick").basis == "PROXY_AUTHORIZATION"
}

# A patient is an adult from their 18th birthday; the day before, still a minor.
test_age_of_majority_on_birthday if {
	adult_today := asking(with_fields(adult_request, {"patient": {"birth_date": "2008-11-22"}}), ["consent_sick"])
	verdict_basis(ruling_for(adult_today, "consent_sick")) == ["deny", "PATIENT_DECIDES"]
	minor_until_tomorrow := asking(with_fields(minor_request, {"patient": {"birth_date": "2008-11-23"}}), ["consent_sick"])
	verdict_basis(ruling_for(minor_until_tomorrow, "consent_sick")) == ["deny", "NO_AUTHORITY"]
}

# Overlays --------------------------------------------------------------------

# A practice overlay's restriction denies the covered action with its own code.
test_overlay_restriction if {
	overlay := {"restrictions": [{"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No release to a sitter."}]}
	d := decide(minor_with(aunt, [], ["pick_up", "accompany"])) with data.overlay as overlay
	verdict_basis(d.actions.pick_up) == ["deny", "PRACTICE_POLICY"]
	d.actions.accompany.verdict == "allow_with_conditions"
}

# An overlay restriction without a code denies as a restriction.
test_overlay_restriction_default_code if {
	overlay := {"restrictions": [{"covers": ["pick_up"], "message": "No release today."}]}
	r := ruling_for(minor_with(aunt, [], ["pick_up"]), "pick_up") with data.overlay as overlay
	verdict_basis(r) == ["deny", "RESTRICTED_BY_ORDER"]
}

# An overlay's condition is added to allows of the covered action; its remedy to refusals.
test_overlay_condition_and_remedy if {
	overlay := {
		"conditions": [{"covers": ["consent_sick"], "code": "CHECK_INSURANCE", "message": "Check the insurance card."}],
		"remedies": [{"covers": ["consent_vaccine"], "code": "OFFER_NURSE_VISIT", "message": "Offer a nurse visit."}],
	}
	d := decide(minor_with(aunt, [object.union(proxy, {"covers": ["consent_sick"]})], ["consent_sick", "consent_vaccine"]))
		with data.overlay as overlay
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "PROXY_AUTHORIZATION"]
	codes(d.actions.consent_sick.conditions) == ["CHECK_INSURANCE"]
	d.actions.consent_vaccine.verdict == "deny"
	"OFFER_NURSE_VISIT" in codes(d.actions.consent_vaccine.remedies)
}

# An overlay may reserve an action for guardians.
test_overlay_guardian_required if {
	r := ruling_for(minor_with(aunt, [proxy], ["consent_vaccine"]), "consent_vaccine")
		with data.overlay as {"guardian_required": ["consent_vaccine"]}
	verdict_basis(r) == ["deny", "GUARDIAN_REQUIRED"]
}

# A decision on a jurisdiction profile an overlay amended says so, naming the
# overlay and the fields; other jurisdictions' decisions do not.
test_jurisdiction_amended_notice if {
	amended := {"US-TX": {"overlays": ["careful"], "fields": ["caregiver_affidavit"]}}
	texas := with_fields(minor_request, {"jurisdiction": "US-TX"})
	d := decide(texas) with data.frontdesk.amended_jurisdictions as amended
	notice := [n | some n in d.notices; n.code == "JURISDICTION_AMENDED"][0]
	contains(notice.message, "careful")
	contains(notice.message, "caregiver_affidavit")
	kansas := decide(minor_request) with data.frontdesk.amended_jurisdictions as amended
	not "JURISDICTION_AMENDED" in code_set(kansas.notices)
}
