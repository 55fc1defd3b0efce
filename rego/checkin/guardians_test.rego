# Rule 7: a guardian of a minor on record. With legal custody, a guardian
# may do everything; another guardian's refusal makes it a disagreement staff
# must note; a parent without legal custody may be present and be told, not
# consent.
package checkin_test

# Both parents on record; the mother at the desk.
both_parents := with_records(asking(brought_by(minor_request, mom_companion), all_actions), {"guardians": [mom, dad]})

# A custodial guardian may do everything.
test_custodial_guardian_does_everything[action] if {
	some action in all_actions
	r := ruling_for(both_parents, action)
	verdict_basis(r) == ["allow", "GUARDIAN"]
	r.conditions == []
}

# Every custodial role decides: parent, adoptive parent, court guardian, agency.
test_custodial_guardian_roles[role] if {
	some role in ["parent", "adoptive_parent", "court_guardian", "agency"]
	req := with_records(
		asking(brought_by(minor_request, mom_companion), ["consent_procedure"]),
		{"guardians": [object.union(mom, {"role": role})]},
	)
	verdict_basis(ruling_for(req, "consent_procedure")) == ["allow", "GUARDIAN"]
}

# Legal custody is the default when the record does not say.
test_legal_custody_defaults_to_true if {
	req := with_records(
		asking(brought_by(minor_request, mom_companion), ["consent_sick"]),
		{"guardians": [{"person": "per-mom", "name": "Ana Lopez", "role": "parent"}]},
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow", "GUARDIAN"]
}

# A custodial parent's visit with nothing else to do proceeds.
test_custodial_guardian_outcome_proceed if {
	decide(both_parents).outcome == "proceed"
	decide(both_parents).obligations == []
}

# The other parent's standing refusal: allowed, noting the disagreement.
test_other_guardian_refused_guardians_disagree if {
	req := with_records(both_parents, {"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}]})
	d := decide(req)
	r := d.actions.consent_vaccine
	verdict_basis(r) == ["allow_with_conditions", "GUARDIAN"]
	codes(r.conditions) == ["GUARDIANS_DISAGREE"]
	contains(r.conditions[0].message, "Luis Lopez")
	verdict_basis(d.actions.consent_sick) == ["allow", "GUARDIAN"]
	d.outcome == "proceed_with_conditions"
}

# The other parent's refusal of everything covers every action.
test_other_guardian_refused_everything[action] if {
	some action in all_actions
	req := with_records(both_parents, {"refusals": [{"by": "per-dad", "covers": ["*"]}]})
	r := ruling_for(req, action)
	codes(r.conditions) == ["GUARDIANS_DISAGREE"]
}

# A guardian's own standing refusal (of delegates) does not bind that guardian.
test_own_refusal_does_not_bind_guardian if {
	req := with_records(both_parents, {"refusals": [{"by": "per-mom", "covers": ["consent_vaccine"]}]})
	r := ruling_for(req, "consent_vaccine")
	verdict_basis(r) == ["allow", "GUARDIAN"]
	r.conditions == []
}

# A refusal by a parent without legal custody is no disagreement.
test_refusal_of_noncustodial_parent_ignored if {
	req := with_records(both_parents, {
		"guardians": [mom, object.union(dad, {"legal_custody": false})],
		"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}],
	})
	verdict_basis(ruling_for(req, "consent_vaccine")) == ["allow", "GUARDIAN"]
}

# The father, without legal custody under a custody order.
noncustodial_dad := with_records(
	asking(brought_by(minor_request, dad_companion), all_actions),
	{"guardians": [mom, object.union(dad, {"legal_custody": false})]},
)

# A parent without legal custody may not consent: call the custodial guardian, or bring a new order.
test_noncustodial_parent_cannot_consent[action] if {
	some action in consent_actions
	r := ruling_for(noncustodial_dad, action)
	verdict_basis(r) == ["deny", "NO_LEGAL_CUSTODY"]
	codes(r.remedies) == ["CALL_GUARDIAN", "BRING_COURT_ORDER"]
}

# A parent without legal custody may be present and be told about care.
test_noncustodial_parent_presence_and_information[action] if {
	some action in ["accompany", "discuss_care", "receive_records", "school_note", "pick_up"]
	verdict_basis(ruling_for(noncustodial_dad, action)) == ["allow", "PARENT"]
}

# A parent without legal custody, restricted from taking the child home, may not.
test_noncustodial_parent_restricted if {
	req := with_records(
		noncustodial_dad,
		{"restrictions": [{"person": "per-dad", "covers": ["pick_up"], "source": "court_order"}]},
	)
	verdict_basis(ruling_for(req, "pick_up")) == ["deny", "RESTRICTED_BY_ORDER"]
	verdict_basis(ruling_for(req, "discuss_care")) == ["allow", "PARENT"]
}

# A guardian whose ID is unverified: allowed once staff check it.
test_guardian_unverified_identity if {
	req := asking(brought_by(minor_request, object.union(mom_companion, {"identity": "unverified"})), ["consent_sick"])
	r := ruling_for(req, "consent_sick")
	verdict_basis(r) == ["allow_with_conditions", "GUARDIAN"]
	codes(r.conditions) == ["VERIFY_PHOTO_ID"]
}

# A guardian known to staff needs no ID check.
test_guardian_known_to_staff if {
	req := asking(brought_by(minor_request, object.union(mom_companion, {"identity": "known_to_staff"})), ["pick_up"])
	verdict_basis(ruling_for(req, "pick_up")) == ["allow", "GUARDIAN"]
}

# A 16-year-old minor parent who is the guardian decides for her child.
test_minor_parent_is_guardian[action] if {
	some action in all_actions
	teen_mom := {
		"id": "per-tp",
		"name": "Kim Lopez",
		"relationship": "parent",
		"age": 16,
		"identity": "photo_id",
		"brought_patient": true,
	}
	req := with_records(
		asking(brought_by(minor_request, teen_mom), all_actions),
		{"guardians": [{"person": "per-tp", "name": "Kim Lopez", "role": "parent"}]},
	)
	verdict_basis(ruling_for(req, action)) == ["allow", "GUARDIAN"]
}

# Claiming to be a parent is not being one on record: no custody, no authority to consent.
test_claimed_parent_not_on_record if {
	req := asking(brought_by(minor_request, dad_companion), ["consent_sick"])
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "NO_AUTHORITY"]
}

# A stepparent is not a parent under the default profile.
test_stepparent_not_parent_by_default if {
	req := asking(brought_by(minor_request, stepdad), ["consent_sick"])
	verdict_basis(ruling_for(req, "consent_sick")) == ["deny", "NO_AUTHORITY"]
}

# Where a jurisdiction counts a stepparent as a parent, the stepparent decides.
test_stepparent_is_parent_where_the_law_says_so if {
	req := with_fields(asking(brought_by(minor_request, stepdad), ["consent_sick"]), {"jurisdiction": "US-XX"})
	r := ruling_for(req, "consent_sick") with data.jurisdictions as jurisdictions_plus({"stepparent_is_parent": true})
	verdict_basis(r) == ["allow_with_conditions", "GUARDIAN"]
	codes(r.conditions) == ["RECORD_RELATIONSHIP"]
}

# A stated stepparent is no parent when they are a child themselves, or when no custodial parent is on file.
test_stepparent_needs_age_and_a_parent_on_file if {
	profile := jurisdictions_plus({"stepparent_is_parent": true})
	req := with_fields(asking(brought_by(minor_request, stepdad), ["consent_sick"]), {"jurisdiction": "US-XX"})
	young := json.patch(req, [{"op": "replace", "path": "/companion/age", "value": 12}])
	ruling_for(young, "consent_sick").basis != "GUARDIAN" with data.jurisdictions as profile
	nobody := with_records(req, {"guardians": []})
	ruling_for(nobody, "consent_sick").basis != "GUARDIAN" with data.jurisdictions as profile
}

# A parent without legal custody acting on the custodial parent's written
# authorization or consent by phone is decided by rule 8, as a delegate, not
# by rule 7: the custody order limits the parent's own authority only.
test_noncustodial_parent_on_custodial_parents_word_is_rule_8 if {
	dads_proxy := object.union(proxy, {"grantee": "per-dad"})
	written := with_records(noncustodial_dad, {"documents": [dads_proxy]})
	by_proxy := decide(written).actions.consent_sick
	verdict_basis(by_proxy) == ["allow", "PROXY_AUTHORIZATION"]
	by_proxy.rule.number == "8"
	by_phone := decide(with_desk(noncustodial_dad, {"verbal_consent": [mom_by_phone(["consent_vaccine"])]}))
	verdict_basis(by_phone.actions.consent_vaccine) == ["allow_with_conditions", "VERBAL_CONSENT"]
	by_phone.actions.consent_vaccine.rule.number == "8"
	explained := data.checkin.explanation.consent_sick with input as written
	explained.decided_by == "8"
	{"rule": "7", "applies": false, "why_not": {
		"code": "7",
		"message": "Luis Lopez acts here on a custodial guardian's authorization, not on custody.",
	}} in explained.rules
}

# Without the custodial parent's word, the parent without legal custody is refused under rule 7.
test_noncustodial_parent_refused_under_rule_7 if {
	r := decide(noncustodial_dad).actions.consent_sick
	verdict_basis(r) == ["deny", "NO_LEGAL_CUSTODY"]
	r.rule.number == "7"
	decide(noncustodial_dad).actions.discuss_care.rule.number == "7"
}

# When two other guardians refused, the condition names the one with the lowest id.
test_guardians_disagree_names_lowest_id if {
	grandpa := {"person": "per-agpa", "name": "Raul Lopez", "role": "court_guardian"}
	req := with_records(both_parents, {
		"guardians": [mom, dad, grandpa],
		"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}, {"by": "per-agpa", "covers": ["consent_vaccine"]}],
	})
	r := ruling_for(req, "consent_vaccine")
	codes(r.conditions) == ["GUARDIANS_DISAGREE"]
	contains(r.conditions[0].message, "Raul Lopez")
	not contains(r.conditions[0].message, "Luis Lopez")
}
