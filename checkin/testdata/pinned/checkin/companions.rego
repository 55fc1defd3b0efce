# Other companions.
#
# Rules 9 and 10. With no role or delegation, an adult may still bring a
# patient who cannot decide for themselves, hear the care instructions, take
# home a child they brought and carry the school note; consent and records
# need authority, and each refusal says how to get it. A companion under the
# practice's minimum age may do none of it. When a document naming the
# companion exists but fails, the refusal names the document's flaw.
package checkin

# Rule 9: the first of the practice's rules for any other adult that applies
# decides; a refusal for want of authority names the flaw of the companion's
# own document, if one would have counted.
companion_ruling(action) := with_document_flaw(any_adult_ruling(action), action) if patient_dependent

any_adult_ruling(action) := authorization_required(action) if {
	practice.accompany == "authorized_only"
	action == "accompany"
	not holds_delegation
} else := adult_companion if {
	action == "accompany"
} else := accompanying_adult_school_note if {
	action == "school_note"
	practice.school_note_to_companion
} else := accompanying_adult_pick_up if {
	action == "pick_up"
	companion.brought_patient
} else := accompanying_adult_care_instructions if {
	action == "discuss_care"
} else := pick_up_not_brought if {
	# A child goes home with whoever brought them, or whom a guardian confirms.
	action == "pick_up"
	patient_minor
} else := no_authority(action)

# Rule 10, for a companion under the practice's minimum age (candidate "10"
# asks no one else), whenever the patient cannot decide for themselves.
# METADATA
# title: Companion too young
# description: The companion is under the practice's minimum age for a companion.
# custom:
#   code: COMPANION_TOO_YOUNG
companion_too_young := deny(
	rego.metadata.rule(),
	"under_minimum_age",
	{"companion": companion_name, "age": companion.age, "min_age": practice.min_companion_age},
	[remedy("CALL_GUARDIAN", "come_or_send_adult", {"guardians": guardians_to_call})],
) if {
	patient_dependent
}

# METADATA
# title: Authorization required
# description: The practice lets only guardians and authorized delegates bring a patient in and stay.
# custom:
#   code: AUTHORIZATION_REQUIRED
authorization_required(action) := deny(
	rego.metadata.rule(),
	"authorized_only",
	{"action": action_phrase(action)},
	authority_remedies(action),
)

# METADATA
# title: Adult companion
# description: Any adult may bring the patient in and stay.
# custom:
#   code: ADULT_COMPANION
adult_companion := allow_if(
	rego.metadata.rule(),
	"may_bring_in",
	{"companion": companion_words, "patient": patient_name},
	[record_relationship],
)

# METADATA
# title: Accompanying adult takes the school note
# description: The adult who brought the patient may take the school note, where the practice allows it.
# custom:
#   code: ACCOMPANYING_ADULT
accompanying_adult_school_note := allow(rego.metadata.rule(), "school_note", {"companion": companion_words})

# METADATA
# title: Accompanying adult takes home the patient they brought
# description: The adult who brought the patient may take them home.
# custom:
#   code: ACCOMPANYING_ADULT
accompanying_adult_pick_up := allow(
	rego.metadata.rule(),
	"brought_patient",
	{"companion": companion_words, "patient": patient_name},
)

# METADATA
# title: Accompanying adult hears the care instructions
# description: The adult with the patient may hear what they need to care for them today, and only that.
# custom:
#   code: ACCOMPANYING_ADULT
accompanying_adult_care_instructions := allow_if(
	rego.metadata.rule(),
	"care_instructions",
	{"companion": companion_words},
	[condition("LIMIT_TO_CARE_INSTRUCTIONS", "today", {})],
)

# METADATA
# title: No authority to take home a child they did not bring
# description: Only the adult who brought a child, or one a guardian confirms, takes them home.
# custom:
#   code: NO_AUTHORITY
pick_up_not_brought := deny(
	rego.metadata.rule(),
	"did_not_bring",
	{"companion": companion_words, "patient": patient_name},
	array.concat(
		[remedy("CALL_GUARDIAN", "confirm_pick_up", {"guardians": guardians_to_call, "patient": patient_name})],
		sign_proxy_form_remedy,
	),
)

# METADATA
# title: No authority
# description: Nothing gives the companion authority for the action.
# custom:
#   code: NO_AUTHORITY
no_authority(action) := deny(
	rego.metadata.rule(),
	"companion_lacks",
	{"companion": companion_words, "action": action_phrase(action)},
	authority_remedies(action),
)

# A companion the practice may treat as authorized: a guardian, or the holder
# of a delegation (rule 8 a-e) in force.
holds_delegation if companion_guardian

holds_delegation if {
	may_hold_documents
	some d in companion_documents
	d.kind != "hipaa_authorization"
	not flaws[d.id]
	not d.granted_by in barred_people
}

# A delegation is a fact about the companion, whatever else the visit asks.
holds_delegation if {
	some action in consent_actions
	count(accepted_verbal_consents(action)) > 0
}

holds_delegation if {
	guardian_unreachable
	some action in consent_actions
	count(qualifying_statutes(action)) > 0
}

# Whoever decides for an adult lacking capacity, agent or surrogate, is
# authorized to be with them.
holds_delegation if {
	patient_adult
	patient_lacks_capacity
	some action in consent_actions
	incapable_adult_ruling(action).basis in {"HEALTHCARE_AGENT", "SURROGATE"}
}

# ---------------------------------------------------------------------------
# The companion's own document, when it fails.

# When the companion's own document fails, the refusal says why, and how to fix it.
with_document_flaw(ruling, action) := document_flaw_ruling(flaw, d, action, ruling.remedies) if {
	ruling.verdict == "deny"
	ruling.basis in {"NO_AUTHORITY", "AUTHORIZATION_REQUIRED"}
	[d, flaw] := document_flaw_for(action)
} else := ruling

# The most telling flaw among the companion's documents: one that would have
# covered the action but fails, else a valid one that does not reach it (a
# HIPAA authorization never reaches consent, so it is no flaw of it).
# Several documents may share the most telling flaw; the contract does not
# rank them, so the refusal names the one with the lowest id, the same one
# whatever order the records list them in.
document_flaw_for(action) := [lowest_id(restricted), "DOCUMENT_GRANTOR_RESTRICTED"] if {
	restricted := {d |
		some d in companion_documents
		document_scope(d, action)
		not flaws[d.id]
		grantor_barred(d, action)
	}
	count(restricted) > 0
} else := [lowest_id(flawed), flaw] if {
	in_scope := {d | some d in companion_documents; document_scope(d, action); flaws[d.id]}
	ranks := {i | some i, flaw in flaw_order; some d in in_scope; flaws[d.id] == flaw}
	count(ranks) > 0
	flaw := flaw_order[min(ranks)]
	flawed := {d | some d in in_scope; flaws[d.id] == flaw}
} else := [lowest_id(valid), "DOCUMENT_SCOPE"] if {
	valid := {d |
		some d in companion_documents
		not flaws[d.id]
		not grantor_barred(d, action)
		not hipaa_asked_for_consent(d, action)
	}
	count(valid) > 0
}

lowest_id(docs) := document_by_id[min({d.id | some d in docs})]

hipaa_asked_for_consent(d, action) if {
	d.kind == "hipaa_authorization"
	action in consent_actions
}

# The flaws of a document that would have covered the action, most telling first.
flaw_order := [
	"DOCUMENT_REVOKED",
	"DOCUMENT_EXPIRED",
	"DOCUMENT_NOT_YET_VALID",
	"DOCUMENT_NOT_RECOGNIZED",
	"DOCUMENT_NOT_FROM_GUARDIAN",
	"DOCUMENT_FORMALITIES",
]

# METADATA
# title: Document revoked
# description: The companion's document would have covered the action, but it has been revoked.
# custom:
#   code: DOCUMENT_REVOKED
document_flaw_ruling("DOCUMENT_REVOKED", d, _, remedies) := deny(
	rego.metadata.rule(),
	"revoked",
	{"document": d.id, "kind": document_words[d.kind]},
	remedies,
)

# METADATA
# title: Document expired
# description: The companion's document would have covered the action, but its last day has passed.
# custom:
#   code: DOCUMENT_EXPIRED
document_flaw_ruling("DOCUMENT_EXPIRED", d, _, remedies) := deny(
	rego.metadata.rule(),
	"last_day_passed",
	{"document": d.id, "kind": document_words[d.kind], "last_day": last_day},
	with_renewal(d, renewal(d), remedies),
) if {
	last_day := document_last_day(d)
}

# METADATA
# title: Affidavit expired, with no signing date to count from
# description: The companion's affidavit would have covered the action, but its validity cannot be counted.
# custom:
#   code: DOCUMENT_EXPIRED
document_flaw_ruling("DOCUMENT_EXPIRED", d, _, remedies) := deny(
	rego.metadata.rule(),
	"no_signing_date",
	{"document": d.id, "kind": document_words[d.kind]},
	with_renewal(d, renewal(d), remedies),
) if {
	not document_last_day(d)
}

# METADATA
# title: Document not yet in force
# description: The companion's document would cover the action, but its first day has not come.
# custom:
#   code: DOCUMENT_NOT_YET_VALID
document_flaw_ruling("DOCUMENT_NOT_YET_VALID", d, _, remedies) := deny(
	rego.metadata.rule(),
	"first_day_to_come",
	{"document": d.id, "kind": document_words[d.kind], "first_day": document_first_day(d)},
	remedies,
)

# A document a barred person signed, or one the jurisdiction does not
# recognize, is no authority at all: the refusal is the companion's want of
# authority (NO_AUTHORITY), and its reason, in place of the general one, says
# why the document presented does not count. The signer is not named: a
# barred person is never the desk's way forward.
# METADATA
# title: Document signed by someone a restriction bars
# description: A restriction on file bars the signer of the companion's document from this; it gives no authority.
# custom:
#   code: NO_AUTHORITY
document_flaw_ruling("DOCUMENT_GRANTOR_RESTRICTED", d, _, remedies) := deny_with_reason(
	rego.metadata.rule(),
	reason("DOCUMENT_GRANTOR_RESTRICTED", "barred_signer", {"document": d.id, "kind": document_words[d.kind]}),
	remedies,
)

# METADATA
# title: Caregiver's affidavit the jurisdiction does not recognize
# description: The jurisdiction has no caregiver's affidavit law, so the companion's affidavit gives no authority.
# custom:
#   code: NO_AUTHORITY
document_flaw_ruling("DOCUMENT_NOT_RECOGNIZED", d, _, remedies) := deny_with_reason(
	rego.metadata.rule(),
	reason("DOCUMENT_NOT_RECOGNIZED", "no_affidavit_law", {
		"document": d.id,
		"kind": document_words[d.kind],
		"jurisdiction": input.jurisdiction,
	}),
	remedies,
)

# METADATA
# title: Authorization not made by a guardian with legal custody
# description: The companion's authorization was not made by a custodial guardian on file.
# custom:
#   code: DOCUMENT_NOT_FROM_GUARDIAN
document_flaw_ruling("DOCUMENT_NOT_FROM_GUARDIAN", d, _, remedies) := deny(
	rego.metadata.rule(),
	"not_custodial_guardian",
	{"document": d.id, "kind": document_words[d.kind]},
	remedies,
) if {
	d.kind in {"proxy_authorization", "hipaa_authorization"}
}

# METADATA
# title: Foster placement not made by the child's agency or court guardian
# description: The companion's foster placement was not made by an agency or court guardian on file.
# custom:
#   code: DOCUMENT_NOT_FROM_GUARDIAN
document_flaw_ruling("DOCUMENT_NOT_FROM_GUARDIAN", d, _, remedies) := deny(
	rego.metadata.rule(),
	"not_placing_authority",
	{"document": d.id, "kind": document_words[d.kind]},
	remedies,
) if {
	d.kind == "foster_placement"
}

# Only an authorization or an affidavit has formalities (document_flaw).
# METADATA
# title: Authorization without the witnesses the law requires
# description: The companion's authorization lacks the witnesses the jurisdiction requires.
# custom:
#   code: DOCUMENT_FORMALITIES
document_flaw_ruling("DOCUMENT_FORMALITIES", d, _, remedies) := deny(
	rego.metadata.rule(),
	"witnesses",
	{
		"document": d.id, "kind": document_words[d.kind], "law": jurisdiction_law,
		"witnesses": jurisdiction.proxy_formalities.witnesses,
	},
	remedies,
) if {
	d.kind == "proxy_authorization"
	not jurisdiction.proxy_formalities.notarized
}

# METADATA
# title: Authorization without the witnesses and notary the law requires
# description: The companion's authorization lacks the witnesses or the notarization the jurisdiction requires.
# custom:
#   code: DOCUMENT_FORMALITIES
document_flaw_ruling("DOCUMENT_FORMALITIES", d, _, remedies) := deny(
	rego.metadata.rule(),
	"witnesses_and_notary",
	{
		"document": d.id, "kind": document_words[d.kind], "law": jurisdiction_law,
		"witnesses": jurisdiction.proxy_formalities.witnesses,
	},
	remedies,
) if {
	d.kind == "proxy_authorization"
	jurisdiction.proxy_formalities.notarized
}

# Every requirement the affidavit misses, so the desk is not refused again for the next.
# METADATA
# title: Affidavit that does not meet the law's requirements
# description: The companion's caregiver's affidavit misses what the jurisdiction requires of it.
# custom:
#   code: DOCUMENT_FORMALITIES
document_flaw_ruling("DOCUMENT_FORMALITIES", d, _, remedies) := deny(
	rego.metadata.rule(),
	"affidavit_requirements",
	{
		"document": d.id, "kind": document_words[d.kind], "law": jurisdiction_law,
		"requirements": concat("; ", affidavit_unmet),
	},
	remedies,
) if {
	d.kind == "caregiver_affidavit"
	count(affidavit_unmet) > 0
}

# METADATA
# title: Document does not cover the action
# description: The companion holds a valid document, but it does not reach the action.
# custom:
#   code: DOCUMENT_SCOPE
document_flaw_ruling("DOCUMENT_SCOPE", d, _, remedies) := deny(
	rego.metadata.rule(),
	"companion_document",
	{"document": d.id, "kind": document_words[d.kind]},
	remedies,
)

# A renewal is a form to sign. The companion renews their own affidavit at the
# desk, so that comes first; a guardian's comes after any call the desk can
# make now, and before the new authorization it would spare (a refusal offers
# one such form at most; the renewal goes before the first).
with_renewal(d, renew, remedies) := array.concat(renew, remedies) if {
	signed_by_companion(d)
} else := array.concat(
	array.concat(array.slice(remedies, 0, i), renew),
	array.slice(remedies, i, count(remedies)),
) if {
	i := min({i | some i, r in remedies; r.code == "SIGN_PROXY_FORM"})
} else := array.concat(remedies, renew)

# Only an expired document is renewed, and never by asking a barred signer.
default renewal(_) := []

renewal(d) := [remedy("RENEW_DOCUMENT", "ask_signer", {"signer": document_signer(d), "document": d.id})] if {
	not signer_barred(d)
}

signer_barred(d) if d.granted_by in barred_people

document_signer(d) := companion_name if {
	signed_by_companion(d)
} else := guardian_words(d.granted_by)

# A document that names no grantor is the companion's own (an affidavit).
signed_by_companion(d) if not d.granted_by

signed_by_companion(d) if d.granted_by == companion.id
