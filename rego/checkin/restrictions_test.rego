# Rule 3: an active restriction on file that bars the companion from an
# action denies it, guardians included, until the restriction ends; the desk
# then follows its safety protocol.
package checkin_test

# The mother, a custodial parent, asking for everything, with this restriction on her.
restricted_mom(restriction) := asking(
	with_records(brought_by(minor_request, mom_companion), {"restrictions": [restriction]}),
	all_actions,
)

# A protective order covering every action bars even a custodial parent from all of them.
test_wildcard_restriction_bars_custodial_parent[action] if {
	some action in all_actions
	restriction := {"person": "per-mom", "covers": ["*"], "source": "protective_order", "valid_until": "2027-06-01"}
	req := restricted_mom(restriction)
	r := ruling_for(req, action)
	verdict_basis(r) == ["deny", "RESTRICTED_BY_ORDER"]
}

# A restriction with no end date is active.
test_open_ended_restriction_is_active if {
	req := restricted_mom({"person": "per-mom", "covers": ["*"], "source": "court_order"})
	d := decide(req)
	d.outcome == "refuse"
	every r in d.actions {
		r.basis == "RESTRICTED_BY_ORDER"
	}
}

# A restriction naming one action bars only that one; the parent keeps the others.
test_explicit_restriction_bars_only_its_actions if {
	restriction := {"person": "per-mom", "covers": ["pick_up"], "source": "court_order", "valid_until": "2027-06-01"}
	req := restricted_mom(restriction)
	d := decide(req)
	verdict_basis(d.actions.pick_up) == ["deny", "RESTRICTED_BY_ORDER"]
	verdict_basis(d.actions.consent_sick) == ["allow", "GUARDIAN"]
	verdict_basis(d.actions.accompany) == ["allow", "GUARDIAN"]
	d.outcome == "partial"
}

# A restriction is still active on its last day.
test_restriction_active_on_last_day if {
	req := restricted_mom({"person": "per-mom", "covers": ["*"], "source": "court_order", "valid_until": "2026-11-22"})
	ruling_for(req, "consent_sick").basis == "RESTRICTED_BY_ORDER"
}

# A restriction that ended yesterday no longer bars the parent.
test_expired_restriction_does_not_bar if {
	req := restricted_mom({"person": "per-mom", "covers": ["*"], "source": "court_order", "valid_until": "2026-11-21"})
	d := decide(req)
	every r in d.actions {
		verdict_basis(r) == ["allow", "GUARDIAN"]
	}
	d.outcome == "proceed"
	not "FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# A restriction on someone else does not bar the companion.
test_restriction_on_someone_else if {
	req := restricted_mom({"person": "per-dad", "covers": ["*"], "source": "protective_order"})
	verdict_basis(ruling_for(req, "pick_up")) == ["allow", "GUARDIAN"]
}

# A restricted adult companion is barred even from what any adult may do.
test_restriction_bars_adult_companion if {
	req := with_records(
		asking(minor_request, ["accompany", "school_note"]),
		{"restrictions": [{"person": "per-aunt", "covers": ["*"], "source": "abuse_concern"}]},
	)
	d := decide(req)
	verdict_basis(d.actions.accompany) == ["deny", "RESTRICTED_BY_ORDER"]
	verdict_basis(d.actions.school_note) == ["deny", "RESTRICTED_BY_ORDER"]
	d.outcome == "refuse"
}

# A restriction binds a delegate holding a valid authorization for the action.
test_restriction_overrides_proxy if {
	req := with_records(
		minor_with(aunt, [proxy], ["consent_sick", "consent_vaccine"]),
		{"restrictions": [{"person": "per-aunt", "covers": ["consent_vaccine"], "source": "practice_flag"}]},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_vaccine) == ["deny", "RESTRICTED_BY_ORDER"]
	verdict_basis(d.actions.consent_sick) == ["allow", "PROXY_AUTHORIZATION"]
}

# A restriction never stops care that cannot wait (rule 4); presence and
# information stay barred, and the desk follows its safety protocol.
test_restriction_yields_to_emergency_care if {
	req := with_fields(
		with_records(
			minor_with(neighbor, [], ["consent_sick", "consent_vaccine", "accompany"]),
			{"restrictions": [{"person": "per-nbr", "covers": ["*"], "source": "court_order"}]},
		),
		{"emergency": true},
	)
	d := decide(req)
	verdict_basis(d.actions.consent_sick) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.consent_vaccine) == ["allow_with_conditions", "EMERGENCY"]
	verdict_basis(d.actions.accompany) == ["deny", "RESTRICTED_BY_ORDER"]
	"FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# The restricted father rushing in a child with an asthma attack: the care goes
# ahead, he neither consents nor is told, and the mother is the one notified.
asthma_attack := with_fields(
	with_records(
		brought_by(minor_request, dad_companion),
		{
			"guardians": [mom, dad],
			"restrictions": [{"person": "per-dad", "covers": ["*"], "source": "protective_order"}],
		},
	),
	{"emergency": true, "requested": ["accompany", "consent_sick", "discuss_care"]},
)

test_restricted_father_in_an_emergency if {
	d := decide(asthma_attack)
	r := d.actions.consent_sick
	verdict_basis(r) == ["allow_with_conditions", "EMERGENCY"]
	contains(r.reasons[0].message, "neither consents to it nor is told")
	notify := [c | some c in r.conditions; c.code == "NOTIFY_GUARDIAN"][0]
	contains(notify.message, "Ana Lopez")
	not contains(notify.message, "Luis")
	verdict_basis(d.actions.accompany) == ["deny", "RESTRICTED_BY_ORDER"]
	verdict_basis(d.actions.discuss_care) == ["deny", "RESTRICTED_BY_ORDER"]
	d.outcome == "partial"
	"FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# Only consent is asked for: the safety protocol still applies.
test_restricted_companion_consent_only_still_follows_protocol if {
	d := decide(with_fields(asthma_attack, {"requested": ["consent_sick"]}))
	"FOLLOW_SAFETY_PROTOCOL" in code_set(d.obligations)
}

# A restriction denial has a way forward: the unrestricted guardian, then the order itself.
test_restriction_denial_has_remedies if {
	r := ruling_for(with_fields(asthma_attack, {"emergency": false}), "accompany")
	codes(r.remedies) == ["CALL_GUARDIAN", "BRING_COURT_ORDER"]
	contains(r.remedies[0].message, "Ana Lopez")
	not contains(r.remedies[0].message, "Luis")
}

# With no unrestricted guardian on file, the way forward is the order; nobody barred is called.
test_restriction_denial_without_a_guardian_to_call if {
	req := with_records(asking(brought_by(minor_request, dad_companion), ["pick_up"]), {
		"guardians": [dad],
		"restrictions": [{"person": "per-dad", "covers": ["*"], "source": "protective_order"}],
	})
	r := ruling_for(req, "pick_up")
	codes(r.remedies) == ["BRING_COURT_ORDER"]
}

# A barred guardian is no source of authority: their proxy, their consent by
# phone and their refusal count for nothing for what they are barred from,
# and no remedy names them.
barred_dad_records := {
	"guardians": [mom, dad],
	"restrictions": [{"person": "per-dad", "covers": ["consent_sick", "consent_vaccine"], "source": "protective_order"}],
}

test_barred_guardian_proxy_gives_nothing if {
	dads_proxy := object.union(proxy, {"granted_by": "per-dad"})
	req := with_records(minor_with(aunt, [dads_proxy], ["consent_sick", "pick_up"]), barred_dad_records)
	d := decide(req)
	d.actions.consent_sick.verdict == "deny"
	d.actions.consent_sick.basis == "NO_AUTHORITY"
	codes(d.actions.consent_sick.reasons) == ["DOCUMENT_GRANTOR_RESTRICTED"]
	every n in array.concat(d.actions.consent_sick.remedies, d.obligations) {
		not contains(n.message, "Luis")
	}
}

test_barred_guardian_phone_consent_gives_nothing if {
	req := with_desk(
		with_records(minor_with(aunt, [], ["consent_sick"]), barred_dad_records),
		{"verbal_consent": [{"from": "per-dad", "covers": ["consent_sick"], "witness": "staff-3"}]},
	)
	r := ruling_for(req, "consent_sick")
	r.verdict == "deny"
	r.basis != "WRITTEN_CONSENT_REQUIRED"
	every n in r.remedies {
		not contains(n.message, "Luis")
	}
}

test_barred_guardian_refusal_binds_nobody if {
	req := with_desk(
		with_records(
			minor_with(aunt, [], ["consent_vaccine"]),
			object.union(barred_dad_records, {"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}]}),
		),
		{"verbal_consent": [mom_by_phone(["consent_vaccine"])]},
	)
	r := ruling_for(req, "consent_vaccine")
	verdict_basis(r) == ["allow_with_conditions", "VERBAL_CONSENT"]
	not "GUARDIANS_DISAGREE" in code_set(r.conditions)
}

test_barred_guardian_never_called if {
	req := with_records(minor_with(aunt, [], ["consent_wellness"]), barred_dad_records)
	r := ruling_for(req, "consent_wellness")
	r.verdict == "deny"
	count(r.remedies) > 0
	every n in r.remedies {
		not contains(n.message, "Luis")
	}
}

# A restriction on a capable adult patient's companion bars them too.
test_restriction_bars_adult_patient_companion if {
	req := with_records(
		with_desk(adult_request, {"patient_agrees": true}),
		{"restrictions": [{"person": "per-friend", "covers": ["accompany"], "source": "protective_order"}]},
	)
	verdict_basis(ruling_for(req, "accompany")) == ["deny", "RESTRICTED_BY_ORDER"]
}

# A denial by restriction tells the desk to follow its safety protocol, once.
test_restriction_obligation_follow_safety_protocol if {
	req := restricted_mom({"person": "per-mom", "covers": ["*"], "source": "protective_order"})
	d := decide(req)
	count([o | some o in d.obligations; o.code == "FOLLOW_SAFETY_PROTOCOL"]) == 1
}

# The reason names the kind of order and its end date.
test_restriction_reason_names_the_order if {
	restriction := {"person": "per-mom", "covers": ["*"], "source": "protective_order", "valid_until": "2027-06-01"}
	req := restricted_mom(restriction)
	r := ruling_for(req, "pick_up")
	codes(r.reasons) == ["RESTRICTED_BY_ORDER"]
	contains(r.reasons[0].message, "protective order")
	contains(r.reasons[0].message, "2027-06-01")
}

# The patient asking for themselves is not barred by a restriction naming them (rule 2 comes first).
test_self_comes_before_restriction if {
	req := with_records(
		asking(brought_by(adult_request, {"id": "pt-9", "relationship": "self", "age": 45}), ["consent_sick"]),
		{"restrictions": [{"person": "pt-9", "covers": ["*"], "source": "practice_flag"}]},
	)
	verdict_basis(ruling_for(req, "consent_sick")) == ["allow", "SELF"]
}

# A guardian barred from some actions keeps a refusal for others, but the desk
# is never sent to them: neither to lift it nor to renew their document.
test_refusal_by_a_guardian_barred_elsewhere if {
	records := {
		"guardians": [mom, dad],
		"restrictions": [{"person": "per-dad", "covers": ["pick_up"], "source": "protective_order"}],
		"refusals": [{"by": "per-dad", "covers": ["consent_vaccine"]}],
	}
	r := ruling_for(with_records(minor_with(aunt, [proxy], ["consent_vaccine"]), records), "consent_vaccine")
	verdict_basis(r) == ["deny", "GUARDIAN_REFUSED"]
	codes(r.remedies) == ["CALL_GUARDIAN"]
	every n in r.remedies {
		not contains(n.message, "Luis")
	}
	expired := object.union(proxy, {"granted_by": "per-dad", "valid_until": "2026-10-31"})
	lapsed := ruling_for(with_records(minor_with(aunt, [expired], ["consent_sick"]), records), "consent_sick")
	lapsed.basis == "DOCUMENT_EXPIRED"
	not "RENEW_DOCUMENT" in code_set(lapsed.remedies)
}

# Two restrictions bar the mother from taking the child home: the refusal
# cites the one that bars her longest, whatever the order of the records.
test_restriction_cited_is_the_longest_lasting if {
	ends := {"person": "per-mom", "covers": ["pick_up"], "source": "court_order", "valid_until": "2027-06-01"}
	later := {"person": "per-mom", "covers": ["*"], "source": "practice_flag", "valid_until": "2027-09-30"}
	open := {"person": "per-mom", "covers": ["pick_up"], "source": "protective_order"}
	every records in [[ends, later], [later, ends]] {
		ruling_for(with_records(restricted_mom(ends), {"restrictions": records}), "pick_up").reasons == [{
			"code": "RESTRICTED_BY_ORDER",
			"message": "A practice flag on file bars Ana Lopez from this until 2027-09-30.",
		}]
	}
	every records in [[ends, open, later], [later, open, ends]] {
		ruling_for(with_records(restricted_mom(ends), {"restrictions": records}), "pick_up").reasons == [{
			"code": "RESTRICTED_BY_ORDER",
			"message": "A protective order on file bars Ana Lopez from this.",
		}]
	}
}

# Two restrictions that last as long: the kind of order first in alphabetical order is cited.
test_restriction_cited_among_equals_by_kind if {
	flag := {"person": "per-mom", "covers": ["pick_up"], "source": "practice_flag", "valid_until": "2027-06-01"}
	order := {"person": "per-mom", "covers": ["*"], "source": "court_order", "valid_until": "2027-06-01"}
	r := ruling_for(with_records(restricted_mom(flag), {"restrictions": [flag, order]}), "pick_up")
	r.reasons[0].message == "A court order on file bars Ana Lopez from this until 2027-06-01."
}

# A restriction that names no kind of order is called a restriction.
test_restriction_without_source if {
	r := ruling_for(restricted_mom({"person": "per-mom", "covers": ["pick_up"]}), "pick_up")
	r.reasons[0].message == "A restriction on file bars Ana Lopez from this."
}

# Two practice restrictions cover the action: the refusal cites the one
# whose words come first in alphabetical order, in its own code, or
# RESTRICTED_BY_ORDER when it names none.
test_practice_restriction_cited_by_its_words if {
	req := asking(brought_by(minor_request, aunt), ["pick_up"])
	parents_only := {"covers": ["pick_up"], "code": "PRACTICE_POLICY", "message": "Only a parent may take a child home."}
	late := {"covers": ["*"], "message": "After 6 pm only a parent may take a child home."}
	d := decide(req) with data.overlay.restrictions as {parents_only, late}
	verdict_basis(d.actions.pick_up) == ["deny", "RESTRICTED_BY_ORDER"]
	d.actions.pick_up.reasons == [{"code": "RESTRICTED_BY_ORDER", "message": late.message}]
	codes(d.actions.pick_up.remedies) == ["CALL_GUARDIAN", "ASK_MANAGER"]
	own := decide(req) with data.overlay.restrictions as {parents_only}
	verdict_basis(own.actions.pick_up) == ["deny", "PRACTICE_POLICY"]
	own.actions.pick_up.reasons == [{"code": "PRACTICE_POLICY", "message": parents_only.message}]
}
