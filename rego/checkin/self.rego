# The patient asks for themselves.
#
# Rule 2. An adult patient (by the jurisdiction's age or an emancipating
# status) may do everything. A minor may consent alone only where the
# jurisdiction grants it for that action, age and status, and the service is
# kept from the parents only where the grant says the law makes it
# confidential. A minor who may consent alone to some care controls the
# information about it. A minor alone in an emergency is not turned away:
# the emergency rule decides the care that cannot wait.
package checkin

# METADATA
# title: Adult patient
# description: An adult asking for their own care decides it.
# labels:
#   code: SELF
self_ruling(action) := allowed("SELF", sprintf("%s is the patient, %s, and decides.", [patient_name, adult_words])) if {
	patient_adult
	not patient_lacks_capacity
}

# METADATA
# title: Patient lacking capacity
# description: An adult documented as unable to decide does not consent for themselves.
# labels:
#   code: PATIENT_LACKS_CAPACITY
else := denied(
	"PATIENT_LACKS_CAPACITY",
	sprintf("%s is documented as unable to make their own decisions: someone must decide for them.", [patient_name]),
	[note("CALL_GUARDIAN", sprintf("Call %s's court guardian or healthcare agent, or the family member who may decide for them.", [patient_name]))],
) if {
	patient_adult
	action in consent_actions
	not care_cannot_wait(action)
}

# Being told and being present stay the patient's own.
else := allowed("SELF", sprintf("%s is the patient.", [patient_name])) if {
	patient_adult
	not action in consent_actions
}

# A minor the jurisdiction lets consent alone to this action, at this age or status.
else := allowed_if(
	"MINOR_SELF_CONSENT",
	sprintf("%s, so under %s may consent alone to this.", [self_consent_words(grants[0]), jurisdiction_law]),
	array.concat([keep_confidential | confidential_care(action, grants)], grant_limits(grants)),
) if {
	patient_minor
	grants := self_consent_grants(action)
	count(grants) > 0
}

# A minor who may consent alone to some care controls the information about
# it (HIPAA 164.502(g)(3)(i)), and only about it.
else := allowed_if(
	"MINOR_SELF_CONSENT",
	sprintf(
		"%s, so under %s may consent alone to some care, and decides who hears about that care.",
		[self_consent_words(grants[0]), jurisdiction_law],
	),
	[limit_to_self_consented_care],
) if {
	patient_minor
	action in information_actions
	grants := [g | some g in jurisdiction.self_consent; grant_applies(g)]
	count(grants) > 0
}

# Any other minor needs a guardian, unless care cannot wait (rule 4 decides).
else := denied(
	"MINOR_NEEDS_GUARDIAN",
	sprintf("%s is %d: a parent or guardian must %s.", [patient_name, patient_age, action_phrase(action)]),
	[self_guardian_remedy(action)],
) if {
	patient_minor
	not care_cannot_wait(action)
}

# The jurisdiction's grants that let this minor do this action alone, in the
# profile's order.
self_consent_grants(action) := [g |
	some g in jurisdiction.self_consent
	covers(g.actions, action)
	grant_applies(g)
]

grant_applies(grant) if {
	patient_age >= grant.min_age
	status_allows(object.get(grant, "statuses", []))
}

status_allows(required) if count(required) == 0

status_allows(required) if {
	some s in required
	s in patient_statuses_held
}

# Confidential services always stay with the minor; other self-consented care
# does only where the jurisdiction's entry says the law makes it confidential.
confidential_care("consent_confidential", _)

confidential_care(_, grants) if {
	some g in grants
	object.get(g, "confidential", false)
}

# "Maya Cruz is 16" or "Maya Cruz is 16 and pregnant": the age, and the
# status that decided where the grant needs one.
self_consent_words(grant) := sprintf("%s is %d and %s", [patient_name, patient_age, status_words[s]]) if {
	s := first(sort([s | some s in object.get(grant, "statuses", []); s in patient_statuses_held]))
} else := sprintf("%s is %d", [patient_name, patient_age])

self_guardian_remedy(action) := call_guardian if {
	action in consent_actions
	verbal_consent_accepted(action)
} else := note("CALL_GUARDIAN", sprintf("Call %s to come to the desk.", [guardians_to_call]))

# A grant the law narrows to part of an action (only crisis counseling, only
# the vaccines a statute names) carries a limit the desk reads before care
# begins; a grant without one covers the whole action, and then no limit applies.
grant_limits(grants) := [] if {
	some g in grants
	object.get(g, "limit", "") == ""
} else := [note("LIMIT_TO_SELF_CONSENTED_CARE", limit) | some limit in {g.limit | some g in grants}]
