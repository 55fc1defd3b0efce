# METADATA
# title: Check-in decision
# description: |
#   Who may bring in, consent for, hear about or take home this patient. Each
#   requested action is decided by the first rule that applies, in the order
#   of the contract; conditions every allow shares are added on top; the
#   outcome rolls the actions up, and the visit's obligations and notices are
#   gathered once.
package checkin

# METADATA
# title: Decision
# description: The decision for one check-in request, or the list of its problems.
# entrypoint: true
decision := {
	"outcome": "invalid",
	"problems": [p | some p in problems],
	"actions": {},
	"obligations": [],
	"notices": [],
	"policy": policy_used,
} if {
	count(problems) > 0
} else := valid_decision

# METADATA
# title: Decision on a valid request
# description: |
#   The decision for a request already known to be valid. Callers that
#   validate requests themselves against the same contract (the Go engine
#   does) ask for this and skip checking twice.
# entrypoint: true
valid_decision := {
	"outcome": outcome,
	"actions": decided,
	"obligations": [o | some o in obligations],
	"notices": [n | some n in notices],
	"policy": policy_used,
}

policy_used := {"jurisdiction": jurisdiction_code, "practice": practice_name}

decided[action] := final_ruling(action) if some action in input.requested

# The contract's rules in the order they are tried: the first that applies
# decides. This list is the order; ruling follows it branch by branch, and
# the explanation reads it.
contract_rules := ["2", "3", "4", "5", "6", "7", "8", "9", "10"]

# The ruling for an action, and the number of the contract rule that gave it.
ruling(action) := [contract_rules[0], r] if {
	r := candidate[contract_rules[0]][action]
} else := [contract_rules[1], r] if {
	r := candidate[contract_rules[1]][action]
} else := [contract_rules[2], r] if {
	r := candidate[contract_rules[2]][action]
} else := [contract_rules[3], r] if {
	r := candidate[contract_rules[3]][action]
} else := [contract_rules[4], r] if {
	r := candidate[contract_rules[4]][action]
} else := [contract_rules[5], r] if {
	r := candidate[contract_rules[5]][action]
} else := [contract_rules[6], r] if {
	r := candidate[contract_rules[6]][action]
} else := [contract_rules[7], r] if {
	r := candidate[contract_rules[7]][action]
} else := [contract_rules[8], r] if {
	r := candidate[contract_rules[8]][action]
}

# The rules of the contract, by number and action. Each applies when it
# gives a ruling; its metadata title is what the explanation calls it.
# (Keyed by number, trying a rule evaluates that rule alone: OPA enters
# every definition of a function on each call, but only the rule a key names.)

# METADATA
# title: The patient asks for themselves
candidate["2"][action] := self_ruling(action) if {
	some action in input.requested
	is_self
}

# METADATA
# title: A restriction on file bars the companion
candidate["3"][action] := restriction_ruling(action) if some action in input.requested

# METADATA
# title: An emergency; care does not wait for consent
candidate["4"][action] := emergency_ruling(action) if some action in input.requested

# METADATA
# title: An adult patient with capacity decides
candidate["5"][action] := capable_adult_ruling(action) if {
	some action in input.requested
	patient_adult
	not patient_lacks_capacity
}

# METADATA
# title: An adult lacking capacity; their guardian, agent or surrogate decides
candidate["6"][action] := incapable_adult_ruling(action) if {
	some action in input.requested
	patient_adult
	patient_lacks_capacity
}

# METADATA
# title: A guardian of the minor on record
candidate["7"][action] := guardian_ruling(action) if {
	some action in input.requested
	patient_minor
}

# METADATA
# title: A guardian's delegate, a statute, or a guardian's refusal or reservation
candidate["8"][action] := delegate_ruling(action) if some action in input.requested

# METADATA
# title: Any other adult companion, by the practice's rules
candidate["9"][action] := companion_ruling(action) if {
	some action in input.requested
	companion_old_enough
}

# METADATA
# title: A companion under the practice's minimum age
candidate["10"][action] := companion_too_young if {
	some action in input.requested
	not companion_old_enough
}

# What the decision returns for one action, in words. A refusal gets the
# practice's remedies and no added conditions; an allow the reverse, so
# neither computes what the other needs.
final_ruling(action) := {
	"verdict": "deny",
	"basis": r.basis,
	"rule": rule_of(number, r),
	"reasons": [rendered(n) | some n in r.reasons],
	"conditions": [rendered(n) | some n in r.conditions],
	"remedies": [rendered(n) | some n in remedies_with_overlay(action, r)],
} if {
	[number, r] := ruling(action)
	r.verdict == "deny"
} else := {
	"verdict": verdict_for(conditions),
	"basis": r.basis,
	"rule": rule_of(number, r),
	"reasons": [rendered(n) | some n in r.reasons],
	"conditions": [rendered(n) | some n in conditions],
	"remedies": [rendered(n) | some n in r.remedies],
} if {
	[number, r] := ruling(action)
	r.verdict != "deny"
	conditions := array.concat(r.conditions, added_conditions(action, r))
}

# The contract rule that gave a ruling, and the title of the metadata of the
# definition that decided.
# (A ruling without a title is still numbered, never lost: the tests require
# every ruling to carry one.)
rule_of(number, r) := {"number": number, "title": object.get(r, "title", "")}

# Conditions shared by every allow (final_ruling asks only for an allow):
# checking ID, and the practice's own
# (an overlay's, {"covers": [...], "code": ..., "message": ...}), each once.
# Emergency care needs nobody's consent, so nothing is added before it.
added_conditions(action, r) := array.concat(
	[verify_photo_id | photo_id_needed(action, r)],
	[practice_note("conditions", c, "PRACTICE_CONDITION") |
		some c in data.overlay.conditions
		covers(c.covers, action)
		not c.code in {x.code | some x in r.conditions}
		not overlay_condition_repeats_photo_id(c, action, r)
	],
) if {
	r.basis != "EMERGENCY"
} else := []

overlay_condition_repeats_photo_id(c, action, r) if {
	c.code == "VERIFY_PHOTO_ID"
	photo_id_needed(action, r)
}

# (The identity is looked at first: most companions need no condition, and
# building it would be wasted.)
photo_id_needed(action, r) if {
	identity_needed(action, r.basis)
	not verify_photo_id in r.conditions
}

# A role or document is only as good as the proof that this is the person it names.
identity_needed(_, basis) if {
	identity == "unverified"
	basis in identity_bases
}

identity_needed(action, _) if {
	identity != "photo_id"
	covers(practice.photo_id_required, action)
}

identity_bases := {
	"GUARDIAN", "PARENT", "HEALTHCARE_AGENT", "SURROGATE", "PROXY_AUTHORIZATION",
	"CAREGIVER_AFFIDAVIT", "FOSTER_PLACEMENT", "STATUTORY_RELATIVE",
	"HIPAA_AUTHORIZATION", "PATIENT_DESIGNATION",
}

# For a refusal (final_ruling asks only then), a practice's own remedies (an
# overlay's) take the place of the default ones
# of the same code, so the desk reads the practice's words once, in the
# default's order of what the desk can do now.
remedies_with_overlay(action, r) := array.concat(
	[m | some d in r.remedies; some m in in_place_of(d, overlay)],
	[m | some m in overlay; not m.code in {d.code | some d in r.remedies}],
) if {
	overlay := [practice_note("remedies", m, "PRACTICE_REMEDY") |
		some m in data.overlay.remedies
		covers(m.covers, action)
		readable(m.message)
		not calls_nobody_callable(m)
		not names_a_barred_guardian(m.message)
	]
	count(overlay) > 0
} else := r.remedies

in_place_of(d, overlay) := [o | some o in overlay; o.code == d.code] if {
	some o in overlay
	o.code == d.code
} else := [d]

# A practice's own call to a guardian is offered only where someone may be
# called: never, in effect, a barred one (rule 3).
calls_nobody_callable(m) if {
	m.code == "CALL_GUARDIAN"
	count(callable_guardians) == 0
}

# An overlay's words are its own, so what rule 3 forbids is checked on them:
# a remedy that names a guardian a restriction bars (by name or id, in any
# case) is left out, and the default's words stand; a condition is kept, in
# the withheld words (rendered), since what it asks of staff must stay.
names_a_barred_guardian(message) if {
	some g in guardians
	g.person in barred_people
	g.person != companion.id
	some word in {g.person, text_or(g, "name", g.person)}
	contains(lower(message), lower(word))
}

verdicts := {r.verdict | some r in decided}

outcome := "escalate" if {
	"escalate" in verdicts
} else := "refuse" if {
	verdicts == {"deny"}
} else := "partial" if {
	"deny" in verdicts
} else := "proceed_with_conditions" if {
	"allow_with_conditions" in verdicts
} else := "proceed"

# What the desk does once for the whole visit.
obligations contains c if {
	some r in decided
	some c in r.conditions
	c.code in visit_obligations
}

obligations contains rendered(obligation("COPY_DOCUMENT", "chart", {"document": id})) if {
	some id in acted_on_documents
}

# The documents the allows rest on, by action: one a refusal only names is
# not acted on.
acted_on_documents[action] := r.document if {
	some action in input.requested
	[_, r] := ruling(action)
	r.verdict != "deny"
}

obligations contains rendered(obligation(
	"FOLLOW_SAFETY_PROTOCOL", "restricted_companion",
	{"companion": companion_name, "patient": patient_name},
)) if {
	restricted_companion_at_the_desk
}

restricted_companion_at_the_desk if {
	some action in input.requested
	companion_barred(action)
}

visit_obligations := {
	"RECORD_RELATIONSHIP", "NOTIFY_GUARDIAN", "DOCUMENT_EMERGENCY",
	"DOCUMENT_VERBAL_CONSENT", "DOCUMENT_CONTACT_ATTEMPTS",
}

notices contains rendered(notice("JURISDICTION_DEFAULTED", "no_profile", {"jurisdiction": input.jurisdiction})) if {
	jurisdiction_defaulted
}

# An overlay changed a shipped jurisdiction profile: the desk, and anyone
# auditing the decision, should know whose reading of the law decided.
notices contains rendered(notice("JURISDICTION_AMENDED", "by_overlay", {
	"jurisdiction": jurisdiction_name,
	"overlays": concat(phrase("list_separator", {}), amendment.overlays),
	"fields": concat(phrase("list_separator", {}), amendment.fields),
})) if {
	amendment := data.frontdesk.amended_jurisdictions[jurisdiction_code]
}

notices contains rendered(notice("DOCUMENT_EXPIRES_SOON", "renew", {"document": d.id, "last_day": last_day})) if {
	some id in acted_on_documents
	d := document_by_id[id]
	last_day := document_last_day(d)
	last_day <= soon
}

# The last day a document is in force: its own end date, or the end of the
# validity the jurisdiction gives a caregiver's affidavit.
document_last_day(d) := min({d.valid_until, affidavit_last_day(d)}) if {
	d.valid_until
	d.kind == "caregiver_affidavit"
	affidavit_validity_limited
} else := d.valid_until if {
	d.valid_until
} else := affidavit_last_day(d) if {
	d.kind == "caregiver_affidavit"
	affidavit_validity_limited
}
