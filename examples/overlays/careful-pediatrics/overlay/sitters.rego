# Careful Pediatrics releases a child only to a guardian or to family: a
# sitter may bring a child in, but not take them home.
package overlay

import data.checkin

restrictions contains {
	"covers": ["pick_up"],
	"code": "PRACTICE_POLICY",
	"message": "Careful Pediatrics does not release a child to a sitter: a parent or family member must pick up.",
} if {
	sitter_for_a_child
}

remedies contains {
	"covers": ["pick_up"],
	"code": "CALL_GUARDIAN",
	"message": "Call a parent to come, or to send a family member on the pick-up list.",
} if {
	sitter_for_a_child
}

sitter_for_a_child if {
	input.companion.relationship == "sitter"
	checkin.patient_minor
	not checkin.companion_guardian
}
