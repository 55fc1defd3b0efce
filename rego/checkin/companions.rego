# Other companions.
#
# Rules 9 and 10. With no role or delegation, an adult may still bring a
# patient who cannot decide for themselves, hear the care instructions, take
# home a child they brought and carry the school note; consent and records
# need authority, and each refusal says how to get it. A companion under the
# practice's minimum age may do none of it. When a document naming the
# companion exists but fails, the refusal names the document's flaw.
package checkin

companion_ruling(action) := with_document_flaw(ruling, action) if {
	patient_dependent
	ruling := any_adult_ruling(action)
}

# METADATA
# title: Companion too young
# description: The companion is under the practice's minimum age for a companion.
# labels:
#   code: COMPANION_TOO_YOUNG
any_adult_ruling(action) := denied(
	"COMPANION_TOO_YOUNG",
	sprintf("%s is %v; this practice needs a companion of at least %d.", [companion_name, companion.age, practice.min_companion_age]),
	[note("CALL_GUARDIAN", sprintf("Ask %s to come, or to send an adult.", [guardians_to_call]))],
) if {
	not companion_old_enough
}

# METADATA
# title: Authorization required
# description: The practice lets only guardians and authorized delegates bring a patient in and stay.
# labels:
#   code: AUTHORIZATION_REQUIRED
else := denied(
	"AUTHORIZATION_REQUIRED",
	sprintf("This practice needs a guardian or a written authorization for a companion to %s.", [action_phrase(action)]),
	authority_remedies(action),
) if {
	practice.accompany == "authorized_only"
	action == "accompany"
	not holds_delegation
}

# METADATA
# title: Adult companion
# description: Any adult may bring the patient in and stay.
# labels:
#   code: ADULT_COMPANION
else := allowed_if(
	"ADULT_COMPANION",
	sprintf("%s is an adult and may bring %s in.", [companion_words, patient_name]),
	[record_relationship],
) if {
	action == "accompany"
}

# METADATA
# title: Accompanying adult
# description: The adult who brought the patient may take the school note, take them home, and hear the care instructions.
# labels:
#   code: ACCOMPANYING_ADULT
else := allowed(
	"ACCOMPANYING_ADULT",
	sprintf("%s is the accompanying adult; the note says only that the visit happened.", [companion_words]),
) if {
	action == "school_note"
	practice.school_note_to_companion
}

else := allowed(
	"ACCOMPANYING_ADULT",
	sprintf("%s brought %s and may take them home.", [companion_words, patient_name]),
) if {
	action == "pick_up"
	object.get(companion, "brought_patient", false)
}

else := allowed_if(
	"ACCOMPANYING_ADULT",
	sprintf("%s is the accompanying adult and may hear the care instructions.", [companion_words]),
	[note("LIMIT_TO_CARE_INSTRUCTIONS", "Share only what the companion needs to care for the patient today: instructions, medicines, follow-up.")],
) if {
	action == "discuss_care"
}

# A child goes home with whoever brought them, or whom a guardian confirms.
else := denied(
	"NO_AUTHORITY",
	sprintf("%s did not bring %s and has no authority to take them home.", [companion_words, patient_name]),
	array.concat(
		[note("CALL_GUARDIAN", sprintf("Call %s to confirm who may take %s home.", [guardians_to_call, patient_name]))],
		sign_proxy_form_remedy,
	),
) if {
	action == "pick_up"
	patient_minor
}

# METADATA
# title: No authority
# description: Nothing gives the companion authority for the action.
# labels:
#   code: NO_AUTHORITY
else := denied(
	"NO_AUTHORITY",
	sprintf("%s has no authority to %s.", [companion_words, action_phrase(action)]),
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

# When the companion's own document fails, the refusal says why, and how to fix it.
with_document_flaw(ruling, action) := object.union(ruling, {
	"basis": flaw_basis(flaw),
	"reasons": [note(flaw, flaw_words(flaw, d))],
	"remedies": with_renewal(d, flaw_remedies(flaw, d), ruling.remedies),
}) if {
	ruling.verdict == "deny"
	ruling.basis in {"NO_AUTHORITY", "AUTHORIZATION_REQUIRED"}
	[d, flaw] := document_flaw_for(action)
} else := ruling

# A document the jurisdiction does not recognize is no authority at all; the
# reason says why the one presented does not count.
flaw_basis(flaw) := "NO_AUTHORITY" if {
	flaw in {"DOCUMENT_NOT_RECOGNIZED", "DOCUMENT_GRANTOR_RESTRICTED"}
} else := flaw

# The most telling flaw among the companion's documents: one that would have
# covered the action but fails, else a valid one that does not reach it (a
# HIPAA authorization never reaches consent, so it is no flaw of it).
document_flaw_for(action) := [d, "DOCUMENT_GRANTOR_RESTRICTED"] if {
	has_documents
	d := first([d |
		some d in companion_documents
		document_scope(d, action)
		not flaws[d.id]
		grantor_barred(d, action)
	])
} else := found if {
	has_documents
	found := first([[d, flaw] |
		some flaw in flaw_order
		some d in companion_documents
		document_scope(d, action)
		flaws[d.id] == flaw
	])
}

else := [d, "DOCUMENT_SCOPE"] if {
	has_documents
	d := first([d |
		some d in companion_documents
		not flaws[d.id]
		not grantor_barred(d, action)
		not hipaa_asked_for_consent(d, action)
	])
}

hipaa_asked_for_consent(d, action) if {
	d.kind == "hipaa_authorization"
	action in consent_actions
}

flaw_order := [
	"DOCUMENT_REVOKED",
	"DOCUMENT_EXPIRED",
	"DOCUMENT_NOT_YET_VALID",
	"DOCUMENT_NOT_RECOGNIZED",
	"DOCUMENT_NOT_FROM_GUARDIAN",
	"DOCUMENT_FORMALITIES",
]

flaw_words("DOCUMENT_REVOKED", d) := sprintf("%s (%s) has been revoked.", [d.id, document_words[d.kind]])

flaw_words("DOCUMENT_EXPIRED", d) := sprintf("%s (%s) has expired: %s.", [d.id, document_words[d.kind], last_day_words(d)])

last_day_words(d) := sprintf("its last day was %s", [document_last_day(d)]) if {
	document_last_day(d)
} else := "it gives no signing date to count its validity from"

flaw_words("DOCUMENT_NOT_YET_VALID", d) := sprintf("%s (%s) is not in force until %s.", [
	d.id, document_words[d.kind],
	document_first_day(d),
])

# The signer is not named: a barred person is never the desk's way forward.
flaw_words("DOCUMENT_GRANTOR_RESTRICTED", d) := sprintf(
	"%s (%s) was signed by someone a restriction on file bars from this: it gives no authority for it.",
	[d.id, document_words[d.kind]],
)

flaw_words("DOCUMENT_NOT_RECOGNIZED", d) := sprintf("%s (%s) gives no authority here: the policy has no caregiver's affidavit law for %s.", [d.id, document_words[d.kind], input.jurisdiction])

flaw_words("DOCUMENT_NOT_FROM_GUARDIAN", d) := sprintf("%s (%s) was not made by %s.", [
	d.id, document_words[d.kind],
	rightful_grantor_words[d.kind],
])

rightful_grantor_words := {
	"proxy_authorization": "a guardian with legal custody",
	"hipaa_authorization": "a guardian with legal custody",
	"foster_placement": "the child's agency or court guardian on file",
}

flaw_words("DOCUMENT_FORMALITIES", d) := sprintf("%s (%s) lacks what is required of it under %s (%s).", [
	d.id, document_words[d.kind],
	jurisdiction_law, formalities_words(d),
])

flaw_words("DOCUMENT_SCOPE", d) := sprintf("%s (%s) does not cover this.", [d.id, document_words[d.kind]])

formalities_words(d) := sprintf("%d witnesses%s", [jurisdiction.proxy_formalities.witnesses, notary_words]) if {
	d.kind == "proxy_authorization"
} else := concat("; ", affidavit_unmet) if {
	d.kind == "caregiver_affidavit"
	count(affidavit_unmet) > 0
} else := "formalities"

notary_words := " and a notary" if {
	jurisdiction.proxy_formalities.notarized
} else := ""

# A renewal is a form to sign. The companion renews their own affidavit at the
# desk, so that comes first; a guardian's comes after any call the desk can
# make now, and before the new authorization it would spare.
with_renewal(d, renewal, remedies) := array.concat(renewal, remedies) if {
	signed_by_companion(d)
} else := array.concat(
	array.concat(array.slice(remedies, 0, i), renewal),
	array.slice(remedies, i, count(remedies)),
) if {
	i := first([i | some i, r in remedies; r.code == "SIGN_PROXY_FORM"])
} else := array.concat(remedies, renewal)

# Only an expired document is renewed, and never by asking a barred signer.
flaw_remedies(flaw, d) := [note("RENEW_DOCUMENT", sprintf("Ask %s to renew %s.", [document_signer(d), d.id]))] if {
	flaw == "DOCUMENT_EXPIRED"
	not object.get(d, "granted_by", "") in barred_people
} else := []

document_signer(d) := companion_name if {
	signed_by_companion(d)
} else := guardian_words(d.granted_by)

signed_by_companion(d) if object.get(d, "granted_by", companion.id) == companion.id
