# Attacks on the decision rules: requests crafted to get a child released to
# the wrong adult, information to a restricted or non-custodial parent,
# consent from someone without authority, or a teen past a guardian, each
# with what the policy must answer instead. Every test here is a probe that
# the policy withstands.
package checkin_test

# ---------------------------------------------------------------------------
# People and records the attacks combine.

# The father, custodial, on file beside the mother.
mom_and_dad := [mom, dad]

# The father on file without legal custody.
dad_without_custody := object.union(dad, {"legal_custody": false})

# A restriction barring this person from these actions, with no end date.
barring(person, actions) := {"person": person, "covers": actions, "source": "protective_order"}

# A teenager, the patient herself, born on this day.
teen_patient(birth_date, statuses) := brought_by(
	with_fields(minor_request, {"patient": {
		"id": "pt-1", "name": "Maya Cruz",
		"birth_date": birth_date, "statuses": statuses,
	}}),
	{"id": "pt-1", "name": "Maya Cruz", "relationship": "self", "age": 12, "identity": "photo_id"},
)

# The aunt's authorization from the mother, narrowed to these actions.
proxy_for(actions) := object.union(proxy, {"covers": actions})

# The aunt in this jurisdiction, the guardians unreachable or not.
aunt_in(jurisdiction, unreachable, actions) := with_desk(
	asking(with_fields(minor_request, {"jurisdiction": jurisdiction}), actions),
	{"guardian_unreachable": unreachable},
)

# The request, decided in this jurisdiction.
in_state(req, code) := with_fields(req, {"jurisdiction": code})

# The strict office of the seed story.
strict_office := {"practice": "strict"}

# The aunt, barred from everything.
restricted_aunt := with_records(minor_request, {"restrictions": [barring("per-aunt", ["*"])]})

# A refusal says how to get to a yes.
remedied(r) if r.verdict != "deny"

remedied(r) if count(r.remedies) > 0

# Messages of a list of notes, joined, to look for a name in them.
words(notes) := concat(" | ", [n.message | some n in notes])

# ---------------------------------------------------------------------------
# Restrictions (rule 3).

# A restriction on its last day still bars the aunt; the refusal calls the mother first, then the order.
test_attack_restriction_on_its_last_day if {
	restriction := object.union(barring("per-aunt", ["accompany"]), {"valid_until": "2026-11-22"})
	d := decide(with_records(minor_request, {"restrictions": [restriction]}))
	verdict_basis(d.actions.accompany) == ["deny", "RESTRICTED_BY_ORDER"]
	codes(d.actions.accompany.remedies) == ["CALL_GUARDIAN", "BRING_COURT_ORDER"]
	contains(d.actions.accompany.remedies[0].message, "Ana Lopez")
	"FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# A restriction that ended yesterday bars nobody.
test_attack_restriction_ended_yesterday if {
	restriction := object.union(barring("per-aunt", ["accompany"]), {"valid_until": "2026-11-21"})
	d := decide(with_records(minor_request, {"restrictions": [restriction]}))
	verdict_basis(d.actions.accompany) == ["allow_with_conditions", "ADULT_COMPANION"]
	not "FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# A restricted aunt in an emergency: care goes ahead, but she is neither told nor lets the child be with her.
test_attack_restricted_companion_in_emergency if {
	req := with_fields(
		asking(restricted_aunt, ["consent_sick", "discuss_care", "pick_up"]),
		{"emergency": true},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	code_set(d.actions.consent_sick.conditions) == {"NOTIFY_GUARDIAN", "DOCUMENT_EMERGENCY"}
	verdict_basis(d.actions.discuss_care) == ["deny", "RESTRICTED_BY_ORDER"]
	verdict_basis(d.actions.pick_up) == ["deny", "RESTRICTED_BY_ORDER"]
	"FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
	d.outcome == "partial"
}

# In an emergency with the only guardian barred too, nobody barred is named to be told.
test_attack_emergency_never_notifies_a_barred_guardian if {
	req := with_fields(
		asking(with_records(minor_request, {"restrictions": [barring("per-aunt", ["*"]), barring("per-mom", ["*"])]}), [
			"consent_sick",
		]),
		{"emergency": true},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	not contains(words(d.actions.consent_sick.conditions), "Ana Lopez")
	not contains(words(d.obligations), "Ana Lopez")
}

# A custodial mother barred from consenting is not a guardian who "could consent anyway" in an emergency.
test_attack_emergency_with_a_mother_barred_from_consent if {
	req := with_fields(
		asking(
			with_records(brought_by(minor_request, mom_companion), {
				"guardians": mom_and_dad,
				"restrictions": [barring("per-mom", ["consent_sick"])],
			}),
			["consent_sick"],
		),
		{"emergency": true},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "EMERGENCY"]
	contains(words(r.conditions), "Luis Lopez")
	not contains(words(r.conditions), "Ana Lopez")
}

# The mother barred from consent signs no consent: her proxy still takes the child home, never to the sick visit.
test_attack_proxy_from_a_mother_barred_from_consent if {
	req := minor_with(aunt, [proxy], ["consent_sick", "pick_up"])
	d := decide(with_records(req, {"guardians": mom_and_dad, "restrictions": [barring("per-mom", ["consent_sick"])]}))
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
	not contains(words(d.actions.consent_sick.remedies), "Ana Lopez")
	contains(words(d.actions.consent_sick.remedies), "Luis Lopez")
	verdict_basis(d.actions.pick_up) == ["allow", "PROXY_AUTHORIZATION"]
}

# An expired authorization from a barred mother is never offered for renewal.
test_attack_expired_proxy_from_a_barred_mother if {
	expired := object.union(proxy_for(["consent_sick"]), {"valid_until": "2026-11-01"})
	req := with_records(minor_with(aunt, [expired], ["consent_sick"]), {
		"guardians": mom_and_dad,
		"restrictions": [barring("per-mom", ["*"])],
	})
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
	not "RENEW_DOCUMENT" in code_set(r.remedies)
	not contains(words(r.remedies), "Ana Lopez")
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
}

# A barred father's consent by phone counts for nothing, and he is not the one to call.
test_attack_phone_consent_from_a_barred_father if {
	req := with_desk(
		with_records(asking(minor_request, ["consent_sick"]), {
			"guardians": mom_and_dad,
			"restrictions": [barring("per-dad", ["*"])],
		}),
		{"verbal_consent": [{"from": "per-dad", "covers": ["consent_sick"], "witness": "staff-3"}]},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	not contains(words(r.remedies), "Luis Lopez")
}

# A father without legal custody cannot consent by phone either.
test_attack_phone_consent_from_a_father_without_custody if {
	req := with_desk(
		with_records(asking(minor_request, ["consent_sick"]), {"guardians": [mom, dad_without_custody]}),
		{"verbal_consent": [{"from": "per-dad", "covers": ["consent_sick"], "witness": "staff-3"}]},
	)
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	contains(r.remedies[0].message, "Ana Lopez")
}

# A father barred from vaccines cannot block them with a standing refusal.
test_attack_refusal_by_a_father_barred_from_it if {
	req := with_records(minor_with(aunt, [proxy_for(["consent_vaccine"])], ["consent_vaccine"]), {
		"guardians": mom_and_dad,
		"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}],
		"restrictions": [barring("per-dad", ["consent_vaccine"])],
	})
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["allow", "PROXY_AUTHORIZATION"]
}

# A father barred only from pick-up still refuses vaccines, but the desk is sent to the manager, not to him.
test_attack_refusal_by_a_father_barred_from_something_else if {
	req := with_records(minor_with(aunt, [proxy_for(["consent_vaccine"])], ["consent_vaccine"]), {
		"guardians": mom_and_dad,
		"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}],
		"restrictions": [barring("per-dad", ["pick_up"])],
	})
	r := ruling_for(req, "consent_vaccine")
	verdict_basis(r) == ["deny", "GUARDIAN_REFUSED"]
	codes(r.remedies) == ["CALL_GUARDIAN"]
	contains(words(r.remedies), "Ana Lopez")
	not contains(words(r.remedies), "Luis Lopez")
}

# The only guardian restricted and at the desk: no guardian to call, the order is the way forward.
test_attack_only_guardian_restricted if {
	barred_from_pick_up := {"restrictions": [barring("per-mom", ["pick_up"])]}
	mom_barred := with_records(brought_by(minor_request, mom_companion), barred_from_pick_up)
	req := asking(mom_barred, ["pick_up", "consent_sick"])
	d := decide(req)
	verdict_basis(d.actions.pick_up) == ["deny", "RESTRICTED_BY_ORDER"]
	codes(d.actions.pick_up.remedies) == ["BRING_COURT_ORDER"]
	verdict_basis(d.actions.consent_sick) == ["allow", "GUARDIAN"]
}

# ---------------------------------------------------------------------------
# Delegates (rule 8).

# An authorization covering everything still never consents to a reserved procedure.
test_attack_proxy_covering_everything_and_a_procedure if {
	d := decide(minor_with(aunt, [proxy_for(["*"])], ["consent_procedure", "consent_vaccine"]))
	verdict_basis(d.actions.consent_procedure) == ["deny", "GUARDIAN_REQUIRED"]
	codes(d.actions.consent_procedure.remedies) == ["CALL_GUARDIAN"]
	verdict_basis(d.actions.consent_vaccine) == ["allow", "PROXY_AUTHORIZATION"]
}

# An authorization dated tomorrow is not yet in force and is not "renewed".
test_attack_proxy_not_yet_in_force if {
	early := object.union(proxy, {"valid_from": "2026-11-23"})
	r := ruling_for(minor_with(aunt, [early], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_YET_VALID"]
	not "RENEW_DOCUMENT" in code_set(r.remedies)
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
}

# A revoked authorization that has also expired is refused as revoked, and is not renewed.
test_attack_revoked_and_expired_proxy if {
	dead := object.union(proxy, {"revoked": true, "valid_until": "2026-01-01"})
	r := ruling_for(minor_with(aunt, [dead], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_REVOKED"]
	not "RENEW_DOCUMENT" in code_set(r.remedies)
}

# An authorization on its last day counts, and the desk hears it expires.
test_attack_proxy_on_its_last_day if {
	last := object.union(proxy, {"valid_until": "2026-11-22"})
	d := decide(minor_with(aunt, [last], ["consent_sick"]))
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
	"DOCUMENT_EXPIRES_SOON" in code_set(d.notices)
}

# An authorization signed by a parent without legal custody gives nothing; the custodial one is called.
test_attack_proxy_from_a_parent_without_custody if {
	mom_without_custody := object.union(mom, {"legal_custody": false})
	req := with_records(minor_with(aunt, [proxy], ["consent_sick"]), {"guardians": [mom_without_custody, dad]})
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
	contains(words(r.remedies), "Luis Lopez")
}

# Pennsylvania's two witnesses: one is not enough, and the reason names Pennsylvania.
test_attack_pennsylvania_proxy_with_one_witness if {
	req := in_state(minor_with(aunt, [object.union(proxy, {"witnesses": 1})], ["consent_sick"]), "US-PA")
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_FORMALITIES"]
	contains(r.reasons[0].message, "Pennsylvania law")
}

# Tennessee vaccines by phone: written consent only, and the remedy is the written form.
test_attack_tennessee_vaccine_by_phone if {
	by_phone := {"verbal_consent": [mom_by_phone(["consent_vaccine"])]}
	req := with_desk(aunt_in("US-TN", false, ["consent_vaccine"]), by_phone)
	r := ruling_for(req, "consent_vaccine")
	verdict_basis(r) == ["deny", "WRITTEN_CONSENT_REQUIRED"]
	codes(r.remedies) == ["WRITTEN_GUARDIAN_CONSENT"]
	contains(r.reasons[0].message, "Tennessee law")
}

# The strict office: no consent by phone, no entry without authorization, but the child leaves with who brought them.
test_attack_strict_office_phone_consent if {
	req := with_desk(
		with_fields(asking(minor_request, ["consent_sick", "accompany", "school_note", "pick_up"]), strict_office),
		{"verbal_consent": [mom_by_phone(["consent_sick"])]},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["deny", "WRITTEN_CONSENT_REQUIRED"]
	verdict_basis(d.actions.accompany) == ["deny", "AUTHORIZATION_REQUIRED"]
	verdict_basis(d.actions.school_note) == ["deny", "NO_AUTHORITY"]
	verdict_basis(d.actions.pick_up) == ["allow", "ACCOMPANYING_ADULT"]
	every r in d.actions {
		remedied(r)
	}
}

# Texas relatives: with a guardian reachable, a call first, a form next, the statute last.
test_attack_texas_aunt_while_the_mother_is_reachable if {
	r := ruling_for(aunt_in("US-TX", false, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM", "GUARDIAN_UNREACHABLE_STATUTE"]
}

# Texas relatives: once no guardian can be reached, the statute decides, the attempts recorded.
test_attack_texas_aunt_once_the_mother_is_unreachable if {
	r := ruling_for(aunt_in("US-TX", true, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
	codes(r.conditions) == ["DOCUMENT_CONTACT_ATTEMPTS"]
}

# The statute yields to the practice's reservation: no procedure on an unreachable guardian's behalf.
test_attack_texas_statute_and_a_reserved_procedure if {
	r := ruling_for(aunt_in("US-TX", true, ["consent_procedure"]), "consent_procedure")
	verdict_basis(r) == ["deny", "GUARDIAN_REQUIRED"]
}

# A guardian's standing refusal binds the statute too.
test_attack_texas_statute_against_a_refusal if {
	refusal := {"by": "per-mom", "covers": ["consent_sick"]}
	req := with_records(aunt_in("US-TX", true, ["consent_sick"]), {"refusals": [refusal]})
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "GUARDIAN_REFUSED"]
}

# California, guardians unreachable: the affidavit the aunt can sign herself comes before any call.
test_attack_california_unreachable_offers_the_affidavit_first if {
	r := ruling_for(aunt_in("US-CA", true, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["CAREGIVER_AFFIDAVIT", "CALL_GUARDIAN", "SIGN_PROXY_FORM"]
	contains(r.remedies[0].message, "California law")
}

# A consent by phone the desk recorded for another action does not stop the statute from deciding this one.
test_attack_statute_beside_an_unrelated_phone_consent if {
	req := with_desk(aunt_in("US-TX", true, ["consent_sick"]), {
		"guardian_unreachable": true,
		"verbal_consent": [mom_by_phone(["consent_vaccine"])],
	})
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow_with_conditions", "STATUTORY_RELATIVE"]
}

# An authorization for pick-up only does not hide the mother's consent by phone for the visit.
test_attack_phone_consent_beside_a_narrow_proxy if {
	narrow := minor_with(aunt, [proxy_for(["pick_up"])], ["consent_sick"])
	req := with_desk(narrow, {"verbal_consent": [mom_by_phone(["consent_sick"])]})
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow_with_conditions", "VERBAL_CONSENT"]
}

# A self-signed statement, where the law accepts one, covers vaccines only, and a refusal still binds it.
test_attack_attested_delegation_self_signed_statement if {
	own := object.union(proxy_for(["consent_vaccine", "consent_sick"]), {"granted_by": "per-aunt"})
	req := with_fields(minor_with(aunt, [own], ["consent_vaccine", "consent_sick"]), {"jurisdiction": "US-XX"})
	d := decide(req) with data.jurisdictions as attested_statement_state
	verdict_basis(d.actions.consent_vaccine) == ["allow", "PROXY_AUTHORIZATION"]
	verdict_basis(d.actions.consent_sick) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
	refused := with_records(req, {"refusals": [{"by": "per-mom", "covers": ["consent_vaccine"]}]})
	verdict_basis(ruling_for(refused, "consent_vaccine")) == ["deny", "GUARDIAN_REFUSED"]
		with data.jurisdictions as attested_statement_state
}

# One guardian's phone consent against the other's refusal: allowed, the disagreement noted.
test_attack_phone_consent_against_the_other_parents_refusal if {
	req := with_desk(
		with_records(asking(minor_request, ["consent_procedure"]), {
			"guardians": mom_and_dad,
			"refusals": [{"by": "per-dad", "covers": ["consent_procedure"]}],
		}),
		{"verbal_consent": [mom_by_phone(["consent_procedure"])]},
	)
	r := ruling_for(req, "consent_procedure")
	verdict_basis(r) == ["allow_with_conditions", "VERBAL_CONSENT"]
	code_set(r.conditions) == {"DOCUMENT_VERBAL_CONSENT", "GUARDIANS_DISAGREE"}
}

# A delegate's authorization against the other parent's refusal: refused.
test_attack_proxy_against_the_other_parents_refusal if {
	req := with_records(minor_with(aunt, [proxy_for(["consent_vaccine"])], ["consent_vaccine"]), {
		"guardians": mom_and_dad,
		"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}],
	})
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["deny", "GUARDIAN_REFUSED"]
}

# A foster placement signed by the mother is no placement.
test_attack_foster_placement_from_a_parent if {
	from_mom := object.union(foster, {"granted_by": "per-mom"})
	r := ruling_for(minor_with(neighbor, [from_mom], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
}

# An agency's placement reaches routine care, not vaccines or procedures.
test_attack_foster_placement_beyond_its_scope if {
	d := decide(fostered(minor_with(neighbor, [foster], ["consent_sick", "consent_vaccine", "consent_procedure"])))
	verdict_basis(d.actions.consent_sick) == ["allow", "FOSTER_PLACEMENT"]
	verdict_basis(d.actions.consent_vaccine) == ["deny", "DOCUMENT_SCOPE"]
	verdict_basis(d.actions.consent_procedure) == ["deny", "GUARDIAN_REQUIRED"]
}

# A HIPAA authorization asked for consent gives none; it still opens the records.
test_attack_hipaa_authorization_asked_for_consent if {
	d := decide(minor_with(grandma, [hipaa], ["consent_sick", "receive_records"]))
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
	codes(d.actions.consent_sick.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
	verdict_basis(d.actions.receive_records) == ["allow", "HIPAA_AUTHORIZATION"]
}

# A HIPAA authorization from a mother barred from the records opens nothing of them.
test_attack_hipaa_authorization_from_a_barred_mother if {
	req := with_records(minor_with(grandma, [hipaa], ["receive_records"]), {
		"guardians": mom_and_dad,
		"restrictions": [barring("per-mom", ["receive_records"])],
	})
	r := ruling_for(req, "receive_records")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	not contains(words(r.remedies), "Ana Lopez")
}

# A 15-year-old sibling with nothing on file is too young for anything.
test_attack_teen_sibling_with_nothing_on_file if {
	teen := object.union(aunt, {"id": "per-sib", "name": "Kai Lopez", "relationship": "sibling", "age": 15})
	d := decide(asking(brought_by(minor_request, teen), ["accompany", "pick_up", "discuss_care"]))
	every r in d.actions {
		verdict_basis(r) == ["deny", "COMPANION_TOO_YOUNG"]
	}
	d.outcome == "refuse"
}

# A 15-year-old sibling holding the mother's authorization holds nothing by it.
test_attack_teen_sibling_with_a_proxy if {
	teen := object.union(aunt, {"id": "per-sib", "name": "Kai Lopez", "relationship": "sibling", "age": 15})
	given := object.union(proxy, {"grantee": "per-sib"})
	d := decide(minor_with(teen, [given], ["consent_sick", "pick_up"]))
	verdict_basis(d.actions.consent_sick) == ["deny", "COMPANION_TOO_YOUNG"]
	verdict_basis(d.actions.pick_up) == ["deny", "COMPANION_TOO_YOUNG"]
}

# ---------------------------------------------------------------------------
# A teen past a guardian (rule 2).

# The day before her twelfth birthday she may not consent alone, nor hear about her care.
test_attack_self_consent_the_day_before_twelve if {
	d := decide(asking(teen_patient("2014-11-23", []), ["consent_confidential", "discuss_care"]))
	verdict_basis(d.actions.consent_confidential) == ["deny", "MINOR_NEEDS_GUARDIAN"]
	verdict_basis(d.actions.discuss_care) == ["deny", "MINOR_NEEDS_GUARDIAN"]
	codes(d.actions.consent_confidential.remedies) == ["CALL_GUARDIAN"]
}

# On her twelfth birthday: confidential care alone, kept from parents; no sick visit, no leaving alone.
test_attack_self_consent_on_the_twelfth_birthday if {
	asked := ["consent_confidential", "consent_sick", "receive_records", "pick_up"]
	d := decide(asking(teen_patient("2014-11-22", []), asked))
	verdict_basis(d.actions.consent_confidential) == ["allow_with_conditions", "MINOR_SELF_CONSENT"]
	codes(d.actions.consent_confidential.conditions) == ["KEEP_CONFIDENTIAL"]
	contains(d.actions.consent_confidential.reasons[0].message, "the default rules (no profile for US-GU)")
	verdict_basis(d.actions.consent_sick) == ["deny", "MINOR_NEEDS_GUARDIAN"]
	codes(d.actions.receive_records.conditions) == ["LIMIT_TO_SELF_CONSENTED_CARE"]
	verdict_basis(d.actions.pick_up) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# Idaho lets no minor consent alone: neither the care nor its records.
test_attack_self_consent_in_idaho if {
	d := decide(in_state(asking(teen_patient("2012-01-01", []), ["consent_confidential", "discuss_care"]), "US-ID"))
	every r in d.actions {
		verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
	}
}

# Pregnancy lets a Texas 14-year-old consent to vaccines, named in the reason, not to a sick visit.
test_attack_pregnant_teen_in_texas if {
	asked := asking(teen_patient("2012-01-01", ["pregnant"]), ["consent_vaccine", "consent_sick"])
	d := decide(in_state(asked, "US-TX"))
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "MINOR_SELF_CONSENT"]
	"LIMIT_TO_SELF_CONSENTED_CARE" in code_set(d.actions.consent_vaccine.conditions)
	contains(d.actions.consent_vaccine.reasons[0].message, "pregnant")
	contains(d.actions.consent_vaccine.reasons[0].message, "Texas law")
	verdict_basis(d.actions.consent_sick) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# A claimed status that does not emancipate (pregnancy, by default) makes no adult.
test_attack_claimed_pregnancy_does_not_emancipate_by_default if {
	claimed := teen_patient("2012-01-01", ["pregnant", "self_supporting"])
	r := ruling_for(asking(claimed, ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# A child alone in an emergency gets the care; nothing else, and a guardian is told.
test_attack_minor_alone_in_an_emergency if {
	alone := asking(teen_patient("2016-01-01", []), ["consent_procedure", "pick_up", "discuss_care"])
	req := with_fields(alone, {"emergency": true})
	d := decide(req)
	verdict_basis(d.actions.consent_procedure) == ["allow_with_conditions", "EMERGENCY"]
	contains(words(d.actions.consent_procedure.conditions), "Ana Lopez")
	verdict_basis(d.actions.pick_up) == ["deny", "MINOR_NEEDS_GUARDIAN"]
	verdict_basis(d.actions.discuss_care) == ["deny", "MINOR_NEEDS_GUARDIAN"]
}

# ---------------------------------------------------------------------------
# Guardians (rule 7) and emergencies with one at the desk.

# A father without custody may not consent, but may take the child home and hear about care; his ID is checked.
test_attack_father_without_custody if {
	unverified_dad := object.union(dad_companion, {"identity": "unverified", "brought_patient": false})
	asked := asking(brought_by(minor_request, unverified_dad), ["consent_sick", "pick_up", "receive_records"])
	req := with_records(asked, {"guardians": [mom, dad_without_custody]})
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_LEGAL_CUSTODY"]
	codes(d.actions.consent_sick.remedies) == ["CALL_GUARDIAN", "BRING_COURT_ORDER"]
	verdict_basis(d.actions.pick_up) == ["allow_with_conditions", "PARENT"]
	codes(d.actions.pick_up.conditions) == ["VERIFY_PHOTO_ID"]
}

# A custodial mother in an emergency consents as usual; the father's refusal is noted, not obeyed.
test_attack_emergency_with_the_custodial_mother_at_the_desk if {
	req := with_fields(
		with_records(asking(brought_by(minor_request, mom_companion), ["consent_procedure"]), {
			"guardians": mom_and_dad,
			"refusals": [{"by": "per-dad", "covers": ["consent_procedure"]}],
		}),
		{"emergency": true},
	)
	r := ruling_for(req, "consent_procedure")
	verdict_basis(r) == ["allow_with_conditions", "GUARDIAN"]
	codes(r.conditions) == ["GUARDIANS_DISAGREE"]
}

# An aunt whose authorization lacks Pennsylvania's witnesses: emergency care goes ahead, the records do not.
test_attack_emergency_with_a_flawed_authorization if {
	flawed := object.union(proxy_for(["consent_sick"]), {"witnesses": 1})
	asked := minor_with(aunt, [flawed], ["consent_sick", "receive_records"])
	req := with_fields(asked, {"jurisdiction": "US-PA", "emergency": true})
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.receive_records) == ["deny", "NO_AUTHORITY"]
}

# ---------------------------------------------------------------------------
# Adult patients (rules 5 and 6).

# A capable adult's healthcare agent does not consent for her; the records need her own authorization.
test_attack_agent_of_a_capable_adult if {
	agent_doc := object.union(poa, {"granted_by": "pt-9", "grantee": "per-friend"})
	d := decide(asking(with_records(adult_request, {"documents": [agent_doc]}), ["consent_sick", "receive_records"]))
	verdict_basis(d.actions.consent_sick) == ["deny", "PATIENT_DECIDES"]
	codes(d.actions.consent_sick.remedies) == ["ASK_PATIENT"]
	verdict_basis(d.actions.receive_records) == ["deny", "NO_AUTHORITY"]
}

# A HIPAA authorization for an adult's records signed by someone else opens nothing.
test_attack_adult_records_on_someone_elses_authorization if {
	other := {
		"id": "doc-7", "kind": "hipaa_authorization", "granted_by": "per-x", "grantee": "per-friend",
		"covers": ["receive_records"],
	}
	r := ruling_for(asking(with_records(adult_request, {"documents": [other]}), ["receive_records"]), "receive_records")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["ASK_PATIENT"]
}

# An adult's designation never reaches consent, and needs ID when unverified.
test_attack_designation_asked_for_consent if {
	unverified := object.union(friend, {"identity": "unverified"})
	asked := asking(brought_by(adult_request, unverified), ["consent_sick", "receive_records"])
	req := with_records(asked, {"designations": [{"person": "per-friend", "covers": ["*"]}]})
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["deny", "PATIENT_DECIDES"]
	verdict_basis(d.actions.receive_records) == ["allow_with_conditions", "PATIENT_DESIGNATION"]
	codes(d.actions.receive_records.conditions) == ["VERIFY_PHOTO_ID"]
}

# An absent adult who has named nobody: nobody takes them home.
test_attack_absent_adult_pick_up if {
	absent := object.union(adult_request.patient, {"present": false})
	req := asking(with_fields(adult_request, {"patient": absent}), ["pick_up", "discuss_care"])
	d := decide(req)
	verdict_basis(d.actions.pick_up) == ["deny", "PATIENT_ABSENT"]
	verdict_basis(d.actions.discuss_care) == ["deny", "PATIENT_ABSENT"]
	d.outcome == "refuse"
}

# A limited agent decides within the document only; outside it, the care instructions, and emergencies go ahead.
test_attack_limited_agent_outside_the_document if {
	limited := object.union(poa, {"covers": ["consent_sick"]})
	with_agent := with_records(brought_by(incapable_adult_request, son), {"documents": [limited]})
	req := asking(with_agent, ["consent_sick", "consent_procedure", "receive_records", "discuss_care"])
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow", "HEALTHCARE_AGENT"]
	verdict_basis(d.actions.consent_procedure) == ["deny", "DOCUMENT_SCOPE"]
	verdict_basis(d.actions.receive_records) == ["deny", "DOCUMENT_SCOPE"]
	verdict_basis(d.actions.discuss_care) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	urgent := with_fields(req, {"emergency": true})
	verdict_basis(ruling_for(urgent, "consent_procedure")) == ["allow_with_conditions", "EMERGENCY"]
}

# A 17-year-old with an adult lacking capacity is too young to be a surrogate or a companion.
test_attack_teen_companion_of_an_incapable_adult if {
	grandson := object.union(son, {"id": "per-gs", "name": "Tim Hahn", "relationship": "other_relative", "age": 17})
	d := decide(asking(brought_by(incapable_adult_request, grandson), ["consent_sick", "discuss_care", "accompany"]))
	every r in d.actions {
		verdict_basis(r) == ["deny", "COMPANION_TOO_YOUNG"]
	}
}

# ---------------------------------------------------------------------------
# The practice's own rules, and the roll-up.

# An overlay's pick-up rule binds a sitter even with the mother's authorization; the other actions stand.
test_attack_overlay_pick_up_rule_against_a_proxy if {
	no_sitters := {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "No release to a sitter."}
	overlay := {"restrictions": [no_sitters]}
	sitter := object.union(aunt, {"id": "per-sit", "name": "Sue Hart", "relationship": "sitter"})
	given := object.union(proxy, {"grantee": "per-sit"})
	req := asking(with_records(brought_by(minor_request, sitter), {"documents": [given]}), ["pick_up", "consent_sick"])
	d := decide(req) with data.overlay as overlay
	verdict_basis(d.actions.pick_up) == ["deny", "PRACTICE_POLICY"]
	codes(d.actions.pick_up.remedies) == ["CALL_GUARDIAN", "ASK_MANAGER"]
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
	d.outcome == "partial"
}

# An overlay's pick-up rule never stops care that cannot wait.
test_attack_overlay_restriction_in_an_emergency if {
	overlay := {"restrictions": [{"covers": ["*"], "message": "Not today."}]}
	req := with_fields(asking(minor_request, ["consent_sick", "pick_up"]), {"emergency": true})
	d := decide(req) with data.overlay as overlay
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.pick_up) == ["deny", "RESTRICTED_BY_ORDER"]
}

# Every action asked for is decided, and every refusal says how to get to a yes.
test_attack_every_action_decided_and_every_refusal_remedied if {
	d := decide(minor_with(aunt, [proxy_for(["consent_sick"])], all_actions))
	count(d.actions) == count(all_actions)
	every r in d.actions {
		remedied(r)
	}
	d.outcome == "partial"
}

# A fractional age is invalid, and nothing is allowed on it.
test_attack_fractional_age_is_invalid if {
	d := decide(brought_by(minor_request, object.union(aunt, {"age": 17.5})))
	d.outcome == "invalid"
	d.actions == {}
}

# ---------------------------------------------------------------------------
# State laws a companion leans on.

# Maryland lets a parent delegate vaccines by word of mouth, and nothing else.
test_attack_maryland_word_of_mouth if {
	relayed := {"from": "per-mom", "covers": ["consent_vaccine", "consent_sick"]}
	d := decide(with_desk(aunt_in("US-MD", false, ["consent_vaccine", "consent_sick"]), {"verbal_consent": [relayed]}))
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "VERBAL_CONSENT"]
	verdict_basis(d.actions.consent_sick) == ["deny", "NO_AUTHORITY"]
}

# A sitter's California affidavit is a non-relative's, whatever it claims: school vaccines only.
test_attack_sitter_with_a_relative_affidavit_in_california if {
	sitter := object.union(grandma, {"id": "per-sit", "name": "Sue Hart", "relationship": "sitter"})
	claimed := object.union(affidavit, {"grantee": "per-sit", "relative": true})
	req := in_state(minor_with(sitter, [claimed], ["consent_vaccine", "consent_sick"]), "US-CA")
	d := decide(req)
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "CAREGIVER_AFFIDAVIT"]
	codes(d.actions.consent_vaccine.conditions) == ["LIMIT_TO_SCHOOL_CARE"]
	verdict_basis(d.actions.consent_sick) == ["deny", "DOCUMENT_SCOPE"]
}

# A California affidavit from a grandmother who does not live with the child lacks what the law requires.
test_attack_california_affidavit_without_living_together if {
	apart := object.union(grandma, {"lives_with_patient": false})
	req := in_state(minor_with(apart, [affidavit], ["consent_sick"]), "US-CA")
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "DOCUMENT_FORMALITIES"]
}

# A caregiver's affidavit where the law has none is no authority, and the reason names the state asked about.
test_attack_affidavit_where_the_law_has_none if {
	r := ruling_for(minor_with(grandma, [affidavit], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	contains(r.reasons[0].message, "US-GU")
	not contains(r.reasons[0].message, "Default")
}

# A California affidavit a year and a day old has expired; the grandmother renews her own first.
test_attack_california_affidavit_a_year_and_a_day_old if {
	old := object.union(affidavit, {"signed_on": "2025-11-21"})
	req := in_state(minor_with(grandma, [old], ["consent_sick"]), "US-CA")
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
	r.remedies[0].code == "RENEW_DOCUMENT"
}

# ---------------------------------------------------------------------------
# Attacks that once succeeded, pinned.

# The mother's phone consent for everything leaves presence and information
# to rule 9: the aunt who brought the child still takes her home.
test_attack_phone_consent_for_everything_is_no_written_consent_refusal if {
	req := with_desk(
		asking(
			brought_by(minor_request, object.union(aunt, {"brought_patient": true})),
			["pick_up", "accompany", "consent_sick"],
		),
		{"verbal_consent": [{"from": "per-mom", "covers": ["*"], "witness": "staff-1"}]},
	)
	d := decide(req)
	verdict_basis(d.actions.pick_up) == ["allow", "ACCOMPANYING_ADULT"]
	verdict_basis(d.actions.accompany) == ["allow_with_conditions", "ADULT_COMPANION"]
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "VERBAL_CONSENT"]
}

# A court guardian barred by a protective order neither decides nor keeps the son from deciding.
test_attack_barred_court_guardian_is_no_decider if {
	guardian := {"person": "per-cg", "name": "Carl Grim", "role": "court_guardian"}
	req := with_records(asking(brought_by(incapable_adult_request, son), ["consent_sick", "receive_records"]), {
		"guardians": [guardian],
		"restrictions": [barring("per-cg", ["*"])],
	})
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "SURROGATE"]
	verdict_basis(d.actions.receive_records) == ["allow_with_conditions", "SURROGATE"]
}

# A court guardian whom a court order leaves without the decisions does not decide.
test_attack_court_guardian_without_custody if {
	guardian := {"person": "per-son", "name": "Eric Hahn", "role": "court_guardian", "legal_custody": false}
	req := with_records(asking(brought_by(incapable_adult_request, son), ["consent_procedure"]), {"guardians": [guardian]})
	ruling_for(req, "consent_procedure").basis != "GUARDIAN"
}

# At the strict office, the son who decides as surrogate may also stay with his father.
test_attack_strict_office_surrogate_may_stay if {
	req := with_fields(asking(brought_by(incapable_adult_request, son), ["accompany", "consent_sick"]), strict_office)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "SURROGATE"]
	verdict_basis(d.actions.accompany) == ["allow_with_conditions", "ADULT_COMPANION"]
}

# An emergency with the barred agent at the desk: the notice points away from them.
test_attack_emergency_notice_never_points_at_the_barred_agent if {
	req := with_fields(
		with_records(asking(brought_by(incapable_adult_request, son), ["consent_sick"]), {
			"documents": [poa],
			"restrictions": [barring("per-son", ["*"])],
		}),
		{"emergency": true},
	)
	r := ruling_for(req, "consent_sick")
	r.basis == "EMERGENCY"
	notify := [c | some c in r.conditions; c.code == "NOTIFY_GUARDIAN"][0]
	contains(notify.message, "not anyone a restriction on file names")
}

# Emergency care waits for no ID check, the practice's or an overlay's.
test_attack_no_id_check_before_emergency_care if {
	overlay := {"conditions": [{"covers": ["consent_sick"], "code": "VERIFY_PHOTO_ID", "message": "See ID."}]}
	req := with_fields(
		asking(brought_by(minor_request, object.union(neighbor, {"identity": "unverified"})), ["consent_sick"]),
		{"emergency": true},
	)
	r := ruling_for(req, "consent_sick") with data.overlay as overlay
	r.basis == "EMERGENCY"
	not "VERIFY_PHOTO_ID" in code_set(r.conditions)
}

# A restriction on pick-up alone: in an emergency the aunt is not said to be kept from hearing about care.
test_attack_emergency_words_follow_what_the_restriction_covers if {
	req := with_fields(
		with_records(
			asking(minor_request, ["consent_sick", "discuss_care"]),
			{"restrictions": [barring("per-aunt", ["pick_up"])]},
		),
		{"emergency": true},
	)
	d := decide(req)
	not contains(d.actions.consent_sick.reasons[0].message, "told")
	d.actions.discuss_care.verdict != "deny"
}

# A parent without custody acts on the custodial mother's phone consent; no remedy asks him for the order.
test_attack_parent_without_custody_acts_on_the_mothers_consent if {
	req := with_desk(
		with_records(asking(brought_by(minor_request, dad_companion), ["consent_sick", "consent_procedure"]), {
			"guardians": [mom, dad_without_custody],
			"restrictions": [barring("per-dad", ["pick_up"])],
		}),
		{"verbal_consent": [mom_by_phone(["consent_sick"])]},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "VERBAL_CONSENT"]
	verdict_basis(d.actions.consent_procedure) == ["deny", "NO_LEGAL_CUSTODY"]
	not contains(words(d.actions.consent_procedure.remedies), "Luis")
}

# A married 16-year-old is told which status made them an adult, and under which law.
test_attack_married_minor_is_told_why if {
	req := asking(self_request("2010-01-01", ["married"], "US-GU"), ["consent_sick"])
	contains(ruling_for(req, "consent_sick").reasons[0].message, "16 and married")
}

# An adult documented as lacking capacity does not consent for themselves; care that cannot wait goes ahead.
test_attack_patient_lacking_capacity_does_not_self_consent if {
	me := {"id": "pt-8", "name": "Walter Hahn", "relationship": "self", "age": 81}
	req := asking(brought_by(incapable_adult_request, me), ["consent_procedure", "discuss_care"])
	d := decide(req)
	verdict_basis(d.actions.consent_procedure) == ["deny", "PATIENT_LACKS_CAPACITY"]
	count(d.actions.consent_procedure.remedies) > 0
	verdict_basis(d.actions.discuss_care) == ["allow", "SELF"]
	urgent := decide(with_fields(req, {"emergency": true}))
	urgent.actions.consent_procedure.basis == "EMERGENCY"
}

# A power of attorney that only names a refusal is not copied into the chart.
test_attack_no_copy_of_a_document_not_acted_on if {
	doc := object.union(poa, {"covers": ["consent_sick"]})
	req := with_records(asking(brought_by(incapable_adult_request, son), ["consent_procedure"]), {"documents": [doc]})
	d := decide(req)
	d.actions.consent_procedure.basis == "DOCUMENT_SCOPE"
	not "COPY_DOCUMENT" in code_set(d.obligations)
}

# An overlay restriction with every guardian barred still has a way forward, and is no court's restriction.
test_attack_overlay_restriction_with_no_guardian_to_call if {
	overlay := {"restrictions": [{"covers": ["pick_up"], "message": "Not today."}]}
	req := with_records(asking(minor_request, ["pick_up"]), {"restrictions": [barring("per-mom", ["*"])]})
	d := decide(req) with data.overlay as overlay
	codes(d.actions.pick_up.remedies) == ["ASK_MANAGER"]
	not "FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# An overlay's own remedy that names a barred guardian is left out; the one naming the mother stays, in place.
test_attack_overlay_remedy_naming_a_barred_guardian if {
	overlay := {"remedies": {
		{"covers": ["*"], "code": "CALL_GUARDIAN", "message": "Call Luis Lopez."},
		{"covers": ["*"], "code": "CALL_GUARDIAN", "message": "Call Ana Lopez."},
	}}
	req := with_records(asking(minor_request, ["consent_sick"]), {
		"guardians": mom_and_dad,
		"restrictions": [barring("per-dad", ["pick_up"])],
	})
	r := ruling_for(req, "consent_sick") with data.overlay as overlay
	r.verdict == "deny"
	not contains(words(r.remedies), "Luis")
	codes(r.remedies)[0] == "CALL_GUARDIAN"
	contains(r.remedies[0].message, "Ana Lopez")
}

# A state whose law accepts an adult's own signed statement that a guardian
# authorized them, for vaccines (as North Carolina's did before G.S. 90-21.10B).
attested_statement_state := jurisdictions_plus({
	"attested_delegation": [{"statute": "Test §6", "actions": ["consent_vaccine"]}],
})

# North Carolina no longer accepts an adult's own statement: the parent's own
# written or documented consent is needed (G.S. 90-21.10B).
test_north_carolina_self_signed_statement_not_enough if {
	own := object.union(proxy_for(["consent_vaccine"]), {"granted_by": "per-aunt"})
	req := with_fields(minor_with(aunt, [own], ["consent_vaccine"]), {"jurisdiction": "US-NC"})
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["deny", "DOCUMENT_NOT_FROM_GUARDIAN"]
}
