# Emergency.
#
# Rule 4. When a clinician judges it an emergency, care for a minor or an
# adult lacking capacity does not wait for consent: whoever brought the
# patient, restricted or not, every consent action may go ahead, and a
# guardian who is not barred is told afterwards. A companion who could
# consent anyway (a custodial guardian, an adult's court guardian, or a
# healthcare agent whose document covers the action) consents as usual.
package checkin

# Care that cannot wait: consent for a dependent patient in an emergency.
care_cannot_wait(action) if {
	emergency
	patient_dependent
	action in consent_actions
}

# For a companion barred from the care, the reason says they have no say in
# it, and, where they are barred from hearing about care, are not told.
emergency_ruling(action) := emergency_care_for(action) if {
	care_cannot_wait(action)
	not could_consent_anyway(action)
}

emergency_care_for(action) := emergency_care_restricted_companion_not_told if {
	companion_barred(action)
	companion_barred("discuss_care")
} else := emergency_care_restricted_companion if {
	companion_barred(action)
} else := emergency_care

# METADATA
# title: Emergency care
# description: A clinician judged this an emergency; the care goes ahead and nobody's consent is needed.
# custom:
#   code: EMERGENCY
emergency_care := allow_if(rego.metadata.rule(), "goes_ahead", {"patient": patient_name}, emergency_conditions)

# METADATA
# title: Emergency care; the restricted companion does not consent
# description: A clinician judged this an emergency; the care goes ahead without the consent of the barred companion.
# custom:
#   code: EMERGENCY
emergency_care_restricted_companion := allow_if(
	rego.metadata.rule(),
	"restricted_companion",
	{"patient": patient_name, "companion": companion_name},
	emergency_conditions,
)

# METADATA
# title: Emergency care; the restricted companion neither consents nor is told
# description: |
#   A clinician judged this an emergency; the care goes ahead, and the companion, barred
#   from it and from hearing about care, neither consents nor is told.
# custom:
#   code: EMERGENCY
emergency_care_restricted_companion_not_told := allow_if(
	rego.metadata.rule(),
	"restricted_companion_not_told",
	{"patient": patient_name, "companion": companion_name},
	emergency_conditions,
)

emergency_conditions := [
	condition("NOTIFY_GUARDIAN", "after_emergency", {"guardians": guardians_to_notify}),
	condition("DOCUMENT_EMERGENCY", "why_not_wait", {}),
]

could_consent_anyway(action) if {
	patient_minor
	companion.id in custodial_guardian_ids
	not companion_barred(action)
}

could_consent_anyway(action) if {
	patient_adult
	companion_is_court_guardian
	not companion_barred(action)
}

could_consent_anyway(action) if {
	patient_adult
	not companion_barred(action)
	some d in healthcare_agent_document
	covers_all_unless_listed(d, action)
}

guardians_to_notify := guardians_to_call if {
	patient_minor
} else := guardians_to_call if {
	count(callable_guardians) > 0
} else := phrase("agent_or_family_not_restricted", {}) if {
	count(barred_people) > 0
} else := phrase("agent_or_family", {})
