# Rulings.
#
# The shape of one action's ruling, and the words for the conditions and
# remedies the rules share. A ruling names its basis (the rule that decided),
# the reasons in a clerk's words, what staff must do first (conditions) and,
# for a refusal, what would make it a yes (remedies).
package checkin

allowed(basis, message) := {
	"verdict": "allow",
	"basis": basis,
	"reasons": [note(basis, message)],
	"conditions": [],
	"remedies": [],
}

allowed_if(basis, message, conditions) := {
	"verdict": "allow_with_conditions",
	"basis": basis,
	"reasons": [note(basis, message)],
	"conditions": conditions,
	"remedies": [],
}

denied(basis, message, remedies) := {
	"verdict": "deny",
	"basis": basis,
	"reasons": [note(basis, message)],
	"conditions": [],
	"remedies": remedies,
}

note(code, message) := {"code": code, "message": message}

# Conditions.

record_relationship := note(
	"RECORD_RELATIONSHIP",
	sprintf("Write '%s' as the relationship on the sign-in.", [relationship_words[companion.relationship]]),
)

verify_photo_id := note("VERIFY_PHOTO_ID", sprintf("Check %s's photo ID before going ahead.", [companion_name]))

keep_confidential := note(
	"KEEP_CONFIDENTIAL",
	sprintf("%s consents alone: do not tell a parent, and keep the bill and portal confidential.", [patient_name]),
)

limit_to_self_consented_care := note(
	"LIMIT_TO_SELF_CONSENTED_CARE",
	sprintf("Share only the care %s consented to alone; anything else needs a parent or guardian.", [patient_name]),
)

# Remedies.

call_guardian := note("CALL_GUARDIAN", sprintf("Call %s to consent by phone, with a staff witness.", [guardians_to_call]))

guardian_in_person := note("CALL_GUARDIAN", sprintf("Ask %s to come in and consent.", [guardians_to_call]))

sign_proxy_form := note(
	"SIGN_PROXY_FORM",
	sprintf("Ask %s to sign an authorization naming %s.", [guardians_to_call, companion_name]),
)

ask_patient := note("ASK_PATIENT", sprintf("Ask %s; an adult patient decides who is involved.", [patient_name]))
