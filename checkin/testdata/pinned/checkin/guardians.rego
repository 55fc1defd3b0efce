# Guardians of a minor.
#
# Rule 7. A guardian on record with legal custody may do everything for a
# minor; when another guardian's standing refusal covers the action, the two
# disagree and staff must know. A parent whom a custody order leaves without
# legal custody may not consent, but may still be present and be told.
package checkin

guardian_ruling(action) := guardians_disagree(action) if {
	custodial(companion_guardian)
	count(other_refusing_guardians(action)) > 0
} else := guardian_with_custody if {
	custodial(companion_guardian)
}

# A stepparent counts as a parent where the jurisdiction says so: an adult
# married to a custodial parent on file, the relationship recorded.
else := stepparent_as_parent if {
	jurisdiction.stepparent_is_parent
	companion.relationship == "stepparent"
	not companion_guardian
	companion_of_age
	companion_old_enough
	count(custodial_guardian_ids) > 0
	count(refusing_guardians(action)) == 0
}

# A custody order limits a parent's own authority, not what a custodial
# guardian may delegate: a parent the order left out who acts on the
# custodial guardian's written authorization or consent by phone is decided
# by rule 8 (a, d), not here, and the remedies below lead there. Nothing
# else the law gives relatives reaches a parent the order left out.
else := no_legal_custody if {
	companion_guardian
	action in consent_actions
	not acts_on_custodial_guardians_word(action)
} else := parent_without_custody if {
	companion_guardian
	not action in consent_actions
}

acts_on_custodial_guardians_word(action) if delegate_ruling(action).basis in {"PROXY_AUTHORIZATION", "VERBAL_CONSENT"}

# METADATA
# title: Guardian with legal custody
# description: A parent, adoptive parent, court guardian or agency with legal custody decides for a minor.
# custom:
#   code: GUARDIAN
guardian_with_custody := allow(
	rego.metadata.rule(),
	"minor_with_custody",
	{"companion": companion_name, "patient": patient_name, "role": role_words[companion_guardian.role]},
)

# When more than one other guardian refused, the one with the lowest id is
# named: the contract does not rank guardians, and the id is the same from
# one visit to the next.
#
# METADATA
# title: Guardian with legal custody; another guardian refused
# description: |
#   A guardian with legal custody decides for a minor, but another custodial guardian's
#   standing refusal covers the action: staff confirm the custody order and note the disagreement.
# custom:
#   code: GUARDIAN
guardians_disagree(action) := allow_if(
	rego.metadata.rule(),
	"minor_with_custody",
	{"companion": companion_name, "patient": patient_name, "role": role_words[companion_guardian.role]},
	[condition(
		"GUARDIANS_DISAGREE", "companion_decides_alone",
		{"guardian": guardian_for_staff(min(other_refusing_guardians(action))), "companion": companion_name},
	)],
)

# METADATA
# title: Stepparent counted as a parent
# description: Under a jurisdiction that counts a stepparent as a parent, an adult stepparent decides for the minor.
# custom:
#   code: GUARDIAN
stepparent_as_parent := allow_if(
	rego.metadata.rule(),
	"stepparent_is_parent",
	{"law": jurisdiction_law, "companion": companion_name, "patient": patient_name},
	[record_relationship],
)

# METADATA
# title: Parent without legal custody may not consent
# description: A custody order gives the minor's medical decisions to someone else; this parent may not consent.
# custom:
#   code: NO_LEGAL_CUSTODY
no_legal_custody := deny(
	rego.metadata.rule(),
	"custody_elsewhere",
	{"patient": patient_name, "companion": companion_name},
	[call_guardian, remedy("BRING_COURT_ORDER", "custody_changed", {})],
)

# METADATA
# title: Parent without legal custody
# description: A parent without legal custody may still be present and be told about care.
# custom:
#   code: PARENT
parent_without_custody := allow(
	rego.metadata.rule(),
	"without_custody",
	{"companion": companion_name, "patient": patient_name, "role": role_words[companion_guardian.role]},
)

# Custodial guardians whose standing refusal covers the action.
refusing_guardians(action) := refusers[action]

other_refusing_guardians(action) := refusing_guardians(action) - {companion.id}

refusers := {action: {by | some [by, a] in refusal_pairs; a == action} | some action in actions}

# A refusal counts for nothing for the actions a restriction bars its author
# from (rule 3). Built once per decision, like barred_pairs.
refusal_pairs := {[r.by, a] |
	some r in refusals
	r.by in custodial_guardian_ids
	some a in covered_actions(r.covers)
	not person_barred(r.by, a)
}
