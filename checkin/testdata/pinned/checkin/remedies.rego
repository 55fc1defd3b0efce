# Remedies.
#
# What would turn a refusal into a yes, most practical first. A refusal
# without a way forward is a bug: every remedy names who to ask and for what.
package checkin

# For a companion without authority (rule 9), most practical first for the
# desk as it is now: a call to a guardian before a form to sign; once staff
# know no guardian can be reached, what the companion can use without one.
authority_remedies(action) := array.concat(
	array.concat(caregiver_affidavit_remedy(action), call_guardian_remedy(action)),
	array.concat(sign_proxy_form_remedy, adult_authority_remedy),
) if {
	guardian_unreachable
} else := array.concat(
	array.concat(call_guardian_remedy(action), sign_proxy_form_remedy),
	array.concat(
		array.concat(caregiver_affidavit_remedy(action), statute_remedy(action)),
		adult_authority_remedy,
	),
)

default call_guardian_remedy(_) := []

call_guardian_remedy(action) := [call_guardian] if {
	patient_minor
	verbal_consent_accepted(action)
}

default sign_proxy_form_remedy := []

sign_proxy_form_remedy := [sign_proxy_form] if patient_minor

default caregiver_affidavit_remedy(_) := []

caregiver_affidavit_remedy(action) := [caregiver_affidavit_note] if {
	patient_minor
	affidavit := jurisdiction.caregiver_affidavit
	affidavit != null
	companion.age >= affidavit.min_age
	could_use_affidavit(affidavit, action)
}

# Where the affidavit counts only once no guardian can be reached, the remedy says so.
caregiver_affidavit_note := remedy("CAREGIVER_AFFIDAVIT", "if_lives_with_and_unreachable", {
	"companion": companion_name, "patient": patient_name, "law": jurisdiction_law,
}) if {
	affidavit_needs_unreachable_guardian
} else := remedy("CAREGIVER_AFFIDAVIT", "if_lives_with", {
	"companion": companion_name, "patient": patient_name, "law": jurisdiction_law,
})

could_use_affidavit(affidavit, action) if {
	companion.relationship in affidavit.relatives
	action in affidavit.relative_scope
}

could_use_affidavit(affidavit, action) if action in affidavit.nonrelative_scope

# The statute to try once no guardian can be reached. Where several would let
# the companion act, the remedy cites the first the jurisdiction's profile
# lists (the shipped profiles name a companion for an action in one at most).
default statute_remedy(_) := []

statute_remedy(action) := [remedy("GUARDIAN_UNREACHABLE_STATUTE", "after_attempts", {
	"statute": statutes[min(listed)].statute,
	"relationship": relationship_words[companion.relationship],
	"action": action_phrase(action),
})] if {
	patient_minor
	not guardian_unreachable
	statutes := jurisdiction.unreachable_guardian_statute
	naming := statutes_naming_companion(action)
	listed := {i | some i, s in statutes; s in naming; needs_unreachable_guardian(s)}
	count(listed) > 0
}

default adult_authority_remedy := []

adult_authority_remedy := [remedy("BRING_COURT_ORDER", "adult_needs_decider", {"patient": patient_name})] if {
	patient_adult
}

written_consent_remedy(action) := remedy("WRITTEN_GUARDIAN_CONSENT", "sign_form", {"guardians": guardians_to_call}) if {
	guardian_required(action)
} else := sign_proxy_form

guardian_remedy(action) := call_guardian if {
	verbal_consent_accepted(action)
} else := written_consent_remedy(action) if {
	written_consent_required(action)
} else := guardian_in_person
