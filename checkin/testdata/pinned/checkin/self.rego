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

# The first of these that applies decides.
self_ruling(action) := r if {
	r := adult_patient_decides
} else := r if {
	r := patient_lacking_capacity(action)
} else := r if {
	r := adult_patient_told(action)
} else := r if {
	r := minor_consents_alone(action, self_consent_grants(action))
} else := r if {
	r := minor_hears_about_own_care(action, jurisdiction_self_consent_grants)
} else := r if {
	r := minor_needs_guardian(action)
}

# METADATA
# title: Adult patient decides for themselves
# description: An adult asking for their own care decides it.
# custom:
#   code: SELF
adult_patient_decides := allow(
	rego.metadata.rule(), "adult_decides",
	{"patient": patient_name, "adult": adult_words},
) if {
	patient_adult
	not patient_lacks_capacity
}

# METADATA
# title: Patient lacking capacity
# description: An adult documented as unable to decide does not consent for themselves.
# custom:
#   code: PATIENT_LACKS_CAPACITY
patient_lacking_capacity(action) := deny(
	rego.metadata.rule(), "someone_decides", {"patient": patient_name},
	[remedy("CALL_GUARDIAN", "decider_for_adult", {"patient": patient_name})],
) if {
	patient_adult
	patient_lacks_capacity
	action in consent_actions
	not care_cannot_wait(action)
}

# METADATA
# title: Adult patient is told and present
# description: Being told and being present stay an adult patient's own, even one lacking capacity.
# custom:
#   code: SELF
adult_patient_told(action) := allow(rego.metadata.rule(), "own_information", {"patient": patient_name}) if {
	patient_adult
	not action in consent_actions
}

# A minor the jurisdiction lets consent alone to this action, at this age or
# status. The reason names the first grant in the profile's order, and the
# status that met it where it needs one.

# METADATA
# title: Minor consents alone at this age
# description: The jurisdiction lets a minor of the patient's age consent alone to this action.
# custom:
#   code: MINOR_SELF_CONSENT
minor_consents_alone(action, grants) := allow_if(
	rego.metadata.rule(), "by_age",
	{"patient": patient_name, "age": patient_age, "law": jurisdiction_law},
	self_consent_conditions(action, grants),
) if {
	patient_minor
	count(grants) > 0
	not deciding_status(grants[0])
}

# METADATA
# title: Minor consents alone at this age and status
# description: The jurisdiction lets a minor of the patient's age and status consent alone to this action.
# custom:
#   code: MINOR_SELF_CONSENT
minor_consents_alone(action, grants) := allow_if(
	rego.metadata.rule(), "by_age_and_status",
	{"patient": patient_name, "age": patient_age, "status": status_words[status], "law": jurisdiction_law},
	self_consent_conditions(action, grants),
) if {
	patient_minor
	count(grants) > 0
	status := deciding_status(grants[0])
}

self_consent_conditions(action, grants) := array.concat(
	[keep_confidential | confidential_care(action, grants)],
	grant_limits(grants),
)

# A minor who may consent alone to some care controls the information about
# it (HIPAA 164.502(g)(3)(i)), and only about it.

# METADATA
# title: Minor hears about care they consent to alone
# description: A minor who may consent alone to some care decides who hears about that care.
# custom:
#   code: MINOR_SELF_CONSENT
minor_hears_about_own_care(action, grants) := allow_if(
	rego.metadata.rule(), "information_by_age",
	{"patient": patient_name, "age": patient_age, "law": jurisdiction_law},
	[limit_to_self_consented_care],
) if {
	patient_minor
	action in information_actions
	count(grants) > 0
	not deciding_status(grants[0])
}

# METADATA
# title: Minor hears about care they consent to alone, by status
# description: A minor whose status lets them consent alone to some care decides who hears about that care.
# custom:
#   code: MINOR_SELF_CONSENT
minor_hears_about_own_care(action, grants) := allow_if(
	rego.metadata.rule(), "information_by_age_and_status",
	{"patient": patient_name, "age": patient_age, "status": status_words[status], "law": jurisdiction_law},
	[limit_to_self_consented_care],
) if {
	patient_minor
	action in information_actions
	count(grants) > 0
	status := deciding_status(grants[0])
}

# Any other minor needs a guardian, unless care cannot wait (rule 4 decides).

# METADATA
# title: Minor needs a guardian
# description: A minor the jurisdiction does not let consent alone needs a parent or guardian for this.
# custom:
#   code: MINOR_NEEDS_GUARDIAN
minor_needs_guardian(action) := deny(
	rego.metadata.rule(), "asking_alone",
	{"patient": patient_name, "age": patient_age, "action": action_phrase(action)},
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

# The jurisdiction's grants that let this minor consent alone to anything, in the profile's order.
jurisdiction_self_consent_grants := [g | some g in jurisdiction.self_consent; grant_applies(g)]

grant_applies(grant) if {
	patient_age >= grant.min_age
	status_allows(grant.statuses)
}

status_allows(required) if count(required) == 0

status_allows(required) if {
	some s in required
	s in patient_statuses_held
}

# The status that met a grant needing one: "Maya Cruz is 16 and pregnant".
# When the patient holds several it lists, the first in alphabetical order is named.
deciding_status(grant) := min({s | some s in grant.statuses; s in patient_statuses_held})

# Confidential services always stay with the minor; other self-consented care
# does only where the jurisdiction's entry says the law makes it confidential.
confidential_care("consent_confidential", _)

confidential_care(_, grants) if {
	some g in grants
	g.confidential
}

self_guardian_remedy(action) := call_guardian if {
	action in consent_actions
	verbal_consent_accepted(action)
} else := remedy("CALL_GUARDIAN", "to_the_desk", {"guardians": guardians_to_call})

# A grant the law narrows to part of an action (only crisis counseling, only
# the vaccines a statute names) carries a limit the desk reads before care
# begins; a grant without one covers the whole action, and then no limit applies.
grant_limits(grants) := [] if {
	some g in grants
	g.limit == ""
} else := [condition("LIMIT_TO_SELF_CONSENTED_CARE", "grant_limit", {"limit": limit}) |
	some limit in {g.limit | some g in grants}
]
