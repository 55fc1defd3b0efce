# Restrictions.
#
# Rule 3. A court order, protective order, abuse concern or practice flag on
# file that bars the companion from an action denies it, for anyone,
# guardians included, until the restriction ends.
package checkin

# METADATA
# title: Restricted by order
# description: An active restriction on the companion covers the action.
# labels:
#   code: RESTRICTED_BY_ORDER
restriction_ruling(action) := denied(
	"RESTRICTED_BY_ORDER",
	sprintf("A %s on file bars %s from this%s.", [restriction_words(r), companion_name, until_words(r)]),
	[],
) if {
	action in barred
	r := first([r | some r in active_restrictions; covers(r.covers, action)])
}

# Restrictions an overlay adds: {"covers": [...], "code": ..., "message": ...},
# the code defaulting to RESTRICTED_BY_ORDER.
else := denied(
	object.get(r, "code", "RESTRICTED_BY_ORDER"),
	r.message,
	[],
) if {
	r := first([r | some r in data.overlay.restrictions; covers(r.covers, action)])
}

active_restrictions contains r if {
	some r in restrictions
	r.person == companion.id
	today <= object.get(r, "valid_until", today)
}

# The actions active restrictions bar the companion from.
barred contains a if {
	some r in active_restrictions
	some a in r.covers
}

barred contains a if {
	some r in active_restrictions
	"*" in r.covers
	some a in actions
}

restriction_words(r) := replace(object.get(r, "source", "restriction"), "_", " ")

until_words(r) := sprintf(" until %s", [r.valid_until]) if {
	r.valid_until
} else := ""
