# Guardians of a minor.
#
# Rule 7. A guardian on record with legal custody may do everything for a
# minor; when another guardian's standing refusal covers the action, the two
# disagree and staff must know. A parent whom a custody order leaves without
# legal custody may not consent, but may still be present and be told.
package checkin

# METADATA
# title: Guardian with legal custody
# description: A parent, adoptive parent, court guardian or agency with legal custody decides for a minor.
# labels:
#   code: GUARDIAN
guardian_ruling(action) := allowed_if(
	"GUARDIAN",
	sprintf("%s is %s's %s with legal custody.", [companion_name, patient_name, role_words[companion_guardian.role]]),
	[note("GUARDIANS_DISAGREE", sprintf("%s has refused this on record: confirm the custody order lets %s decide alone, and note the disagreement.", [guardian_for_staff(other), companion_name]))],
) if {
	custodial(companion_guardian)
	other := first([by | some by in refusing_guardians(action); by != companion.id])
}

else := allowed(
	"GUARDIAN",
	sprintf("%s is %s's %s with legal custody.", [companion_name, patient_name, role_words[companion_guardian.role]]),
) if {
	custodial(companion_guardian)
}

# A stepparent counts as a parent where the jurisdiction says so: an adult
# married to a custodial parent on file, the relationship recorded.
else := allowed_if(
	"GUARDIAN",
	sprintf("Under %s a stepparent counts as a parent: %s may decide for %s.", [jurisdiction_law, companion_name, patient_name]),
	[record_relationship],
) if {
	jurisdiction.stepparent_is_parent
	companion.relationship == "stepparent"
	not companion_guardian
	companion_of_age
	companion_old_enough
	count(custodial_guardian_ids) > 0
	count(refusing_guardians(action)) == 0
}

# A custody order limits a parent's own authority, not what a custodial
# guardian may delegate: the parent may act on the custodial guardian's
# written authorization or consent by phone (rule 8 a, d), and the remedies
# below lead there. Nothing else the law gives relatives reaches a parent
# the order left out.
else := r if {
	companion_guardian
	action in consent_actions
	r := delegate_ruling(action)
	r.basis in {"PROXY_AUTHORIZATION", "VERBAL_CONSENT"}
}

else := denied(
	"NO_LEGAL_CUSTODY",
	sprintf("A custody order gives %s's medical decisions to someone else; %s may not consent.", [patient_name, companion_name]),
	[call_guardian, note("BRING_COURT_ORDER", "If the custody order has changed, ask for the new order and update the chart.")],
) if {
	companion_guardian
	action in consent_actions
}

else := allowed(
	"PARENT",
	sprintf("%s is %s's %s; without legal custody they may still be present and be told about care.", [companion_name, patient_name, role_words[companion_guardian.role]]),
) if {
	companion_guardian
}

# Custodial guardians whose standing refusal covers the action.
refusing_guardians(action) := refusers[action]

refusers := {action: {by | some [by, a] in refusal_pairs; a == action} | some action in actions}

# A refusal counts for nothing for the actions a restriction bars its author
# from (rule 3). Built once per decision, like barred_pairs.
refusal_pairs := {[r.by, a] |
	some r in refusals
	r.by in custodial_guardian_ids
	some a in covered_actions(r.covers)
	not person_barred(r.by, a)
}
