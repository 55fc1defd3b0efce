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

# METADATA
# title: Emergency care
# description: A clinician judged this an emergency; the care goes ahead and nobody's consent is needed.
# labels:
#   code: EMERGENCY
emergency_ruling(action) := allowed_if(
	"EMERGENCY",
	emergency_words(action),
	[
		note("NOTIFY_GUARDIAN", sprintf("Tell %s about the emergency care as soon as possible.", [guardians_to_notify])),
		note("DOCUMENT_EMERGENCY", "Record in the chart why care could not wait for consent."),
	],
) if {
	care_cannot_wait(action)
	not could_consent_anyway(action)
}

# For a companion barred from the care, the reason says they have no say in
# it, and, where they are barred from hearing about care, are not told.
emergency_words(action) := sprintf(
	"A clinician judged this an emergency: care for %s goes ahead. A restriction on file bars %s, who neither consents to it nor is told about it.",
	[patient_name, companion_name],
) if {
	companion_barred(action)
	companion_barred("discuss_care")
} else := sprintf(
	"A clinician judged this an emergency: care for %s goes ahead. A restriction on file bars %s, who does not consent to it.",
	[patient_name, companion_name],
) if {
	companion_barred(action)
} else := sprintf("A clinician judged this an emergency: care for %s goes ahead without waiting for consent.", [patient_name])

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
} else := "the patient's healthcare agent or family, not anyone a restriction on file names" if {
	count(barred_people) > 0
} else := "the patient's healthcare agent or family"
