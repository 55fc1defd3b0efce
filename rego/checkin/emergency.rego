# Emergency.
#
# Rule 4. When a clinician judges it an emergency, care for a minor or an
# adult lacking capacity does not wait for consent: whoever brought the
# patient, every consent action may go ahead, and the guardian is told
# afterwards. A companion who could consent anyway (a custodial guardian, an
# adult's court guardian or healthcare agent) consents as usual.
package checkin

# METADATA
# title: Emergency care
# description: A clinician judged this an emergency; consent is presumed.
# labels:
#   code: EMERGENCY
emergency_ruling(action) := allowed_if(
	"EMERGENCY",
	sprintf("A clinician judged this an emergency: care for %s goes ahead without waiting for consent.", [patient_name]),
	[
		note("NOTIFY_GUARDIAN", sprintf("Tell %s about the emergency care as soon as possible.", [guardians_to_notify])),
		note("DOCUMENT_EMERGENCY", "Record in the chart why care could not wait for consent."),
	],
) if {
	emergency
	patient_dependent
	action in consent_actions
	not could_consent_anyway
}

could_consent_anyway if {
	patient_minor
	companion.id in custodial_guardian_ids
}

could_consent_anyway if {
	patient_adult
	companion_is_court_guardian
}

could_consent_anyway if {
	patient_adult
	some _ in healthcare_agent_document
}

guardians_to_notify := guardians_to_call if {
	patient_minor
} else := "the patient's family or agent"
