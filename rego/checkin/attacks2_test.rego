# A second round of attacks on the decision rules: combinations of records,
# boundary dates and ages, delegation by word of mouth or by the companion's
# own statement, and overlays covering every action. Every test here is a
# probe that the policy withstands.
package checkin_test

# The aunt asking for every action, with these records.
aunt_with(recs) := asking(with_records(minor_request, recs), all_actions)

# Messages of every remedy and condition of a decision, and its obligations.
staff_words(d) := concat(" | ", array.concat(
	[m.message | some r in d.actions; some m in array.concat(r.remedies, r.conditions)],
	[o.message | some o in d.obligations; o.code != "FOLLOW_SAFETY_PROTOCOL"],
))

# The roll-up the contract gives for a set of verdicts.
rolled_up(d) := "escalate" if {
	"escalate" in {r.verdict | some r in d.actions}
} else := "refuse" if {
	{r.verdict | some r in d.actions} == {"deny"}
} else := "partial" if {
	"deny" in {r.verdict | some r in d.actions}
} else := "proceed_with_conditions" if {
	"allow_with_conditions" in {r.verdict | some r in d.actions}
} else := "proceed"

# Nothing in a decision is a formatting error or a missing value.
well_formed(d) if {
	text := json.marshal(d)
	not contains(text, "%!")
	not contains(text, "null")
	not contains(text, "\"name\":\"\"")
}

# The aunt's self-signed statement that a guardian authorized her.
statement := {
	"id": "doc-9", "kind": "proxy_authorization", "granted_by": "per-aunt", "grantee": "per-aunt",
	"covers": ["consent_vaccine"],
}

# The mother's consent by phone, as the companion relays it, with no staff witness.
mom_by_word(covers) := {"from": "per-mom", "covers": covers}

# A California relative caregiver's affidavit signed on this day, the aunt living with the child.
aunt_affidavit(signed_on) := {
	"id": "doc-2", "kind": "caregiver_affidavit", "grantee": "per-aunt",
	"covers": [], "relative": true, "signed_on": signed_on,
}

california_aunt(docs, actions) := asking(
	in_state(
		brought_by(with_records(minor_request, {"documents": docs}), object.union(aunt, {"lives_with_patient": true})),
		"US-CA",
	),
	actions,
)

# Jamie with the mother as companion, born this day, in this jurisdiction.
mother_of(birth_date, code) := in_state(
	asking(
		brought_by(
			with_fields(minor_request, {"patient": {"id": "pt-1", "name": "Jamie Lopez", "birth_date": birth_date}}),
			mom_companion,
		),
		["consent_sick"],
	),
	code,
)

# ---------------------------------------------------------------------------
# Combinations of guardians, restrictions and documents.

# Mother barred, father without custody: nobody may be called, and the barred mother is never named.
test_attack_barred_mother_and_father_without_custody if {
	d := decide(aunt_with({"guardians": [mom, dad_without_custody], "restrictions": [barring("per-mom", ["*"])]}))
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
	not contains(staff_words(d), "Ana Lopez")
	count(d.actions.consent_sick.remedies) > 0
}

# The same family in an emergency: care goes ahead, and the notice names neither the barred mother nor a decider.
test_attack_emergency_with_barred_mother_and_father_without_custody if {
	req := with_fields(
		aunt_with({"guardians": [mom, dad_without_custody], "restrictions": [barring("per-mom", ["*"])]}),
		{"emergency": true},
	)
	d := decide(req)
	every action in consent_actions {
		d.actions[action].basis == "EMERGENCY"
	}
	not contains(staff_words(d), "Ana Lopez")
}

# The only custodial guardian is an agency under a restriction: its placement gives the foster parent nothing.
test_attack_placement_from_a_restricted_agency if {
	req := asking(
		with_records(brought_by(minor_request, object.union(aunt, {"id": "per-nbr"})), {
			"guardians": [agency], "documents": [foster], "restrictions": [barring("per-agency", ["*"])],
		}),
		["consent_sick", "receive_records"],
	)
	d := decide(req)
	d.actions.consent_sick.verdict == "deny"
	d.actions.receive_records.verdict == "deny"
	not contains(staff_words(d), "County Children's Services")
	not "COPY_DOCUMENT" in code_set(d.obligations)
}

# An expired and a good proxy side by side: the good one decides what it covers, the expired one explains the rest.
test_attack_expired_proxy_beside_a_good_one if {
	expired := object.union(proxy, {
		"id": "doc-a", "covers": ["*"],
		"valid_from": "2025-01-01", "valid_until": "2026-01-01",
	})
	good := object.union(proxy, {"id": "doc-b", "covers": ["consent_sick"]})
	d := decide(aunt_with({"guardians": [mom], "documents": [expired, good]}))
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
	verdict_basis(d.actions.consent_vaccine) == ["deny", "DOCUMENT_EXPIRED"]
	"RENEW_DOCUMENT" in code_set(d.actions.consent_vaccine.remedies)
}

# A revoked proxy beside a good California affidavit: the affidavit decides; the proxy explains what only it reached.
test_attack_revoked_proxy_beside_an_affidavit if {
	revoked := object.union(proxy, {"covers": ["*"], "revoked": true})
	d := decide(california_aunt([revoked, aunt_affidavit("2026-03-01")], ["consent_sick", "consent_confidential"]))
	verdict_basis(d.actions.consent_sick) == ["allow", "CAREGIVER_AFFIDAVIT"]
	verdict_basis(d.actions.consent_confidential) == ["deny", "DOCUMENT_REVOKED"]
	not "RENEW_DOCUMENT" in code_set(d.actions.consent_confidential.remedies)
}

# A proxy and an affidavit both reaching the vaccine: the mother's refusal binds them both.
test_attack_proxy_and_affidavit_against_a_refusal if {
	req := with_records(
		california_aunt([object.union(proxy, {"covers": ["*"]}), aunt_affidavit("2026-03-01")], ["consent_vaccine"]),
		{"refusals": [{"by": "per-mom", "covers": ["consent_vaccine"]}]},
	)
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["deny", "GUARDIAN_REFUSED"]
}

# A "refusal" by the statute relative herself is no guardian's refusal: records out of step, not decided.
test_attack_statute_relative_named_in_a_refusal if {
	req := with_records(aunt_in("US-TX", true, ["consent_sick"]), {"refusals": [{"by": "per-aunt", "covers": ["*"]}]})
	d := decide(req)
	d.outcome == "invalid"
	"records.refusals[0].by" in problem_fields(d)
}

# A barred mother's refusal of everything counts for nothing, and nothing asks staff to call her.
test_attack_statute_against_a_barred_mothers_refusal if {
	req := with_records(aunt_in("US-TX", true, ["consent_sick", "pick_up"]), {
		"refusals": [{"by": "per-mom", "covers": ["*"]}],
		"restrictions": [barring("per-mom", ["*"])],
	})
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	verdict_basis(d.actions.pick_up) == ["allow", "ACCOMPANYING_ADULT"]
	not contains(staff_words(d), "Ana Lopez")
}

# The mother with custody, the father refusing and barred from hearing about care: she decides, and he is not named.
test_attack_mother_against_a_partly_barred_fathers_refusal if {
	req := asking(
		with_records(brought_by(minor_request, mom_companion), {
			"guardians": mom_and_dad,
			"refusals": [{"by": "per-dad", "covers": ["*"]}],
			"restrictions": [barring("per-dad", ["discuss_care"])],
		}),
		all_actions,
	)
	d := decide(req)
	verdict_basis(d.actions.discuss_care) == ["allow", "GUARDIAN"]
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "GUARDIAN"]
	not contains(staff_words(d), "Luis Lopez")
}

# ---------------------------------------------------------------------------
# Boundary dates.

# A proxy in force from today decides today.
test_attack_proxy_from_today if {
	req := minor_with(aunt, [object.union(proxy, {"valid_from": "2026-11-22"})], ["consent_sick"])
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow", "PROXY_AUTHORIZATION"]
}

# A proxy in force from tomorrow is not yet valid, and renewing it is no remedy.
test_attack_proxy_from_tomorrow if {
	later := object.union(proxy, {"valid_from": "2026-11-23"})
	r := ruling_for(minor_with(aunt, [later], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_YET_VALID"]
	not "RENEW_DOCUMENT" in code_set(r.remedies)
}

# A proxy on its last day decides, and the desk is told it is expiring.
test_attack_proxy_until_today_warns if {
	d := decide(minor_with(aunt, [object.union(proxy, {"valid_until": "2026-11-22"})], ["consent_sick"]))
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
	"DOCUMENT_EXPIRES_SOON" in code_set(d.notices)
}

# A California affidavit signed exactly its validity ago is on its last day; a day older, it has lapsed.
test_attack_california_affidavit_on_its_last_day if {
	verdict_basis(ruling_for(california_aunt([aunt_affidavit("2025-11-22")], ["consent_sick"]), "consent_sick")) == [
		"allow", "CAREGIVER_AFFIDAVIT",
	]
	r := ruling_for(california_aunt([aunt_affidavit("2025-11-21")], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
	"RENEW_DOCUMENT" in code_set(r.remedies)
}

# An affidavit signed tomorrow is not yet valid.
test_attack_california_affidavit_signed_tomorrow if {
	r := ruling_for(california_aunt([aunt_affidavit("2026-11-23")], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_YET_VALID"]
}

# An eighteenth birthday counts on the local date of the visit, at +14:00 and at -12:00 alike.
test_attack_birthday_in_far_time_zones if {
	every at in ["2026-11-22T00:30:00+14:00", "2026-11-22T23:30:00-12:00"] {
		adult := with_fields(mother_of("2008-11-22", "US-GU"), {"at": at})
		verdict_basis(ruling_for(adult, "consent_sick")) == ["deny", "PATIENT_DECIDES"]
		minor := with_fields(mother_of("2008-11-23", "US-GU"), {"at": at})
		verdict_basis(ruling_for(minor, "consent_sick")) == ["allow", "GUARDIAN"]
	}
}

# ---------------------------------------------------------------------------
# Ages at every threshold.

# Mississippi: adult for care at 18 though of age at 21; Nebraska: a minor until 19.
test_attack_health_care_age_apart_from_majority if {
	verdict_basis(ruling_for(mother_of("2008-01-01", "US-MS"), "consent_sick")) == ["deny", "PATIENT_DECIDES"]
	verdict_basis(ruling_for(mother_of("2009-01-01", "US-MS"), "consent_sick")) == ["allow", "GUARDIAN"]
	verdict_basis(ruling_for(mother_of("2008-01-01", "US-NE"), "consent_sick")) == ["allow", "GUARDIAN"]
	verdict_basis(ruling_for(mother_of("2007-01-01", "US-NE"), "consent_sick")) == ["deny", "PATIENT_DECIDES"]
}

# A companion of exactly the minimum age holds the proxy; a year younger holds nothing by it.
test_attack_proxy_holder_at_the_minimum_age if {
	of_age := minor_with(object.union(aunt, {"age": 18}), [proxy], ["consent_sick", "pick_up"])
	verdict_basis(ruling_for(of_age, "consent_sick")) == ["allow", "PROXY_AUTHORIZATION"]
	under := decide(minor_with(object.union(aunt, {"age": 17}), [proxy], ["consent_sick", "pick_up"]))
	verdict_basis(under.actions.consent_sick) == ["deny", "COMPANION_TOO_YOUNG"]
	verdict_basis(under.actions.pick_up) == ["deny", "COMPANION_TOO_YOUNG"]
}

# ---------------------------------------------------------------------------
# Delegation by word of mouth (Maryland) and by the companion's own statement.

# An aunt relays the mother's word in Maryland: the vaccine only, with the consent recorded.
test_attack_maryland_relayed_word_reaches_only_the_vaccine if {
	req := with_desk(
		asking(in_state(minor_request, "US-MD"), ["consent_vaccine", "consent_sick"]),
		{"verbal_consent": [mom_by_word(["*"])]},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "VERBAL_CONSENT"]
	"DOCUMENT_VERBAL_CONSENT" in code_set(d.actions.consent_vaccine.conditions)
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
}

# A neighbor is not among those Maryland lets a parent delegate to by word of mouth.
test_attack_maryland_relayed_word_to_a_neighbor if {
	req := with_desk(
		asking(in_state(brought_by(minor_request, neighbor), "US-MD"), ["consent_vaccine"]),
		{"verbal_consent": [mom_by_word(["*"])]},
	)
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["deny", "NO_AUTHORITY"]
}

# The relayed word of a barred mother, or of a father without custody, is no consent.
test_attack_maryland_relayed_word_from_no_decider if {
	base := asking(in_state(minor_request, "US-MD"), ["consent_vaccine"])
	barred := with_records(
		with_desk(base, {"verbal_consent": [mom_by_word(["*"])]}),
		{"restrictions": [barring("per-mom", ["consent_vaccine"])]},
	)
	ruling_for(barred, "consent_vaccine").verdict == "deny"
	father := with_records(
		with_desk(base, {"verbal_consent": [{"from": "per-dad", "covers": ["*"]}]}),
		{"guardians": [mom, dad_without_custody]},
	)
	ruling_for(father, "consent_vaccine").verdict == "deny"
}

# A 17-year-old aunt relaying the word is too young to hold it.
test_attack_maryland_relayed_word_by_a_minor if {
	req := with_desk(
		asking(in_state(brought_by(minor_request, object.union(aunt, {"age": 17})), "US-MD"), ["consent_vaccine"]),
		{"verbal_consent": [mom_by_word(["*"])]},
	)
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["deny", "COMPANION_TOO_YOUNG"]
}

# A self-signed statement where the law accepts one: the vaccine only, and never
# when revoked, lapsed, refused or held by a minor.
test_attack_attested_statement_edges if {
	req := in_state(minor_with(aunt, [statement], ["consent_vaccine", "consent_sick"]), "US-XX")
	d := decide(req) with data.jurisdictions as attested_statement_state
	verdict_basis(d.actions.consent_vaccine) == ["allow", "PROXY_AUTHORIZATION"]
	d.actions.consent_sick.verdict == "deny"
	revoked := in_state(minor_with(aunt, [object.union(statement, {"revoked": true})], ["consent_vaccine"]), "US-XX")
	verdict_basis(ruling_for(revoked, "consent_vaccine")) == ["deny", "DOCUMENT_REVOKED"]
		with data.jurisdictions as attested_statement_state
	old := object.union(statement, {"valid_until": "2026-01-01"})
	lapsed := in_state(minor_with(aunt, [old], ["consent_vaccine"]), "US-XX")
	verdict_basis(ruling_for(lapsed, "consent_vaccine")) == ["deny", "DOCUMENT_EXPIRED"]
		with data.jurisdictions as attested_statement_state
	refused := with_records(
		in_state(minor_with(aunt, [statement], ["consent_vaccine"]), "US-XX"),
		{"refusals": [{"by": "per-mom", "covers": ["consent_vaccine"]}]},
	)
	verdict_basis(ruling_for(refused, "consent_vaccine")) == ["deny", "GUARDIAN_REFUSED"]
		with data.jurisdictions as attested_statement_state
	young := in_state(minor_with(object.union(aunt, {"age": 15}), [statement], ["consent_vaccine"]), "US-XX")
	verdict_basis(ruling_for(young, "consent_vaccine")) == ["deny", "COMPANION_TOO_YOUNG"]
		with data.jurisdictions as attested_statement_state
}

# ---------------------------------------------------------------------------
# Emergencies and restrictions.

# An aunt barred from the sick visit and from hearing about care, in an emergency: care goes ahead without her say.
test_attack_emergency_with_an_aunt_barred_from_part if {
	req := with_fields(
		aunt_with({"guardians": [mom], "restrictions": [barring("per-aunt", ["consent_sick", "discuss_care"])]}),
		{"emergency": true},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	contains(d.actions.consent_sick.reasons[0].message, "neither consents to it nor is told")
	verdict_basis(d.actions.discuss_care) == ["deny", "RESTRICTED_BY_ORDER"]
	"FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# ---------------------------------------------------------------------------
# Overlays covering every action.

# An overlay restriction on every action still lets emergency care go ahead, and offers the manager for the rest.
test_attack_overlay_restriction_on_everything if {
	rule := {"covers": ["*"], "code": "PRACTICE_POLICY", "message": "This office sees children with a parent only."}
	req := with_fields(aunt_with({"guardians": [mom]}), {"emergency": true})
	d := decide(req) with data.overlay.restrictions as {rule}
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.pick_up) == ["deny", "PRACTICE_POLICY"]
	codes(d.actions.pick_up.remedies) == ["CALL_GUARDIAN", "ASK_MANAGER"]
}

# An overlay condition on every action is added to allows, never to refusals or to emergency care.
test_attack_overlay_condition_on_everything if {
	rule := {"covers": ["*"], "code": "SEE_INSURANCE_CARD", "message": "See the insurance card."}
	d := decide(with_fields(aunt_with({"guardians": [mom]}), {"emergency": true})) with data.overlay.conditions as {rule}
	not "SEE_INSURANCE_CARD" in code_set(d.actions.consent_sick.conditions)
	not "SEE_INSURANCE_CARD" in code_set(d.actions.receive_records.conditions)
	"SEE_INSURANCE_CARD" in code_set(d.actions.pick_up.conditions)
	d.actions.pick_up.verdict == "allow_with_conditions"
}

# A remedy of this code is offered exactly when the action is refused.
remedy_only_on_refusal(r, code) if {
	r.verdict == "deny"
	code in code_set(r.remedies)
}

remedy_only_on_refusal(r, code) if {
	r.verdict != "deny"
	not code in code_set(r.remedies)
}

# An overlay remedy on every action reaches every refusal and no allow.
test_attack_overlay_remedy_on_everything if {
	rule := {"covers": ["*"], "code": "CALL_OFFICE", "message": "Call the office manager."}
	d := decide(aunt_with({"guardians": [mom]})) with data.overlay.remedies as {rule}
	every r in d.actions {
		remedy_only_on_refusal(r, "CALL_OFFICE")
	}
}

# An overlay reserving the sick visit for guardians stops the proxy but not the mother's phone consent.
test_attack_overlay_guardian_required if {
	req := with_desk(minor_with(aunt, [proxy], ["consent_sick"]), {})
	reserved := {"consent_sick"}
	r := ruling_for(req, "consent_sick") with data.overlay.guardian_required as reserved
	verdict_basis(r) == ["deny", "GUARDIAN_REQUIRED"]
	by_phone := with_desk(req, {"verbal_consent": [mom_by_phone(["consent_sick"])]})
	phoned := ruling_for(by_phone, "consent_sick") with data.overlay.guardian_required as reserved
	verdict_basis(phoned) == ["allow_with_conditions", "VERBAL_CONSENT"]
}

# ---------------------------------------------------------------------------
# Roll-ups.

# Across the attacks above, every requested action is decided once, the outcome rolls up, and no message is malformed.
test_attack_roll_ups_and_messages if {
	requests := [
		aunt_with({"guardians": [mom, dad_without_custody], "restrictions": [barring("per-mom", ["*"])]}),
		with_fields(
			aunt_with({"guardians": [mom], "restrictions": [barring("per-aunt", ["consent_sick"])]}),
			{"emergency": true},
		),
		asking(in_state(minor_with(aunt, [statement], []), "US-NC"), all_actions),
		with_desk(asking(in_state(minor_request, "US-MD"), all_actions), {"verbal_consent": [mom_by_word(["*"])]}),
		asking(
			with_fields(
				brought_by(minor_request, {"id": "per-x", "relationship": "neighbor", "age": 40}),
				{"patient": {"id": "pt-1", "birth_date": "2019-05-10"}},
			),
			all_actions,
		),
		asking(with_fields(incapable_adult_request, {"emergency": true}), all_actions),
	]
	every req in requests {
		d := decide(req)
		d.outcome != "invalid"
		{a | some a, _ in d.actions} == {a | some a in req.requested}
		d.outcome == rolled_up(d)
		well_formed(d)
		every r in d.actions {
			remedied(r)
		}
	}
}

# ---------------------------------------------------------------------------
# More combinations.

# Pennsylvania: a proxy one witness short fails, but the mother's phone consent still decides what it covers.
test_attack_pennsylvania_proxy_short_a_witness_beside_phone_consent if {
	req := with_desk(
		in_state(
			minor_with(aunt, [object.union(proxy, {"covers": ["*"], "witnesses": 1})], ["consent_sick", "consent_vaccine"]),
			"US-PA",
		),
		{"verbal_consent": [mom_by_phone(["consent_sick"])]},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "VERBAL_CONSENT"]
	verdict_basis(d.actions.consent_vaccine) == ["deny", "DOCUMENT_FORMALITIES"]
}

# The custodial mother barred from the sick visit, in an emergency: care goes ahead, and the father is told.
test_attack_emergency_with_the_mother_barred_from_the_care if {
	req := with_fields(
		asking(
			with_records(brought_by(minor_request, mom_companion), {
				"guardians": mom_and_dad,
				"restrictions": [barring("per-mom", ["consent_sick"])],
			}),
			["consent_sick", "consent_vaccine"],
		),
		{"emergency": true},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.consent_vaccine) == ["allow", "GUARDIAN"]
	contains(words(d.actions.consent_sick.conditions), "Luis Lopez")
	not contains(words(d.actions.consent_sick.conditions), "Ana Lopez")
	"FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# A guardian's own standing refusal does not bind her when she is at the desk.
test_attack_mothers_own_refusal_at_the_desk if {
	req := asking(
		with_records(brought_by(minor_request, mom_companion), {"refusals": [{"by": "per-mom", "covers": ["*"]}]}),
		["consent_sick", "pick_up"],
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow", "GUARDIAN"]
	verdict_basis(d.actions.pick_up) == ["allow", "GUARDIAN"]
}

# A guardian's refusal of bringing in and taking home binds the aunt who brought the child.
test_attack_refusal_of_presence_binds_the_accompanying_adult if {
	refusal := {"by": "per-mom", "covers": ["accompany", "pick_up"]}
	req := asking(with_records(minor_request, {"refusals": [refusal]}), ["accompany", "pick_up"])
	d := decide(req)
	verdict_basis(d.actions.accompany) == ["deny", "GUARDIAN_REFUSED"]
	verdict_basis(d.actions.pick_up) == ["deny", "GUARDIAN_REFUSED"]
}

# A New York placement from a court guardian barred from the sick visit gives nothing for it, and never names them.
test_attack_placement_from_a_court_guardian_barred_from_the_care if {
	court := {"person": "per-cg", "name": "Jo Appointee", "role": "court_guardian"}
	placement := {"id": "doc-6", "kind": "foster_placement", "granted_by": "per-cg", "grantee": "per-aunt", "covers": []}
	req := in_state(
		asking(
			with_records(minor_request, {
				"guardians": [court], "documents": [placement],
				"restrictions": [barring("per-cg", ["consent_sick"])],
			}),
			["consent_sick", "discuss_care"],
		),
		"US-NY",
	)
	d := decide(req)
	d.actions.consent_sick.verdict == "deny"
	count(d.actions.consent_sick.remedies) > 0
	not contains(staff_words(d), "Jo Appointee")
}

# A sitter's affidavit claiming to be a relative's is read as a non-relative's: school care only.
test_attack_california_sitter_claims_a_relative_affidavit if {
	sitter := object.union(aunt, {"relationship": "sitter", "lives_with_patient": true})
	doc := object.union(aunt_affidavit("2026-03-01"), {"relative": true})
	req := in_state(
		asking(brought_by(with_records(minor_request, {"documents": [doc]}), sitter), ["consent_sick", "consent_vaccine"]),
		"US-CA",
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["deny", "DOCUMENT_SCOPE"]
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "CAREGIVER_AFFIDAVIT"]
}

# An affidavit whose own list is narrower than the law's reaches only what it lists.
test_attack_california_affidavit_narrowed_by_its_list if {
	doc := object.union(aunt_affidavit("2026-03-01"), {"covers": ["consent_sick"]})
	d := decide(california_aunt([doc], ["consent_sick", "consent_vaccine"]))
	verdict_basis(d.actions.consent_sick) == ["allow", "CAREGIVER_AFFIDAVIT"]
	verdict_basis(d.actions.consent_vaccine) == ["deny", "DOCUMENT_SCOPE"]
}

# A restriction ending today still bars at 00:10 at +14:00; one that ended yesterday is over at 23:50 at -12:00.
test_attack_restriction_end_in_far_time_zones if {
	today := object.union(barring("per-aunt", ["pick_up"]), {"valid_until": "2026-11-22"})
	early := with_fields(
		asking(with_records(minor_request, {"restrictions": [today]}), ["pick_up"]),
		{"at": "2026-11-22T00:10:00+14:00"},
	)
	verdict_basis(ruling_for(early, "pick_up")) == ["deny", "RESTRICTED_BY_ORDER"]
	yesterday := object.union(today, {"valid_until": "2026-11-21"})
	late := with_fields(
		asking(with_records(minor_request, {"restrictions": [yesterday]}), ["pick_up"]),
		{"at": "2026-11-22T23:50:00-12:00"},
	)
	verdict_basis(ruling_for(late, "pick_up")) == ["allow", "ACCOMPANYING_ADULT"]
}

# The father's HIPAA authorization beside the barred mother's proxy: information by his, consent by nobody's.
test_attack_fathers_hipaa_beside_a_barred_mothers_proxy if {
	dads_hipaa := object.union(hipaa, {"granted_by": "per-dad", "grantee": "per-aunt", "covers": ["*"]})
	req := asking(
		with_records(minor_request, {
			"guardians": mom_and_dad,
			"documents": [object.union(proxy, {"covers": ["*"]}), dads_hipaa],
			"restrictions": [barring("per-mom", ["*"])],
		}),
		["consent_sick", "receive_records"],
	)
	d := decide(req)
	verdict_basis(d.actions.receive_records) == ["allow", "HIPAA_AUTHORIZATION"]
	d.actions.consent_sick.verdict == "deny"
	not contains(staff_words(d), "Ana Lopez")
}

# An incapable adult's court guardian barred from records decides everything else, and gets no records.
test_attack_adults_court_guardian_barred_from_records if {
	court := {"person": "per-friend", "name": "Lee Ford", "role": "court_guardian"}
	req := asking(
		with_records(incapable_adult_request, {
			"guardians": [court],
			"restrictions": [barring("per-friend", ["receive_records"])],
		}),
		["consent_procedure", "receive_records"],
	)
	d := decide(req)
	verdict_basis(d.actions.consent_procedure) == ["allow", "GUARDIAN"]
	verdict_basis(d.actions.receive_records) == ["deny", "RESTRICTED_BY_ORDER"]
}

# A capable adult's standing designation does not outrun a restriction on the person named.
test_attack_designation_of_a_person_barred_from_pick_up if {
	req := asking(
		with_records(adult_request, {
			"designations": [{"person": "per-friend", "covers": ["*"]}],
			"restrictions": [barring("per-friend", ["pick_up"])],
		}),
		["discuss_care", "pick_up"],
	)
	d := decide(req)
	verdict_basis(d.actions.discuss_care) == ["allow", "PATIENT_DESIGNATION"]
	verdict_basis(d.actions.pick_up) == ["deny", "RESTRICTED_BY_ORDER"]
}

# A limited agent beside another, full agent: the limited one consents within the document only.
test_attack_limited_agent_beside_a_full_agent if {
	limited := object.union(poa, {"grantee": "per-friend", "covers": ["consent_sick"]})
	full := {"id": "doc-7", "kind": "healthcare_poa", "granted_by": "pt-8", "grantee": "per-son", "covers": []}
	req := asking(
		with_records(incapable_adult_request, {"documents": [limited, full]}),
		["consent_sick", "consent_procedure"],
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow", "HEALTHCARE_AGENT"]
	verdict_basis(d.actions.consent_procedure) == ["deny", "DOCUMENT_SCOPE"]
}

# ---------------------------------------------------------------------------
# Fields left out, and values of the wrong kind.

# A proxy with no list of actions covers nothing, never everything.
test_attack_proxy_without_a_list_of_actions if {
	unlisted := json.remove(proxy, ["covers"])
	r := ruling_for(minor_with(aunt, [unlisted], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_SCOPE"]
}

# An affidavit with no signing date has no validity to count, and the refusal says so.
test_attack_california_affidavit_without_a_signing_date if {
	undated := json.remove(aunt_affidavit("2026-03-01"), ["signed_on"])
	r := ruling_for(california_aunt([undated], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
	contains(r.reasons[0].message, "no signing date")
}

# A grantee who gives no name and no identity is "the companion", and must show photo ID.
test_attack_unnamed_unverified_grantee if {
	person := {"id": "per-aunt", "relationship": "aunt_uncle", "age": 35}
	d := decide(minor_with(person, [proxy], ["consent_sick"]))
	r := d.actions.consent_sick
	verdict_basis(r) == ["allow_with_conditions", "PROXY_AUTHORIZATION"]
	code_set(r.conditions) == {"VERIFY_PHOTO_ID"}
	contains(r.reasons[0].message, "the companion")
	well_formed(d)
}

# An agent's power of attorney ending within 30 days decides, is copied, and is flagged for renewal.
test_attack_agent_document_expiring_soon if {
	soon_over := object.union(poa, {"valid_until": "2026-12-01"})
	req := asking(with_records(brought_by(incapable_adult_request, son), {"documents": [soon_over]}), ["consent_sick"])
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow", "HEALTHCARE_AGENT"]
	"COPY_DOCUMENT" in code_set(d.obligations)
	"DOCUMENT_EXPIRES_SOON" in code_set(d.notices)
}

# A leap-day birthday: 17 on 28 February, 18 on 1 March.
test_attack_leap_day_birthday if {
	on_28th := with_fields(mother_of("2008-02-29", "US-GU"), {"at": "2026-02-28T12:00:00Z"})
	verdict_basis(ruling_for(on_28th, "consent_sick")) == ["allow", "GUARDIAN"]
	on_1st := with_fields(mother_of("2008-02-29", "US-GU"), {"at": "2026-03-01T12:00:00Z"})
	verdict_basis(ruling_for(on_1st, "consent_sick")) == ["deny", "PATIENT_DECIDES"]
}

# Values of the wrong kind are invalid, naming the field, and nothing is decided on them.
test_attack_wrong_kinds_of_value if {
	cases := [
		[with_fields(minor_request, {"emergency": "true"}), "emergency"],
		[with_desk(minor_request, {"guardian_unreachable": "yes"}), "desk.guardian_unreachable"],
		[
			with_records(minor_request, {"guardians": [object.union(mom, {"legal_custody": "false"})]}),
			"records.guardians[0].legal_custody",
		],
		[minor_with(aunt, [object.union(proxy, {"revoked": "true"})], ["consent_sick"]), "records.documents[0].revoked"],
		[
			in_state(minor_with(aunt, [object.union(proxy, {"witnesses": "2"})], ["consent_sick"]), "US-PA"),
			"records.documents[0].witnesses",
		],
		[
			minor_with(aunt, [object.union(proxy, {"valid_until": "2027-02-30"})], ["consent_sick"]),
			"records.documents[0].valid_until",
		],
		[with_records(minor_request, {"guardians": [json.remove(mom, ["role"])]}), "records.guardians[0].role"],
		[with_fields(minor_request, {"at": "2026-11-22T09:30:00"}), "at"],
	]
	every c in cases {
		d := decide(c[0])
		d.outcome == "invalid"
		c[1] in problem_fields(d)
		count(d.actions) == 0
	}
}
