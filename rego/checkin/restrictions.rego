# Restrictions.
#
# Rule 3. A court order, protective order, abuse concern or practice flag on
# file that bars the companion from an action denies it, for anyone,
# guardians included, until the restriction ends; but it never stops care
# that cannot wait (rule 4). The refusal says how to go ahead: an
# unrestricted guardian, or the order itself if it has changed.
package checkin

restriction_ruling(action) := restriction_ruling_for(action) if not care_cannot_wait(action)

restriction_ruling_for(action) := restricted_by_order_ruling(action) if {
	companion_barred(action)
} else := restricted_by_practice(action)

restricted_by_order_ruling(action) := restricted_by_order(action) if {
	not cited_restriction_ends(action)
} else := restricted_by_order_until(action)

# METADATA
# title: Restricted by an order on file
# description: An active restriction on the companion, with no end date, covers the action.
# custom:
#   code: RESTRICTED_BY_ORDER
restricted_by_order(action) := deny(
	rego.metadata.rule(),
	"bars",
	{"restriction": cited_restriction_words(action), "companion": companion_name},
	restriction_remedies,
)

# METADATA
# title: Restricted by an order on file, until its end date
# description: An active restriction on the companion covers the action until the date it ends.
# custom:
#   code: RESTRICTED_BY_ORDER
restricted_by_order_until(action) := deny(
	rego.metadata.rule(),
	"bars_until",
	{
		"restriction": cited_restriction_words(action),
		"companion": companion_name,
		"last_day": cited_restriction_ends(action),
	},
	restriction_remedies,
)

# The active restrictions on the companion that cover the action.
barring_restrictions(action) := {r |
	some r in restrictions
	r.person == companion.id
	active_restriction(r)
	covers(r.covers, action)
}

# When several restrictions bar the companion from the action, the refusal
# cites the one that bars them longest, so the desk learns how long the bar
# lasts: one with no end date, else the one ending last. Among those that
# last as long, the kind of order first in alphabetical order, so that the
# words never depend on the order of the records.
cited_restriction_words(action) := min({restriction_words(r) |
	some r in barring_restrictions(action)
	not r.valid_until
}) if {
	not cited_restriction_ends(action)
} else := min({restriction_words(r) |
	some r in barring_restrictions(action)
	r.valid_until == cited_restriction_ends(action)
})

# The last day the companion is barred, when every restriction covering the
# action has an end date.
cited_restriction_ends(action) := max({r.valid_until | some r in barring_restrictions(action)}) if {
	every r in barring_restrictions(action) {
		r.valid_until
	}
}

restriction_words(r) := replace(text_or(r, "source", phrase("restriction", {})), "_", " ")

# METADATA
# title: Restricted by the practice's rule
# description: A restriction the practice adds (an overlay's) covers the action; the refusal is in its words.
# custom:
#   code: RESTRICTED_BY_ORDER
restricted_by_practice(action) := object.union(
	deny_with_reason(rego.metadata.rule(), why, practice_restriction_remedies),
	{"basis": why.code},
) if {
	r := cited_practice_restriction(action)
	why := practice_note("reasons", r, "RESTRICTED_BY_ORDER")
}

# Restrictions an overlay adds: {"covers": [...], "code": ..., "message": ...}.
# They form a set, in no order any practice wrote; when several cover the
# action, the refusal cites the one whose words come first in alphabetical
# order, so that the answer never depends on how the overlays were loaded.
# (One without words still refuses, in the withheld words.)
cited_practice_restriction(action) := min({[object.get(r, "message", ""), r] |
	some r in data.overlay.restrictions
	covers(r.covers, action)
})[1]

# A practice's own rule: the guardian may come, and only the practice can make
# an exception (an overlay's remedy of the same code replaces these words).
practice_restriction_remedies := array.concat(
	[call_unrestricted_guardian | count(callable_guardians) > 0],
	[remedy("ASK_MANAGER", "practice_exception", {})],
)

restriction_remedies := array.concat(
	[call_unrestricted_guardian | count(callable_guardians) > 0],
	[remedy("BRING_COURT_ORDER", "restriction_changed", {})],
)

call_unrestricted_guardian := remedy("CALL_GUARDIAN", "come_or_send_authorized", {"guardians": guardians_to_call})
