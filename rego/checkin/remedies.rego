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

call_guardian_remedy(action) := [call_guardian] if {
	patient_minor
	verbal_consent_accepted(action)
} else := []

sign_proxy_form_remedy := [sign_proxy_form] if {
	patient_minor
} else := []

caregiver_affidavit_remedy(action) := [note(
	"CAREGIVER_AFFIDAVIT",
	sprintf("If %s lives with %s%s, a caregiver's affidavit under %s would let them do this.", [
		companion_name, patient_name, affidavit_unreachable_words,
		jurisdiction_law,
	]),
)] if {
	patient_minor
	affidavit := jurisdiction.caregiver_affidavit
	affidavit != null
	companion.age >= affidavit.min_age
	could_use_affidavit(affidavit, action)
} else := []

affidavit_unreachable_words := " and no guardian can be reached" if {
	affidavit_needs_unreachable_guardian
} else := ""

could_use_affidavit(affidavit, action) if {
	companion.relationship in affidavit.relatives
	action in affidavit.relative_scope
}

could_use_affidavit(affidavit, action) if action in affidavit.nonrelative_scope

statute_remedy(action) := [note(
	"GUARDIAN_UNREACHABLE_STATUTE",
	sprintf("If no guardian can be reached after documented attempts, %s lets an adult %s %s.", [statute.statute, relationship_words[companion.relationship], action_phrase(action)]),
)] if {
	patient_minor
	not guardian_unreachable
	statute := first([s | some s in statutes_naming_companion(action); needs_unreachable_guardian(s)])
} else := []

adult_authority_remedy := [note(
	"BRING_COURT_ORDER",
	sprintf("%s needs a court guardian or healthcare agent: ask for the guardianship order or power of attorney.", [patient_name]),
)] if patient_adult

else := []

written_consent_remedy(action) := note(
	"WRITTEN_GUARDIAN_CONSENT",
	sprintf("Ask %s to sign the written consent form (in person, by fax or through the portal).", [guardians_to_call]),
) if guardian_required(action)

else := sign_proxy_form

guardian_remedy(action) := call_guardian if {
	verbal_consent_accepted(action)
} else := written_consent_remedy(action) if {
	written_consent_required(action)
} else := guardian_in_person
