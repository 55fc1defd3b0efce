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

else := guardian_refused(action) if {
	patient_minor
	count(refusals) > 0
}

else := written_consent_ruling(action) if {
	patient_minor
	count(verbal_consents) > 0
	needs_writing(action)
}

else := guardian_only(action) if {
	patient_minor
	guardian_required(action)
}

# METADATA
# title: Guardian refused
# description: A custodial guardian's standing refusal covers the action; no delegate overrides it.
# custom:
#   code: GUARDIAN_REFUSED
guardian_refused(action) := deny(
	rego.metadata.rule(), "on_anyone_elses_word",
	{"guardian": guardian_words(refusing_guardian_named(action))},
	[refusal_remedy(action)],
)

# When the refusals of several guardians stand, any one of them is reason
# enough: the refusal names the guardian with the lowest id, so the words
# never depend on the order of the records.
refusing_guardian_named(action) := min(unlifted_refusals(action))

# Consent by phone where it must be in writing: the law's requirement is
# cited before the practice's own.
written_consent_ruling(action) := written_consent_by_law(action) if {
	action in jurisdiction.written_consent_required
} else := written_consent_by_practice(action)

# METADATA
# title: Written consent required by law
# description: A guardian consented by phone, but the jurisdiction requires the guardian's consent in writing.
# custom:
#   code: WRITTEN_CONSENT_REQUIRED
written_consent_by_law(action) := deny(
	rego.metadata.rule(), "by_law",
	{"guardian": guardian_words(phoned_guardian(action)), "law": jurisdiction_law},
	[written_consent_remedy(action)],
)

# METADATA
# title: Written consent required by the practice
# description: A guardian consented by phone, but the practice takes this consent only in writing.
# custom:
#   code: WRITTEN_CONSENT_REQUIRED
written_consent_by_practice(action) := deny(
	rego.metadata.rule(), "by_practice",
	{"guardian": guardian_words(phoned_guardian(action))},
	[written_consent_remedy(action)],
)

# The custodial guardian who agreed by phone to the action; when several
# did, the one with the lowest id, so the words never depend on the order in
# which the desk noted the calls.
phoned_guardian(action) := min({v.from |
	some v in verbal_consents
	v.from in custodial_guardian_ids
	not person_barred(v.from, action)
	covers(v.covers, action)
})

# METADATA
# title: Guardian required
# description: The practice or jurisdiction reserves the action for a guardian.
# custom:
#   code: GUARDIAN_REQUIRED
guardian_only(action) := deny(
	rego.metadata.rule(), "reserved",
	{"action": action_phrase(action)},
	[guardian_remedy(action)],
)

# (a)-(c): a document that delegates the action to the companion, by kind in
# this order.
document_ruling(action) := proxy_authorized(d) if {
	d := longest_lasting({d | some d in delegations(action); d.kind == "proxy_authorization"})
} else := attested_authorization(d, statute) if {
	statute := attested_delegation_for(action)
	some_guardian_could_authorize(action)
	d := longest_lasting({d |
		some d in companion_documents
		self_attested(d)
		covers(d.covers, action)
		in_force(d)
	})
} else := caregiver_affidavit_held(d, action) if {
	d := longest_lasting({d | some d in delegations(action); d.kind == "caregiver_affidavit"})
} else := foster_placed(d) if {
	d := longest_lasting({d | some d in delegations(action); d.kind == "foster_placement"})
}

# METADATA
# title: Proxy authorization
# description: A custodial guardian authorized the companion in writing, with no end date, covering the action.
# custom:
#   code: PROXY_AUTHORIZATION
proxy_authorized(d) := object.union(
	allow(
		rego.metadata.rule(), "authorized",
		{"guardian": guardian_words(d.granted_by), "companion": companion_name, "document": d.id},
	),
	{"document": d.id},
) if {
	not document_last_day(d)
}

# METADATA
# title: Proxy authorization, until its last day
# description: A custodial guardian authorized the companion in writing, in force and covering the action.
# custom:
#   code: PROXY_AUTHORIZATION
proxy_authorized(d) := object.union(
	allow(
		rego.metadata.rule(), "authorized_until",
		{
			"guardian": guardian_words(d.granted_by), "companion": companion_name,
			"document": d.id, "last_day": document_last_day(d),
		},
	),
	{"document": d.id},
) if {
	document_last_day(d)
}

# METADATA
# title: Attested delegation
# description: |
#   Where the law allows it, an adult's own signed statement that a guardian
#   authorized them is a proxy authorization.
# custom:
#   code: PROXY_AUTHORIZATION
attested_authorization(d, statute) := object.union(
	allow(
		rego.metadata.rule(), "attested",
		{"companion": companion_name, "document": d.id, "statute": statute.statute},
	),
	{"document": d.id},
)

# Where several of the law's provisions accept a signed statement for the
# action, the reason cites the one the jurisdiction's profile lists first.
attested_delegation_for(action) := jurisdiction.attested_delegation[i] if {
	i := min({i | some i, s in jurisdiction.attested_delegation; action in s.actions})
}

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

# METADATA
# title: Caregiver affidavit
# description: The jurisdiction recognizes the companion's caregiver affidavit for this action; it gives no last day.
# custom:
#   code: CAREGIVER_AFFIDAVIT
caregiver_affidavit_held(d, action) := object.union(
	allow_if(
		rego.metadata.rule(), "holds",
		{"caregiver": caregiver_words, "kind": affidavit_words(d), "document": d.id},
		affidavit_conditions(d, action),
	),
	{"document": d.id},
) if {
	not document_last_day(d)
}

# METADATA
# title: Caregiver affidavit, until its last day
# description: The jurisdiction recognizes the companion's caregiver affidavit for this action, within its validity.
# custom:
#   code: CAREGIVER_AFFIDAVIT
caregiver_affidavit_held(d, action) := object.union(
	allow_if(
		rego.metadata.rule(), "holds_until",
		{
			"caregiver": caregiver_words, "kind": affidavit_words(d),
			"document": d.id, "last_day": document_last_day(d),
		},
		affidavit_conditions(d, action),
	),
	{"document": d.id},
) if {
	document_last_day(d)
}

# The caregiver is said to live with the child only when the desk was told
# so: some states do not require it.
caregiver_words := phrase("caregiver_living_with", {"companion": companion_name, "patient": patient_name}) if {
	companion.lives_with_patient
} else := companion_name

affidavit_words(d) := phrase("affidavit_relative", {}) if {
	relative_caregiver(d)
} else := phrase("affidavit_nonrelative", {})

affidavit_conditions(d, action) := array.concat(affidavit_contact_attempts, affidavit_limit(d, action))

# An affidavit that counts only once no guardian can be reached needs the
# attempts in the chart, as a statute for unreachable guardians does.
default affidavit_contact_attempts := []

affidavit_contact_attempts := [record_contact_attempts] if affidavit_needs_unreachable_guardian

# The limit is in the jurisdiction profile's own words.
default affidavit_limit(_, _) := []

affidavit_limit(d, action) := [condition("LIMIT_TO_SCHOOL_CARE", "jurisdiction_limit", {"limit": limit})] if {
	not relative_caregiver(d)
	limit := jurisdiction.caregiver_affidavit.nonrelative_limit[action]
}

# METADATA
# title: Foster placement
# description: The companion is the child's foster parent, within the jurisdiction's scope for placements.
# custom:
#   code: FOSTER_PLACEMENT
foster_placed(d) := object.union(
	allow(
		rego.metadata.rule(), "placed",
		{"companion": companion_name, "patient": patient_name, "document": d.id},
	),
	{"document": d.id},
)

# (d): a guardian's own consent by phone.
verbal_ruling(action) := phone_consent_witnessed(action, by, witness) if {
	[by, witness] := chosen_phone_consent(action)
	witness != ""
} else := phone_consent_relayed(action, by) if {
	[by, witness] := chosen_phone_consent(action)
	witness == ""
}

# Of several consents by phone that count, the ruling rests on a call a
# staff member witnessed before one the companion relays (what staff heard
# stands on no statute), then on the guardian with the lowest id. Who called
# and who heard it are all the ruling says of a call.
chosen_phone_consent(action) := [by, witness] if {
	[_, by, witness] := min({[relayed(v), v.from, v.witness] | some v in accepted_verbal_consents(action)})
}

relayed(v) := 1 if {
	v.witness == ""
} else := 0

# METADATA
# title: Consent by phone, witnessed
# description: A custodial guardian consented to the action by phone for this visit, a staff member hearing the call.
# custom:
#   code: VERBAL_CONSENT
phone_consent_witnessed(action, by, witness) := allow_if(
	rego.metadata.rule(), "witnessed",
	{"guardian": guardian_words(by), "witness": witness},
	phone_consent_conditions(action, by, witness),
)

# METADATA
# title: Consent by phone, delegated by word of mouth
# description: |
#   The law lets a guardian delegate the action to this companion by word of
#   mouth, and the companion relays the guardian's consent.
# custom:
#   code: VERBAL_CONSENT
phone_consent_relayed(action, by) := allow_if(
	rego.metadata.rule(), "relayed",
	{"guardian": guardian_words(by), "companion": companion_name, "statute": delegation.statute},
	phone_consent_conditions(action, by, ""),
) if {
	delegation := verbal_delegation_for(action)
}

# The call is recorded; another guardian's refusal is a disagreement for
# the chart, as between two guardians at the desk (rule 7).
phone_consent_conditions(action, by, witness) := array.concat(
	[verbal_record(action, by, witness)],
	[condition("GUARDIANS_DISAGREE", "refused_against_phone_consent", {"guardian": guardian_for_staff(other)}) |
		some other in refusing_guardians(action)
		other != by
	],
)

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

witnessed_or_delegated(v, _) if v.witness != ""

witnessed_or_delegated(v, action) if {
	v.witness == ""
	verbal_delegation_for(action)
}

# Where several of the law's provisions let a guardian delegate the action
# to this companion by word of mouth, the one the jurisdiction's profile
# lists first is cited.
verbal_delegation_for(action) := jurisdiction.verbal_delegation[i] if {
	companion_of_age
	i := min({i |
		some i, d in jurisdiction.verbal_delegation
		action in d.actions
		statute_names_companion(d)
	})
}

# Where the statute has the delegate confirm a word-of-mouth delegation in
# writing (Maryland), the chart needs that confirmation, not only a note.
verbal_record(action, by, witness) := condition(
	"DOCUMENT_VERBAL_CONSENT", "confirm_delegation",
	{"companion": companion_name, "guardian": guardian_words(by), "statute": delegation.statute},
) if {
	witness == ""
	delegation := verbal_delegation_for(action)
	delegation.written_confirmation
} else := condition("DOCUMENT_VERBAL_CONSENT", "record_call", {"guardian": guardian_words(by)})

# (e): the statute for unreachable guardians. Where several let this
# companion consent to the action now, the one the jurisdiction's profile
# lists first decides.
statute_ruling(action) := statutory_relative(action, jurisdiction.unreachable_guardian_statute[i]) if {
	qualifying := qualifying_statutes(action)
	i := min({i | some i, statute in jurisdiction.unreachable_guardian_statute; statute in qualifying})
}

# METADATA
# title: Statute for unreachable guardians
# description: |
#   Staff could not reach any guardian, and the jurisdiction's statute lets
#   this relative consent to the action.
# custom:
#   code: STATUTORY_RELATIVE
statutory_relative(action, statute) := allow_if(
	rego.metadata.rule(), "guardians_unreachable",
	{
		"statute": statute.statute, "relationship": relationship_words[companion.relationship],
		"action": action_phrase(action),
	},
	statute_conditions(statute),
) if {
	needs_unreachable_guardian(statute)
}

# METADATA
# title: Statute for a relative
# description: The jurisdiction's statute lets this relative consent to the action without first trying the guardians.
# custom:
#   code: STATUTORY_RELATIVE
statutory_relative(action, statute) := allow_if(
	rego.metadata.rule(), "relative_may",
	{
		"statute": statute.statute, "relationship": relationship_words[companion.relationship],
		"action": action_phrase(action),
	},
	statute_conditions(statute),
) if {
	not needs_unreachable_guardian(statute)
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

needs_unreachable_guardian(statute) if statute.guardian_unreachable_required

statute_conditions(statute) := array.concat(
	[contact_attempts(statute) | needs_unreachable_guardian(statute)],
	[condition(
		"CONFIRM_NO_HIGHER_PRIORITY", "ranked",
		{
			"statute": statute.statute, "relationship": relationship_words[companion.relationship],
			"higher": concat(phrase("list_separator", {}), higher),
		},
	) |
		statute.ordered
		higher := ranked_above(statute.relationships, companion.relationship)
		count(higher) > 0
	],
)

# Where the statute has the relative confirm in writing that no guardian is
# available (Kansas, for vaccines), the chart needs that confirmation too.
contact_attempts(statute) := condition(
	"DOCUMENT_CONTACT_ATTEMPTS", "record_attempts_and_confirm",
	{"companion": companion_name, "statute": statute.statute},
) if {
	statute.written_confirmation
} else := record_contact_attempts

record_contact_attempts := condition("DOCUMENT_CONTACT_ATTEMPTS", "record_attempts", {})

ranked_above(order, relationship) := [rank_words(r) |
	some i, r in order
	i < rank_in(order, relationship)
]

rank_words("any_adult_caregiver") := phrase("adult_caregiver", {})

rank_words(r) := relationship_words[r] if r != "any_adult_caregiver"

# A companion ranks at the best place the statute names them in: as their
# relationship, or as an adult the child lives with when they live with the
# child (a live-in friend ranks below the relatives listed before that class).
rank_in(order, relationship) := min({i |
	some i, r in order
	names_in_rank(r, relationship)
})

names_in_rank(r, relationship) if r == relationship

names_in_rank("any_adult_caregiver", _) if companion.lives_with_patient

statute_names_companion(statute) if companion.relationship in statute.relationships

statute_names_companion(statute) if {
	"any_adult_caregiver" in statute.relationships
	companion.lives_with_patient
}

# (f): a HIPAA authorization, for information only.
hipaa_ruling(action) := hipaa_named(d) if {
	d := longest_lasting({d | some d in delegations(action); d.kind == "hipaa_authorization"})
}

# METADATA
# title: HIPAA authorization
# description: |
#   A guardian named the companion on a HIPAA authorization with no end date;
#   it covers information, never consent.
# custom:
#   code: HIPAA_AUTHORIZATION
hipaa_named(d) := object.union(
	allow(
		rego.metadata.rule(), "named_by_guardian",
		{"guardian": guardian_words(d.granted_by), "companion": companion_name, "document": d.id},
	),
	{"document": d.id},
) if {
	not document_last_day(d)
}

# METADATA
# title: HIPAA authorization, until its last day
# description: A guardian named the companion on a HIPAA authorization in force; it covers information, never consent.
# custom:
#   code: HIPAA_AUTHORIZATION
hipaa_named(d) := object.union(
	allow(
		rego.metadata.rule(), "named_by_guardian_until",
		{
			"guardian": guardian_words(d.granted_by), "companion": companion_name,
			"document": d.id, "last_day": document_last_day(d),
		},
	),
	{"document": d.id},
) if {
	document_last_day(d)
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

# Not revoked, and between its first and last days if it gives them.
in_force(d) if {
	not d.revoked
	started(d)
	not ended(d)
}

started(d) if not d.valid_from

started(d) if d.valid_from <= today

ended(d) if today > d.valid_until

# The flaw of each of the companion's documents that has one, by id.
flaws := {d.id: document_flaw(d) | some d in companion_documents; document_flaw(d)}

# What stops a document from counting at all, most specific first.
document_flaw(d) := "DOCUMENT_REVOKED" if {
	d.revoked
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
narrowed_by_document(d, _) if count(d.covers) == 0

narrowed_by_document(d, action) if covers(d.covers, action)

proxy_formalities_met(d) if {
	d.witnesses >= jurisdiction.proxy_formalities.witnesses
	notarized_if_required(d)
}

notarized_if_required(_) if not jurisdiction.proxy_formalities.notarized

notarized_if_required(d) if d.notarized

relative_caregiver(d) if {
	d.relative
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
affidavit_validity_limited if jurisdiction.caregiver_affidavit.validity_days != null

affidavit_validity_limited if jurisdiction.caregiver_affidavit.validity_months != null

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
# all of it, so the desk is not refused again for the next: words in the
# decision's language, which the refusal lists.
affidavit_unmet := [affidavit_requirement_words(r) |
	some r in ["age", "lives_with", "unreachable"]
	not affidavit_requirement_met(r)
]

affidavit_requirement_met("age") if companion.age >= jurisdiction.caregiver_affidavit.min_age

affidavit_requirement_met("lives_with") if lives_with_if_required

affidavit_requirement_met("unreachable") if unreachable_if_required

affidavit_requirement_words("age") := phrase("affidavit_min_age", {"age": jurisdiction.caregiver_affidavit.min_age})

affidavit_requirement_words("lives_with") := phrase("affidavit_lives_with", {})

affidavit_requirement_words("unreachable") := phrase("affidavit_unreachable", {})

# Some states let a caregiver's affidavit stand in for a parent only once the
# parent cannot be reached (Missouri), not beside a parent who can be called.
unreachable_if_required if not affidavit_needs_unreachable_guardian

unreachable_if_required if guardian_unreachable

affidavit_needs_unreachable_guardian if jurisdiction.caregiver_affidavit.guardian_unreachable_required

lives_with_if_required if not jurisdiction.caregiver_affidavit.lives_with_required

lives_with_if_required if companion.lives_with_patient

# A guardian's own consent, in person or by phone, decides despite a refusal
# (rule 8 d): the refusing guardian's lifts it, another's is taken with
# GUARDIANS_DISAGREE. Nobody barred is called.
refusal_remedy(action) := remedy("CALL_GUARDIAN", "own_consent_by_phone", {"guardians": guardians_to_call}) if {
	count(callable_guardians) > 0
	verbal_consent_accepted(action)
} else := remedy("CALL_GUARDIAN", "own_consent_in_person", {"guardians": guardians_to_call}) if {
	count(callable_guardians) > 0
} else := remedy("BRING_COURT_ORDER", "refusing_guardian_restricted", {})

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

# Consent by phone does not count where writing is required, nor for consent
# the practice does not take by phone. For presence and information, phone
# consent the practice does not take is no consent at all, and rule 9 decides.
needs_writing(action) if written_consent_required(action)

needs_writing(action) if {
	action in consent_actions
	not verbal_consent_accepted(action)
}
