# Vocabulary.
#
# The names the contract fixes: actions, relationships, roles, document kinds,
# statuses and identity checks. A request using any other name is invalid.
package checkin

consent_actions := {
	"consent_sick",
	"consent_wellness",
	"consent_vaccine",
	"consent_procedure",
	"consent_behavioral",
	"consent_confidential",
}

information_actions := {"discuss_care", "receive_records", "school_note"}

presence_actions := {"accompany", "pick_up"}

actions := (consent_actions | information_actions) | presence_actions

relationships := {
	"self", "parent", "adoptive_parent", "stepparent", "parent_partner", "foster_parent",
	"grandparent", "great_grandparent", "aunt_uncle", "sibling", "cousin", "other_relative",
	"spouse", "domestic_partner", "adult_child", "friend", "neighbor", "sitter",
	"school_staff", "legal_guardian", "healthcare_agent", "other",
}

guardian_roles := {"parent", "adoptive_parent", "court_guardian", "agency"}

document_kinds := {
	"proxy_authorization",
	"caregiver_affidavit",
	"hipaa_authorization",
	"healthcare_poa",
	"foster_placement",
}

patient_statuses := {"emancipated", "married", "military", "minor_parent", "pregnant", "self_supporting"}

identity_checks := {"photo_id", "known_to_staff", "unverified"}

# How a relationship is written in a message to the desk.
relationship_words := {
	"self": "the patient",
	"parent": "parent",
	"adoptive_parent": "adoptive parent",
	"stepparent": "stepparent",
	"parent_partner": "parent's partner",
	"foster_parent": "foster parent",
	"grandparent": "grandparent",
	"great_grandparent": "great-grandparent",
	"aunt_uncle": "aunt or uncle",
	"sibling": "sibling",
	"cousin": "cousin",
	"other_relative": "relative",
	"spouse": "spouse",
	"domestic_partner": "domestic partner",
	"adult_child": "adult child",
	"friend": "friend",
	"neighbor": "neighbor",
	"sitter": "sitter",
	"school_staff": "school staff",
	"legal_guardian": "legal guardian",
	"healthcare_agent": "healthcare agent",
	"other": "companion",
}

# How a status is written after "is 16 and": the status that let a minor decide.
status_words := {
	"emancipated": "emancipated",
	"married": "married",
	"military": "in the military",
	"minor_parent": "a parent",
	"pregnant": "pregnant",
	"self_supporting": "self-supporting",
}

role_words := {
	"parent": "parent",
	"adoptive_parent": "adoptive parent",
	"court_guardian": "court-appointed guardian",
	"agency": "custodial agency",
}

# How an action is written in a message: "may <words>".
action_words := {
	"accompany": "bring %s in and stay during the visit",
	"consent_sick": "consent to %s's sick visit",
	"consent_wellness": "consent to %s's well visit",
	"consent_vaccine": "consent to %s's vaccines",
	"consent_procedure": "consent to a procedure for %s",
	"consent_behavioral": "consent to behavioral health care for %s",
	"consent_confidential": "consent to confidential services for %s",
	"discuss_care": "be told about %s's care",
	"receive_records": "receive %s's records",
	"school_note": "receive %s's school note",
	"pick_up": "take %s home",
}
