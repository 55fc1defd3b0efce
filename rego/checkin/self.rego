# The patient asks for themselves.
#
# Rule 2. An adult patient (by the jurisdiction's age or an emancipating
# status) may do everything. A minor may consent alone only where the
# jurisdiction grants it for that action, age and status; the service then
# stays confidential from the parents. A minor alone in an emergency is not
# turned away: the emergency rule decides the care that cannot wait.
package checkin

# METADATA
# title: Adult patient
# description: An adult asking for their own care decides it.
# labels:
#   code: SELF
self_ruling(action) := allowed("SELF", sprintf("%s is the patient, an adult, and decides.", [patient_name])) if {
	patient_adult
}

# A minor the jurisdiction lets consent alone to this action, at this age or status.
else := allowed_if(
	"MINOR_SELF_CONSENT",
	sprintf("%s is %d and may consent alone to this in %s.", [patient_name, patient_age, jurisdiction_name]),
	[keep_confidential],
) if {
	self_consent_granted(action)
}

# Any other minor needs a guardian, unless care cannot wait (rule 4 decides).
else := denied(
	"GUARDIAN_REQUIRED",
	sprintf("%s is %d: a parent or guardian must %s.", [patient_name, patient_age, action_phrase(action)]),
	[call_guardian],
) if {
	not emergency_care(action)
}

emergency_care(action) if {
	emergency
	action in consent_actions
}

# The jurisdiction lets this minor do this action alone.
self_consent_granted(action) if {
	some grant in jurisdiction.self_consent
	covers(grant.actions, action)
	patient_age >= grant.min_age
	status_allows(object.get(grant, "statuses", []))
}

status_allows(required) if count(required) == 0

status_allows(required) if {
	some s in required
	s in patient_statuses_held
}
