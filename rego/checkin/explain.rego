# Explanation.
#
# For each requested action, the contract's rules in the order they are
# tried, whether each applies, and which one decided: what compliance staff
# read to see why a decision came out as it did. Not used to decide.
package checkin

# METADATA
# title: Explanation
# description: The rules considered for each requested action, in order, and the one that decided.
# entrypoint: true
explanation[action] := {
	"rules": [{"rule": r.rule, "title": r.title, "applies": applies(action, r.key)} | some r in rule_order],
	"decided_by": first([r.rule | some r in rule_order; applies(action, r.key)]),
	"basis": decided[action].basis,
} if {
	some action in input.requested
}

rule_order := [
	{"rule": "2", "key": "self", "title": "The patient asks for themselves"},
	{"rule": "3", "key": "restriction", "title": "A restriction on file bars the companion"},
	{"rule": "4", "key": "emergency", "title": "An emergency: care does not wait for consent"},
	{"rule": "5-6", "key": "adult", "title": "An adult patient decides, or their guardian, agent or surrogate"},
	{"rule": "7", "key": "guardian", "title": "A guardian of the minor on record"},
	{"rule": "8", "key": "delegate", "title": "A guardian's delegate, a statute, or a guardian's refusal or reservation"},
	{"rule": "9-10", "key": "companion", "title": "Any other companion, by age and the practice's rules"},
]

applies(action, key) if {
	rule_applies(action, key)
} else := false

rule_applies(action, "self") if {
	is_self
	self_ruling(action)
}

rule_applies(action, "restriction") if restriction_ruling(action)

rule_applies(action, "emergency") if emergency_ruling(action)

rule_applies(action, "adult") if {
	patient_adult
	adult_ruling(action)
}

rule_applies(action, "guardian") if {
	patient_minor
	guardian_ruling(action)
}

rule_applies(action, "delegate") if delegate_ruling(action)

rule_applies(action, "companion") if companion_ruling(action)
