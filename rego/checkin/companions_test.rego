# Rules 9 and 10: any other adult with a minor. Any adult may bring the
# child in, take home a child they brought, carry the school note and hear the
# care instructions; consent and records need authority, and each refusal
# says how to get it. A companion under the practice's minimum age may do
# none of it, unless a guardian's role or delegation applies.
package checkin_test

# The aunt, nothing on file, asking for these actions.
aunt_asking(actions) := minor_with(aunt, [], actions)

# The strict practice's version of a request.
strict(req) := with_fields(req, {"practice": "strict"})

# Rule 9 ----------------------------------------------------------------------

# Any adult may bring the child in; the desk records the relationship.
test_adult_companion_accompany if {
	d := decide(aunt_asking(["accompany"]))
	r := d.actions.accompany
	verdict_basis(r) == ["allow_with_conditions", "ADULT_COMPANION"]
	codes(r.conditions) == ["RECORD_RELATIONSHIP"]
	contains(r.conditions[0].message, "aunt or uncle")
	"RECORD_RELATIONSHIP" in code_set(d.obligations)
	d.outcome == "proceed_with_conditions"
}

# The accompanying adult takes the school note.
test_accompanying_adult_school_note if {
	r := ruling_for(aunt_asking(["school_note"]), "school_note")
	verdict_basis(r) == ["allow", "ACCOMPANYING_ADULT"]
}

# The adult who brought the child may take them home.
test_accompanying_adult_pick_up_if_brought if {
	r := ruling_for(aunt_asking(["pick_up"]), "pick_up")
	verdict_basis(r) == ["allow", "ACCOMPANYING_ADULT"]
}

# An adult who did not bring the child may not take them home: the desk calls the guardian.
test_pick_up_denied_if_not_brought[name] if {
	some name, person in {
		"brought_patient false": object.union(aunt, {"brought_patient": false}),
		"brought_patient not stated": json.patch(aunt, [{"op": "remove", "path": "/brought_patient"}]),
	}
	r := ruling_for(minor_with(person, [], ["pick_up"]), "pick_up")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
	contains(r.remedies[0].message, "Ana Lopez")
}

# The accompanying adult hears the care instructions, and only those.
test_accompanying_adult_discuss_care if {
	r := ruling_for(aunt_asking(["discuss_care"]), "discuss_care")
	verdict_basis(r) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	codes(r.conditions) == ["LIMIT_TO_CARE_INSTRUCTIONS"]
}

# Consent needs authority: call the guardian (phone consent is accepted), or have them sign a form.
test_no_authority_consent[action] if {
	some action in ["consent_sick", "consent_wellness", "consent_vaccine", "consent_behavioral", "consent_confidential"]
	r := ruling_for(aunt_asking([action]), action)
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
	contains(r.remedies[0].message, "Ana Lopez")
}

# Records need authority; a phone call does not send records, so the remedy is a signed form.
test_no_authority_records if {
	r := ruling_for(aunt_asking(["receive_records"]), "receive_records")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["SIGN_PROXY_FORM"]
}

# California: a relative could also use the caregiver's affidavit, after the call and the form.
test_no_authority_remedies_california_relative if {
	r := ruling_for(with_fields(aunt_asking(["consent_sick"]), {"jurisdiction": "US-CA"}), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM", "CAREGIVER_AFFIDAVIT"]
}

# California: a non-relative's affidavit reaches school vaccines but not a sick visit.
test_no_authority_remedies_california_nonrelative if {
	req := with_fields(minor_with(neighbor, [], ["consent_sick", "consent_vaccine"]), {"jurisdiction": "US-CA"})
	d := decide(req)
	codes(d.actions.consent_sick.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
	codes(d.actions.consent_vaccine.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM", "CAREGIVER_AFFIDAVIT"]
}

# Texas: an aunt could consent under the statute if the parents cannot be reached.
test_no_authority_remedies_texas_relative if {
	r := ruling_for(with_fields(aunt_asking(["consent_sick"]), {"jurisdiction": "US-TX"}), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM", "GUARDIAN_UNREACHABLE_STATUTE"]
}

# Texas: the statute remedy is offered only to relationships it names.
test_no_authority_remedies_texas_neighbor if {
	r := ruling_for(with_fields(minor_with(neighbor, [], ["consent_sick"]), {"jurisdiction": "US-TX"}), "consent_sick")
	codes(r.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
}

# Texas: a stepparent is named for vaccines only.
test_no_authority_remedies_texas_stepparent if {
	d := decide(with_fields(minor_with(stepdad, [], ["consent_sick", "consent_vaccine"]), {"jurisdiction": "US-TX"}))
	codes(d.actions.consent_sick.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM"]
	codes(d.actions.consent_vaccine.remedies) == ["CALL_GUARDIAN", "SIGN_PROXY_FORM", "GUARDIAN_UNREACHABLE_STATUTE"]
}

# Where phone consent is not accepted, the guardian cannot be called to consent.
test_no_authority_remedies_strict if {
	r := ruling_for(strict(aunt_asking(["consent_sick"])), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.remedies) == ["SIGN_PROXY_FORM"]
}

# A parent's partner brings the sick child: partly allowed.
test_partner_without_authority_visit if {
	partner := object.union(stepdad, {"relationship": "parent_partner"})
	d := decide(minor_with(partner, [], ["accompany", "consent_sick"]))
	d.outcome == "partial"
}

# Strict practice: without a guardian's role or a delegation, no bringing in.
# The care instructions still go to the adult who will care for the child
# today (rule 9 keeps authorized_only to accompany).
test_authorization_required_strict if {
	r := ruling_for(strict(aunt_asking(["accompany"])), "accompany")
	verdict_basis(r) == ["deny", "AUTHORIZATION_REQUIRED"]
	count(r.remedies) > 0
	told := ruling_for(strict(aunt_asking(["discuss_care"])), "discuss_care")
	verdict_basis(told) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	codes(told.conditions) == ["LIMIT_TO_CARE_INSTRUCTIONS"]
}

# Under any practice a child leaves with the adult who brought them (rule 9);
# a strict office still keeps an adult who did not bring the child from taking them.
test_strict_office_lets_the_adult_who_brought_the_child_take_them_home if {
	brought := object.union(aunt, {"brought_patient": true})
	r := ruling_for(strict(minor_with(brought, [], ["accompany", "pick_up"])), "pick_up")
	verdict_basis(r) == ["allow", "ACCOMPANYING_ADULT"]
	not_brought_by := object.union(aunt, {"brought_patient": false})
	not_brought := ruling_for(strict(minor_with(not_brought_by, [], ["pick_up"])), "pick_up")
	verdict_basis(not_brought) == ["deny", "NO_AUTHORITY"]
}

# Strict practice: the school note does not go to the accompanying adult.
test_strict_no_school_note_to_companion if {
	r := ruling_for(strict(aunt_asking(["school_note"])), "school_note")
	r.verdict == "deny"
	r.basis != "ACCOMPANYING_ADULT"
}

# Strict practice: the public example is refused entirely.
test_strict_visit_refused if {
	d := decide(strict(aunt_asking(["accompany", "consent_sick", "school_note"])))
	d.outcome == "refuse"
}

# Strict practice: an aunt holding an authorization in force may bring the child in.
test_strict_allows_companion_with_proxy if {
	d := decide(strict(minor_with(aunt, [proxy], ["accompany", "discuss_care", "consent_sick"])))
	verdict_basis(d.actions.accompany) == ["allow_with_conditions", "ADULT_COMPANION"]
	verdict_basis(d.actions.discuss_care) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
}

# Strict practice: a revoked authorization is no delegation in force.
test_strict_revoked_proxy_is_no_delegation if {
	r := ruling_for(strict(minor_with(aunt, [object.union(proxy, {"revoked": true})], ["accompany"])), "accompany")
	verdict_basis(r) == ["deny", "AUTHORIZATION_REQUIRED"]
}

# Strict practice: when the revoked authorization listed the action, the refusal names the revocation.
test_strict_revoked_proxy_for_the_action if {
	doc := object.union(proxy, {"revoked": true, "covers": ["accompany"]})
	r := ruling_for(strict(minor_with(aunt, [doc], ["accompany"])), "accompany")
	verdict_basis(r) == ["deny", "DOCUMENT_REVOKED"]
}

# Strict practice: a relative covered by the Texas statute, parents unreachable, holds a delegation.
test_strict_allows_statutory_relative if {
	texas := with_fields(aunt_asking(["accompany", "consent_sick"]), {"jurisdiction": "US-TX"})
	req := with_desk(strict(texas), {"guardian_unreachable": true})
	verdict_basis(ruling_for(req, "accompany")) == ["allow_with_conditions", "ADULT_COMPANION"]
}

# Strict practice: a guardian needs no authorization.
test_strict_guardian_unaffected if {
	r := ruling_for(strict(asking(brought_by(minor_request, mom_companion), ["accompany"])), "accompany")
	verdict_basis(r) == ["allow", "GUARDIAN"]
}

# Rule 10 ---------------------------------------------------------------------

# A 16-year-old brother may do nothing alone: call a guardian.
test_companion_too_young[action] if {
	some action in [a | some a in all_actions; a != "consent_procedure"]
	brother := object.union(aunt, {"relationship": "sibling", "age": 16})
	r := ruling_for(minor_with(brother, [], [action]), action)
	verdict_basis(r) == ["deny", "COMPANION_TOO_YOUNG"]
	codes(r.remedies) == ["CALL_GUARDIAN"]
}

# The public example: the brother's visit is refused.
test_companion_too_young_visit if {
	brother := object.union(aunt, {"relationship": "sibling", "age": 16})
	decide(minor_with(brother, [], ["accompany", "consent_sick"])).outcome == "refuse"
}

# At exactly the minimum age of 18 the companion is an adult companion.
test_companion_of_minimum_age if {
	cousin := object.union(aunt, {"relationship": "cousin", "age": 18})
	r := ruling_for(minor_with(cousin, [], ["accompany"]), "accompany")
	verdict_basis(r) == ["allow_with_conditions", "ADULT_COMPANION"]
}

# A practice with a higher minimum age turns away a 19-year-old.
test_companion_below_practice_minimum if {
	cousin := object.union(aunt, {"relationship": "cousin", "age": 19})
	req := with_fields(minor_with(cousin, [], ["accompany"]), {"practice": "test"})
	r := ruling_for(req, "accompany") with data.practices as practices_plus({"min_companion_age": 21})
	verdict_basis(r) == ["deny", "COMPANION_TOO_YOUNG"]
}

# A companion under the practice's minimum age holds nothing by a document
# (rules 8 and 10), unless they are the patient's parent.
test_young_companion_with_proxy if {
	brother := object.union(aunt, {"relationship": "sibling", "age": 16})
	docs := [proxy, object.union(hipaa, {"grantee": "per-aunt"})]
	d := decide(minor_with(brother, docs, ["consent_sick", "discuss_care"]))
	verdict_basis(d.actions.consent_sick) == ["deny", "COMPANION_TOO_YOUNG"]
	verdict_basis(d.actions.discuss_care) == ["deny", "COMPANION_TOO_YOUNG"]
}

# A minor parent on file still acts on the mother's authorization; a
# companion who only says they are a parent is no parent on file.
test_young_parent_with_proxy if {
	young_dad := object.union(aunt, {"relationship": "parent", "age": 16})
	without_custody := {"person": "per-aunt", "name": "Maria Lopez", "role": "parent", "legal_custody": false}
	on_file := {"guardians": [mom, without_custody]}
	d := decide(with_records(minor_with(young_dad, [proxy], ["consent_sick"]), on_file))
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
	claimed := decide(minor_with(young_dad, [proxy], ["consent_sick"]))
	verdict_basis(claimed.actions.consent_sick) == ["deny", "COMPANION_TOO_YOUNG"]
}

# A 16-year-old parent who is the child's guardian is still a guardian (rule 7 before rule 10).
test_minor_parent_guardian_not_too_young if {
	teen_mom := {
		"id": "per-tp", "name": "Kim Lopez", "relationship": "parent", "age": 16,
		"identity": "photo_id", "brought_patient": true,
	}
	asked := asking(brought_by(minor_request, teen_mom), ["accompany", "consent_sick", "pick_up"])
	req := with_records(asked, {"guardians": [{"person": "per-tp", "name": "Kim Lopez", "role": "parent"}]})
	d := decide(req)
	every r in d.actions {
		verdict_basis(r) == ["allow", "GUARDIAN"]
	}
	d.outcome == "proceed"
}

# Remedies come in the order the desk can act on now: once staff know no
# guardian can be reached, what the companion can use without one comes
# before a call.
test_remedies_when_guardians_unreachable if {
	gma := object.union(grandma, {"lives_with_patient": true})
	req := with_fields(minor_with(gma, [], ["consent_sick"]), {"jurisdiction": "US-CA"})
	reachable := ruling_for(req, "consent_sick")
	codes(reachable.remedies)[0] == "CALL_GUARDIAN"
	unreachable := ruling_for(with_desk(req, {"guardian_unreachable": true}), "consent_sick")
	codes(unreachable.remedies)[0] == "CAREGIVER_AFFIDAVIT"
	"CALL_GUARDIAN" in code_set(unreachable.remedies)
}

# Which rule decided, and the title of the definition that did.
test_rules_nine_and_ten_record_their_rule if {
	brother := object.union(aunt, {"relationship": "sibling", "age": 16})
	young := ruling_for(minor_with(brother, [], ["consent_sick"]), "consent_sick")
	young.rule == {"number": "10", "title": "Companion too young"}
	adult := ruling_for(aunt_asking(["accompany"]), "accompany")
	adult.rule == {"number": "9", "title": "Adult companion"}
}

# Rule 10 applies only to a patient who cannot decide for themselves: an
# adult patient with capacity decides, whoever is with them.
test_companion_too_young_only_for_a_dependent_patient if {
	teen := object.union(friend, {"age": 16})
	r := ruling_for(asking(brought_by(adult_request, teen), ["accompany"]), "accompany")
	r.basis != "COMPANION_TOO_YOUNG"
	r.rule.number == "5"
}

# Documents that fail ------------------------------------------------------

# Two expired authorizations that would have covered the action: the refusal
# names the one with the lowest id, whatever order the records list them in.
test_two_expired_documents_name_the_lowest_id if {
	b := object.union(proxy, {"id": "doc-b", "valid_until": "2026-10-31"})
	a := object.union(proxy, {"id": "doc-a", "valid_until": "2026-06-30"})
	every docs in [[b, a], [a, b]] {
		r := ruling_for(minor_with(aunt, docs, ["consent_sick"]), "consent_sick")
		verdict_basis(r) == ["deny", "DOCUMENT_EXPIRED"]
		words := "doc-a (authorization to consent) has expired: its last day was 2026-06-30."
		r.reasons == [{"code": "DOCUMENT_EXPIRED", "message": words}]
		[renew] := [m.message | some m in r.remedies; m.code == "RENEW_DOCUMENT"]
		renew == "Ask Ana Lopez (parent) to renew doc-a."
	}
}

# The most telling flaw comes before the lowest id: a revoked authorization is
# named before an expired one with a lower id.
test_revoked_document_named_before_an_expired_one if {
	expired := object.union(proxy, {"id": "doc-a", "valid_until": "2026-06-30"})
	revoked := object.union(proxy, {"id": "doc-z", "revoked": true})
	r := ruling_for(minor_with(aunt, [expired, revoked], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "DOCUMENT_REVOKED"]
	r.reasons == [{"code": "DOCUMENT_REVOKED", "message": "doc-z (authorization to consent) has been revoked."}]
	r.rule.title == "Document revoked"
}

# Two valid authorizations, neither reaching records: the refusal names the lowest id.
test_two_documents_out_of_scope_name_the_lowest_id if {
	b := object.union(proxy, {"id": "doc-b"})
	a := object.union(proxy, {"id": "doc-a"})
	r := ruling_for(minor_with(aunt, [b, a], ["receive_records"]), "receive_records")
	verdict_basis(r) == ["deny", "DOCUMENT_SCOPE"]
	r.reasons == [{"code": "DOCUMENT_SCOPE", "message": "doc-a (authorization to consent) does not cover this."}]
}

# A caregiver's affidavit where the law has none is no authority at all: the
# basis is NO_AUTHORITY, the reason the affidavit's.
test_unrecognized_affidavit_is_no_authority if {
	r := ruling_for(minor_with(grandma, [affidavit], ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	codes(r.reasons) == ["DOCUMENT_NOT_RECOGNIZED"]
	r.rule.title == "Caregiver's affidavit the jurisdiction does not recognize"
}

# Remedies -------------------------------------------------------------------

# Two statutes would let the aunt consent once no guardian can be reached: the
# remedy cites the one the profile lists first.
test_statute_remedy_cites_the_first_listed if {
	settings := {"unreachable_guardian_statute": [
		{"statute": "Test §2", "actions": ["consent_sick"], "relationships": ["aunt_uncle"]},
		{"statute": "Test §1", "actions": ["consent_sick"], "relationships": ["aunt_uncle", "grandparent"]},
	]}
	req := with_fields(aunt_asking(["consent_sick"]), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus(settings)
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
	[text] := [m.message | some m in r.remedies; m.code == "GUARDIAN_UNREACHABLE_STATUTE"]
	text == concat("", [
		"If no guardian can be reached after documented attempts, Test §2 lets an adult aunt or uncle ",
		"consent to Jamie Lopez's sick visit.",
	])
}
