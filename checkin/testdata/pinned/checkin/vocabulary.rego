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

# How each value is written in a message, in the decision's language:
# rego/messages/<language>/data.json, under "words".
relationship_words := words_of("relationships")

status_words := words_of("statuses")

role_words := words_of("roles")

document_words := words_of("documents")

action_words := words_of("actions")
