# Adult patients.
#
# Rules 5 and 6. An adult with capacity decides their own care and who is
# involved in it. For an adult lacking capacity, a court guardian or a
# healthcare agent decides; otherwise the jurisdiction's surrogate order
# lets a close relative or friend consent.
package checkin

# Rule 5: an adult patient with capacity. The first of these that applies decides.
capable_adult_ruling(action) := r if {
	r := patient_decides(action)
} else := r if {
	r := patient_designation(action)
} else := r if {
	r := hipaa_authorization_from_patient(action)
} else := r if {
	r := records_need_patients_writing(action)
} else := r if {
	r := patient_agreed
} else := r if {
	r := patient_not_yet_asked
} else := r if {
	r := patient_absent
}

# METADATA
# title: The patient decides
# description: Consent is an adult patient's own, even when they have a healthcare agent.
# custom:
#   code: PATIENT_DECIDES
patient_decides(action) := deny(
	rego.metadata.rule(), "own_care",
	{"patient": patient_name, "adult": adult_words},
	[ask_patient],
) if {
	action in consent_actions
}

# METADATA
# title: Named by the patient
# description: A standing designation on file names the companion for this action.
# custom:
#   code: PATIENT_DESIGNATION
patient_designation(action) := allow(
	rego.metadata.rule(), "named_by_patient",
	{"patient": patient_name, "companion": companion_name},
) if {
	designated(action)
}

# METADATA
# title: HIPAA authorization from the patient
# description: The patient signed an authorization, with no end date, letting the companion receive records.
# custom:
#   code: HIPAA_AUTHORIZATION
hipaa_authorization_from_patient(action) := object.union(
	allow(
		rego.metadata.rule(), "signed_by_patient",
		{"patient": patient_name, "document": d.id, "companion": companion_name},
	),
	{"document": d.id},
) if {
	action == "receive_records"
	d := longest_lasting(patient_hipaa_authorizations)
	not d.valid_until
}

# METADATA
# title: HIPAA authorization from the patient, valid until a date
# description: The patient signed an authorization, valid until a date, letting the companion receive records.
# custom:
#   code: HIPAA_AUTHORIZATION
hipaa_authorization_from_patient(action) := object.union(
	allow(
		rego.metadata.rule(), "signed_by_patient_until",
		{"patient": patient_name, "document": d.id, "companion": companion_name, "last_day": d.valid_until},
	),
	{"document": d.id},
) if {
	action == "receive_records"
	d := longest_lasting(patient_hipaa_authorizations)
}

# METADATA
# title: Records need the patient's writing
# description: Records go only to someone the patient named in a designation or authorization.
# custom:
#   code: NO_AUTHORITY
records_need_patients_writing(action) := deny(
	rego.metadata.rule(), "records_in_writing",
	{"patient": patient_name},
	[ask_patient],
) if {
	action == "receive_records"
}

# METADATA
# title: The patient agreed
# description: The patient, here, agreed at the desk to the companion's involvement.
# custom:
#   code: PATIENT_AGREES
patient_agreed := allow(rego.metadata.rule(), "agreed", {"patient": patient_name, "companion": companion_name}) if {
	patient_present
	patient_agrees
}

# METADATA
# title: The patient is here, not yet asked
# description: The patient is here and may agree; staff ask them out of the companion's hearing.
# custom:
#   code: PATIENT_AGREES
patient_not_yet_asked := allow_if(
	rego.metadata.rule(), "not_yet_asked",
	{"patient": patient_name, "companion": companion_name},
	[condition("CONFIRM_PATIENT_AGREES", "out_of_hearing", {"patient": patient_name, "companion": companion_name})],
) if {
	patient_present
	not patient_agrees
}

# METADATA
# title: The patient is absent
# description: The patient is not here to agree and has named nobody for this.
# custom:
#   code: PATIENT_ABSENT
patient_absent := deny(
	rego.metadata.rule(), "not_here",
	{"patient": patient_name, "companion": companion_name},
	[ask_patient],
) if {
	not patient_present
}

designated(action) if {
	some d in designations
	d.person == companion.id
	covers(d.covers, action)
}

# The patient's HIPAA authorizations in force letting the companion receive records.
patient_hipaa_authorizations := {d |
	some d in documents
	d.kind == "hipaa_authorization"
	d.grantee == companion.id
	d.granted_by == patient.id
	in_force(d)
	covers(d.covers, "receive_records")
}

# Rule 6: an adult patient lacking capacity. The first of these that applies decides.
incapable_adult_ruling(action) := r if {
	r := court_guardian_of_adult
} else := r if {
	r := healthcare_agent(action)
} else := r if {
	r := outside_healthcare_poa(action)
} else := r if {
	r := another_decides_for_adult(action)
} else := r if {
	r := surrogate(action)
}

# METADATA
# title: Court guardian of an adult
# description: A court-appointed guardian decides for an adult lacking capacity.
# custom:
#   code: GUARDIAN
court_guardian_of_adult := allow(
	rego.metadata.rule(), "court_guardian_of_adult",
	{"companion": companion_name, "patient": patient_name},
) if {
	companion_is_court_guardian
}

# METADATA
# title: Healthcare agent
# description: The companion's healthcare power of attorney from the patient covers this action.
# custom:
#   code: HEALTHCARE_AGENT
healthcare_agent(action) := object.union(
	allow(
		rego.metadata.rule(), "named_agent",
		{"companion": companion_name, "patient": patient_name, "document": d.id},
	),
	{"document": d.id},
) if {
	d := longest_lasting({d | some d in healthcare_agent_document; covers_all_unless_listed(d, action)})
}

# A healthcare agent decides only within the document: the patient chose its
# limits, and no surrogate statute widens them.

# METADATA
# title: Outside the healthcare power of attorney
# description: The companion is the patient's healthcare agent, but the document does not cover this.
# custom:
#   code: DOCUMENT_SCOPE
outside_healthcare_poa(action) := object.union(
	deny(
		rego.metadata.rule(), "healthcare_poa",
		{"patient": patient_name, "document": d.id},
		[remedy("BRING_COURT_ORDER", "beyond_poa", {"patient": patient_name})],
	),
	{"document": d.id},
) if {
	decision_action(action)
	d := longest_lasting(healthcare_agent_document)
}

# METADATA
# title: Someone else decides for the patient
# description: Another court guardian or healthcare agent on file decides this for the patient.
# custom:
#   code: NO_AUTHORITY
another_decides_for_adult(action) := deny(
	rego.metadata.rule(), "adult_has_decider",
	{"patient": patient_name},
	[remedy("CALL_GUARDIAN", "adult_guardian_or_agent", {"patient": patient_name})],
) if {
	decision_action(action)
	someone_else_decides_for_adult(action)
}

# METADATA
# title: Surrogate in the jurisdiction's order
# description: With no guardian or agent on file, the jurisdiction's surrogate order lets the companion decide.
# custom:
#   code: SURROGATE
surrogate(action) := allow_if(
	rego.metadata.rule(), "in_statute",
	{"patient": patient_name, "law": jurisdiction_law, "relationship": relationship_words[companion.relationship]},
	[surrogate_confirmation],
) if {
	surrogate_action(action)
	not someone_else_decides_for_adult(action)
	count(healthcare_agent_document) == 0
	companion_of_age
	companion.relationship in jurisdiction.adult_surrogates
}

# Most surrogate statutes rank the classes, so the desk confirms nobody
# higher is available; some have the interested persons agree on one
# (Colorado, Montana), so the desk confirms they did.
surrogate_confirmation := condition("CONFIRM_NO_HIGHER_SURROGATE", "by_consensus", {
	"law": jurisdiction_law,
	"relationships": concat(phrase("list_separator", {}), surrogate_classes),
	"companion": companion_name,
}) if {
	jurisdiction.surrogates_by_consensus
} else := condition("CONFIRM_NO_HIGHER_SURROGATE", "in_order", {"law": jurisdiction_law})

# The jurisdiction's surrogate classes, in its words and its order.
surrogate_classes := [relationship_words[r] | some r in jurisdiction.adult_surrogates]

# Consent and records are for whoever decides for the patient. Anyone else,
# an agent outside the document included, is treated as rule 9 treats the
# companion of a child: present, and told the care instructions.
decision_action(action) if action in consent_actions

decision_action("receive_records")

surrogate_action(action) if action in consent_actions

# A surrogate is the patient's personal representative (HIPAA 164.502(g)(2)):
# they consent, are told, and receive the records.
surrogate_action("discuss_care")

surrogate_action("receive_records")

# A court guardian decides unless a court order gives the decisions to someone else.
companion_is_court_guardian if {
	companion_guardian.role == "court_guardian"
	custodial(companion_guardian)
}

# The companion's healthcare powers of attorney in force from the patient.
healthcare_agent_document contains d if {
	some d in documents
	d.kind == "healthcare_poa"
	d.grantee == companion.id
	granted_by_patient(d)
	in_force(d)
}

# A healthcare power of attorney with no grantor is the patient's own.
granted_by_patient(d) if not d.granted_by

granted_by_patient(d) if d.granted_by == patient.id

# Another court guardian or agent decides this for the patient. A person a
# restriction bars from the action is no source of authority for it (rule 3),
# so they neither decide nor keep a surrogate from deciding.
someone_else_decides_for_adult(action) if {
	some g in guardians
	g.role == "court_guardian"
	custodial(g)
	g.person != companion.id
	not person_barred(g.person, action)
}

someone_else_decides_for_adult(action) if {
	some d in documents
	d.kind == "healthcare_poa"
	d.grantee != companion.id
	d.granted_by == patient.id
	in_force(d)
	not person_barred(d.grantee, action)
}

# A healthcare power of attorney with no list covers every action.
covers_all_unless_listed(d, _) if count(d.covers) == 0

covers_all_unless_listed(d, action) if covers(d.covers, action)
