# Explanation.
#
# For each requested action, the contract's rules in the order they are
# tried (contract_rules), whether each applies, why those that do not
# apply do not, and which one decided: what compliance staff read to see
# why a decision came out as it did. The rule that decided is the one the
# ruling itself records, so the explanation cannot disagree with the
# decision. Not used to decide.
package checkin

# METADATA
# title: Explanation
# description: The rules considered for each requested action, in order, and the one that decided.
# entrypoint: true
explanation[action] := {
	"rules": [considered(number, action) | some number in contract_rules],
	"decided_by": decided[action].rule.number,
	"basis": decided[action].basis,
} if {
	some action in input.requested
}

considered(number, action) := {"rule": number, "applies": true} if {
	candidate[number][action]
} else := {"rule": number, "applies": false, "why_not": rendered(why_not(number, action))}

why(number, template, params) := {"kind": "explain", "code": number, "template": template, "params": params}

# Why a rule does not apply, in the order its own conditions are tried.

why_not("2", _) := why("2", "not_the_patient", {"companion": companion_name}) if not is_self

else := why("2", "emergency", {"patient": patient_name})

why_not("3", action) := why("3", "care_cannot_wait", {"companion": companion_name}) if {
	care_cannot_wait(action)
	restricted_from(action)
} else := why("3", "no_restriction", {"companion": companion_name})

restricted_from(action) if companion_barred(action)

restricted_from(action) if {
	some r in data.overlay.restrictions
	covers(r.covers, action)
}

why_not("4", _) := why("4", "no_emergency", {}) if not emergency

else := why("4", "patient_decides", {"patient": patient_name}) if not patient_dependent

else := why("4", "not_consent", {}) if not care_cannot_wait_for_any

else := why("4", "consents_as_usual", {"companion": companion_name})

care_cannot_wait_for_any if {
	some action in input.requested
	care_cannot_wait(action)
}

why_not("5", _) := why("5", "minor", {"patient": patient_name}) if patient_minor

else := why("5", "lacks_capacity", {"patient": patient_name})

why_not("6", _) := why("6", "minor", {"patient": patient_name}) if patient_minor

else := why("6", "has_capacity", {"patient": patient_name}) if not patient_lacks_capacity

else := why("6", "nobody_decides", {"companion": companion_name, "patient": patient_name})

why_not("7", _) := why("7", "adult", {"patient": patient_name}) if patient_adult

else := why("7", "not_a_guardian", {"companion": companion_name}) if not companion_guardian

else := why("7", "by_delegation", {"companion": companion_name})

why_not("8", _) := why("8", "adult", {"patient": patient_name}) if patient_adult

else := why("8", "nothing_delegated", {"companion": companion_name})

why_not("9", _) := why("9", "patient_decides", {"patient": patient_name}) if not patient_dependent

else := why("9", "too_young", {"companion": companion_name, "min_age": practice.min_companion_age}) if {
	not companion_old_enough
} else := why("9", "decided_before", {})

why_not("10", _) := why("10", "patient_decides", {"patient": patient_name}) if not patient_dependent

else := why("10", "old_enough", {"companion": companion_name, "min_age": practice.min_companion_age})
