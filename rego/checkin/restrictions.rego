# Restrictions.
#
# Rule 3. A court order, protective order, abuse concern or practice flag on
# file that bars the companion from an action denies it, for anyone,
# guardians included, until the restriction ends; but it never stops care
# that cannot wait (rule 4). The refusal says how to go ahead: an
# unrestricted guardian, or the order itself if it has changed.
package checkin

# METADATA
# title: Restricted by order
# description: An active restriction on the companion covers the action.
# labels:
#   code: RESTRICTED_BY_ORDER
restriction_ruling(action) := denied(
	"RESTRICTED_BY_ORDER",
	sprintf("A %s on file bars %s from this%s.", [restriction_words(r), companion_name, until_words(r)]),
	restriction_remedies,
) if {
	companion_barred(action)
	not care_cannot_wait(action)
	r := first([r |
		some r in restrictions
		r.person == companion.id
		active_restriction(r)
		covers(r.covers, action)
	])
}

# Restrictions an overlay adds: {"covers": [...], "code": ..., "message": ...},
# the code defaulting to RESTRICTED_BY_ORDER.
else := denied(
	object.get(r, "code", "RESTRICTED_BY_ORDER"),
	r.message,
	practice_restriction_remedies,
) if {
	not care_cannot_wait(action)
	r := first([r | some r in data.overlay.restrictions; covers(r.covers, action)])
}

# A practice's own rule: the guardian may come, and only the practice can make
# an exception (an overlay's remedy of the same code replaces these words).
practice_restriction_remedies := array.concat(
	[call_unrestricted_guardian | count(callable_guardians) > 0],
	[note("ASK_MANAGER", "Ask the practice manager, who may make an exception to the practice's rule.")],
)

restriction_remedies := array.concat(
	[call_unrestricted_guardian | count(callable_guardians) > 0],
	[note("BRING_COURT_ORDER", "If the order has been lifted or changed, ask for the new order and update the chart.")],
)

call_unrestricted_guardian := note(
	"CALL_GUARDIAN",
	sprintf("Call %s to come, or to send an adult they authorize.", [guardians_to_call]),
)

restriction_words(r) := replace(text_or(r, "source", "restriction"), "_", " ")

until_words(r) := sprintf(" until %s", [r.valid_until]) if {
	r.valid_until
} else := ""
