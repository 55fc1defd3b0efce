# Delegates of a minor's guardian.
#
# Rule 8. Someone who is not a guardian may act for a minor on a guardian's
# delegation or by statute, tried in this order, the first that covers the
# action deciding: (a) a proxy authorization, (b) a caregiver affidavit,
# (c) a foster placement, (d) the guardian's own consent by phone, (e) the
# statute for unreachable guardians, (f) a HIPAA authorization (information
# only). A guardian's standing refusal and the actions reserved for
# guardians bind every delegate; the guardian's own consent by phone is not
# a delegation, so it counts for reserved actions and supersedes that same
# guardian's refusal.
package checkin

delegate_ruling(action) := document_ruling(action) if {
	patient_minor
	has_documents
	may_hold_documents
	not refused(action)
	not guardian_required(action)
}

else := verbal_ruling(action) if {
	patient_minor
	count(verbal_consents) > 0
}

else := statute_ruling(action) if {
	patient_minor
	count(jurisdiction.unreachable_guardian_statute) > 0
	not refused(action)
	not guardian_required(action)
}

else := hipaa_ruling(action) if {
	patient_minor
	has_documents
	may_hold_documents
	not refused(action)
	not guardian_required(action)
}

# METADATA
# title: Guardian refused
# description: A custodial guardian's standing refusal covers the action; no delegate overrides it.
# labels:
#   code: GUARDIAN_REFUSED
else := denied(
	"GUARDIAN_REFUSED",
	sprintf("%s has refused this on anyone else's word.", [guardian_words(by)]),
	[refusal_remedy(action)],
) if {
	patient_minor
	count(refusals) > 0
	by := first(unlifted_refusals(action))
}

# METADATA
# title: Written consent required
# description: A guardian consented by phone, but the practice or jurisdiction needs it in writing.
# labels:
#   code: WRITTEN_CONSENT_REQUIRED
else := denied(
	"WRITTEN_CONSENT_REQUIRED",
	sprintf("%s agreed by phone, but written consent is required for this %s.", [guardian_words(v.from), written_by(action)]),
	[written_consent_remedy(action)],
) if {
	patient_minor
	count(verbal_consents) > 0
	needs_writing(action)
	v := first([v |
		some v in verbal_consents
		v.from in custodial_guardian_ids
		not person_barred(v.from, action)
		covers(v.covers, action)
	])
}

# METADATA
# title: Guardian required
# description: The practice or jurisdiction reserves the action for a guardian.
# labels:
#   code: GUARDIAN_REQUIRED
else := denied(
	"GUARDIAN_REQUIRED",
	sprintf("Only a parent or guardian may %s here, not a delegate.", [action_phrase(action)]),
	[guardian_remedy(action)],
) if {
	patient_minor
	guardian_required(action)
}

# (a)-(c): the first document, by kind, that delegates the action to the companion.
document_ruling(action) := document_allowed(d, action) if {
	d := first([d | some d in delegations(action); d.kind == "proxy_authorization"])
} else := attested_allowed(d, statute) if {
	statute := attested_delegation_for(action)
	some_guardian_could_authorize(action)
	d := first([d | some d in companion_documents; self_attested(d); covers(d.covers, action); in_force(d)])
} else := document_allowed(d, action) if {
	d := first([d | some d in delegations(action); d.kind == "caregiver_affidavit"])
} else := document_allowed(d, action) if {
	d := first([d | some d in delegations(action); d.kind == "foster_placement"])
}

# METADATA
# title: Proxy authorization
# description: A custodial guardian authorized the companion in writing, in force and covering the action.
# labels:
#   code: PROXY_AUTHORIZATION
document_allowed(d, _) := object.union(
	allowed("PROXY_AUTHORIZATION", sprintf(
		"%s authorized %s in %s%s.",
		[guardian_words(d.granted_by), companion_name, d.id, valid_until_words(d)],
	)),
	{"document": d.id},
) if d.kind == "proxy_authorization"

# METADATA
# title: Caregiver affidavit
# description: The jurisdiction recognizes the companion's caregiver affidavit for this action.
# labels:
#   code: CAREGIVER_AFFIDAVIT
document_allowed(d, action) := object.union(
	{
		"verdict": verdict_for(conditions),
		"basis": "CAREGIVER_AFFIDAVIT",
		"reasons": [note("CAREGIVER_AFFIDAVIT", sprintf(
			"%s%s holds a %s caregiver's affidavit (%s)%s.",
			[companion_name, lives_with_words, affidavit_words(d), d.id, valid_until_words(d)],
		))],
		"conditions": conditions,
		"remedies": [],
	},
	{"document": d.id},
) if {
	d.kind == "caregiver_affidavit"
	conditions := affidavit_conditions(d, action)
}

# METADATA
# title: Foster placement
# description: The companion is the child's foster parent, within the jurisdiction's scope for placements.
# labels:
#   code: FOSTER_PLACEMENT
document_allowed(d, _) := object.union(
	allowed("FOSTER_PLACEMENT", sprintf("%s is %s's foster parent under placement %s.", [companion_name, patient_name, d.id])),
	{"document": d.id},
) if d.kind == "foster_placement"

# METADATA
# title: Attested delegation
# description: Where the law allows it, an adult's own signed statement that a guardian authorized them is a proxy authorization.
# labels:
#   code: PROXY_AUTHORIZATION
attested_allowed(d, statute) := object.union(
	allowed("PROXY_AUTHORIZATION", sprintf(
		"%s signed a statement (%s) that a guardian authorized them, which %s accepts for this.",
		[companion_name, d.id, statute.statute],
	)),
	{"document": d.id},
)

attested_delegation_for(action) := first([s | some s in jurisdiction.attested_delegation; action in s.actions])

# A statement that a guardian authorized the companion stands only where a
# custodial guardian on file could have: not when none is, and not when every
# one is barred from the action (rule 3).
some_guardian_could_authorize(action) if {
	some id in custodial_guardian_ids
	not person_barred(id, action)
}

# A statement the companion signed themselves, rather than the guardian.
self_attested(d) if {
	d.kind == "proxy_authorization"
	d.granted_by == companion.id
}

# Said only when the desk was told so: some states do not require it.
lives_with_words := sprintf(", who lives with %s,", [patient_name]) if {
	object.get(companion, "lives_with_patient", false)
} else := ""

affidavit_words(d) := "relative" if {
	relative_caregiver(d)
} else := "non-relative"

affidavit_conditions(d, action) := array.concat(affidavit_contact_attempts, affidavit_limit(d, action))

# An affidavit that counts only once no guardian can be reached needs the
# attempts in the chart, as a statute for unreachable guardians does.
affidavit_contact_attempts := [note("DOCUMENT_CONTACT_ATTEMPTS", record_contact_attempts)] if {
	affidavit_needs_unreachable_guardian
} else := []

affidavit_limit(d, action) := [note("LIMIT_TO_SCHOOL_CARE", jurisdiction.caregiver_affidavit.nonrelative_limit[action])] if {
	not relative_caregiver(d)
	jurisdiction.caregiver_affidavit.nonrelative_limit[action]
} else := []

# METADATA
# title: Consent by phone
# description: A custodial guardian consented to the action by phone for this visit, and verbal consent is accepted for it.
# labels:
#   code: VERBAL_CONSENT
verbal_ruling(action) := allowed_if(
	"VERBAL_CONSENT",
	verbal_words(v, action),
	array.concat(
		[note("DOCUMENT_VERBAL_CONSENT", verbal_record_words(v, action))],
		[note("GUARDIANS_DISAGREE", sprintf("%s has refused this on record: note the disagreement and confirm the custody order lets one parent decide.", [guardian_for_staff(other)])) |
			some other in refusing_guardians(action)
			other != v.from
		],
	),
) if {
	v := first(accepted_verbal_consents(action))
}

# A guardian's consent by phone counts when a staff member witnessed the
# call, or where the law lets the guardian delegate by word of mouth to this
# companion, who relays it.
accepted_verbal_consents(action) := {v |
	some v in verbal_consents
	v.from in custodial_guardian_ids
	covers(v.covers, action)
	verbal_consent_accepted(action)
	not person_barred(v.from, action)
	witnessed_or_delegated(v, action)
}

witnessed_or_delegated(v, _) if object.get(v, "witness", "") != ""

witnessed_or_delegated(v, action) if {
	object.get(v, "witness", "") == ""
	verbal_delegation_for(action)
}

verbal_delegation_for(action) := d if {
	d := first([d |
		some d in jurisdiction.verbal_delegation
		action in d.actions
		companion_of_age
		statute_names_companion(d)
	])
}

# Where the statute has the delegate confirm a word-of-mouth delegation in
# writing (Maryland), the chart needs that confirmation, not only a note.
verbal_record_words(v, action) := sprintf(
	"Have %s confirm in writing that %s delegated this to them, and keep the confirmation in the chart with the date, as %s requires.",
	[companion_name, guardian_words(v.from), d.statute],
) if {
	object.get(v, "witness", "") == ""
	d := verbal_delegation_for(action)
	object.get(d, "written_confirmation", false)
} else := sprintf("Record in the chart the consent of %s, the time, and who heard it.", [guardian_words(v.from)])

verbal_words(v, action) := sprintf("%s consented by phone, witnessed by %s.", [guardian_words(v.from), v.witness]) if {
	object.get(v, "witness", "") != ""
} else := sprintf("%s delegated this to %s by word of mouth, as %s allows.", [guardian_words(v.from), companion_name, d.statute]) if {
	d := verbal_delegation_for(action)
}

# METADATA
# title: Statute for unreachable guardians
# description: Staff could not reach any guardian, and the jurisdiction's statute lets this relative consent to the action.
# labels:
#   code: STATUTORY_RELATIVE
statute_ruling(action) := allowed_if(
	"STATUTORY_RELATIVE",
	statute_words(statute, action),
	statute_conditions(statute),
) if {
	statute := first(qualifying_statutes(action))
}

# Statutes that let this companion consent to the action now.
qualifying_statutes(action) := {statute |
	some statute in statutes_naming_companion(action)
	statute_in_effect(statute)
}

# Statutes that name this companion for the action, whether or not their
# condition (the guardians being unreachable) is met.
statutes_naming_companion(action) := {statute |
	some statute in jurisdiction.unreachable_guardian_statute
	action in statute.actions
	companion_of_age
	statute_names_companion(statute)
}

statute_in_effect(_) if guardian_unreachable

statute_in_effect(statute) if not needs_unreachable_guardian(statute)

needs_unreachable_guardian(statute) if object.get(statute, "guardian_unreachable_required", true)

statute_words(statute, action) := sprintf("No guardian could be reached; %s lets an adult %s %s.", [statute.statute, relationship_words[companion.relationship], action_phrase(action)]) if {
	needs_unreachable_guardian(statute)
} else := sprintf("%s lets an adult %s %s.", [statute.statute, relationship_words[companion.relationship], action_phrase(action)])

statute_conditions(statute) := array.concat(
	[note("DOCUMENT_CONTACT_ATTEMPTS", contact_attempts_words(statute)) | needs_unreachable_guardian(statute)],
	[note("CONFIRM_NO_HIGHER_PRIORITY", sprintf("%s ranks who may consent: confirm nobody ranked above a %s (%s) can be reached.", [statute.statute, relationship_words[companion.relationship], concat(", ", higher)])) |
		object.get(statute, "ordered", false)
		higher := ranked_above(statute.relationships, companion.relationship)
		count(higher) > 0
	],
)

# Where the statute has the relative confirm in writing that no guardian is
# available (Kansas, for vaccines), the chart needs that confirmation too.
contact_attempts_words(statute) := sprintf(
	"%s Have %s confirm in writing that no guardian is reasonably available, as %s requires.",
	[record_contact_attempts, companion_name, statute.statute],
) if {
	object.get(statute, "written_confirmation", false)
} else := record_contact_attempts

record_contact_attempts := "Record each attempt to reach the guardians (who, when, how) in the chart."

ranked_above(order, relationship) := [rank_words(r) |
	some i, r in order
	i < rank_in(order, relationship)
]

rank_words("any_adult_caregiver") := "an adult the child lives with"

rank_words(r) := relationship_words[r] if r != "any_adult_caregiver"

# A companion ranks at the best place the statute names them in: as their
# relationship, or as an adult the child lives with when they live with the
# child (a live-in friend ranks below the relatives listed before that class).
rank_in(order, relationship) := min({i |
	some i, r in order
	names_in_rank(r, relationship)
})

names_in_rank(r, relationship) if r == relationship

names_in_rank("any_adult_caregiver", _) if object.get(companion, "lives_with_patient", false)

statute_names_companion(statute) if companion.relationship in statute.relationships

statute_names_companion(statute) if {
	"any_adult_caregiver" in statute.relationships
	object.get(companion, "lives_with_patient", false)
}

# METADATA
# title: HIPAA authorization
# description: A guardian named the companion on a HIPAA authorization; it covers information, never consent.
# labels:
#   code: HIPAA_AUTHORIZATION
hipaa_ruling(action) := object.union(
	allowed("HIPAA_AUTHORIZATION", sprintf("%s named %s on a HIPAA authorization (%s)%s.", [guardian_words(d.granted_by), companion_name, d.id, valid_until_words(d)])),
	{"document": d.id},
) if {
	d := first([d | some d in delegations(action); d.kind == "hipaa_authorization"])
}

# ---------------------------------------------------------------------------
# Documents naming the companion.

has_documents if count(companion_documents) > 0

# A companion under the practice's minimum age holds nothing by a document
# (rule 10), unless they are the patient's parent: a minor parent is still a parent.
may_hold_documents if companion_old_enough

# A parent on file: a relationship the companion only states is no proof.
may_hold_documents if companion_guardian.role in {"parent", "adoptive_parent"}

companion_documents contains d if {
	some d in documents
	d.grantee == companion.id
	d.kind != "healthcare_poa"
}

# Documents that give the companion this action. A document its signer is
# barred from granting for this action gives nothing (rule 3).
delegations(action) := {d |
	some d in companion_documents
	document_scope(d, action)
	not flaws[d.id]
	not grantor_barred(d, action)
}

grantor_barred(d, action) if person_barred(d.granted_by, action)

in_force(d) if {
	not object.get(d, "revoked", false)
	object.get(d, "valid_from", today) <= today
	today <= object.get(d, "valid_until", today)
}

# The flaw of each of the companion's documents that has one, by id.
flaws := {d.id: document_flaw(d) | some d in companion_documents; document_flaw(d)}

# What stops a document from counting at all, most specific first.
document_flaw(d) := "DOCUMENT_REVOKED" if {
	object.get(d, "revoked", false)
} else := "DOCUMENT_NOT_RECOGNIZED" if {
	d.kind == "caregiver_affidavit"
	jurisdiction.caregiver_affidavit == null
} else := "DOCUMENT_NOT_YET_VALID" if {
	today < document_first_day(d)
} else := "DOCUMENT_EXPIRED" if {
	not in_force(d)
} else := "DOCUMENT_EXPIRED" if {
	affidavit_lapsed(d)
} else := "DOCUMENT_NOT_FROM_GUARDIAN" if {
	d.kind in {"proxy_authorization", "hipaa_authorization"}
	not d.granted_by in custodial_guardian_ids
} else := "DOCUMENT_NOT_FROM_GUARDIAN" if {
	d.kind == "foster_placement"
	not placing_authority(d.granted_by)
} else := "DOCUMENT_FORMALITIES" if {
	d.kind == "proxy_authorization"
	not proxy_formalities_met(d)
} else := "DOCUMENT_FORMALITIES" if {
	d.kind == "caregiver_affidavit"
	not affidavit_conditions_met
}

# The first day a document is in force: its own start, or for a caregiver's
# affidavit the day it was signed.
document_first_day(d) := d.valid_from if {
	d.valid_from
} else := d.signed_on if {
	d.kind == "caregiver_affidavit"
	d.signed_on
} else := today

# A foster placement is made by the state: an agency or a court guardian on file.
placing_authority(id) if {
	g := guardian_named(id)
	g.role in {"agency", "court_guardian"}
	custodial(g)
}

# Which actions a document reaches, before asking whether it is valid.
document_scope(d, action) if {
	d.kind == "proxy_authorization"
	covers(d.covers, action)
}

document_scope(d, action) if {
	d.kind == "caregiver_affidavit"
	action in affidavit_scope(d)
	narrowed_by_document(d, action)
}

# An affidavit where the law has none would have been offered for consent.
document_scope(d, action) if {
	d.kind == "caregiver_affidavit"
	jurisdiction.caregiver_affidavit == null
	action in consent_actions
	narrowed_by_document(d, action)
}

document_scope(d, action) if {
	d.kind == "foster_placement"
	action in jurisdiction.foster_placement_scope
	narrowed_by_document(d, action)
}

document_scope(d, action) if {
	d.kind == "hipaa_authorization"
	action in information_actions
	covers(d.covers, action)
}

# A document whose list of actions is empty takes its scope from the law.
narrowed_by_document(d, _) if count(object.get(d, "covers", [])) == 0

narrowed_by_document(d, action) if covers(d.covers, action)

proxy_formalities_met(d) if {
	object.get(d, "witnesses", 0) >= object.get(jurisdiction.proxy_formalities, "witnesses", 0)
	notarized_if_required(d)
}

notarized_if_required(_) if not jurisdiction.proxy_formalities.notarized

notarized_if_required(d) if object.get(d, "notarized", false)

relative_caregiver(d) if {
	object.get(d, "relative", false)
	companion.relationship in jurisdiction.caregiver_affidavit.relatives
}

affidavit_scope(d) := jurisdiction.caregiver_affidavit.relative_scope if {
	relative_caregiver(d)
} else := jurisdiction.caregiver_affidavit.nonrelative_scope

affidavit_lapsed(d) if {
	d.kind == "caregiver_affidavit"
	affidavit_validity_limited
	not within_validity(d)
}

# The jurisdiction limits how long a caregiver's affidavit lasts, in days or in months.
# Anything given counts as a limit, so a value no rule can read lapses the
# affidavit rather than making it last for ever.
affidavit_validity_limited if object.get(jurisdiction.caregiver_affidavit, "validity_days", null) != null

affidavit_validity_limited if object.get(jurisdiction.caregiver_affidavit, "validity_months", null) != null

within_validity(d) if {
	d.signed_on <= today
	today <= affidavit_last_day(d)
}

# An affidavit is valid for its validity days after the day it was signed
# ("one year after the date it is signed": signed 2025-11-22, its last day is 2026-11-22).
affidavit_last_day(d) := time.format([
	time.add_date(time.parse_ns("2006-01-02", d.signed_on), 0, 0, jurisdiction.caregiver_affidavit.validity_days),
	"UTC", "2006-01-02",
]) if {
	is_number(jurisdiction.caregiver_affidavit.validity_days)
}

# Or for its validity months: the same day of the month that many months on
# (signed 2026-01-15, six months: 2026-07-15), or the month's last day when it
# has no such day (signed 2026-08-31: 2027-02-28, not 3 March).
else := min({same_day, month_end}) if {
	months := jurisdiction.caregiver_affidavit.validity_months
	signed := time.parse_ns("2006-01-02", d.signed_on)
	same_day := time.format([time.add_date(signed, 0, months, 0), "UTC", "2006-01-02"])
	first_of_month := time.parse_ns("2006-01-02", concat("", [substring(d.signed_on, 0, 8), "01"]))
	month_end := time.format([time.add_date(first_of_month, 0, months + 1, -1), "UTC", "2006-01-02"])
}

affidavit_conditions_met if count(affidavit_unmet) == 0

# What the jurisdiction asks of a caregiver's affidavit that this one lacks,
# all of it, so the desk is not refused again for the next.
affidavit_unmet := [affidavit_requirement_words[r] |
	some r in ["age", "lives_with", "unreachable"]
	not affidavit_requirement_met(r)
]

affidavit_requirement_met("age") if companion.age >= jurisdiction.caregiver_affidavit.min_age

affidavit_requirement_met("lives_with") if lives_with_if_required

affidavit_requirement_met("unreachable") if unreachable_if_required

affidavit_requirement_words := {
	"age": sprintf("the caregiver must be at least %v", [jurisdiction.caregiver_affidavit.min_age]),
	"lives_with": "the caregiver must live with the child",
	"unreachable": "it counts only once staff have documented that no guardian can be reached",
}

# Some states let a caregiver's affidavit stand in for a parent only once the
# parent cannot be reached (Missouri), not beside a parent who can be called.
unreachable_if_required if not affidavit_needs_unreachable_guardian

unreachable_if_required if guardian_unreachable

affidavit_needs_unreachable_guardian if object.get(jurisdiction.caregiver_affidavit, "guardian_unreachable_required", false)

lives_with_if_required if not jurisdiction.caregiver_affidavit.lives_with_required

lives_with_if_required if object.get(companion, "lives_with_patient", false)

valid_until_words(d) := sprintf(", valid until %s", [document_last_day(d)]) if {
	document_last_day(d)
} else := ""

# A guardian's own consent, in person or by phone, decides despite a refusal
# (rule 8 d): the refusing guardian's lifts it, another's is taken with
# GUARDIANS_DISAGREE. Nobody barred is called.
refusal_remedy(action) := note("CALL_GUARDIAN", sprintf(
	"Call %s: a guardian's own consent, in person or by phone, decides this.",
	[guardians_to_call],
)) if {
	count(callable_guardians) > 0
	verbal_consent_accepted(action)
} else := note("CALL_GUARDIAN", sprintf(
	"Ask %s to come in: a guardian's own consent in person decides this.",
	[guardians_to_call],
)) if {
	count(callable_guardians) > 0
} else := note(
	"BRING_COURT_ORDER",
	"The guardian who refused is named in a restriction on file: staff do not contact them; ask the manager, or for a court order.",
)

# Guardians' standing refusals that still stand: a guardian's own consent by
# phone for this visit lifts that guardian's refusal.
unlifted_refusals(action) := {by |
	some by in refusing_guardians(action)
	not lifted_by_own_consent(by, action)
}

lifted_by_own_consent(by, action) if {
	some v in accepted_verbal_consents(action)
	v.from == by
}

refused(action) if {
	count(refusals) > 0
	count(unlifted_refusals(action)) > 0
}

written_by(action) := sprintf("under %s", [jurisdiction_law]) if {
	action in jurisdiction.written_consent_required
} else := "by this practice"

# Consent by phone does not count where writing is required, nor for consent
# the practice does not take by phone. For presence and information, phone
# consent the practice does not take is no consent at all, and rule 9 decides.
needs_writing(action) if written_consent_required(action)

needs_writing(action) if {
	action in consent_actions
	not verbal_consent_accepted(action)
}
