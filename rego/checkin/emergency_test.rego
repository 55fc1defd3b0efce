# Rule 4: in an emergency a minor's (or an incapable adult's) care does not
# wait for consent: every consent action goes ahead with the guardian told
# afterwards, whoever the companion is, unless the companion could consent
# anyway. Presence and information follow the normal rules.
package checkin_test

emergency_request(req) := with_fields(asking(req, all_actions), {"emergency": true})

# A neighbor rushes a child in: every consent action goes ahead on the EMERGENCY basis.
test_emergency_neighbor_consents[action] if {
	some action in consent_actions
	r := ruling_for(emergency_request(brought_by(minor_request, neighbor)), action)
	r.verdict == "allow_with_conditions"
	r.basis == "EMERGENCY"
	codes(r.conditions) == ["NOTIFY_GUARDIAN", "DOCUMENT_EMERGENCY"]
	r.remedies == []
}

# Presence and information actions follow the normal rules in an emergency.
test_emergency_presence_and_information_follow_normal_rules if {
	d := decide(emergency_request(brought_by(minor_request, neighbor)))
	verdict_basis(d.actions.accompany) == ["allow_with_conditions", "ADULT_COMPANION"]
	verdict_basis(d.actions.pick_up) == ["allow", "ACCOMPANYING_ADULT"]
	verdict_basis(d.actions.school_note) == ["allow", "ACCOMPANYING_ADULT"]
	verdict_basis(d.actions.discuss_care) == ["allow_with_conditions", "ACCOMPANYING_ADULT"]
	verdict_basis(d.actions.receive_records) == ["deny", "NO_AUTHORITY"]
}

# The emergency's conditions become visit obligations, each once.
test_emergency_obligations if {
	d := decide(emergency_request(brought_by(minor_request, neighbor)))
	count([o | some o in d.obligations; o.code == "NOTIFY_GUARDIAN"]) == 1
	count([o | some o in d.obligations; o.code == "DOCUMENT_EMERGENCY"]) == 1
}

# The guardian to notify is named.
test_emergency_names_guardian_to_notify if {
	r := ruling_for(emergency_request(brought_by(minor_request, neighbor)), "consent_sick")
	some c in r.conditions
	c.code == "NOTIFY_GUARDIAN"
	contains(c.message, "Ana Lopez")
}

# The neighbor's emergency visit with only consent and presence actions proceeds with conditions.
test_emergency_outcome if {
	req := with_fields(minor_with(neighbor, [], ["consent_sick", "accompany"]), {"emergency": true})
	decide(req).outcome == "proceed_with_conditions"
}

# A custodial parent in an emergency consents as a guardian, as usual.
test_emergency_custodial_guardian_consents_as_guardian[action] if {
	some action in consent_actions
	r := ruling_for(emergency_request(brought_by(minor_request, mom_companion)), action)
	verdict_basis(r) == ["allow", "GUARDIAN"]
	r.conditions == []
}

# A parent without legal custody cannot consent anyway, so the emergency basis applies.
test_emergency_parent_without_custody if {
	req := with_records(
		emergency_request(brought_by(minor_request, dad_companion)),
		{"guardians": [mom, object.union(dad, {"legal_custody": false})]},
	)
	r := ruling_for(req, "consent_sick")
	r.basis == "EMERGENCY"
	verdict_basis(ruling_for(req, "accompany")) == ["allow", "PARENT"]
}

# An emergency covers even what the practice reserves for guardians.
test_emergency_covers_reserved_procedure if {
	r := ruling_for(emergency_request(brought_by(minor_request, aunt)), "consent_procedure")
	verdict_basis(r) == ["allow_with_conditions", "EMERGENCY"]
}

# An emergency covers even what a guardian has refused on a delegate's word.
test_emergency_over_delegate_refusal if {
	req := with_records(
		emergency_request(brought_by(minor_request, aunt)),
		{"refusals": [{"by": "per-mom", "covers": ["consent_vaccine"]}]},
	)
	ruling_for(req, "consent_vaccine").basis == "EMERGENCY"
}

# Without the emergency flag the same neighbor has no authority to consent.
test_no_emergency_no_presumed_consent if {
	r := ruling_for(asking(brought_by(minor_request, neighbor), ["consent_sick"]), "consent_sick")
	verdict_basis(r) == ["deny", "NO_AUTHORITY"]
}

# An adult lacking capacity: the healthcare agent consents as usual in an emergency.
test_emergency_incapable_adult_agent_consents if {
	req := with_records(emergency_request(brought_by(incapable_adult_request, son)), {"documents": [poa]})
	verdict_basis(ruling_for(req, "consent_procedure")) == ["allow", "HEALTHCARE_AGENT"]
}

# An adult lacking capacity: the court guardian consents as usual in an emergency.
test_emergency_incapable_adult_court_guardian_consents if {
	req := with_records(
		emergency_request(brought_by(incapable_adult_request, son)),
		{"guardians": [{"person": "per-son", "name": "Eric Hahn", "role": "court_guardian"}]},
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow", "GUARDIAN"]
}

# A capable adult's care is the adult's own decision, emergency or not.
test_emergency_capable_adult_still_decides if {
	r := ruling_for(emergency_request(adult_request), "consent_sick")
	verdict_basis(r) == ["deny", "PATIENT_DECIDES"]
}

# An adult lacking capacity brought in by a friend, with no agent or guardian
# at the desk: care does not wait for consent.
test_emergency_incapable_adult_without_agent[action] if {
	some action in consent_actions
	r := ruling_for(emergency_request(brought_by(incapable_adult_request, friend)), action)
	verdict_basis(r) == ["allow_with_conditions", "EMERGENCY"]
}

# An agent's document on file for someone else does not hold up the friend's emergency.
test_emergency_incapable_adult_agent_elsewhere if {
	req := with_records(emergency_request(brought_by(incapable_adult_request, friend)), {"documents": [poa]})
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow_with_conditions", "EMERGENCY"]
}
