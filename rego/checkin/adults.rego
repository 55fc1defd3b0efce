# Adult patients.
#
# Rules 5 and 6. An adult with capacity decides their own care and who is
# involved in it. For an adult lacking capacity, a court guardian or a
# healthcare agent decides; otherwise the jurisdiction's surrogate order
# lets a close relative or friend consent.
package checkin

# Rule 5: an adult patient with capacity.
adult_ruling(action) := capable_adult_ruling(action) if not patient_lacks_capacity

# Rule 6: an adult patient lacking capacity.
else := incapable_adult_ruling(action)

# METADATA
# title: The patient decides
# description: Consent is an adult patient's own, even when they have a healthcare agent.
# labels:
#   code: PATIENT_DECIDES
capable_adult_ruling(action) := denied(
	"PATIENT_DECIDES",
	sprintf("%s is %s and decides their own care; nobody consents for them.", [patient_name, adult_words]),
	[ask_patient],
) if {
	action in consent_actions
}

else := allowed(
	"PATIENT_DESIGNATION",
	sprintf("%s has named %s to do this.", [patient_name, companion_name]),
) if {
	designated(action)
}

else := object.union(
	allowed("HIPAA_AUTHORIZATION", sprintf(
		"%s signed an authorization (%s) letting %s receive records%s.",
		[patient_name, d.id, companion_name, valid_until_words(d)],
	)),
	{"document": d.id},
) if {
	action == "receive_records"
	d := first([d |
		some d in documents
		d.kind == "hipaa_authorization"
		d.grantee == companion.id
		d.granted_by == patient.id
		in_force(d)
		covers(d.covers, action)
	])
}

else := denied(
	"NO_AUTHORITY",
	sprintf("Records go only to whom %s names in writing.", [patient_name]),
	[ask_patient],
) if {
	action == "receive_records"
}

else := allowed(
	"PATIENT_AGREES",
	sprintf("%s agreed to %s's involvement.", [patient_name, companion_name]),
) if {
	patient_present
	patient_agrees
}

else := allowed_if(
	"PATIENT_AGREES",
	sprintf("%s is here and has not yet been asked about %s.", [patient_name, companion_name]),
	[note("CONFIRM_PATIENT_AGREES", sprintf("Ask %s, out of %s's hearing, whether they agree.", [patient_name, companion_name]))],
) if {
	patient_present
}

else := denied(
	"PATIENT_ABSENT",
	sprintf("%s is not here to agree, and has not named %s.", [patient_name, companion_name]),
	[ask_patient],
)

designated(action) if {
	some d in designations
	d.person == companion.id
	covers(d.covers, action)
}

# METADATA
# title: Court guardian of an adult
# description: A court-appointed guardian decides for an adult lacking capacity.
# labels:
#   code: GUARDIAN
incapable_adult_ruling(action) := allowed(
	"GUARDIAN",
	sprintf("%s is %s's court-appointed guardian.", [companion_name, patient_name]),
) if {
	companion_is_court_guardian
}

else := object.union(
	allowed("HEALTHCARE_AGENT", sprintf("%s is %s's healthcare agent (%s).", [companion_name, patient_name, d.id])),
	{"document": d.id},
) if {
	d := first([d | some d in healthcare_agent_document; covers_all_unless_listed(d, action)])
}

# A healthcare agent decides only within the document: the patient chose its
# limits, and no surrogate statute widens them.
else := object.union(
	denied(
		"DOCUMENT_SCOPE",
		sprintf("%s's healthcare power of attorney (%s) does not cover this.", [patient_name, d.id]),
		[note("BRING_COURT_ORDER", sprintf("For this, %s needs a court guardian or a power of attorney that covers it.", [patient_name]))],
	),
	{"document": d.id},
) if {
	decision_action(action)
	d := first([d | some d in healthcare_agent_document])
}

else := denied(
	"NO_AUTHORITY",
	sprintf("%s has a court guardian or healthcare agent on file, who decides.", [patient_name]),
	[note("CALL_GUARDIAN", sprintf("Call %s's court guardian or healthcare agent.", [patient_name]))],
) if {
	decision_action(action)
	someone_else_decides_for_adult(action)
}

else := allowed_if(
	"SURROGATE",
	sprintf(
		"%s lacks capacity and has no guardian or agent on file; under %s the %s may decide.",
		[patient_name, jurisdiction_law, relationship_words[companion.relationship]],
	),
	[note("CONFIRM_NO_HIGHER_SURROGATE", surrogate_confirmation)],
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
surrogate_confirmation := sprintf(
	"Under %s the interested persons (%s) choose the surrogate together: confirm they agreed on %s, and record who agreed.",
	[jurisdiction_law, concat(", ", [relationship_words[r] | some r in jurisdiction.adult_surrogates]), companion_name],
) if {
	jurisdiction.surrogates_by_consensus
} else := sprintf("Confirm nobody higher in the surrogate order of %s is available, and record who decided.", [jurisdiction_law])

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

healthcare_agent_document contains d if {
	some d in documents
	d.kind == "healthcare_poa"
	d.grantee == companion.id
	object.get(d, "granted_by", patient.id) == patient.id
	in_force(d)
}

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
covers_all_unless_listed(d, _) if count(object.get(d, "covers", [])) == 0

covers_all_unless_listed(d, action) if covers(d.covers, action)
